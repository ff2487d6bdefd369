//! Every text of a [`Report`] in one walk, so that redaction and anonymisation reach
//! each field a reader sees (JSON, text, Markdown, HTML and the ticket are all drawn
//! from these). A field added to the report must be added here; the tests in
//! `tests/hostile.rs` check the JSON after the walk and fail on any text it missed.

use super::Report;
use std::collections::BTreeMap;

/// Calls `f` on every human-readable or log-derived text of the report, map keys included.
pub fn each_mut(r: &mut Report, f: &mut dyn FnMut(&mut String)) {
    f(&mut r.summary);
    r.next_step.iter_mut().for_each(&mut *f);
    for s in [&mut r.pbx.version, &mut r.pbx.os, &mut r.pbx.fqdn].into_iter().flatten() {
        f(s);
    }
    for t in &mut r.pbx.trunks {
        f(&mut t.id);
        t.name.iter_mut().for_each(&mut *f);
    }
    for i in &mut r.inputs {
        f(&mut i.path);
        for s in [&mut i.skipped_reason, &mut i.error, &mut i.hint].into_iter().flatten() {
            f(s);
        }
        for sh in &mut i.unknown_shapes {
            f(&mut sh.example);
            f(&mut sh.shape);
        }
    }
    for x in &mut r.findings {
        for s in [&mut x.title, &mut x.subject.id, &mut x.explanation, &mut x.advice] {
            f(s);
        }
        x.subject.name.iter_mut().for_each(&mut *f);
        for e in &mut x.evidence {
            f(&mut e.path);
            f(&mut e.text);
        }
        let details = std::mem::take(&mut x.details);
        x.details = details
            .into_iter()
            .map(|(mut k, mut v)| {
                f(&mut k);
                json(&mut v, f);
                (k, v)
            })
            .collect();
    }
    if let Some(cr) = &mut r.stats.call_records {
        rekey(&mut cr.trunks, f);
    }
    for h in &mut r.timeline.hours {
        h.trunks.iter_mut().for_each(|t| f(&mut t.trunk));
    }
    r.timeline.markers.iter_mut().for_each(|m| f(&mut m.subject));
    for t in r.ticket.iter_mut().chain(r.tickets.iter_mut()) {
        f(&mut t.subject);
        f(&mut t.body);
    }
}

/// Every string of a JSON value, object keys included.
pub fn json(v: &mut serde_json::Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|v| json(v, f)),
        serde_json::Value::Object(o) => {
            let old = std::mem::take(o);
            for (mut k, mut v) in old {
                f(&mut k);
                json(&mut v, f);
                o.insert(k, v);
            }
        }
        _ => {}
    }
}

fn rekey<V>(m: &mut BTreeMap<String, V>, f: &mut dyn FnMut(&mut String)) {
    *m = std::mem::take(m)
        .into_iter()
        .map(|(mut k, v)| {
            f(&mut k);
            (k, v)
        })
        .collect();
}
