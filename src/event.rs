//! Typed events: what the parsers hand to the classifier.
//!
//! Events borrow their text from the chunk buffer they were parsed from, so the
//! hot path allocates nothing per line; the classifier copies only what it keeps.

#![deny(missing_docs)]

use crate::timestamp::Timestamp;
use std::fmt;
use std::net::IpAddr;

/// A 3CX log message code such as `CM503003` or `MS105000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogCode {
    /// The two ASCII letters: `CM` (call manager), `MS` (media server), or `EV` for a
    /// v20 Event Log id carried as a code.
    pub family: [u8; 2],
    /// The six digits as a number (`503003`), or the Event Log id.
    pub number: u32,
}

impl fmt::Display for LogCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:06}", self.family[0] as char, self.family[1] as char, self.number)
    }
}

/// A call as 3CX numbers it: `C:1042` (legs `C:1042.3` belong to the same call).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CallId(pub u64);

/// A SIP trunk as the logs name it: `Line:10000`, `Ln.10000@VNPT`, `L:10000(VNPT)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrunkRef<'a> {
    /// The trunk's DN, the number 3CX gives the line (`10000`).
    pub dn: &'a [u8],
    /// The provider name when the line carries it (empty otherwise).
    pub name: &'a [u8],
}

/// One side of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party<'a> {
    /// An extension, by its number (`Extn:101` → `101`).
    Extension(&'a [u8]),
    /// A trunk leg, with the external number when the log shows it.
    Trunk {
        /// The trunk the leg runs on.
        trunk: TrunkRef<'a>,
        /// The external number on that trunk (empty when the log does not show it).
        number: &'a [u8],
    },
    /// A bare number or SIP user (no trunk named).
    Number(&'a [u8]),
    /// The log does not name the party in a form the reader knows.
    Unknown,
}

impl<'a> Party<'a> {
    /// The trunk, when this party is a trunk leg.
    pub fn trunk(&self) -> Option<TrunkRef<'a>> {
        match self {
            Party::Trunk { trunk, .. } => Some(*trunk),
            _ => None,
        }
    }
}

/// A SIP final response as the logs report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SipStatus<'a> {
    /// The status code (`403`); 0 when the log gives none.
    pub code: u16,
    /// The reason phrase as written (`Forbidden`), possibly empty.
    pub reason: &'a [u8],
}

/// How a call ended, one vocabulary for every 3CX generation (input-formats.md §4–§6):
/// v15–v18 `TerminatedBySrc`, `Failed`, `NoRouteExists`... and v20 `no_route`, `busy`...
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Talked (answered, then either side hung up).
    Answered,
    /// Ended before an answer by the caller hanging up while it rang.
    Cancelled,
    /// Failed without a stated reason (legacy `Failed`).
    Failed,
    /// The callee was busy.
    Busy,
    /// The callee rang but nobody answered.
    NoAnswer,
    /// The callee rejected the call.
    Declined,
    /// The number or target does not exist.
    NotFound,
    /// The attempt timed out (legacy `timeout`).
    Timeout,
    /// No outbound rule / route matched (`NoRouteExists`, `no_route`).
    NoRoute,
    /// The target extension has no registered phone or is in DND (`NotAvailable`, `not_registered`).
    NotAvailable,
    /// The license's simultaneous-call limit was reached (`license_limit_reached`).
    LicenseLimit,
    /// `destination_prohibited`, `invalid_dialcode`, country blocking.
    DestinationProhibited,
    /// Outbound calls disabled for the extension (`external_call_disabled`, `caller_disabled`).
    ExternalCallDisabled,
    /// `server_error`, `forwarding_loop`.
    ServerError,
    /// Unanswered, with no reason given (a v20 row that did not connect).
    Unanswered,
    /// A reason no mapping knows; the record's own words are in [`CallRecord::reason`].
    Other,
}

