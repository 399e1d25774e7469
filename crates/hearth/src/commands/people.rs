//! `hearth people list|show|merge|split|erase`: who got which role, and why; erasure on
//! request.

use super::text::{clean, print_json};
use serde_json::Value;
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Everyone, with role, the rule that decided it and message count; brand first.
    List {
        /// Only this role.
        #[arg(long, value_parser = ["brand", "member", "bot"])]
        role: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// One person (by name, address or account id; case-insensitive substring): role and why.
    Show {
        name: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record that two accounts are one person (`source:id`, or a name that finds one account).
    Merge {
        first: String,
        second: String,
        /// Why, kept as the merge's evidence.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Detach an account from the person it is joined to (rules and earlier merges no longer
    /// join it; nothing is deleted). Undo with `people merge`.
    Split {
        account: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Erase a person on request (right to erasure): accounts, names, addresses and the text
    /// of their messages leave the store, its free pages, the snapshot cache, queue states
    /// and the audit log (which keeps "erased person N, by whom, when"). Their messages stay
    /// as anonymous textless records so others' numbers do not move, unless
    /// --drop-messages. A re-ingest keeps them erased. Asks for confirmation unless --yes.
    Erase {
        /// The person id (from `people list`/`show`) or what names exactly one person.
        person: String,
        /// Do not ask; needed when standard input is not a terminal.
        #[arg(long)]
        yes: bool,
        /// Delete their messages too (replies to them become orphan replies).
        #[arg(long)]
        drop_messages: bool,
        /// Print what was erased as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let actor = super::cli_actor();
    match command {
        Command::Merge {
            first,
            second,
            note,
        } => {
            let out = hearth_app::people::merge(data, &first, &second, &note, &actor)?;
            outln!(
                "merged account {} and account {}",
                out["merged"][0],
                out["merged"][1]
            );
        }
        Command::Split { account, note } => {
            let out = hearth_app::people::split(data, &account, &note, &actor)?;
            outln!("account {} now stands alone", out["split"]);
        }
        Command::Erase {
            person,
            yes,
            drop_messages,
            json,
        } => {
            if !yes {
                confirm_erase(data, &person)?;
            }
            let out = hearth_app::people::erase(data, &person, drop_messages, &actor)?;
            if json {
                print_json(&out);
            } else {
                outln!(
                    "erased person {} (now \"erased person {}\"): {} accounts, {} messages {}, \
                     {} other messages scrubbed of them, {} queue states and {} audit rows removed",
                    out["person"],
                    out["erasure"],
                    out["accounts"],
                    out["messages"],
                    if drop_messages {
                        "deleted"
                    } else {
                        "kept anonymous and textless"
                    },
                    out["messages_scrubbed"],
                    out["queue_states_removed"],
                    out["audit_rows_removed"],
                );
                for place in out["still_named_in"].as_array().into_iter().flatten() {
                    eprintln!(
                        "warning: {} still names them; edit it by hand",
                        clean(place.as_str().unwrap_or(""))
                    );
                }
            }
        }
        Command::List { role, json } => {
            let out = hearth_app::people::list(data, role.as_deref())?;
            if json {
                print_json(&out);
            } else {
                outln!(
                    "{:<7} {:>6}  {:<32} {:<40} why",
                    "role",
                    "msgs",
                    "name",
                    "account"
                );
                for r in out.as_array().into_iter().flatten() {
                    let account = r["accounts"][0]["id"].as_str().unwrap_or("");
                    outln!(
                        "{:<7} {:>6}  {:<32} {:<40} {}",
                        r["role"].as_str().unwrap_or(""),
                        r["messages"].as_u64().unwrap_or(0),
                        truncate(&clean(r["name"].as_str().unwrap_or("")), 32),
                        truncate(&clean(account), 40),
                        clean(r["why"].as_str().unwrap_or(""))
                    );
                }
            }
        }
        Command::Show { name, json } => {
            let out = hearth_app::people::show(data, &name)?;
            if json {
                print_json(&out);
            } else {
                for r in out.as_array().into_iter().flatten() {
                    show_text(r);
                }
            }
        }
    }
    Ok(())
}

fn show_text(r: &Value) {
    let s = |v: &Value| clean(v.as_str().unwrap_or(""));
    outln!("{} (person {})", s(&r["name"]), r["person"]);
    outln!("  role: {} — {}", s(&r["role"]), s(&r["why"]));
    outln!(
        "  messages: {} ({} to {})",
        r["messages"],
        s(&r["first_message"]),
        s(&r["last_message"])
    );
    for a in r["accounts"].as_array().into_iter().flatten() {
        outln!("  account: {}:{}", s(&a["source"]), s(&a["id"]));
    }
    for why in r["merged_because"].as_array().into_iter().flatten() {
        outln!("  joined because: {}", s(why));
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// Shows who would be erased and asks for their person id back; refuses without a terminal.
fn confirm_erase(data: &Path, person: &str) -> anyhow::Result<()> {
    use std::io::{BufRead, IsTerminal, Write};
    let preview = hearth_app::people::erase_preview(data, person)?;
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "erasing person {} cannot be undone; add --yes to erase without a prompt",
            preview["person"]
        );
    }
    show_text(&preview);
    eprint!(
        "This cannot be undone. Type the person id ({}) to erase them: ",
        preview["person"]
    );
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let id = preview["person"].as_i64().map(|n| n.to_string());
    if id.as_deref() != Some(line.trim()) {
        anyhow::bail!("not confirmed; nothing erased");
    }
    Ok(())
}
