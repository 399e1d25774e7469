//! One module a command.

pub mod demo;
pub mod ingest;
pub mod people;
pub mod report;

/// How to talk to the person at the terminal.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    /// Draw progress bars (they draw only when stderr is a terminal).
    pub progress: bool,
}

/// Prints `value` as pretty JSON on stdout.
pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
