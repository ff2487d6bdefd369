//! Typed events: what the parsers hand to the classifier.
//!
//! Events borrow their text from the chunk buffer they were parsed from, so the
//! hot path allocates nothing per line; the classifier copies only what it keeps.

use crate::timestamp::Timestamp;
use std::fmt;
use std::net::IpAddr;

/// A 3CX log message code such as `CM503003` or `MS105000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LogCode {
    pub family: [u8; 2],
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
    pub dn: &'a [u8],
    /// The provider name when the line carries it (empty otherwise).
    pub name: &'a [u8],
}

/// One side of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party<'a> {
    Extension(&'a [u8]),
    /// A trunk leg, with the external number when the log shows it.
    Trunk {
        trunk: TrunkRef<'a>,
        number: &'a [u8],
    },
    /// A bare number or SIP user (no trunk named).
    Number(&'a [u8]),
    Unknown,
}

impl<'a> Party<'a> {
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
    pub code: u16,
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
    Busy,
    NoAnswer,
    Declined,
    /// The number or target does not exist.
    NotFound,
    Timeout,
    /// No outbound rule / route matched (`NoRouteExists`, `no_route`).
    NoRoute,
    /// The target extension has no registered phone or is in DND (`NotAvailable`, `not_registered`).
    NotAvailable,
    LicenseLimit,
    /// `destination_prohibited`, `invalid_dialcode`, country blocking.
    DestinationProhibited,
    /// Outbound calls disabled for the extension (`external_call_disabled`, `caller_disabled`).
    ExternalCallDisabled,
    /// `server_error`, `forwarding_loop`.
    ServerError,
    /// Unanswered, with no reason given (a v20 row that did not connect).
    Unanswered,
    Other,
}

/// Why a call was diverted (legacy `reason-changed`, v20 `creation_forward_reason`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Divert {
    NotRegistered,
    NoAnswer,
    Busy,
    /// Office hours, holidays, out of office, breaks.
    Schedule,
    /// DND or forward-all.
    ForwardAll,
    /// Queue forwarding (`QFwdToDNA`, polling).
    Queue,
    /// Transfers (`ReplacedDst`, `ReplacedSrc`): ordinary call handling, not a divert.
    Transfer,
    Other,
}

/// Which way a call went, as a call record tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallDirection {
    Inbound,
    Outbound,
    Internal,
}

/// One call as a call record tells it (legacy CDR line, v20 `cdroutput` row, console call log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallRecord<'a> {
    /// 3CX's call id (`00000172FF10D141_4445`, v20 `call_history_id`, call-log `Call ID`).
    pub call_id: &'a [u8],
    /// The call number shared with activity logs (`…_4445` → `C:4445`), when known.
    pub call_number: Option<CallId>,
    pub started: Option<Timestamp>,
    pub answered: Option<Timestamp>,
    pub ended: Option<Timestamp>,
    pub direction: CallDirection,
    pub from: Party<'a>,
    /// Where the call was placed: an extension, or a trunk with the external number.
    pub to: Party<'a>,
    /// What the caller dialled.
    pub dialled: &'a [u8],
    pub outcome: Outcome,
    /// The record's own words for the outcome, for evidence.
    pub reason: &'a [u8],
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
    pub rx_packets: Option<u64>,
    pub rx_lost: Option<u64>,
    pub rx_jitter_ms: Option<u32>,
    pub endpoint_type: &'a [u8],
}

