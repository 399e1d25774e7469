//! Publishing what is due, exactly once.
//!
//! For each scheduled post whose time has come, and each of its networks:
//! 1. a delivery already `sent` is left alone (a re-run publishes nothing);
//! 2. a delivery left `sending` (a run stopped between the request and its record) is
//!    first looked up on the network under its key (Bluesky: `getRecord` of the record key
//!    Hearth chose; Mastodon: the same `Idempotency-Key` again, which the instance answers
//!    with the status it already made) and only sent again if the network has nothing;
//! 3. a new delivery gets its key and its exact request written to the store **before** the
//!    request goes out.
//!
//! Transient failures (no answer, 5xx) are tried again with backoff (1 s, 2 s, 4 s); a rate
//! limit waits its `Retry-After` when that is short and otherwise leaves the post for the
//! next run; a refusal (4xx) fails the post with the network's own message. When every
//! network has it, the post is `published`. Each outcome is one audit-log entry.

use crate::accounts::{self, Accounts};
use crate::outbox::{self, Actor};
use crate::{AppError, Result};
use hearth_model::Config;
use hearth_publish::PublishError;
use hearth_publish::bluesky::{self, Session};
use hearth_publish::http::{Http, with_retries};
use hearth_publish::mastodon;
use hearth_store::outbox::{Delivery, OutboxPost};
use hearth_store::{Change, Store};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

/// How hard one run tries.
#[derive(Debug, Clone)]
pub struct Options {
    /// Calls per request before a transient failure is left for the next run.
    pub attempts: u32,
    /// The longest `Retry-After` waited for within the run.
    pub max_wait: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            attempts: 3,
            max_wait: Duration::from_secs(60),
        }
    }
}

/// The lock file that keeps two publishing runs apart, in the data directory.
pub const LOCK_FILE: &str = "publish.lock";

/// Set to `after-send` (tests only), a run stops dead right after a network took a request
/// and before the store records it: the crash that exactly-once has to survive.
pub const FAULT_ENV: &str = "HEARTH_FAULT";

