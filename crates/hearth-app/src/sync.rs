//! Listening: `hearth sync bluesky|mastodon` (and the server, on a schedule) pulls the
//! connected account's own posts with their counts, and the replies and mentions addressed to
//! it, into the store as messages of the sources `bluesky` and `mastodon`.
//!
//! A sync fetches what is new since the account's cursor (`sync_cursors`): notifications
//! newer than the newest one seen, and the account's posts back to the newest post seen
//! minus [`REFRESH_DAYS`] (their counts still move; older posts keep the counts they had).
//! The answers are written to one file of the documented shape under `DATA/sync/` and read by
//! the source's own reader through the ordinary ingest (so duplicates, erasure, text
//! measures and parent links behave exactly as for a file ingest); the file is removed once
//! the store holds its messages, and only then does the cursor move. A re-run adds nothing:
//! the same posts are duplicates (their counts updated), no notification is newer.

use crate::accounts;
use crate::ingest::Progress;
use crate::{AppError, Result};
use hearth_publish::PublishError;
use hearth_publish::bluesky::Session;
use hearth_publish::http::{Http, with_retries};
use hearth_publish::mastodon;
use hearth_store::Store;
use serde_json::{Map, Value, json};
use std::path::Path;
use std::time::Duration;

/// Days of the account's own posts re-read on each sync, for their counts.
pub const REFRESH_DAYS: i64 = 30;

/// The most pages one sync reads of a stream (a page is 100 Bluesky items or 40 Mastodon
/// ones); the rest comes with the next sync.
pub const MAX_PAGES: usize = 500;

/// How a sync runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Read the account's whole history of posts again (counts of old posts refreshed).
    pub full: bool,
    /// Calls per request before a transient failure stops the sync.
    pub attempts: u32,
    pub max_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            full: false,
            attempts: 3,
            max_wait: Duration::from_secs(60),
        }
    }
}

/// The networks a sync knows.
pub const NETWORKS: &[&str] = &["bluesky", "mastodon"];

fn now() -> i64 {
    hearth_store::now()
}

