//! `number_format_invalid`: calls fail because the number is in a retired Vietnamese
//! format (11-digit mobiles renumbered in 2018, area codes changed in 2017, `+840`),
//! or because the carrier refuses the format the outbound rule sends: 404 / 484 / 604
//! (sip_status `NumberOrRouting`) to numbers written with `00` on a carrier that takes
//! `+` only (Telnyx's 3CX guide), or to many different numbers with none answered.

use crate::classify::catalog::FaultId;
use crate::classify::derive::trunk_label;
use crate::classify::rules::SEEN_ONCE_CONFIDENCE;
use crate::classify::state::SiteState;
use crate::classify::{Arg, Finding, MsgId, Reason, RuleContext, Subject, SystemPart};

/// One failed call to an old-format number is already the answer for that number;
/// it counts for the verdict from two (the rule's strip/prepend may be at fault).
pub const MIN_CALLS: u64 = 2;

/// Different `00` numbers refused as unknown before it counts for the verdict: one
/// could be a wrong number; two different ones, none answered, are the format.
pub const MIN_INTERNATIONAL_NUMBERS: usize = 2;
/// Different numbers refused as unknown on a trunk that answered no outbound call:
/// a healthy site misdials one or two numbers; every number failing is the rule.
pub const MIN_ROUTING_NUMBERS: usize = 5;

/// The findings of this rule's fault, read from the state (`Classifier::finish` bounds them per fault).
pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let mut out = obsolete(s, ctx);
    out.extend(international(s, ctx));
    out.extend(routing(s, ctx));
    out
}

fn trunk_name(s: &SiteState) -> Arg {
    Arg::text(
        s.number_refusals.trunk.and_then(|i| s.trunks.get(i as usize)).map_or_else(|| "—".to_owned(), trunk_label),
    )
}

/// `0017266002345@(Ln.10000@Telnyx LLC) ... replied: Not Found (404)`.
fn international(s: &SiteState, ctx: &RuleContext<'_>) -> Option<Finding> {
    let r = &s.number_refusals;
    let t = &r.international;
    if t.count == 0 || s.international_answered > 0 {
        return None;
    }
    let numbers: Vec<String> = r.international_samples.iter().cloned().collect();
    let why = Reason::new(MsgId::NumberFormatInternationalMain)
        .with("n", t.count)
        .with("numbers", Arg::list(&numbers))
        .with("codes", Arg::codes(t))
        .with("trunk", trunk_name(s));
    let enough = r.international_distinct.len() >= MIN_INTERNATIONAL_NUMBERS;
    let mut f = ctx.finding(
        FaultId::NumberFormatInvalid,
        if enough { 0.6 } else { SEEN_ONCE_CONFIDENCE },
        Subject::System(SystemPart::Numbers),
        t,
        vec![why],
    );
    f.advice = Some(Reason::new(MsgId::NumberFormatInternationalAdvice));
    f = f
        .alternatives(&[FaultId::NoOutboundRule, FaultId::CalleeBusyOrUnreachable])
        .detail("format", "international_00")
        .detail("numbers", numbers);
    if !enough {
        f = f.detail("seen_once", true);
    }
    Some(f)
}

/// Many different numbers refused as unknown on trunks that answered no outbound call.
fn routing(s: &SiteState, ctx: &RuleContext<'_>) -> Option<Finding> {
    let r = &s.number_refusals;
    let t = &r.all;
    let answered_out: u64 = s.trunks.iter().map(|t| t.outbound_answered).sum();
    // Only an activity log shows the calls that went through; an Event Log lists
    // failures alone, so "none answered" cannot be told from it.
    let attempts: u64 = s.trunks.iter().map(|t| t.outbound_attempts).sum();
    if r.distinct.len() < MIN_ROUTING_NUMBERS || answered_out > 0 || attempts == 0 {
        return None;
    }
    let numbers: Vec<String> = r.samples.iter().cloned().collect();
    let why = Reason::new(MsgId::NumberFormatRoutingMain)
        .with("n", t.count)
        .with("distinct", r.distinct.len())
        .with("numbers", Arg::list(&numbers))
        .with("codes", Arg::codes(t))
        .with("trunk", trunk_name(s));
    let mut f = ctx.finding(FaultId::NumberFormatInvalid, 0.55, Subject::System(SystemPart::Numbers), t, vec![why]);
    f.advice = Some(Reason::new(MsgId::NumberFormatRoutingAdvice));
    Some(
        f.alternatives(&[FaultId::NoOutboundRule, FaultId::CalleeBusyOrUnreachable])
            .detail("format", "routing")
            .detail("distinct_numbers", r.distinct.len())
            .detail("numbers", numbers),
    )
}

fn obsolete(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let t = &s.records.obsolete_numbers;
    // Calls to the same kind of number that were answered prove the format works here.
    if t.count == 0 || s.records.obsolete_answered > 0 {
        return Vec::new();
    }
    let numbers: Vec<String> = s.records.obsolete_samples.iter().cloned().collect();
    let why = Reason::new(MsgId::NumberFormatMain).with("n", t.count).with("numbers", Arg::list(&numbers));
    vec![
        ctx.finding(
            FaultId::NumberFormatInvalid,
            if t.count >= MIN_CALLS { 0.7 } else { 0.45 },
            Subject::System(SystemPart::Numbers),
            t,
            vec![why],
        )
        .alternatives(&[FaultId::NoOutboundRule, FaultId::CalleeBusyOrUnreachable])
        .detail("numbers", numbers),
    ]
}
