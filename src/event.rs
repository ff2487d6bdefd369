//! Typed events: what the parsers hand to the classifier.
//!
//! Events borrow their text from the chunk buffer they were parsed from, so the
//! hot path allocates nothing per line; the classifier copies only what it keeps.

use crate::parse::timestamp::Timestamp;
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
    /// A call record (CDR, call log).
    Call(CallRecord<'a>),
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
