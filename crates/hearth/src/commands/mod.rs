//! One module a command.

pub mod audit;
pub mod check_job;
pub mod demo;
pub mod eval;
pub mod explain;
pub mod export;
pub mod html;
pub mod ingest;
pub mod members;
pub mod metrics;
pub mod people;
pub mod queue;
pub mod report;
pub mod route;
pub mod scope;
pub mod social;

/// How to talk to the person at the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Draw progress bars (they draw only when stderr is a terminal).
    pub progress: bool,
}

/// The store's snapshot with accounts joined into persons by the identity rules; problems
/// in the rules are printed as warnings.
pub fn resolved_snapshot(
    store: &hearth_store::Store,
    config: &hearth_model::Config,
) -> anyhow::Result<hearth_model::Snapshot> {
    let (mut snapshot, problems) =
        hearth_analysis::identity::resolve(store.snapshot()?, &config.identity);
    config.replies.apply(&mut snapshot);
    for p in problems {
        eprintln!("warning: {p}");
    }
    Ok(snapshot)
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