/// A v20 Event Log entry, by event id (input-formats.md §3.2). Texts are the
/// rendered `%n` values; classify by id and template, never by the `Level` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PbxEvent<'a> {
    /// 4097 `Service started`.
    ServiceStarted,
    /// 4098 `Service got signal to stop: %1`.
    ServiceStopped { reason: &'a [u8] },
    /// 4100 `Trunk %1 has changed status to %2`.
    TrunkStatus { trunk: &'a [u8], status: &'a [u8] },
    /// 4102 `Trunk SBC '%1' ... has changed status to %4`.
    SbcStatus { name: &'a [u8], up: bool },
    /// 8193 `License limit is reached, active calls: %1`.
    LicenseLimit { active_calls: Option<u32> },
    /// 10010 / 10012 `3CX failed to update` / `Your 3CX Debian OS ... failed to update`.
    UpdateFailed { os: bool },
    /// 10025 `3CX logs and temporary files were deleted to conserve disk space`.
    LogsDeletedForSpace,
    /// 10026 `Your public IP has changed and 3CX updated FQDN records from %1 to %2`.
    PublicIpChanged { from: &'a [u8], to: &'a [u8] },
    /// 10034 call-quality JSON.
    CallQuality { mos_centi: Option<u16>, reason: &'a [u8], party1: QualityParty<'a>, party2: QualityParty<'a> },
    /// 12289 `Device %1 has reached max amount of calls`.
    DeviceCallLimit { device: &'a [u8] },
    /// 12290 / 12292 `The IP %1 has been blacklisted for %2 sec. Reason: %4`; `sip` from the Source column.
    IpBlacklisted { ip: Option<IpAddr>, seconds: Option<u64>, reason: &'a [u8], sip: bool },
    /// 12291 `SIP request (%1) from %2 was rejected. Reason: %3`.
    RequestRejected { ip: Option<IpAddr>, reason: &'a [u8] },
    /// 12293 `Registration at %1 has failed. Destination (%2) not reachable, DNS error`.
    RegistrationUnreachable { target: &'a [u8] },
    /// 12294 `Call or Registration to %1 has failed. %2 replied: %3`.
    CarrierRefused { target: &'a [u8], number: &'a [u8], trunk: Option<TrunkRef<'a>>, status: SipStatus<'a> },
    /// 12295 `STUN server %1:%2 could not be reached`.
    StunUnreachable { server: &'a [u8] },
    /// 12296 `Call from [%2] to [%1] rejected by Country Blocking Feature [%3]`.
    CountryBlocked { from: &'a [u8], to: &'a [u8], country: &'a [u8] },
    /// 12297 `There are no RTP ports available for media server`.
    NoRtpPorts,
    /// 30006 `Hard Disk is at or near capacity`.
    DiskFull,
    /// 30024 `This backup contains a different license key or FQDN`.
    LicenseMismatch,
    /// 30026 `Your 3CX Subscription will expire on %1`.
    SubscriptionExpires { date: Option<Timestamp> },
    /// 30035 `The following service(s) were interrupted: %1`.
    ServicesInterrupted { services: &'a [u8] },
    /// 30039 `Health Report: Firewall check: %1, SIP trunks: %2, Phone Templates: %3`.
    HealthReport { firewall_ok: Option<bool>, trunks_ok: Option<bool> },
    /// 30047 `Your local IP %1 has been changed to %2`.
    LocalIpChanged { from: &'a [u8], to: &'a [u8] },
    /// 30049 `External calls from ext.%1 is disabled by Administrator`.
    ExternalCallsDisabled { extension: &'a [u8] },
    /// 30051 `Unidentified Incoming Call. Review INVITE ...: %1` (source from Via / received=),
    /// with what tells a carrier's real call from a scanner's probe: the `User-Agent`
    /// and whether the INVITE carries `Diversion` / `P-Asserted-Identity` headers.
    UnidentifiedIncoming { source: Option<IpAddr>, user: &'a [u8], user_agent: &'a [u8], carrier_headers: bool },
    /// 30052 `There was no user or outbound rule found for the number %1 that %2 dialed`.
    NoRuleForNumber { number: &'a [u8], extension: &'a [u8] },
    /// 30053 `A call placed by %1 was terminated due to a loop detected`.
    ForwardingLoop { by: &'a [u8] },
    /// 50011 `SSL Certificate renewal has failed. Error: %1`.
    CertificateRenewalFailed { error: &'a [u8] },
    /// 50025 `Error while activating license: %1`.
    LicenseActivationFailed { error: &'a [u8] },
    /// 50029 `Call from %1 to %2 dropped - not acknowledged in time`.
    CallNotAcknowledged { from: &'a [u8], to: &'a [u8] },
    /// 104 queue SLA breached.
    QueueSlaBreached { queue: &'a [u8] },
    /// 105 `Lost Call in Queue %2 (%1) from Caller ID '%3'`.
    QueueCallLost { queue: &'a [u8] },
    /// A known id with nothing to classify (backups, provisioning...), or an unknown one.
    Other { id: u32 },
}

/// One row of the bundle's `tsdb.system.csv`: CPU in tenths of a percent, sizes in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    pub cpu_permille: Option<u32>,
    pub mem_total: Option<u64>,
    pub mem_free: Option<u64>,
    pub disk_total: Option<u64>,
    pub disk_free: Option<u64>,
}

/// One direction of one RTP stream in a packet capture (`Logs/dump.pcap`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RtpStream {
    pub src: std::net::SocketAddr,
    pub dst: std::net::SocketAddr,
    pub ssrc: u32,
    pub packets: u64,
    /// Packets the sequence numbers say were sent (RFC 3550 A.3).
    pub expected: u64,
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
    CallIncoming { call: CallId, from: Party<'a>, to_number: &'a [u8] },
    /// CM503004 / CM503025: the PBX routes or rings a target.
    CallRouted { call: CallId, target: Party<'a> },
    /// CM503007: a party answered.
    CallAnswered { call: CallId, party: Party<'a> },
    /// CM503003: a leg failed with a SIP cause.
    CallFailed {
        call: Option<CallId>,
        number: &'a [u8],
        trunk: Option<TrunkRef<'a>>,
        status: SipStatus<'a>,
        from_ip: Option<IpAddr>,
    },
    /// CM503016: the target extension has no registered device.
    TargetNotRegistered { call: Option<CallId>, extension: &'a [u8] },
    /// CM503014: no outbound rule matched.
    NoRoute { call: Option<CallId>, number: &'a [u8] },
    /// CM503020 / CM503008: the call ended.
    CallEnded { call: CallId, cancelled: bool },
    /// CM503010 `Making route(s)` and `Leg ... is terminated`: seen, no state change.
    CallProgress { call: Option<CallId> },
    /// CM505001: a phone identified itself.
    DeviceInfo { extension: &'a [u8], user_agent: &'a [u8], ip: Option<IpAddr> },
    /// CM504001.
    ExtensionRegistered { extension: &'a [u8], ip: Option<IpAddr> },
    /// CM504002. `contacts_left`: another device of the extension is still registered.
    ExtensionUnregistered { extension: &'a [u8], contacts_left: bool },
    /// CM102001: a SIP request failed authentication.
    AuthFailed { method: &'a [u8], user: &'a [u8], ip: Option<IpAddr> },
    /// `Registered line:` / CM504004.
    TrunkRegistered { trunk: TrunkRef<'a> },
    /// CM504005.
    TrunkRegistrationFailed { trunk: TrunkRef<'a>, status: SipStatus<'a> },
    /// MS105000: no RTP from the remote side of a call leg.
    NoRtp { call: CallId, remote_ip: Option<IpAddr>, local_ip: Option<IpAddr> },
    /// A call record (CDR, call log). By reference: records are large and rare next
    /// to log lines, and keeping them out of line keeps every event small.
    Call(&'a CallRecord<'a>),
    /// A v20 Event Log entry (console export or the bundle's `eventlog.csv`), by reference likewise.
    Pbx { id: u32, event: &'a PbxEvent<'a> },
    /// A self-check of the bundle's `ExtraLogging/Health_<n>.txt` (`Firewall check: FAILED`).
    HealthCheck { name: &'a [u8], verdict: &'a [u8], passed: bool },
    /// An RTP stream direction of a packet capture, summed up at the end of the capture.
    RtpStream(&'a RtpStream),
    /// A metrics sample of `DbTables/tsdb.system.csv`.
    Metrics(Metrics),
    /// A sample of one 3CX service in `DbTables/tsdb.services.csv`: its processes.
    ServiceSample { service: &'a [u8], processes: u32 },
    /// `#Date:` header of the media-server log.
    DateHeader,
    /// A 3CX record (it has a code) whose template this version does not know.
    Unclassified,
}

/// One recognised record.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// Index of the input file in the run.
    pub file: u32,
    /// 1-based line of the record's head in the (decompressed) file.
    pub line: u64,
    pub ts: Option<Timestamp>,
    pub code: Option<LogCode>,
    /// The head line, for evidence.
    pub text: &'a [u8],
    pub kind: EventKind<'a>,
}
