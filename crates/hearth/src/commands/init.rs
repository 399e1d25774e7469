//! `hearth init`: who is the brand? Candidates from the data, each with its evidence; the
//! chosen rules are written to `hearth.toml`.

use super::text::print_json;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write the suggested rules without asking.
    #[arg(long)]
    yes: bool,
    /// Print the candidates and the suggested rules as JSON (and write them with --yes).
    #[arg(long)]
    json: bool,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let s = hearth_app::init::suggest(data)?;
    if args.json {
        print_json(&serde_json::to_value(&s)?);
    } else {
        if s.brand_known > 0 {
            outln!(
                "The rules already find {} brand people (`hearth people list --role brand`).",
                s.brand_known
            );
        } else {
            outln!("Who is the brand? Nobody yet: every person counts as a member.");
        }
        outln!();
        outln!("Candidates, from the data:");
        for c in &s.candidates {
            let mark = if c.suggested { "*" } else { " " };
            outln!("  {mark} {:<14} {:<36} {}", c.kind, c.value, c.evidence);
        }
        outln!();
        if s.rules.is_empty() {
            if s.brand_known > 0 {
                outln!(
                    "Nothing to add: the rules (or platform flags) already say who the brand is."
                );
            } else {
                outln!(
                    "No rule to suggest: name the brand in hearth.toml ([roles] brand_accounts, \
                     brand_email_domains, brand_platform_roles)."
                );
            }
            return Ok(());
        }
        outln!("Suggested [roles] (the * above):");
        for r in &s.rules {
            outln!("    {r}");
        }
    }
    if s.rules.is_empty() {
        return Ok(());
    }
    let write = args.yes || (!args.json && confirm()?);
    if write {
        hearth_app::init::write_rules(data, &s.rules, &super::cli_actor())?;
        eprintln!(
            "wrote the rules to {}; `hearth report` uses them",
            data.join(hearth_app::config::CONFIG_FILE).display()
        );
    } else if !args.json {
        eprintln!("nothing written; `hearth init --yes` writes them");
    }
    Ok(())
}

/// Asks on a terminal; without one, writes nothing.
fn confirm() -> anyhow::Result<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!("Write these rules to hearth.toml? [y/N] ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}
