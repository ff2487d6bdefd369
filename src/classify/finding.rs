//! What a rule concludes, as facts: the fault, the typed subject it is about, and why
//! (message ids with typed arguments). No language here: `report` turns a [`Finding`]
//! into sentences, in whichever language it is asked for, so one analysis can be
//! rendered in Vietnamese and in English.
#![deny(missing_docs)]

use super::catalog::{FaultId, Side};
use super::state::{Evidence, Tally};
use crate::event::Outcome;
use crate::timestamp::Timestamp;
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};

/// The ids of every sentence a rule can say. `i18n` holds the text of each (a `Msg` of
/// the same name); this one list generates both the id enum here and the exhaustive
/// id → text map there, so an id without a text, or a text for no id, does not compile.
macro_rules! with_reason_ids {
    ($callback:ident) => {
        $callback! {
            BruteForceEvents, BruteForceMain, CallQualityCapture, CallQualityMain, CalleeBusyMain,
            CallsDropSameDurationMain, CarrierFailureMain, ClassInternational, ClassPremium,
            CodecMismatchMain, DestinationClassRefused, DestinationProhibitedRecords, DiskFillForecast,
            DiskFullMain, DiskLogsDeleted, DiskNearlyFull, ExtensionAuthFailedMain, ExtensionLastDevice,
            ExtensionNotRegisteredAuth, ExtensionNotRegisteredCalls, ExtensionNotRegisteredQuiet,
            ExtensionWentOffline, ExternalCallsDisabledRecords, FirewallChecks, FirewallLocalIp, FirewallMain, FirewallStun, ForwardingMain,
            InboundNotRoutedMain, InboundUnidentifiedAdvice, InboundUnidentifiedMain, InternetDownMain,
            IpBlacklistedEvent, IpBlacklistedMain, IpBlacklistedPrivate, IpBlacklistedPrivateDevice,
            LicenseActivationMain, LicenseExpiredMain, LicenseExpiringMain, LicenseLimitCeiling,
            LicenseLimitEvents, LicenseLimitRecords, MoreSubjects, NoOutboundRuleMain,
            NumberFormatInternationalAdvice, NumberFormatInternationalMain, NumberFormatMain,
            NumberFormatRoutingAdvice, NumberFormatRoutingMain, OneWayAudioAll, OneWayAudioCapture,
            OneWayAudioEvents, OneWayAudioExtension, OneWayAudioMain, OneWayAudioPrivate, OneWayAudioSpread,
            PbxForwardingLoop, PbxNoRtpPorts, PbxResourcesSaturated, PbxServiceRecords, PbxServiceStops,
            PbxServicesDownMetrics, PbxServicesInterrupted,
            PbxUpdateFailed, ProhibitedWho, QueueLostMain, SbcBackUp, SbcOfflineMain, SbcStillDown,
            SeenOnceExtensionAuth, SeenOnceTrunkRegistration, TableForgot, TableKindAddresses,
            TableKindExtensions, TrunkAuthFailedMain, TrunkChannelMain, TrunkFailoverRecords, TrunkIpChanged,
            TrunkIpNoRegister, TrunkUnpaidFailover, TrunkUnpaidFully, TrunkUnpaidJoinedRecords,
            TrunkUnpaidMain, TrunkUnpaidOneWay, TrunkUnpaidPaymentHint, TrunkUnpaidRecords,
            TrunkUnpaidRecordsConfirm, TrunkUnpaidRecordsInbound, TrunkUnpaidRecordsJoined,
            TrunkUnreachableDns, TrunkUnreachableMain,
        }
    };
}
pub(crate) use with_reason_ids;

macro_rules! define_reason_ids {
    ($($id:ident),* $(,)?) => {
        /// A sentence a rule says; its text (per language) is the `i18n::Msg` of the same name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum MsgId { $(
            #[doc = concat!("Its text in each language is `i18n::Msg::", stringify!($id), "`.")]
            $id,
        )* }

        impl MsgId {
            /// Every id (tests check each has a text with the placeholders rules fill).
            pub const ALL: &'static [MsgId] = &[$(MsgId::$id,)*];

            /// The id as machines see it (`TrunkUnpaidMain`).
            pub fn as_str(self) -> &'static str {
                match self { $(MsgId::$id => stringify!($id),)* }
            }
        }
    };
}
with_reason_ids!(define_reason_ids);

