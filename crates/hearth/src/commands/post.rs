//! `hearth post draft|edit|submit|approve|schedule|list|show|cancel`, `hearth publish` and
//! `hearth connect`: the social media manager's own posts, from a draft to Bluesky and
//! Mastodon, with approval, scheduling and publishing exactly once.

use super::text::print_json;
use hearth_app::outbox::{self, Actor, Compose, Image, When};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::BufRead as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, clap::Args)]
pub struct ContentArgs {
    /// The post's text (for every network without a version of its own).
    #[arg(long, conflicts_with = "text_file")]
    text: Option<String>,
    /// Read the text from a file (`-`: standard input).
    #[arg(long)]
    text_file: Option<PathBuf>,
    /// A network to publish to: bluesky, mastodon (repeat for both; a draft without any
    /// goes to both).
    #[arg(long = "network", value_parser = ["bluesky", "mastodon"])]
    networks: Vec<String>,
    /// Bluesky's own text, where it differs ("" removes it).
    #[arg(long)]
    bluesky_text: Option<String>,
    /// Mastodon's own text, where it differs ("" removes it).
    #[arg(long)]
    mastodon_text: Option<String>,
    /// An image (PNG, JPEG, GIF or WebP, at most 1 MB; up to 4). Each needs an --alt, in
    /// the same order.
    #[arg(long = "image")]
    images: Vec<PathBuf>,
    /// Alt text of the image at the same place (what it shows, for people who cannot see
    /// it).
    #[arg(long = "alt")]
    alts: Vec<String>,
    /// Remove the post's images (edit).
    #[arg(long, conflicts_with = "images")]
    no_images: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Write a new draft.
    Draft {
        #[command(flatten)]
        content: ContentArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change a post (it goes back to draft: an approval or a time was for the old text).
    Edit {
        /// The post's number (`hearth post list`).
        id: i64,
        #[command(flatten)]
        content: ContentArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Send a draft for review.
    Submit {
        /// The post's number (`hearth post list`).
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a post in review (with `[social] approval = "required"`: an admin or a named
    /// approver, never its author).
    Approve {
        /// The post's number (`hearth post list`).
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Schedule a post: at a time in the brand's zone ("2026-12-08 14:00") or RFC 3339, or
    /// at the best time the best-time analysis suggests (--best).
    Schedule {
        /// The post's number (`hearth post list`).
        id: i64,
        /// "YYYY-MM-DD HH:MM" in the brand's zone ([brand] utc_offset), or RFC 3339.
        #[arg(required_unless_present_any = ["best", "now"])]
        at: Option<String>,
        /// The next start of the best weekday × hour slot (told with its sample size).
        #[arg(long, conflicts_with_all = ["at", "now"])]
        best: bool,
        /// Due at once: the next `hearth publish` sends it.
        #[arg(long, conflicts_with = "at")]
        now: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The posts, newest first.
    List {
        /// Only posts in this state.
        #[arg(long, value_parser = ["draft", "in_review", "approved", "scheduled", "published", "failed", "cancelled"])]
        state: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One post: its text as each network gets it, length and limit, images, time,
    /// deliveries.
    Show {
        /// The post's number (`hearth post list`).
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Cancel a post that is not published yet.
    Cancel {
        /// The post's number (`hearth post list`).
        id: i64,
        /// Why (kept with the post and in the audit log).
        #[arg(long)]
        reason: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Exit codes of `hearth publish`.
pub const PUBLISH_EXIT_CODES: &str = "Exit codes: 0 every due post published (or none due); \
     1 error; 3 a post failed (the network refused it: see its reason); 4 a post waits for the \
     next run (the network did not answer or asked to slow down).";

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// Calls per request before a failure that may pass is left for the next run.
    #[arg(long, default_value_t = 3)]
    attempts: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum ConnectCommand {
    /// A Bluesky account: its handle and an app password (Settings → App passwords),
    /// asked for or read as one line from standard input.
    Bluesky {
        /// The handle (brand.bsky.social) or DID.
        handle: String,
        /// The account's PDS.
        #[arg(long, default_value = "https://bsky.social")]
        service: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// A Mastodon account: its instance and an access token with write:statuses and
    /// write:media (Preferences → Development), asked for or read from standard input.
    Mastodon {
        /// The instance (https://mastodon.social).
        instance: String,
        #[arg(long)]
        token_stdin: bool,
    },
    /// The connected accounts (never their secrets).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Forget a network's account and its secret.
    Remove {
        #[arg(value_parser = ["bluesky", "mastodon"])]
        network: String,
    },
}

fn actor() -> Actor {
    Actor {
        name: super::cli_actor(),
        admin: true,
    }
}

fn compose(c: ContentArgs) -> anyhow::Result<Compose> {
    let text = match (c.text, c.text_file) {
        (Some(t), _) => Some(t),
        (None, Some(p)) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            Some(s.trim_end_matches('\n').to_owned())
        }
        (None, Some(p)) => Some(
            std::fs::read_to_string(&p)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", p.display()))?
                .trim_end_matches('\n')
                .to_owned(),
        ),
        (None, None) => None,
    };
    if c.images.len() != c.alts.len() {
        anyhow::bail!(
            "{} images and {} alt texts: give each --image its --alt, in the same order",
            c.images.len(),
            c.alts.len()
        );
    }
    let images = if c.no_images {
        Some(Vec::new())
    } else if c.images.is_empty() {
        None
    } else {
        Some(
            c.images
                .iter()
                .zip(&c.alts)
                .map(|(p, a)| Image::read(p, a))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    let mut versions = BTreeMap::new();
    if let Some(t) = c.bluesky_text {
        versions.insert("bluesky".to_owned(), t);
    }
    if let Some(t) = c.mastodon_text {
        versions.insert("mastodon".to_owned(), t);
    }
    Ok(Compose {
        text,
        networks: (!c.networks.is_empty()).then_some(c.networks),
        versions,
        images,
    })
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn print_post(p: &Value) {
    outln!(
        "post {}  {}  by {}{}",
        p["id"],
        s(&p["state"]),
        s(&p["author"]),
        p["approved_by"]
            .as_str()
            .map(|a| format!(", approved by {a}"))
            .unwrap_or_default()
    );
    if let Some(at) = p["scheduled_at"].as_str() {
        outln!("  scheduled {at}");
    }
    if let Some(n) = p["schedule_note"].as_str() {
        outln!("  {n}");
    }
    if let Some(r) = p["reason"].as_str() {
        outln!("  reason: {r}");
    }
    for r in p["renders"].as_array().into_iter().flatten() {
        outln!(
            "  {:<9} {:>4} / {:<4} {}",
            s(&r["network"]),
            r["length"],
            r["limit"],
            if r["fits"].as_bool() == Some(true) {
                "fits"
            } else {
                "TOO LONG"
            }
        );
        for line in s(&r["text"]).lines() {
            outln!("            {line}");
        }
    }
    for i in p["images"].as_array().into_iter().flatten() {
        outln!(
            "  image {} ({}, {} bytes): alt \"{}\"",
            s(&i["file"]),
            s(&i["type"]),
            i["bytes"],
            s(&i["alt"])
        );
    }
    for d in p["deliveries"].as_array().into_iter().flatten() {
        outln!(
            "  {} as {}: {}{}{}",
            s(&d["network"]),
            s(&d["account"]),
            s(&d["state"]),
            d["uri"]
                .as_str()
                .map(|u| format!("  {u}"))
                .unwrap_or_default(),
            d["error"]
                .as_str()
                .map(|e| format!("  ({e})"))
                .unwrap_or_default()
        );
    }
    for problem in p["problems"].as_array().into_iter().flatten() {
        outln!("  problem: {}", s(problem));
    }
}

fn show(v: &Value, json: bool) {
    if json {
        print_json(v);
    } else {
        print_post(v);
    }
}

pub fn run(data: &Path, command: Command) -> anyhow::Result<()> {
    let who = actor();
    match command {
        Command::Draft { content, json } => {
            show(&outbox::draft(data, compose(content)?, &who)?, json);
        }
        Command::Edit { id, content, json } => {
            show(&outbox::edit(data, id, compose(content)?, &who)?, json);
        }
        Command::Submit { id, json } => show(&outbox::submit(data, id, &who)?, json),
        Command::Approve { id, json } => show(&outbox::approve(data, id, &who)?, json),
        Command::Schedule {
            id,
            at,
            best,
            now,
            json,
        } => {
            let when = if best {
                When::Best
            } else if now {
                When::At(
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64),
                )
            } else {
                let config = hearth_app::config::load(data)?;
                When::At(outbox::parse_time(&config, at.as_deref().unwrap_or(""))?)
            };
            show(&outbox::schedule(data, id, when, &who)?, json);
        }
        Command::List { state, json } => {
            let v = outbox::list_json(data, state.as_deref())?;
            if json {
                print_json(&v);
                return Ok(());
            }
            let posts = v["posts"].as_array().cloned().unwrap_or_default();
            if posts.is_empty() {
                outln!(
                    "no posts{}",
                    state.map(|s| format!(" {s}")).unwrap_or_default()
                );
            }
            for p in &posts {
                let first: String = s(&p["text"]).chars().take(50).collect();
                let first = first.replace(['\n', '\r'], " ");
                outln!(
                    "{:>4}  {:<10} {:<16} {:<26} {}",
                    p["id"],
                    s(&p["state"]),
                    p["networks"]
                        .as_array()
                        .map(|a| a.iter().map(s).collect::<Vec<_>>().join(","))
                        .unwrap_or_default(),
                    p["scheduled_at"].as_str().unwrap_or("-"),
                    first
                );
            }
        }
        Command::Show { id, json } => show(&outbox::show_json(data, id)?, json),
        Command::Cancel { id, reason, json } => {
            show(&outbox::cancel(data, id, reason.as_deref(), &who)?, json);
        }
    }
    Ok(())
}

pub fn run_publish(data: &Path, args: PublishArgs) -> anyhow::Result<()> {
    let options = hearth_app::publish::Options {
        attempts: args.attempts.max(1),
        ..Default::default()
    };
    let v = hearth_app::publish::publish_due(data, &actor(), &options)?;
    let posts = v["posts"].as_array().cloned().unwrap_or_default();
    if args.json {
        print_json(&v);
    } else if posts.is_empty() {
        outln!("nothing is due");
    } else {
        for p in &posts {
            outln!("post {}  {}", p["id"], s(&p["state"]));
            for u in p["uris"].as_array().into_iter().flatten() {
                outln!("  {}", s(u));
            }
            for w in p["waiting"].as_array().into_iter().flatten() {
                outln!("  waits: {}", s(w));
            }
            for f in p["failed"].as_array().into_iter().flatten() {
                outln!("  failed: {}", s(f));
            }
        }
    }
    let state = |st: &str| posts.iter().any(|p| p["state"] == st);
    if state("failed") {
        return Err(super::Exit {
            code: 3,
            message: "a post failed: the network refused it (see its reason)".to_owned(),
        }
        .into());
    }
    if state("scheduled") {
        return Err(super::Exit {
            code: 4,
            message: "a post waits for the next run: the network did not take it yet".to_owned(),
        }
        .into());
    }
    Ok(())
}

fn secret(prompt: &str, from_stdin: bool) -> anyhow::Result<String> {
    let s = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        rpassword::prompt_password(prompt)?
    };
    if s.is_empty() {
        anyhow::bail!("no secret given");
    }
    Ok(s)
}

pub fn run_connect(data: &Path, command: ConnectCommand) -> anyhow::Result<()> {
    let who = super::cli_actor();
    let v = match command {
        ConnectCommand::Bluesky {
            handle,
            service,
            password_stdin,
        } => {
            let p = secret(&format!("App password for {handle}: "), password_stdin)?;
            hearth_app::accounts::connect_bluesky(data, &service, &handle, &p, &who)?
        }
        ConnectCommand::Mastodon {
            instance,
            token_stdin,
        } => {
            let t = secret(&format!("Access token for {instance}: "), token_stdin)?;
            hearth_app::accounts::connect_mastodon(data, &instance, &t, &who)?
        }
        ConnectCommand::List { json } => {
            let v = hearth_app::accounts::to_json(&hearth_app::accounts::load(data)?);
            if json {
                print_json(&v);
                return Ok(());
            }
            v
        }
        ConnectCommand::Remove { network } => {
            hearth_app::accounts::disconnect(data, &network, &who)?
        }
    };
    match &v["bluesky"] {
        Value::Null => outln!("bluesky   not connected"),
        b => outln!("bluesky   {} on {}", s(&b["handle"]), s(&b["service"])),
    }
    match &v["mastodon"] {
        Value::Null => outln!("mastodon  not connected"),
        m => outln!(
            "mastodon  {} (limit {} characters)",
            s(&m["account"]),
            m["max_characters"]
        ),
    }
    Ok(())
}
