//! `hearth queue` and `queue done|snooze|assign|note|reopen ID`: the work lists as text or
//! JSON, and changes to an item's state (each one in the audit log).

use super::text::{ScopeArgs as Scope, print_json};
use hearth_app::queue::{Action, QueueQuery, kind_title};
use serde_json::Value;
use std::path::Path;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    list: ListArgs,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    scope: Scope,
    /// Only this kind: newcomer, question, lapsed, thank, introduce, or a routing queue
    /// (support, crisis, social:respond, social:amplify, community:welcome, …).
    #[arg(long)]
    kind: Option<String>,
    /// Only items assigned to this person.
    #[arg(long)]
    assignee: Option<String>,
    /// Only items in this state (done and snoozed items are then shown too).
    #[arg(long, value_parser = ["open", "done", "snoozed"])]
    state: Option<String>,
    /// Also items that are done or still snoozed.
    #[arg(long)]
    all: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// The open items (the default).
    List(ListArgs),
    /// Mark an item done.
    Done {
        id: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Hide an item until a date or for some days: `snooze ID 7` (days), `snooze ID
    /// 2026-08-01`, or `--until`/`--days`. Days count from the queue's clock, the data's last
    /// message (the "as of" the list shows).
    Snooze {
        id: String,
        /// Days (a number) or a date (YYYY-MM-DD).
        #[arg(conflicts_with_all = ["until", "days"])]
        when: Option<String>,
        #[arg(long, conflicts_with = "days")]
        until: Option<String>,
        #[arg(long)]
        days: Option<i64>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Give an item to someone (any name; "" clears).
    Assign { id: String, who: String },
    /// Attach a note ("" clears).
    Note { id: String, text: String },
    /// Open an item again.
    Reopen { id: String },
    /// Answer an item's Bluesky or Mastodon message: the reply is published now (exactly
    /// once) and the item closed with its address; with `[social] approval = "required"` it
    /// waits in review, and publishing it closes the item.
    Reply {
        id: String,
        /// The reply's text.
        #[arg(long)]
        text: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    let action = match args.command {
        None => return list(data, &args.list),
        Some(Command::List(l)) => return list(data, &l),
        Some(Command::Done { id, note }) => (id, Action::Done { note }),
        Some(Command::Snooze {
            id,
            when,
            until,
            days,
            note,
        }) => {
            let (until, days) = match when {
                Some(w) => match w.trim().parse::<i64>() {
                    Ok(d) => (None, Some(d)),
                    Err(_) => (Some(w), None),
                },
                None => (until, days),
            };
            let until = match (until, days) {
                (Some(u), _) => hearth_app::dates::parse(&u)?,
                (None, Some(d)) if d > 0 => hearth_app::queue::clock(data)? + d * 86_400,
                (None, Some(d)) => anyhow::bail!("snooze for {d} days: give 1 or more"),
                (None, None) => anyhow::bail!(
                    "snooze needs days (`snooze ID 7`) or a date (`snooze ID 2026-08-01`)"
                ),
            };
            (id, Action::Snooze { until, note })
        }
        Some(Command::Assign { id, who }) => (
            id,
            Action::Assign {
                who: (!who.is_empty()).then_some(who),
            },
        ),
        Some(Command::Note { id, text }) => (
            id,
            Action::Note {
                text: (!text.is_empty()).then_some(text),
            },
        ),
        Some(Command::Reopen { id }) => (id, Action::Reopen),
        Some(Command::Reply { id, text, json }) => return reply(data, &id, &text, json),
    };
    let (id, action) = action;
    let s = hearth_app::queue::change(data, &id, &action, &super::cli_actor())?;
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    outln!(
        "{}  {}  {}{}{}",
        text(&s["id"]),
        text(&s["status_text"]),
        text(&s["title"]),
        s["assignee"]
            .as_str()
            .map(|a| format!("  @{a}"))
            .unwrap_or_default(),
        s["note"]
            .as_str()
            .map(|n| format!("  note: {n}"))
            .unwrap_or_default(),
    );
    Ok(())
}

fn reply(data: &Path, id: &str, text: &str, json: bool) -> anyhow::Result<()> {
    let actor = hearth_app::outbox::Actor {
        name: super::cli_actor(),
        admin: true,
    };
    let v = hearth_app::outbox::reply(
        data,
        id,
        text,
        &actor,
        &hearth_app::publish::Options::default(),
    )?;
    if json {
        print_json(&v);
    } else {
        let t = |v: &Value| v.as_str().unwrap_or("").to_owned();
        match v["state"].as_str() {
            Some("published") => {
                outln!("replied: post {}  published", v["id"]);
                for u in v["publish"]["uris"].as_array().into_iter().flatten() {
                    outln!("  {}", t(u));
                }
                outln!("item {} done", t(&v["item"]));
            }
            Some("in_review") => outln!(
                "reply: post {} waits for approval (hearth post approve {}); publishing it closes item {}",
                v["id"],
                v["id"],
                t(&v["item"])
            ),
            _ => {
                outln!("reply: post {}  {}", v["id"], t(&v["state"]));
                for w in v["publish"]["waiting"].as_array().into_iter().flatten() {
                    outln!("  waits: {}", t(w));
                }
                for f in v["publish"]["failed"].as_array().into_iter().flatten() {
                    outln!("  failed: {}", t(f));
                }
            }
        }
    }
    match v["state"].as_str() {
        Some("failed") => Err(super::Exit {
            code: 3,
            message: "the reply failed: the network refused it (see its reason)".to_owned(),
        }
        .into()),
        Some("scheduled") => Err(super::Exit {
            code: 4,
            message: "the reply waits for the next publishing run (the network did not answer)"
                .to_owned(),
        }
        .into()),
        _ => Ok(()),
    }
}

fn list(data: &Path, args: &ListArgs) -> anyhow::Result<()> {
    let loaded = hearth_app::scope::load(data, &args.scope.scope())?;
    let q = QueueQuery {
        kind: args.kind.clone(),
        assignee: args.assignee.clone(),
        state: args.state.clone(),
        all: args.all,
        page: None,
    };
    let out = hearth_app::queue::list_json(&loaded, &q)?;
    if args.json {
        print_json(&out);
        return Ok(());
    }
    let items = out["items"].as_array().cloned().unwrap_or_default();
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let mut s = String::new();
    s.push_str(&format!(
        "Work queues as of {} (the data's last message; snoozes count from it) — {} items ({} done and {} snoozed hidden; --all shows them)\n",
        out["as_of"].as_str().unwrap_or("").get(..10).unwrap_or(""),
        items.len(),
        out["hidden"]["done"],
        out["hidden"]["snoozed"]
    ));
    let mut kind = String::new();
    for item in &items {
        if text(&item["kind"]) != kind {
            kind = text(&item["kind"]);
            let n = out["counts"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["kind"] == kind.as_str())
                .map_or(0, |c| c["items"].as_u64().unwrap_or(0));
            s.push_str(&format!("\n{} ({n})\n", kind_title(&kind)));
        }
        let status = match (item["status"].as_str(), item["snoozed_until"].as_str()) {
            (Some("snoozed"), Some(u)) => {
                format!("  [snoozed until {}]", u.get(..10).unwrap_or(""))
            }
            (Some("open") | None, _) => String::new(),
            (Some(st), _) => format!("  [{st}]"),
        };
        s.push_str(&format!(
            "  {}  {}{}{}\n      {}\n",
            text(&item["id"]),
            text(&item["title"]),
            status,
            item["assignee"]
                .as_str()
                .map(|a| format!("  @{a}"))
                .unwrap_or_default(),
            text(&item["why"])
        ));
        if let Some(n) = item["note"].as_str() {
            s.push_str(&format!("      note: {n}\n"));
        }
    }
    s.push_str("\nhearth queue done|snooze|assign|note|reopen ID changes an item.\n");
    out!("{s}");
    Ok(())
}