impl Serialize for MsgId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A typed argument of a sentence. How it is written (times, decimals, the words for
/// call outcomes) is the report's business.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "value")]
pub enum Arg {
    /// A count of calls, failures, addresses...
    Count(u64),
    /// A signed whole number (minutes of silence, days before or after a date).
    Int(i64),
    /// A moment of the logs' local time (`None`: the log had none).
    Time(Option<Timestamp>),
    /// A decimal measure shown with `places` decimals (GB free, % loss).
    Decimal {
        /// The measure.
        value: f64,
        /// Decimals to show.
        places: u8,
    },
    /// A talk time in seconds.
    Seconds(u64),
    /// SIP codes with how often each came, in the order to show them.
    Codes(Vec<(u16, u64)>),
    /// SIP codes (from logs) and call outcomes (from call records, which carry no code).
    CodesOutcomes {
        /// SIP codes with their counts.
        codes: Vec<(u16, u64)>,
        /// Call outcomes with their counts.
        outcomes: Vec<(Outcome, u64)>,
    },
    /// An IP address (redacted or pseudonymised with the rest of the report).
    Ip(IpAddr),
    /// An address and port.
    Endpoint(SocketAddr),
    /// A name or number as the logs wrote it (a trunk, an extension, a device).
    Text(String),
    /// Names or numbers, in the order to show them.
    List(Vec<String>),
    /// A sentence inside the sentence.
    Reason(Box<Reason>),
    /// Clauses inside the sentence, in the order to show them (joined by commas).
    Reasons(Vec<Reason>),
}

impl Arg {
    /// The codes of a tally, most frequent first (then by code).
    pub fn codes(t: &Tally) -> Arg {
        Arg::Codes(codes_by_count(t))
    }
    /// A name or number as written.
    pub fn text(s: impl Into<String>) -> Arg {
        Arg::Text(s.into())
    }
    /// Names or numbers, in the order given.
    pub fn list<S: ToString>(items: impl IntoIterator<Item = S>) -> Arg {
        Arg::List(items.into_iter().map(|s| s.to_string()).collect())
    }
    /// A measure shown with `places` decimals.
    pub fn decimal(value: f64, places: u8) -> Arg {
        Arg::Decimal { value, places }
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Count(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Count(n as u64)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Int(n)
    }
}

impl From<Option<Timestamp>> for Arg {
    fn from(t: Option<Timestamp>) -> Arg {
        Arg::Time(t)
    }
}

impl From<IpAddr> for Arg {
    fn from(ip: IpAddr) -> Arg {
        Arg::Ip(ip)
    }
}

impl From<Reason> for Arg {
    fn from(r: Reason) -> Arg {
        Arg::Reason(Box::new(r))
    }
}

/// The codes of a tally, most frequent first (then by code).
pub fn codes_by_count(t: &Tally) -> Vec<(u16, u64)> {
    let mut codes: Vec<(u16, u64)> = t.codes.iter().map(|(c, n)| (*c, *n)).collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    codes
}

/// One sentence of an explanation: which one, and the facts it names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    /// Which sentence.
    pub id: MsgId,
    /// Its named arguments (the `{name}`s of its text), in the order added.
    pub args: Vec<(&'static str, Arg)>,
}

impl Reason {
    /// The sentence `id`, with no argument yet.
    pub fn new(id: MsgId) -> Self {
        Reason { id, args: Vec::new() }
    }
    /// Adds a named argument (the `{name}` of the message).
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }
    /// The argument named `name`, if the sentence has one.
    pub fn arg(&self, name: &str) -> Option<&Arg> {
        self.args.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }
}

/// Who or what a finding is about: the typed subject, so that a new kind is a compile
/// error where the report names subjects.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    /// A SIP trunk.
    Trunk {
        /// The number 3CX gives the line (`10000`).
        dn: String,
        /// The provider's name when the logs give it (`VNPT`).
        name: Option<String>,
    },
    /// An extension, by its number.
    Extension(String),
    /// An address, with the extension registered there when one is.
    Ip {
        /// The address.
        ip: IpAddr,
        /// The extension last registered from it.
        extension: Option<String>,
    },
    /// A dialled or calling number.
    Number(String),
    /// A part of the PBX or of the site as a whole.
    System(SystemPart),
    /// A 3CX SBC, by its name.
    Sbc(String),
}

/// The coarse kind of a subject (the JSON contract's `subject.kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// [`Subject::Trunk`].
    Trunk,
    /// [`Subject::Extension`].
    Extension,
    /// [`Subject::Ip`].
    Ip,
    /// [`Subject::Number`].
    Number,
    /// [`Subject::System`] and [`Subject::Sbc`].
    System,
}

