//! `sbc_offline`: a 3CX SBC (the box that connects a branch's phones to the PBX)
//! keeps going down, or is down now (event 4102 `Trunk SBC '…' has changed status to Down`).

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject};

/// One down that comes back up is a reboot or an update of the SBC host; from the
/// second down in the period read it is a pattern (power, the branch's internet link).
pub const MIN_REPEATED_DOWNS: u64 = 2;
/// From this many downs the branch is plainly unstable.
pub const MANY_DOWNS: u64 = 3;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, sbc) in &s.events.sbcs {
        let downs = sbc.downs.count;
        let still_down = sbc.still_down();
        let confidence = if still_down || downs >= MANY_DOWNS {
            0.8
        } else if downs >= MIN_REPEATED_DOWNS {
            0.65
        } else {
            continue;
        };
        let now = if still_down {
            Reason::new(MsgId::SbcStillDown).with("since", sbc.last_down)
        } else {
            Reason::new(MsgId::SbcBackUp)
        };
        let why = Reason::new(MsgId::SbcOfflineMain)
            .with("name", Arg::text(name))
            .with("downs", downs)
            .with("first", sbc.downs.first)
            .with("last", sbc.downs.last)
            .with("now", now);
        out.push(
            ctx.finding(FaultId::SbcOffline, confidence, Subject::Sbc(name.clone()), &sbc.downs, vec![why])
                .alternatives(&[FaultId::InternetDown, FaultId::ExtensionNotRegistered])
                .detail("sbc", name.as_str())
                .detail("downs", downs)
                .detail("ups", sbc.ups)
                .detail("still_down", still_down),
        );
    }
    out
}