/// Why a call was diverted (legacy `reason-changed`, v20 `creation_forward_reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Divert {
    /// The target had no registered phone (`fwd_onnotregistered`).
    NotRegistered,
    /// The target did not answer in time (`fwd_noanswer`).
    NoAnswer,
    /// The target was busy (`fwd_onbusy`).
    Busy,
    /// Office hours, holidays, out of office, breaks.
    Schedule,
    /// DND or forward-all.
    ForwardAll,
    /// Queue forwarding (`QFwdToDNA`, polling).
    Queue,
    /// Transfers (`ReplacedDst`, `ReplacedSrc`): ordinary call handling, not a divert.
    Transfer,
    /// A reason no mapping knows.
    Other,
}

/// Which way a call went, as a call record tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    /// From outside (a trunk) into the PBX.
    Inbound,
    /// From the PBX out to an external number.
    Outbound,
    /// Between extensions (or to a PBX service) without leaving the PBX.
    Internal,
}

/// One call as a call record tells it (legacy CDR line, v20 `cdroutput` row, console call log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallRecord<'a> {
    /// 3CX's call id (`00000172FF10D141_4445`, v20 `call_history_id`, call-log `Call ID`).
    pub call_id: &'a [u8],
    /// The call number shared with activity logs (`…_4445` → `C:4445`), when known.
    pub call_number: Option<CallId>,
    /// When the call began, PBX local time (also the event's time).
    pub started: Option<Timestamp>,
    /// When it was answered; `None` for a call nobody answered (or a record without it).
    pub answered: Option<Timestamp>,
    /// When it ended, PBX local time.
    pub ended: Option<Timestamp>,
    /// Which way the call went, as the record says or as its parties tell.
    pub direction: CallDirection,
    /// Who placed the call: an extension, or a trunk with the caller's number.
    pub from: Party<'a>,
    /// Where the call was placed: an extension, or a trunk with the external number.
    pub to: Party<'a>,
    /// What the caller dialled.
    pub dialled: &'a [u8],
    /// How the call ended, mapped from the record's own vocabulary.
    pub outcome: Outcome,
    /// The record's own words for the outcome, for evidence.
    pub reason: &'a [u8],
    /// Why the call was diverted, when it was.
    pub divert: Option<Divert>,
    /// `EndCall` was the destination (legacy `to-dn` / v20 `endcall` entity).
    pub to_end_call: bool,
    /// The call went through a queue (v20 `queue` entity, legacy `QFwdToDNA`).
    pub via_queue: bool,
    /// The queue's DN when the record names it (legacy: the `to-dn` a `QFwdToDNA` call was sent to).
    pub queue: &'a [u8],
    /// The extension that finally took the call, when it is not `to` (a queue agent).
    pub final_extension: &'a [u8],
}

impl CallRecord<'_> {
    /// The external or internal number the call went to.
    pub fn to_number(&self) -> &[u8] {
        match self.to {
            Party::Trunk { number, .. } => number,
            Party::Extension(n) | Party::Number(n) => n,
            Party::Unknown => self.dialled,
        }
    }
}

/// One side of a v20 call-quality report (event 10034, input-formats.md §3.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QualityParty<'a> {
    /// `"102 Sales"`, `"5551234"` as the report prints it.
    pub number: &'a [u8],
    /// What that party heard, in hundredths of MOS (0 = not measured).
    pub mos_from_pbx_centi: Option<u16>,
    /// `RxPackets`: RTP packets received on this party's leg.
    pub rx_packets: Option<u64>,
    /// `RxLost`: packets lost on this party's leg.
    pub rx_lost: Option<u64>,
    /// `RxJitter` of this party's leg, in milliseconds.
    pub rx_jitter_ms: Option<u32>,
    /// `EndpointType` as written (`SIPPHONE`, `TUNNEL`...), possibly empty.
    pub endpoint_type: &'a [u8],
}