/// Syncs `network`'s connected account; what was fetched and stored.
pub fn sync(
    data: &Path,
    network: &str,
    actor: &str,
    options: &Options,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Value> {
    let accounts = accounts::load(data)?;
    let store = Store::open(data)?;
    let http = Http::default();
    let fetched = match network {
        "bluesky" => {
            let Some(a) = &accounts.bluesky else {
                crate::bail!("no Bluesky account is connected (hearth connect bluesky HANDLE)");
            };
            let session = with_retries(options.attempts, options.max_wait, || {
                Session::login(&http, &a.service, &a.identifier, &a.app_password)
            })?;
            fetch_bluesky(&store, &session, options)?
        }
        "mastodon" => {
            let Some(a) = &accounts.mastodon else {
                crate::bail!("no Mastodon account is connected (hearth connect mastodon INSTANCE)");
            };
            let account = mastodon::Account::new(&http, &a.instance, &a.token);
            fetch_mastodon(&store, &account, options)?
        }
        other => crate::bail!(
            "cannot sync {other:?}; Hearth syncs {}",
            NETWORKS.join(" and ")
        ),
    };
    drop(store);
    let dir = data.join("sync");
    std::fs::create_dir_all(&dir).map_err(|e| AppError::io("cannot create", &dir, e))?;
    let file = dir.join(format!(
        "{network}-{}.{network}.json",
        safe(&fetched.account)
    ));
    let bytes = serde_json::to_vec(&Value::Object(fetched.document))?;
    std::fs::write(&file, &bytes).map_err(|e| AppError::io("cannot write", &file, e))?;
    let summary =
        crate::ingest::ingest(data, network, std::slice::from_ref(&file), progress, actor);
    // The answers hold people's words: they live in the store (where erasure reaches them),
    // not in a file beside it.
    let _ = std::fs::remove_file(&file);
    let summary = summary?;
    let store = Store::open(data)?;
    for (stream, position) in &fetched.cursors {
        store.set_sync_cursor(network, &fetched.account, stream, position, now())?;
    }
    let out = json!({
        "network": network,
        "account": fetched.account,
        "fetched": {"posts": fetched.posts, "notifications": fetched.notifications},
        "read": summary.read(),
        "added": summary.added(),
        "duplicates": summary.duplicates(),
        "skipped": summary.skipped(),
        "parents_linked": summary.parents_linked,
        "cursors": fetched.cursors.iter().map(|(s, p)| json!({"stream": s, "position": p})).collect::<Vec<_>>(),
    });
    store.log_change(
        &hearth_store::Change::new(
            actor,
            "sync",
            &format!("{network}:{}", fetched.account),
            out.clone(),
        ),
        now(),
    )?;
    Ok(out)
}

/// One sync's answers: the document for the reader, and where the cursors go.
struct Fetched {
    account: String,
    document: Map<String, Value>,
    posts: usize,
    notifications: usize,
    cursors: Vec<(&'static str, String)>,
}

fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The horizon of the own-posts refresh: the newest post seen minus [`REFRESH_DAYS`]
/// (nothing on a first or full sync).
fn horizon(store: &Store, network: &str, account: &str, full: bool) -> Result<Option<i64>> {
    if full {
        return Ok(None);
    }
    Ok(store
        .sync_cursor(network, account, "feed")?
        .and_then(|p| p.parse::<i64>().ok())
        .map(|newest| newest - REFRESH_DAYS * 86_400))
}

fn time_of(v: &Value) -> Option<i64> {
    v.as_str().and_then(hearth_sources::text::parse_time)
}

fn fetch_bluesky(store: &Store, session: &Session, options: &Options) -> Result<Fetched> {
    let retry = |f: &dyn Fn() -> std::result::Result<_, PublishError>| {
        with_retries(options.attempts, options.max_wait, f)
    };
    let account = session.did.clone();
    // Notifications newer than the newest seen (their indexedAt, RFC 3339 from one clock).
    let seen = store.sync_cursor("bluesky", &account, "notifications")?;
    let mut notifications = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (page, next) = retry(&|| session.notifications(cursor.as_deref()))?;
        let mut done = next.is_none() || page.is_empty();
        for n in page {
            let at = n["indexedAt"].as_str().unwrap_or("").to_owned();
            if seen.as_deref().is_some_and(|s| at.as_str() <= s) {
                done = true;
                continue;
            }
            notifications.push(n);
        }
        if done {
            break;
        }
        cursor = next;
    }
    let newest_notification = notifications
        .iter()
        .filter_map(|n| n["indexedAt"].as_str())
        .max()
        .map(str::to_owned)
        .or(seen);
    // The account's posts back to the refresh horizon.
    let horizon = horizon(store, "bluesky", &account, options.full)?;
    let mut feed = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let (page, next) = retry(&|| session.author_feed(cursor.as_deref()))?;
        let mut done = next.is_none() || page.is_empty();
        for item in page {
            let t = time_of(&item["post"]["record"]["createdAt"])
                .or_else(|| time_of(&item["post"]["indexedAt"]));
            if let (Some(h), Some(t)) = (horizon, t)
                && t < h
            {
                done = true;
                continue;
            }
            feed.push(item);
        }
        if done {
            break;
        }
        cursor = next;
    }
    let newest_post = feed
        .iter()
        .filter(|i| i["post"]["author"]["did"].as_str() == Some(account.as_str()))
        .filter_map(|i| time_of(&i["post"]["record"]["createdAt"]))
        .max();
    let cursors = cursors(newest_notification, newest_post);
    let (posts, count) = (feed.len(), notifications.len());
    let mut document = Map::new();
    document.insert(
        "account".into(),
        json!({"did": account, "handle": session.handle}),
    );
    document.insert("feed".into(), Value::Array(feed));
    document.insert("notifications".into(), Value::Array(notifications));
    Ok(Fetched {
        account,
        document,
        posts,
        notifications: count,
        cursors,
    })
}

/// Where the streams' cursors go: the newest notification's marker, the newest own post's time.
fn cursors(notification: Option<String>, post: Option<i64>) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(p) = notification {
        out.push(("notifications", p));
    }
    if let Some(t) = post {
        out.push(("feed", t.to_string()));
    }
    out
}

/// Mastodon ids are numbers in strings: the larger is the newer.
fn newer(a: &str, b: &str) -> bool {
    (a.len(), a) > (b.len(), b)
}