macro_rules! system_parts {
    ($($(#[doc = $doc:literal])* $variant:ident = $id:literal,)*) => {
        /// A part of the system a finding is about (its `id` is the JSON `subject.id`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SystemPart { $($(#[doc = $doc])* $variant,)* }

        impl SystemPart {
            /// Every part, in declaration order.
            pub const ALL: &'static [SystemPart] = &[$(SystemPart::$variant,)*];

            /// The JSON `subject.id` of the part (`"license"`).
            pub fn id(self) -> &'static str {
                match self { $(SystemPart::$variant => $id,)* }
            }
        }
    };
}

system_parts! {
    /// Attackers from many internet addresses.
    Internet = "internet",
    /// Calls in general (drops, poor quality, busy callees, diversions).
    Calls = "calls",
    /// Voice (RTP) between phones, PBX and providers.
    Media = "media",
    /// The codecs the two sides of a call offer.
    Codecs = "codecs",
    /// The outbound rules that route dialled numbers to trunks.
    OutboundRules = "outbound_rules",
    /// The 3CX licence (its key, expiry and call limit).
    License = "license",
    /// Premium-rate numbers (1800 / 1900).
    Premium = "1800_1900",
    /// International calls.
    International = "international",
    /// The inbound rules (DIDs) that route calls from trunks.
    InboundRules = "inbound_rules",
    /// Calls from addresses the PBX matches to no trunk.
    InboundTrunks = "inbound_trunks",
    /// The format of dialled numbers.
    Numbers = "numbers",
    /// Outbound calls not tied to one trunk.
    Outbound = "outbound",
    /// The PBX itself.
    Pbx = "pbx",
    /// Destinations the carrier or the PBX refuses.
    Prohibited = "prohibited",
    /// Extensions not allowed to call outside.
    ExternalCallsDisabled = "external_calls_disabled",
    /// The site's internet connection.
    InternetLink = "internet_link",
    /// The firewall and NAT in front of the PBX.
    Firewall = "firewall",
    /// The PBX's disk.
    Disk = "disk",
    /// Call queues.
    Queues = "queues",
    /// The carriers' SIP servers (their names did not resolve).
    Carrier = "carrier",
    /// A 3CX SBC (session border controller).
    Sbc = "sbc",
    /// The PBX's RTP port range.
    MediaPorts = "media_ports",
    /// The PBX's services (stops and restarts).
    Services = "services",
    /// Restarts of the PBX's services.
    Restarts = "restarts",
    /// Updates of 3CX.
    Update = "update",
    /// Calls forwarded in a loop.
    ForwardingLoop = "forwarding_loop",
    /// The processes of a PBX service.
    ServiceProcesses = "service_processes",
    /// The PBX machine's CPU and memory.
    Resources = "resources",
}

impl SystemPart {
    /// The part whose id this is (`"license"` → `License`).
    pub fn from_id(id: &str) -> Option<SystemPart> {
        SystemPart::ALL.iter().copied().find(|p| p.id() == id)
    }
}

impl Subject {
    /// The subject of a trunk's state (its name only when the logs gave one).
    pub fn trunk(t: &super::state::TrunkState) -> Self {
        Subject::Trunk { dn: t.dn.clone(), name: (!t.name.is_empty()).then(|| t.name.clone()) }
    }
    /// An address, with no extension known there.
    pub fn ip(ip: IpAddr) -> Self {
        Subject::Ip { ip, extension: None }
    }
    /// The JSON contract's `subject.kind`.
    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::Trunk { .. } => SubjectKind::Trunk,
            Subject::Extension(_) => SubjectKind::Extension,
            Subject::Ip { .. } => SubjectKind::Ip,
            Subject::Number(_) => SubjectKind::Number,
            Subject::System(_) | Subject::Sbc(_) => SubjectKind::System,
        }
    }
    /// The JSON contract's `subject.id`: the trunk's DN, the extension, the address, the
    /// number, or the system part's id.
    pub fn id(&self) -> String {
        match self {
            Subject::Trunk { dn, .. } => dn.clone(),
            Subject::Extension(x) | Subject::Number(x) => x.clone(),
            Subject::Ip { ip, .. } => ip.to_string(),
            Subject::System(p) => p.id().to_owned(),
            Subject::Sbc(_) => SystemPart::Sbc.id().to_owned(),
        }
    }
    /// The system part, for a system subject.
    pub fn part(&self) -> Option<SystemPart> {
        match self {
            Subject::System(p) => Some(*p),
            Subject::Sbc(_) => Some(SystemPart::Sbc),
            _ => None,
        }
    }
}