/// A v20 Event Log entry, by event id (input-formats.md §3.2). Texts are the
/// rendered `%n` values; classify by id and template, never by the `Level` column.
/// A text value the entry does not show is empty; a number or address it does not
/// show (or that does not parse) is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PbxEvent<'a> {
    /// 4097 `Service started`.
    ServiceStarted,
    /// 4098 `Service got signal to stop: %1`.
    ServiceStopped {
        /// The signal or reason given (`%1`).
        reason: &'a [u8],
    },
    /// 4100 `Trunk %1 has changed status to %2`.
    TrunkStatus {
        /// The trunk as named (`%1`).
        trunk: &'a [u8],
        /// The new status word (`%2`, e.g. `Unregistered`).
        status: &'a [u8],
    },
    /// 4102 `Trunk SBC '%1' ... has changed status to %4`.
    SbcStatus {
        /// The SBC's name (`%1`).
        name: &'a [u8],
        /// True for an up word (`Up`, `Online`...), false for a down one; any other
        /// word makes the entry [`PbxEvent::Other`].
        up: bool,
    },
    /// 8193 `License limit is reached, active calls: %1`.
    LicenseLimit {
        /// The active calls at that moment (`%1`).
        active_calls: Option<u32>,
    },
    /// 10010 / 10012 `3CX failed to update` / `Your 3CX Debian OS ... failed to update`.
    UpdateFailed {
        /// True for the operating system's update (10012), false for 3CX's own (10010).
        os: bool,
    },
    /// 10025 `3CX logs and temporary files were deleted to conserve disk space`.
    LogsDeletedForSpace,
    /// 10026 `Your public IP has changed and 3CX updated FQDN records from %1 to %2`.
    PublicIpChanged {
        /// The old public address, as written.
        from: &'a [u8],
        /// The new public address, as written.
        to: &'a [u8],
    },
    /// 10034 call-quality JSON.
    CallQuality {
        /// The call's `MOS` in hundredths (0 = not measured).
        mos_centi: Option<u16>,
        /// The report's `Reason` text (`No RTCP from 102 ...`).
        reason: &'a [u8],
        /// The report's `Party1`.
        party1: QualityParty<'a>,
        /// The report's `Party2`.
        party2: QualityParty<'a>,
    },
    /// 12289 `Device %1 has reached max amount of calls`.
    DeviceCallLimit {
        /// The device as named (`%1`).
        device: &'a [u8],
    },
    /// 12290 / 12292 `The IP %1 has been blacklisted for %2 sec. Reason: %4`; `sip` from the Source column.
    IpBlacklisted {
        /// The blocked address (`%1`).
        ip: Option<IpAddr>,
        /// How long it is blocked, in seconds (`%2`).
        seconds: Option<u64>,
        /// The stated reason (`%4`).
        reason: &'a [u8],
        /// Blocked by the SIP server (a SIP brute force or flood), not by the web
        /// console's login lockout.
        sip: bool,
    },
    /// 12291 `SIP request (%1) from %2 was rejected. Reason: %3`.
    RequestRejected {
        /// The sender (`%2`, or the SIP source in the details).
        ip: Option<IpAddr>,
        /// The stated reason (`%3`).
        reason: &'a [u8],
    },
    /// 12293 `Registration at %1 has failed. Destination (%2) not reachable, DNS error`.
    RegistrationUnreachable {
        /// The registrar as named (`%1`).
        target: &'a [u8],
    },
    /// 12294 `Call or Registration to %1 has failed. %2 replied: %3`.
    CarrierRefused {
        /// The target as written (`%1`: a SIP URI, or `number@(Ln.10000@Provider)`).
        target: &'a [u8],
        /// The number or SIP user of the target.
        number: &'a [u8],
        /// The trunk named in the target, if any.
        trunk: Option<TrunkRef<'a>>,
        /// The reply (`%3`, e.g. `403 Forbidden`).
        status: SipStatus<'a>,
    },
    /// 12295 `STUN server %1:%2 could not be reached`.
    StunUnreachable {
        /// The STUN server as written (`host:port`).
        server: &'a [u8],
    },
    /// 12296 `Call from [%2] to [%1] rejected by Country Blocking Feature [%3]`.
    CountryBlocked {
        /// The caller (`%2`).
        from: &'a [u8],
        /// The number called (`%1`).
        to: &'a [u8],
        /// The blocked country or prefix (`%3`).
        country: &'a [u8],
    },
    /// 12297 `There are no RTP ports available for media server`.
    NoRtpPorts,
    /// 30006 `Hard Disk is at or near capacity`.
    DiskFull,
    /// 30024 `This backup contains a different license key or FQDN`.
    LicenseMismatch,
    /// 30026 `Your 3CX Subscription will expire on %1`.
    SubscriptionExpires {
        /// The expiry day, at midnight (`%1`, in whatever date layout the entry used).
        date: Option<Timestamp>,
    },
    /// 30035 `The following service(s) were interrupted: %1`.
    ServicesInterrupted {
        /// The service list as written (`%1`).
        services: &'a [u8],
    },
    /// 30039 `Health Report: Firewall check: %1, SIP trunks: %2, Phone Templates: %3`.
    HealthReport {
        /// Whether the firewall check passed (`%1`); `None` when the entry gives no verdict word.
        firewall_ok: Option<bool>,
        /// Whether the SIP trunk check passed (`%2`); `None` likewise.
        trunks_ok: Option<bool>,
    },
    /// 30047 `Your local IP %1 has been changed to %2`.
    LocalIpChanged {
        /// The old local address, as written.
        from: &'a [u8],
        /// The new local address, as written.
        to: &'a [u8],
    },
    /// 30049 `External calls from ext.%1 is disabled by Administrator`.
    ExternalCallsDisabled {
        /// The extension's number (`%1`, without `ext.`).
        extension: &'a [u8],
    },
    /// 30051 `Unidentified Incoming Call. Review INVITE ...: %1` (source from Via / received=),
    /// with what tells a carrier's real call from a scanner's probe: the `User-Agent`
    /// and whether the INVITE carries `Diversion` / `P-Asserted-Identity` headers.
    UnidentifiedIncoming {
        /// Where the INVITE came from.
        source: Option<IpAddr>,
        /// The user part of the INVITE's request URI (the number called).
        user: &'a [u8],
        /// The INVITE's `User-Agent` header.
        user_agent: &'a [u8],
        /// The INVITE has `Diversion`, `P-Asserted-Identity` or `Remote-Party-ID`.
        carrier_headers: bool,
    },
    /// 30052 `There was no user or outbound rule found for the number %1 that %2 dialed`.
    NoRuleForNumber {
        /// The number dialled (`%1`).
        number: &'a [u8],
        /// Who dialled it (`%2`).
        extension: &'a [u8],
    },
    /// 30053 `A call placed by %1 was terminated due to a loop detected`.
    ForwardingLoop {
        /// Who placed the call (`%1`).
        by: &'a [u8],
    },
    /// 50011 `SSL Certificate renewal has failed. Error: %1`.
    CertificateRenewalFailed {
        /// The error text (`%1`).
        error: &'a [u8],
    },
    /// 50025 `Error while activating license: %1`.
    LicenseActivationFailed {
        /// The error text (`%1`).
        error: &'a [u8],
    },
    /// 50029 `Call from %1 to %2 dropped - not acknowledged in time`.
    CallNotAcknowledged {
        /// The caller (`%1`).
        from: &'a [u8],
        /// The callee (`%2`).
        to: &'a [u8],
    },
    /// 104 queue SLA breached.
    QueueSlaBreached {
        /// The queue as the details name it (`Queue:`).
        queue: &'a [u8],
    },
    /// 105 `Lost Call in Queue %2 (%1) from Caller ID '%3'`.
    QueueCallLost {
        /// The queue's number (`%1`), or as the details name it.
        queue: &'a [u8],
    },
    /// A known id with nothing to classify (backups, provisioning...), or an unknown one.
    Other {
        /// The event id.
        id: u32,
    },
}

