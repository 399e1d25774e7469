//! `hearth members lapsed|helpers|introductions` as text or JSON.

use super::text::{ScopeArgs as Scope, print_json, render_text, rounded};
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Members silent much longer than their own rhythm, most involved first (outreach).
    Lapsed(ListArgs),
    /// Members who answer others most and most widely, with trend (people to thank).
    Helpers(ListArgs),
    /// Members who share threads and spaces but never talked (introductions to make).
    Introductions(ListArgs),
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    scope: Scope,
    /// How many to list.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let (kind, args) = match &command {
        Command::Lapsed(a) => ("lapsed", a),
        Command::Helpers(a) => ("helpers", a),
        Command::Introductions(a) => ("introductions", a),
    };
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let out = hearth_app::members::list(&loaded, kind, args.limit);
    if args.json {
        print_json(&out);
    } else {
        out!("{}", render_text(&rounded(out)));
    }
    Ok(())
}
