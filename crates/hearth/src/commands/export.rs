//! `hearth export --format parquet|csv|jsonl DIR`: what was written, as text or JSON.

use super::text::{ScopeArgs as Scope, print_json};
use hearth_store::export::Format;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Parquet,
    Csv,
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// File format.
    #[arg(long, value_enum, default_value = "parquet")]
    format: FormatArg,
    /// Folder to write `messages`, `people`, `interactions` and `series` into (created).
    dir: PathBuf,
    #[command(flatten)]
    scope: Scope,
    /// Leave message text out (smaller files, nothing personal beyond names).
    #[arg(long)]
    no_text: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let format = match args.format {
        FormatArg::Parquet => Format::Parquet,
        FormatArg::Csv => Format::Csv,
        FormatArg::Jsonl => Format::Jsonl,
    };
    let written = hearth_app::export::export(&loaded, &args.dir, format, !args.no_text)?;
    if args.json {
        print_json(&serde_json::json!({
            "format": format.extension(),
            "files": written.iter().map(|w| serde_json::json!({
                "table": w.table, "rows": w.rows, "path": w.path.display().to_string(),
            })).collect::<Vec<_>>(),
        }));
    } else {
        for w in &written {
            outln!("{:<13} {:>9} rows  {}", w.table, w.rows, w.path.display());
        }
    }
    Ok(())
}