/// One row of the bundle's `tsdb.system.csv`: CPU in tenths of a percent, sizes in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// CPU use in tenths of a percent (0–1000).
    pub cpu_permille: Option<u32>,
    /// Memory installed, in bytes.
    pub mem_total: Option<u64>,
    /// Memory free, in bytes.
    pub mem_free: Option<u64>,
    /// Disk size, in bytes.
    pub disk_total: Option<u64>,
    /// Disk space free, in bytes.
    pub disk_free: Option<u64>,
}

/// One direction of one RTP stream in a packet capture (`Logs/dump.pcap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtpStream {
    /// The sender's address and port.
    pub src: std::net::SocketAddr,
    /// The receiver's address and port.
    pub dst: std::net::SocketAddr,
    /// The stream's RTP synchronisation source id.
    pub ssrc: u32,
    /// Packets captured.
    pub packets: u64,
    /// Packets the sequence numbers say were sent (RFC 3550 A.3).
    pub expected: u64,
    /// Packets expected but not captured (`expected - packets`, never negative).
    pub lost: u64,
    /// Interarrival jitter (RFC 3550 A.8), in microseconds.
    pub jitter_us: u64,
    /// Packets of any stream from `dst` back to `src` in the same capture.
    pub reverse_packets: u64,
}

/// What happened, per template of input-formats.md §1.5 and §2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind<'a> {
    /// CM503001: a call enters the PBX (from an extension or a trunk).
    CallIncoming {
        /// The call.
        call: CallId,
        /// Who is calling.
        from: Party<'a>,
        /// The number called (the user part of the `to` URI).
        to_number: &'a [u8],
    },
    /// CM503004 / CM503025: the PBX routes or rings a target.
    CallRouted {
        /// The call.
        call: CallId,
        /// Where the PBX sends it.
        target: Party<'a>,
    },
    /// CM503007: a party answered.
    CallAnswered {
        /// The call.
        call: CallId,
        /// The party that joined.
        party: Party<'a>,
    },
    /// CM503003: a leg failed with a SIP cause.
    CallFailed {
        /// The call, when the line names it.
        call: Option<CallId>,
        /// The number or SIP user the failed leg went to.
        number: &'a [u8],
        /// The trunk the leg went through, when the target names one.
        trunk: Option<TrunkRef<'a>>,
        /// The SIP cause (`Cause: 403 Forbidden`).
        status: SipStatus<'a>,
        /// The address that sent the failure (`from IP:`).
        from_ip: Option<IpAddr>,
    },
    /// CM503016: the target extension has no registered device.
    TargetNotRegistered {
        /// The call, when the line names it.
        call: Option<CallId>,
        /// The extension that could not be reached.
        extension: &'a [u8],
    },
    /// CM503014: no outbound rule matched.
    NoRoute {
        /// The call, when the line names it.
        call: Option<CallId>,
        /// The number with no route (empty when the line gives no URI).
        number: &'a [u8],
    },
    /// CM503020 / CM503008: the call ended.
    CallEnded {
        /// The call.
        call: CallId,
        /// Ended by the caller before an answer (`Reason: Cancelled`).
        cancelled: bool,
    },
    /// CM503010 `Making route(s)` and `Leg ... is terminated`: seen, no state change.
    CallProgress {
        /// The call, when the line names it.
        call: Option<CallId>,
    },
    /// CM505001: a phone identified itself.
    DeviceInfo {
        /// The extension the phone belongs to.
        extension: &'a [u8],
        /// The phone's `UserAgent` (model and firmware), possibly empty.
        user_agent: &'a [u8],
        /// The address in the phone's `Contact`.
        ip: Option<IpAddr>,
    },
    /// CM504001.
    ExtensionRegistered {
        /// The extension.
        extension: &'a [u8],
        /// The address of the newly registered contact.
        ip: Option<IpAddr>,
    },
    /// CM504002: a device of the extension unregistered.
    ExtensionUnregistered {
        /// The extension.
        extension: &'a [u8],
        /// Another device of the extension is still registered.
        contacts_left: bool,
    },
    /// CM102001: a SIP request failed authentication.
    AuthFailed {
        /// The SIP method (`REGISTER`, `INVITE`).
        method: &'a [u8],
        /// The user (extension or auth id) the request claimed, possibly empty.
        user: &'a [u8],
        /// The address the request came from.
        ip: Option<IpAddr>,
    },
    /// `Registered line:` / CM504004.
    TrunkRegistered {
        /// The trunk.
        trunk: TrunkRef<'a>,
    },
    /// CM504005.
    TrunkRegistrationFailed {
        /// The trunk.
        trunk: TrunkRef<'a>,
        /// The registrar's answer (code 0 when the line gives no cause).
        status: SipStatus<'a>,
    },
    /// MS105000: no RTP from the remote side of a call leg.
    NoRtp {
        /// The call.
        call: CallId,
        /// The remote end that sent nothing (`remoteAddr=`).
        remote_ip: Option<IpAddr>,
        /// The PBX's own media address for the leg (`localAddr=`).
        local_ip: Option<IpAddr>,
    },
    /// A call record (CDR, call log). By reference: records are large and rare next
    /// to log lines, and keeping them out of line keeps every event small.
    Call(&'a CallRecord<'a>),
    /// A v20 Event Log entry (console export or the bundle's `eventlog.csv`), by reference likewise.
    Pbx {
        /// The event id (`12294`), also for [`PbxEvent::Other`].
        id: u32,
        /// The entry's values.
        event: &'a PbxEvent<'a>,
    },
    /// A self-check of the bundle's `ExtraLogging/Health_<n>.txt` (`Firewall check: FAILED`).
    HealthCheck {
        /// The check's name (`Firewall check`).
        name: &'a [u8],
        /// The verdict word as written (`FAILED`).
        verdict: &'a [u8],
        /// Whether that word passes the check.
        passed: bool,
    },
    /// An RTP stream direction of a packet capture, summed up at the end of the capture.
    RtpStream(&'a RtpStream),
    /// A metrics sample of `DbTables/tsdb.system.csv`.
    Metrics(Metrics),
    /// What a system-info file (`tcxSystemInfo_*.txt`) says of the PBX, once per file.
    SystemInfo(&'a SystemInfo),
    /// A sample of one 3CX service in `DbTables/tsdb.services.csv`: its processes.
    ServiceSample {
        /// The service's name (the table's index mapped to 3CX's name for it).
        service: &'a [u8],
        /// Its running processes in that sample (0: not running).
        processes: u32,
    },
    /// `#Date:` header of the media-server log.
    DateHeader,
    /// A 3CX record (it has a code) whose template this version does not know.
    Unclassified,
}

/// What the PBX says about itself (the bundle's system-info file).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SystemInfo {
    /// `VERSION = 20.0.8.1131`.
    pub version: Option<String>,
    /// `OSDescription = Debian GNU/Linux 12 (bookworm)`.
    pub os: Option<String>,
    /// `Number of Extensions = 7`.
    pub extensions: Option<u32>,
    /// A key naming the FQDN (`FQDN = pbx.example.3cx.vn`) \[I\]: not in the known samples.
    pub fqdn: Option<String>,
}

/// One recognised record.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// Index of the input file in the run.
    pub file: u32,
    /// 1-based line of the record's head in the (decompressed) file.
    pub line: u64,
    /// When it happened, PBX local time; `None` when the record has no usable time.
    pub ts: Option<Timestamp>,
    /// The record's `[CMxxxxxx]` / `[MSxxxxxx]` code, or its Event Log id as `EV`.
    pub code: Option<LogCode>,
    /// The head line, for evidence.
    pub text: &'a [u8],
    /// What the record says.
    pub kind: EventKind<'a>,
}
