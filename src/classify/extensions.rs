//! Extensions: whether each phone is registered, from where, what it is, and the
//! calls that failed because it was not; with the handlers that fill them. The table is
//! bounded ([`super::state::TABLE_BUDGET`], heaviest kept).

use super::Classifier;
use super::state::{Evidence, Reuse, TABLE_BUDGET, Tally, Weight, text};
use crate::event::{CallId, Event};
use crate::timestamp::Timestamp;
use std::net::IpAddr;

/// The fields [`Weight`] reads come first, in this order (`repr(C)`, with
/// `Tally::count` first in its struct): forgetting reads them for every entry, and
/// spread over the slot as the compiler laid them out they took two or three cache
/// lines each. 256 bytes so (`ip` last: 8 bytes of padding): a slot spans four cache
/// lines at the same offset; packed into 248 bytes (`ip` after `registered`), ext200k
/// had 5.065 M LL misses against 4.992 M (callgrind), and 64-byte alignment added
/// ~4 M instructions for 5.031 M.
#[derive(Clone, Debug, Default)]
#[repr(C)]
pub struct ExtensionState {
    pub registered: Option<bool>,
    pub registrations: u64,
    /// Calls that failed because no phone was registered, since the last registration.
    pub not_registered: Tally,
    pub last_registered: Option<Timestamp>,
    pub last_unregistered: Option<Timestamp>,
    pub unregistered_evidence: Evidence,
    pub user_agent: Option<String>,
    pub ip: Option<IpAddr>,
}

impl Weight for ExtensionState {
    /// Calls that failed on it weigh most; then how active it is.
    fn weight(&self) -> u64 {
        self.not_registered.count.saturating_mul(4) + self.registrations + u64::from(self.registered == Some(false))
    }
}

impl Reuse for ExtensionState {
    fn reuse(&mut self) {
        if !(self.unregistered_evidence.small() && self.not_registered.evidence.small()) {
            *self = ExtensionState::default();
            return;
        }
        // Every field named: a field added later must be reset here too.
        let ExtensionState {
            registered,
            registrations,
            last_registered,
            last_unregistered,
            unregistered_evidence,
            not_registered,
            ip,
            user_agent,
        } = self;
        *registered = None;
        *registrations = 0;
        *last_registered = None;
        *last_unregistered = None;
        unregistered_evidence.clear();
        not_registered.reset();
        *ip = None;
        *user_agent = None;
    }
}

impl Classifier {
    /// The state of extension `ext`, created if new (lookups of a known one allocate nothing).
    pub(super) fn extension(&mut self, ext: &[u8]) -> &mut ExtensionState {
        let key = text(ext);
        self.state.extensions.entry(&*key, super::state::string_key)
    }

    pub(super) fn on_device_info(&mut self, e: &Event<'_>, extension: &[u8], user_agent: &[u8], ip: Option<IpAddr>) {
        let ext = self.extension(extension);
        // Phones re-identify on every registration: allocate only on change.
        if !user_agent.is_empty() && ext.user_agent.as_deref().map(str::as_bytes) != Some(user_agent) {
            ext.user_agent = Some(super::state::owned(user_agent));
        }
        if let Some(ip) = ip {
            ext.ip = Some(ip);
            self.seen_ip(ip, e.ts);
        }
    }

    pub(super) fn on_extension_registered(&mut self, e: &Event<'_>, extension: &[u8], ip: Option<IpAddr>) {
        self.stats.registrations += 1;
        let ext = self.extension(extension);
        ext.registered = Some(true);
        ext.registrations += 1;
        ext.last_registered = ext.last_registered.max(e.ts);
        ext.not_registered.reset();
        if let Some(ip) = ip {
            ext.ip = Some(ip);
            let map = &mut self.state.ip_to_extension;
            let known = map.get(&ip).map(String::as_bytes);
            // Bounded like the tables: past the budget, only known addresses move.
            if known != Some(extension) && (known.is_some() || map.len() < 2 * TABLE_BUDGET) {
                map.insert(ip, super::state::owned(extension));
            }
            let src = self.seen_ip(ip, e.ts);
            src.registrations += 1;
            src.last_registration = src.last_registration.max(e.ts);
        }
    }

    pub(super) fn on_extension_unregistered(&mut self, e: &Event<'_>, extension: &[u8], contacts_left: bool) {
        let cap = self.evidence_cap;
        let ext = self.extension(extension);
        if contacts_left {
            // Another of its devices is still registered: the extension is reachable.
            return;
        }
        ext.registered = Some(false);
        ext.last_unregistered = ext.last_unregistered.max(e.ts);
        ext.unregistered_evidence.clear();
        ext.unregistered_evidence.push(e, cap);
    }

    /// A call could not ring `extension`: no phone of it was registered.
    pub(super) fn on_target_not_registered(&mut self, e: &Event<'_>, call: Option<CallId>, extension: &[u8]) {
        if let Some(st) = call.and_then(|c| self.state.calls.get_mut(&c)) {
            st.failed = true;
        }
        let cap = self.evidence_cap;
        self.extension(extension).not_registered.add(e, None, cap);
    }
}