fn crash_point() {
    if std::env::var(FAULT_ENV).as_deref() == Ok("after-send") {
        tracing::error!("{FAULT_ENV}=after-send: stopping between the request and its record");
        std::process::abort();
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn rfc3339_ms(t: std::time::SystemTime) -> String {
    let d: chrono::DateTime<chrono::Utc> = t.into();
    d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// What became of one network's delivery in this run.
enum Outcome {
    Sent,
    /// Try again next run (transient failure or a long rate limit).
    Later(String),
    /// Refused for good.
    Failed(String),
}

struct Run<'a> {
    data: &'a Path,
    store: &'a Store,
    config: &'a Config,
    accounts: Accounts,
    http: Http,
    options: &'a Options,
    bluesky: Option<Session>,
}

/// Publishes every scheduled post whose time has come; what happened, post by post.
pub fn publish_due(data: &Path, actor: &Actor, options: &Options) -> Result<Value> {
    publish(data, None, actor, options)
}

/// Publishes post `id` now if it is scheduled and due (a reply from the queue); what
/// happened to it.
pub fn publish_one(data: &Path, id: i64, actor: &Actor, options: &Options) -> Result<Value> {
    let v = publish(data, Some(id), actor, options)?;
    Ok(v["posts"].get(0).cloned().unwrap_or(Value::Null))
}

fn publish(data: &Path, only: Option<i64>, actor: &Actor, options: &Options) -> Result<Value> {
    let config = crate::config::load(data)?;
    let store = hearth_store::Store::open(data)?;
    // One run at a time (the server's own and `hearth publish` may meet): the second waits
    // for the first, then finds what it sent already sent.
    let lock_path = data.join(LOCK_FILE);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| AppError::io("cannot open", &lock_path, e))?;
    lock.lock()
        .map_err(|e| AppError::io("cannot lock", &lock_path, e))?;
    let due: Vec<i64> = store
        .outbox_due(now())?
        .into_iter()
        .filter(|id| only.is_none_or(|o| o == *id))
        .collect();
    let mut run = Run {
        data,
        store: &store,
        config: &config,
        accounts: accounts::load(data)?,
        http: Http::default(),
        options,
        bluesky: None,
    };
    let mut report = Vec::new();
    for id in due {
        let Some(post) = store.outbox_post(id)? else {
            continue;
        };
        match run.post(&post, actor) {
            Ok(v) => report.push(v),
            // Cancelled or edited while it was being sent: what went out is recorded in its
            // deliveries; the other due posts still go.
            Err(AppError::Conflict(m)) => {
                tracing::warn!("{m}");
                report.push(json!({"id": id, "state": "changed", "sent": [], "uris": [], "waiting": [], "failed": [m]}));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(json!({"due": report.len(), "posts": report}))
}

impl Run<'_> {
    fn post(&mut self, post: &OutboxPost, actor: &Actor) -> Result<Value> {
        let mut sent = Vec::new();
        let mut later = Vec::new();
        let mut failed = Vec::new();
        for network in &post.networks {
            let existing = self
                .store
                .deliveries(post.id)?
                .into_iter()
                .find(|d| &d.network == network);
            let outcome = match network.as_str() {
                "bluesky" => self.bluesky(post, existing)?,
                "mastodon" => self.mastodon(post, existing)?,
                other => Outcome::Failed(format!("unknown network {other}")),
            };
            match outcome {
                Outcome::Sent => sent.push(network.clone()),
                Outcome::Later(m) => later.push(format!("{network}: {m}")),
                Outcome::Failed(m) => failed.push(format!("{network}: {m}")),
            }
        }
        let deliveries = self.store.deliveries(post.id)?;
        let uris: Vec<&str> = deliveries.iter().filter_map(|d| d.uri.as_deref()).collect();
        let state = if !failed.is_empty() {
            "failed"
        } else if later.is_empty() {
            "published"
        } else {
            "scheduled"
        };
        if state != "scheduled" {
            let mut p = post.clone();
            p.state = state.to_owned();
            p.reason = (!failed.is_empty()).then(|| failed.join("; "));
            p.updated_at = now();
            let change = Change::new(
                &actor.name,
                if state == "published" {
                    "post.publish"
                } else {
                    "post.fail"
                },
                &format!("post:{}", post.id),
                json!({"sent": sent, "uris": uris, "failed": failed}),
            );
            if !self
                .store
                .update_outbox_post(&p, "scheduled", None, &change)?
            {
                return Err(AppError::Conflict(format!(
                    "post {} changed while it was being published",
                    post.id
                )));
            }
            if state == "published"
                && let Some(key) = &post.queue_key
            {
                self.close_item(key, post.id, &uris, actor)?;
            }
        }
        Ok(json!({
            "id": post.id,
            "state": state,
            "sent": sent,
            "uris": uris,
            "waiting": later,
            "failed": failed,
        }))
    }

    /// The queue item a reply answered: done, with the reply's address as its note.
    fn close_item(&self, key: &str, id: i64, uris: &[&str], actor: &Actor) -> Result<()> {
        let note = format!("answered by post {id}: {}", uris.join(" "));
        let change = hearth_store::QueueChange {
            status: Some("done".to_owned()),
            snoozed_until: Some(None),
            note: Some(Some(note.clone())),
            ..Default::default()
        };
        let audit = Change::new(
            &actor.name,
            "queue.done",
            key,
            json!({"note": note, "post": id}),
        );
        // Its own connection: the run holds the store shared.
        let mut store = hearth_store::Store::open(self.data)?;
        store.update_queue_state(key, &change, now(), &audit)?;
        Ok(())
    }

    fn record(&self, d: &Delivery) -> Result<()> {
        self.store.put_delivery(d)?;
        Ok(())
    }

    /// Records the network's answer to the delivery's request: sent, with its address and
    /// id, or what the failure means.
    fn conclude(
        &self,
        mut d: Delivery,
        sent: std::result::Result<(String, String), PublishError>,
    ) -> Result<Outcome> {
        match sent {
            Ok((uri, id)) => {
                crash_point();
                d.state = "sent".to_owned();
                d.uri = Some(uri);
                d.remote_id = Some(id);
                d.error = None;
                d.attempts += 1;
                d.updated_at = now();
                self.record(&d)?;
                Ok(Outcome::Sent)
            }
            Err(e) => self.settle(d, e),
        }
    }

    /// What a failed call means for the delivery.
    fn settle(&self, mut d: Delivery, e: PublishError) -> Result<Outcome> {
        d.attempts += 1;
        d.error = Some(e.to_string());
        d.updated_at = now();
        if e.is_transient() {
            // Still `sending` if the request may have gone out: the next run asks first.
            self.record(&d)?;
            Ok(Outcome::Later(e.to_string()))
        } else {
            d.state = "failed".to_owned();
            self.record(&d)?;
            Ok(Outcome::Failed(e.to_string()))
        }
    }

    fn login(&mut self) -> std::result::Result<(), PublishError> {
        if self.bluesky.is_none() {
            let Some(account) = &self.accounts.bluesky else {
                return Err(PublishError::Permanent(
                    "no Bluesky account is connected (hearth connect bluesky)".to_owned(),
                ));
            };
            let (http, opts) = (&self.http, self.options);
            let session = with_retries(opts.attempts, opts.max_wait, || {
                Session::login(
                    http,
                    &account.service,
                    &account.identifier,
                    &account.app_password,
                )
            })?;
            self.bluesky = Some(session);
        }
        Ok(())
    }

    fn bluesky(&mut self, post: &OutboxPost, existing: Option<Delivery>) -> Result<Outcome> {
        if existing.as_ref().is_some_and(|d| d.state == "sent") {
            return Ok(Outcome::Sent);
        }
        let (attempts, max_wait) = (self.options.attempts, self.options.max_wait);
        match self.login() {
            Ok(()) => {}
            Err(e) if e.is_transient() => return Ok(Outcome::Later(e.to_string())),
            Err(e) => return Ok(Outcome::Failed(e.to_string())),
        }
        let Some(session) = self.bluesky.as_ref() else {
            return Ok(Outcome::Failed("no Bluesky session".to_owned()));
        };
        let media = self.store.outbox_media(post.id)?;
        let upload = |session: &Session| -> std::result::Result<Vec<bluesky::Image>, PublishError> {
            media
                .iter()
                .map(|m| {
                    let blob = with_retries(attempts, max_wait, || {
                        session.upload_blob(&m.mime, &m.bytes)
                    })?;
                    Ok(bluesky::Image {
                        blob,
                        alt: m.alt.clone(),
                        aspect: bluesky::dimensions(&m.bytes),
                    })
                })
                .collect()
        };
        let d = match existing.filter(|d| d.state == "sending") {
            Some(d) => {
                // A run stopped after it wrote the key: does the network have the post?
                match with_retries(attempts, max_wait, || session.get_record(&d.key)) {
                    Ok(Some((w, _))) => {
                        let d = Delivery {
                            state: "sent".to_owned(),
                            uri: Some(w.uri),
                            remote_id: Some(w.cid),
                            error: None,
                            updated_at: now(),
                            ..d
                        };
                        self.record(&d)?;
                        return Ok(Outcome::Sent);
                    }
                    Ok(None) => {}
                    Err(e) => return self.settle(d, e),
                }
                // Not there: the same record again (its images uploaded again give the
                // same blob references).
                if let Err(e) = upload(session) {
                    return self.settle(d, e);
                }
                d
            }
            None => {
                let images = match upload(session) {
                    Ok(i) => i,
                    Err(e) if e.is_transient() => return Ok(Outcome::Later(e.to_string())),
                    Err(e) => return Ok(Outcome::Failed(e.to_string())),
                };
                let rendered =
                    outbox::renders(self.config, post, self.config.social.mastodon_characters)
                        .into_iter()
                        .find(|r| r.network == "bluesky")
                        .ok_or_else(|| {
                            crate::invalid!("post {} does not go to bluesky", post.id)
                        })?;
                let mut dids = std::collections::BTreeMap::new();
                for m in &rendered.mentions {
                    if let Ok(Some(did)) = session.resolve_handle(&m.value) {
                        dids.insert(m.value.clone(), did);
                    }
                }
                let clock = std::time::SystemTime::now();
                let micros = clock
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_micros() as u64);
                let mut seed = [0u8; 2];
                getrandom::fill(&mut seed).map_err(|e| crate::invalid!("no randomness: {e}"))?;
                let reply = match post
                    .reply_to
                    .as_deref()
                    .and_then(|r| r.strip_prefix("bluesky:"))
                {
                    None => None,
                    Some(uri) => {
                        match with_retries(attempts, max_wait, || session.get_posts(&[uri])) {
                            Ok(found) => match found.first().and_then(bluesky::reply_ref) {
                                Some(r) => Some(r),
                                None => {
                                    return Ok(Outcome::Failed(format!(
                                        "the post it answers ({uri}) is gone or hidden"
                                    )));
                                }
                            },
                            Err(e) if e.is_transient() => return Ok(Outcome::Later(e.to_string())),
                            Err(e) => return Ok(Outcome::Failed(e.to_string())),
                        }
                    }
                };
                let record = bluesky::post_record(
                    &rendered,
                    &rfc3339_ms(clock),
                    &dids,
                    &images,
                    reply.as_ref(),
                );
                let t = now();
                let d = Delivery {
                    post_id: post.id,
                    network: "bluesky".to_owned(),
                    account: session.handle.clone(),
                    key: bluesky::tid(micros, u16::from_le_bytes(seed)),
                    state: "sending".to_owned(),
                    request: record.to_string(),
                    created_at: t,
                    updated_at: t,
                    ..Delivery::default()
                };
                // The key and the exact record are kept before the request goes out.
                self.record(&d)?;
                d
            }
        };
        let record: Value = serde_json::from_str(&d.request)?;
        let sent = with_retries(attempts, max_wait, || session.create_at(&d.key, &record));
        self.conclude(d, sent.map(|w| (w.uri, w.cid)))
    }

    fn mastodon(&mut self, post: &OutboxPost, existing: Option<Delivery>) -> Result<Outcome> {
        if existing.as_ref().is_some_and(|d| d.state == "sent") {
            return Ok(Outcome::Sent);
        }
        let Some(acc) = &self.accounts.mastodon else {
            return Ok(Outcome::Failed(
                "no Mastodon account is connected (hearth connect mastodon)".to_owned(),
            ));
        };
        let (attempts, max_wait) = (self.options.attempts, self.options.max_wait);
        let account = mastodon::Account::new(&self.http, &acc.instance, &acc.token);
        let name = acc.account.clone().unwrap_or_default();
        let limit = acc
            .max_characters
            .unwrap_or(self.config.social.mastodon_characters);
        let d = match existing.filter(|d| d.state == "sending") {
            // The same key and body again: the instance answers with the status it made.
            Some(d) => d,
            None => {
                let media = self.store.outbox_media(post.id)?;
                let mut ids = Vec::new();
                for m in &media {
                    match with_retries(attempts, max_wait, || {
                        account.upload_media(&m.file_name, &m.mime, &m.bytes, &m.alt)
                    }) {
                        Ok(id) => ids.push(id),
                        Err(e) if e.is_transient() => return Ok(Outcome::Later(e.to_string())),
                        Err(e) => return Ok(Outcome::Failed(e.to_string())),
                    }
                }
                let rendered = outbox::renders(self.config, post, limit)
                    .into_iter()
                    .find(|r| r.network == "mastodon")
                    .ok_or_else(|| crate::invalid!("post {} does not go to mastodon", post.id))?;
                let in_reply_to = match post
                    .reply_to
                    .as_deref()
                    .and_then(|r| r.strip_prefix("mastodon:"))
                {
                    None => None,
                    Some(uri) => {
                        match with_retries(attempts, max_wait, || account.status_id_of(uri)) {
                            Ok(Some(id)) => Some(id),
                            Ok(None) => {
                                return Ok(Outcome::Failed(format!(
                                    "the status it answers ({uri}) is gone or hidden"
                                )));
                            }
                            Err(e) if e.is_transient() => return Ok(Outcome::Later(e.to_string())),
                            Err(e) => return Ok(Outcome::Failed(e.to_string())),
                        }
                    }
                };
                let mut seed = [0u8; 8];
                getrandom::fill(&mut seed).map_err(|e| crate::invalid!("no randomness: {e}"))?;
                let t = now();
                let d = Delivery {
                    post_id: post.id,
                    network: "mastodon".to_owned(),
                    account: name,
                    key: format!("hearth-post-{}-{:016x}", post.id, u64::from_le_bytes(seed)),
                    state: "sending".to_owned(),
                    request: mastodon::Account::status_body(
                        &rendered.text,
                        &ids,
                        in_reply_to.as_deref(),
                    )
                    .to_string(),
                    created_at: t,
                    updated_at: t,
                    ..Delivery::default()
                };
                self.record(&d)?;
                d
            }
        };
        let body: Value = serde_json::from_str(&d.request)?;
        let sent = with_retries(attempts, max_wait, || account.post_status(&d.key, &body));
        self.conclude(d, sent.map(|s| (s.url, s.id)))
    }
}