/// One line of evidence, its input resolved to the path it was read from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceOut {
    /// The input as the user named it (a zip member as `archive.zip!member`).
    pub path: String,
    /// Its line number, from 1.
    pub line: u64,
    /// Its time, when the line has one.
    pub time: Option<Timestamp>,
    /// The line (cut, with a marker, past 1,000 bytes; secrets redacted when rendered).
    pub text: String,
}

/// Data of a finding for machines (the JSON `details`): language-free values.
pub type Details = serde_json::Map<String, serde_json::Value>;

/// A rule's conclusion as facts; `report` renders its title, explanation and advice.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The fault of the catalogue.
    pub fault: FaultId,
    /// Who must fix it (the fault's side).
    pub side: Side,
    /// How sure the rule is, 0 to 1 in hundredths.
    pub confidence: f64,
    /// What it is about.
    pub subject: Subject,
    /// How many times it was seen (failed calls, failures, records).
    pub count: u64,
    /// When it was first seen.
    pub first_seen: Option<Timestamp>,
    /// When it was last seen.
    pub last_seen: Option<Timestamp>,
    /// The explanation, sentence by sentence.
    pub why: Vec<Reason>,
    /// Advice that replaces the catalogue's for this case (`None`: the catalogue's).
    pub advice: Option<Reason>,
    /// Other faults that would explain the same lines, to rule out next.
    pub alternatives: Vec<FaultId>,
    /// Values for machines (the JSON `details`).
    pub details: Details,
    /// The first lines that show it.
    pub evidence: Vec<EvidenceOut>,
}

/// What a rule needs besides the state: how much evidence to keep and where it came from.
pub struct RuleContext<'a> {
    /// Evidence lines per finding (`--evidence`).
    pub evidence_cap: usize,
    /// The inputs' paths, by file index.
    pub paths: &'a [String],
}

impl RuleContext<'_> {
    /// Builds a finding of `fault` about `subject` from a tally, explained by the
    /// sentences of `why`.
    pub fn finding(
        &self,
        fault: FaultId,
        confidence: f64,
        subject: Subject,
        tally: &Tally,
        why: Vec<Reason>,
    ) -> Finding {
        Finding {
            fault,
            side: fault.side(),
            confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
            subject,
            count: tally.count,
            first_seen: tally.first,
            last_seen: tally.last,
            why,
            advice: None,
            alternatives: Vec::new(),
            details: Details::new(),
            evidence: self.evidence(&tally.evidence),
        }
    }

    /// The first `evidence_cap` lines of `ev`, with their inputs' paths.
    pub fn evidence(&self, ev: &Evidence) -> Vec<EvidenceOut> {
        ev.lines
            .iter()
            .take(self.evidence_cap)
            .map(|l| EvidenceOut {
                path: self.paths.get(l.file as usize).cloned().unwrap_or_default(),
                line: l.line,
                time: l.ts,
                text: l.text(),
            })
            .collect()
    }
}

impl Finding {
    /// Sets the faults to rule out next.
    pub fn alternatives(mut self, alts: &[FaultId]) -> Self {
        self.alternatives = alts.to_vec();
        self
    }
    /// Sets one value of `details`.
    pub fn detail(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.details.insert(key.to_owned(), value.into());
        self
    }
    /// Adds a sentence to the explanation.
    pub fn and(mut self, r: Reason) -> Self {
        self.why.push(r);
        self
    }
    /// The message ids of the explanation, in order (what rule tests assert on).
    pub fn reasons(&self) -> Vec<MsgId> {
        self.why.iter().map(|r| r.id).collect()
    }
}

/// What the verdict needs of a finding, whichever shape carries it (the facts here,
/// the rendered finding in `report`).
pub trait Judged {
    /// The fault.
    fn fault(&self) -> FaultId;
    /// Who must fix it.
    fn side(&self) -> Side;
    /// How sure the rule is, 0 to 1.
    fn confidence(&self) -> f64;
    /// Its values for machines.
    fn details(&self) -> &Details;
}

impl Judged for Finding {
    fn fault(&self) -> FaultId {
        self.fault
    }
    fn side(&self) -> Side {
        self.side
    }
    fn confidence(&self) -> f64 {
        self.confidence
    }
    fn details(&self) -> &Details {
        &self.details
    }
}

impl<T: Judged + ?Sized> Judged for &T {
    fn fault(&self) -> FaultId {
        (**self).fault()
    }
    fn side(&self) -> Side {
        (**self).side()
    }
    fn confidence(&self) -> f64 {
        (**self).confidence()
    }
    fn details(&self) -> &Details {
        (**self).details()
    }
}