fn fetch_mastodon(
    store: &Store,
    account: &mastodon::Account,
    options: &Options,
) -> Result<Fetched> {
    let retry = |f: &dyn Fn() -> std::result::Result<Value, PublishError>| {
        with_retries(options.attempts, options.max_wait, f)
    };
    let retry_list = |f: &dyn Fn() -> std::result::Result<Vec<Value>, PublishError>| {
        with_retries(options.attempts, options.max_wait, f)
    };
    let me = retry(&|| account.me())?;
    let Some(my_id) = me["id"].as_str().map(str::to_owned) else {
        crate::bail!("the instance did not say which account the token is");
    };
    let name = me["url"]
        .as_str()
        .or_else(|| me["acct"].as_str())
        .unwrap_or(&my_id)
        .to_owned();
    let seen = store.sync_cursor("mastodon", &name, "notifications")?;
    let mut notifications: Vec<Value> = Vec::new();
    let mut max_id: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = retry_list(&|| account.mentions(seen.as_deref(), max_id.as_deref()))?;
        if page.is_empty() {
            break;
        }
        max_id = page
            .iter()
            .filter_map(|n| n["id"].as_str())
            .min_by(|a, b| {
                if newer(a, b) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Less
                }
            })
            .map(str::to_owned);
        let full_page = page.len() >= 40;
        notifications.extend(page);
        if !full_page {
            break;
        }
    }
    let newest_notification =
        notifications
            .iter()
            .filter_map(|n| n["id"].as_str())
            .fold(seen.clone(), |best, id| match best {
                Some(b) if !newer(id, &b) => Some(b),
                _ => Some(id.to_owned()),
            });
    let horizon = horizon(store, "mastodon", &name, options.full)?;
    let mut statuses: Vec<Value> = Vec::new();
    let mut max_id: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = retry_list(&|| account.statuses(&my_id, max_id.as_deref()))?;
        if page.is_empty() {
            break;
        }
        max_id = page
            .last()
            .and_then(|s| s["id"].as_str())
            .map(str::to_owned);
        let full_page = page.len() >= 40;
        let mut done = !full_page;
        for s in page {
            if let (Some(h), Some(t)) = (horizon, time_of(&s["created_at"]))
                && t < h
            {
                done = true;
                continue;
            }
            statuses.push(s);
        }
        if done {
            break;
        }
    }
    // The statuses the replies answer, so each reply links to its parent's uri.
    let mut ids = Map::new();
    for s in &statuses {
        if let (Some(id), Some(uri)) = (s["id"].as_str(), s["uri"].as_str()) {
            ids.insert(id.to_owned(), json!(uri));
        }
    }
    let mut replied_to = Vec::new();
    for n in &notifications {
        let s = &n["status"];
        if let (Some(id), Some(uri)) = (s["id"].as_str(), s["uri"].as_str()) {
            ids.insert(id.to_owned(), json!(uri));
        }
    }
    let wanted: Vec<String> = notifications
        .iter()
        .filter_map(|n| n["status"]["in_reply_to_id"].as_str())
        .filter(|p| !ids.contains_key(*p))
        .map(str::to_owned)
        .collect();
    for p in wanted {
        if ids.contains_key(&p) {
            continue;
        }
        match retry(&|| account.status(&p)) {
            Ok(s) => {
                if let Some(uri) = s["uri"].as_str() {
                    ids.insert(p.clone(), json!(uri));
                    replied_to.push(s);
                }
            }
            // A deleted or private parent: the reply stays without one.
            Err(PublishError::Refused { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let newest_post = statuses
        .iter()
        .filter(|s| s["account"]["id"].as_str() == Some(my_id.as_str()))
        .filter_map(|s| time_of(&s["created_at"]))
        .max();
    let cursors = cursors(newest_notification, newest_post);
    let (posts, count) = (statuses.len(), notifications.len());
    let mut document = Map::new();
    document.insert("account".into(), me);
    document.insert("ids".into(), Value::Object(ids));
    document.insert("notifications".into(), Value::Array(notifications));
    document.insert("replied_to".into(), Value::Array(replied_to));
    document.insert("statuses".into(), Value::Array(statuses));
    Ok(Fetched {
        account: name,
        document,
        posts,
        notifications: count,
        cursors,
    })
}

/// Syncs every connected account (the server's schedule); one result a network.
pub fn sync_connected(data: &Path, actor: &str) -> Result<Vec<Result<Value>>> {
    let accounts = accounts::load(data)?;
    let mut out = Vec::new();
    for (network, connected) in [
        ("bluesky", accounts.bluesky.is_some()),
        ("mastodon", accounts.mastodon.is_some()),
    ] {
        if connected {
            out.push(sync(data, network, actor, &Options::default(), &mut |_| {}));
        }
    }
    Ok(out)
}

/// Where each sync stopped, for `hearth sync` and `GET /api/v1/sync`.
pub fn status_json(data: &Path) -> Result<Value> {
    let store = Store::open(data)?;
    Ok(serde_json::to_value(store.sync_cursors()?)?)
}
