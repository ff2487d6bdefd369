//! The `check` entry point: inputs → [`pipeline`](crate::pipeline) → classification →
//! report. Kept as the library's front door: `cxtriage::check` and `CheckOptions`.

use crate::classify::{Classifier, RuleContext};
use crate::error::Error;
use crate::input::Plan;
use crate::report::{self, Report};

pub use crate::options::{CHUNK_SIZE, CheckOptions};
pub use crate::pipeline::{InputOutcome, Observer, plan_inputs};

/// Runs the whole analysis.
pub fn check(opts: &CheckOptions) -> Result<Report, Error> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = opts.threads {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| run(opts))
}

/// [`check`] on the current rayon pool (batch runs many cases on one pool).
pub fn run(opts: &CheckOptions) -> Result<Report, Error> {
    let mut classifier = Classifier::new(opts.evidence);
    let (plans, outcomes) = read_inputs(opts, &mut classifier)?;
    let paths: Vec<String> = plans.iter().map(|p| p.path.clone()).collect();
    let ctx = RuleContext { evidence_cap: opts.evidence, paths: &paths };
    let analysis = classifier.finish(&ctx);
    Ok(report::build(opts, &plans, &outcomes, &analysis))
}

/// Reads every input in order and hands each event to `observer`; returns what was
/// read of each input. An error when no input is readable (the message names them).
pub fn read_inputs(opts: &CheckOptions, observer: &mut dyn Observer) -> Result<(Vec<Plan>, Vec<InputOutcome>), Error> {
    read_plans(opts, plan_inputs(opts), observer)
}

/// [`read_inputs`] of inputs already planned by [`plan_inputs`].
pub fn read_plans(
    opts: &CheckOptions,
    plans: Vec<Plan>,
    observer: &mut dyn Observer,
) -> Result<(Vec<Plan>, Vec<InputOutcome>), Error> {
    if plans.iter().all(|p| p.skipped.is_some()) {
        return Err(Error::NoInput(report::no_input_message_for(opts.lang, &plans, &opts.paths)));
    }
    Ok(crate::pipeline::read_plans(opts, plans, observer))
}
