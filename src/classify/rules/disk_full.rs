//! `disk_full`: the PBX's disk is full or nearly (30006), or 3CX deleted logs to make
//! room (10025).

use crate::classify::catalog::FaultId;
use crate::classify::state::SiteState;
use crate::classify::{Finding, RuleContext, Subject, SubjectKind};
use crate::i18n::Msg;

pub fn evaluate(s: &SiteState, ctx: &RuleContext<'_>) -> Vec<Finding> {
    let ev = &s.events;
    let (t, confidence, msg) = if ev.disk_full.count > 0 {
        (&ev.disk_full, 0.9, Msg::DiskFullMain)
    } else if ev.logs_deleted.count > 0 {
        // Deleting logs is 3CX coping with a disk that is getting full.
        (&ev.logs_deleted, 0.6, Msg::DiskLogsDeleted)
    } else {
        return Vec::new();
    };
    let text = ctx.msg(msg, &[("n", &t.count)]);
    vec![
        ctx.finding(FaultId::DiskFull, confidence, Subject::of(SubjectKind::System, "disk"), t, text)
            .alternatives(&[FaultId::PbxServiceFailure]),
    ]
}
