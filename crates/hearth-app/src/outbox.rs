//! The social team's posts: written, reviewed, scheduled and published from Hearth.
//!
//! A post moves **draft → in review → approved → scheduled → published** (or **failed**,
//! with the network's reason, or **cancelled**). Editing sends it back to draft, and an
//! approval or a time it had goes with the old text. With `[social] approval = "required"`
//! only an admin or a named approver other than its author approves it, and only an
//! approved post is scheduled; with `"none"` the author may schedule a draft directly.
//! Every step is one audit-log entry, written in the same transaction as the change, and a
//! change names the state it expects, so two people acting at once never both win.
//!
//! Length rules, UTM tagging and facets are `hearth_publish::compose`'s; publishing is
//! [`crate::publish`]'s.

use crate::{AppError, Result, bail, invalid};
use hearth_model::Config;
use hearth_publish::compose::{self, NETWORKS, Rendered};
use hearth_store::outbox::{OutboxMedia, OutboxPost};
use hearth_store::{Change, Store};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// At most this many images a post (Bluesky's limit; Mastodon's is the same).
pub const MAX_IMAGES: usize = 4;
/// The largest image, in bytes (Bluesky's limit for a post's image).
pub const MAX_IMAGE_BYTES: usize = 1_000_000;
/// The longest alt text, in characters (Mastodon's description limit).
pub const MAX_ALT: usize = 1_500;

/// Who is acting: the audit log's actor (`user:alice`, `cli:alice`) and whether they are an
/// admin (the command line, which owns the data directory, is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub admin: bool,
}

impl Actor {
    /// The person behind the actor: `alice` for `user:alice` and `cli:alice` alike, so the
    /// author of a post cannot approve it from the other door.
    pub fn person(&self) -> &str {
        person(&self.name)
    }
}

fn person(actor: &str) -> &str {
    actor.split_once(':').map_or(actor, |(_, n)| n)
}

/// An image to attach, as read from a file or an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub file_name: String,
    pub alt: String,
    pub bytes: Vec<u8>,
}

impl Image {
    /// Reads `path`; `alt` is its alt text.
    pub fn read(path: &Path, alt: &str) -> Result<Image> {
        let bytes = std::fs::read(path).map_err(|e| AppError::io("cannot read image", path, e))?;
        Ok(Image {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "image".to_owned()),
            alt: alt.to_owned(),
            bytes,
        })
    }
}

/// The image's type by its first bytes (the file name is not trusted).
pub fn image_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn media_of(images: &[Image]) -> Result<Vec<OutboxMedia>> {
    if images.len() > MAX_IMAGES {
        bail!("{} images: a post takes at most {MAX_IMAGES}", images.len());
    }
    images
        .iter()
        .map(|i| {
            let Some(mime) = image_mime(&i.bytes) else {
                bail!("{}: not a PNG, JPEG, GIF or WebP image", i.file_name);
            };
            if i.bytes.len() > MAX_IMAGE_BYTES {
                bail!(
                    "{}: {} bytes; an image may have at most {MAX_IMAGE_BYTES}",
                    i.file_name,
                    i.bytes.len()
                );
            }
            let alt = i.alt.trim();
            if alt.is_empty() {
                bail!(
                    "{}: an image needs alt text (what it shows, for people who cannot see it)",
                    i.file_name
                );
            }
            if alt.chars().count() > MAX_ALT {
                bail!(
                    "{}: alt text is longer than {MAX_ALT} characters",
                    i.file_name
                );
            }
            Ok(OutboxMedia {
                file_name: i.file_name.clone(),
                mime: mime.to_owned(),
                alt: alt.to_owned(),
                size: i.bytes.len(),
                bytes: i.bytes.clone(),
            })
        })
        .collect()
}

/// What a draft or an edit says; in an edit, `None` keeps what the post had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Compose {
    pub text: Option<String>,
    pub networks: Option<Vec<String>>,
    /// A network's own text; an empty text removes the version.
    pub versions: BTreeMap<String, String>,
    /// Replace the images (`Some(vec![])` removes them).
    pub images: Option<Vec<Image>>,
}

fn check_networks(list: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for n in list {
        let n = n.trim().to_ascii_lowercase();
        if !NETWORKS.contains(&n.as_str()) {
            bail!("unknown network {n:?}: Hearth publishes to bluesky and mastodon");
        }
        if !out.contains(&n) {
            out.push(n);
        }
    }
    if out.is_empty() {
        bail!("a post needs a network: bluesky, mastodon or both");
    }
    Ok(out)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The UTM parameters of post `id` on `network`.
fn utm(config: &Config, network: &str, id: i64) -> Vec<(&'static str, String)> {
    let u = &config.social.utm;
    compose::utm_params(
        [
            ("source", u.source.as_str()),
            ("medium", u.medium.as_str()),
            ("campaign", u.campaign.as_str()),
            ("content", u.content.as_str()),
        ],
        network,
        id,
    )
}

/// The post as each of its networks gets it.
pub fn renders(config: &Config, post: &OutboxPost, mastodon_limit: usize) -> Vec<Rendered> {
    post.networks
        .iter()
        .map(|n| {
            let text = post.versions.get(n).unwrap_or(&post.text);
            compose::render(n, text, &utm(config, n, post.id), mastodon_limit)
        })
        .collect()
}

/// Mastodon's limit: the instance's (read when its account was connected), else
/// `[social] mastodon_characters`.
pub fn mastodon_limit(data: &Path, config: &Config) -> usize {
    crate::accounts::load(data)
        .ok()
        .and_then(|a| a.mastodon.and_then(|m| m.max_characters))
        .unwrap_or(config.social.mastodon_characters)
}

/// Why the post cannot go out as it is (empty when it can).
pub fn problems(config: &Config, post: &OutboxPost, mastodon_limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for r in renders(config, post, mastodon_limit) {
        if r.text.trim().is_empty() && post.media.is_empty() {
            out.push(format!("{}: the post is empty", r.network));
        }
        if !r.fits() {
            let unit = if r.network == "bluesky" {
                "graphemes"
            } else {
                "characters"
            };
            out.push(format!(
                "{}: {} {unit}, {} over the limit of {}",
                r.network,
                r.length,
                r.length - r.limit,
                r.limit
            ));
        }
    }
    out
}

/// The rules and the store; a team may write posts before it has read any export, so the
/// store is made when there is none.
fn open(data: &Path) -> Result<(Config, Store)> {
    let config = crate::config::load(data)?;
    let store = Store::open(data)?;
    Ok((config, store))
}

fn get(store: &Store, id: i64) -> Result<OutboxPost> {
    store
        .outbox_post(id)?
        .ok_or_else(|| AppError::NotFound(format!("no post {id} in the outbox")))
}

fn audit(actor: &Actor, action: &str, id: i64, detail: Value) -> Change {
    Change::new(&actor.name, action, &format!("post:{id}"), detail)
}

fn save(
    store: &Store,
    post: &OutboxPost,
    expected: &str,
    media: Option<&[OutboxMedia]>,
    change: &Change,
) -> Result<()> {
    if store.update_outbox_post(post, expected, media, change)? {
        Ok(())
    } else {
        Err(AppError::Conflict(format!(
            "post {} changed meanwhile (it is no longer {expected}); look at it again",
            post.id
        )))
    }
}

/// A new draft; its JSON.
pub fn draft(data: &Path, compose: Compose, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let text = compose.text.unwrap_or_default();
    let networks = check_networks(
        &compose
            .networks
            .unwrap_or_else(|| NETWORKS.iter().map(|s| (*s).to_owned()).collect()),
    )?;
    let versions = versions(&networks, BTreeMap::new(), compose.versions)?;
    let media = media_of(&compose.images.unwrap_or_default())?;
    if text.trim().is_empty() && versions.is_empty() && media.is_empty() {
        bail!("a post needs text or an image");
    }
    let t = now();
    let post = OutboxPost {
        state: "draft".to_owned(),
        text,
        networks,
        versions,
        author: actor.name.clone(),
        created_at: t,
        updated_at: t,
        ..OutboxPost::default()
    };
    let change = Change::new(
        &actor.name,
        "post.draft",
        "",
        json!({"networks": post.networks, "images": media.len()}),
    );
    let id = store.add_outbox_post(&post, &media, &change)?;
    post_json(data, &store, &config, &get(&store, id)?)
}

fn versions(
    networks: &[String],
    mut have: BTreeMap<String, String>,
    set: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    for (n, text) in set {
        let n = n.trim().to_ascii_lowercase();
        if !networks.contains(&n) {
            bail!(
                "a version for {n}, which the post does not go to ({})",
                networks.join(", ")
            );
        }
        if text.is_empty() {
            have.remove(&n);
        } else {
            have.insert(n, text);
        }
    }
    have.retain(|n, _| networks.contains(n));
    Ok(have)
}

/// Changes a post's text, networks, versions or images. It goes back to draft: an approval
/// or a time it had was for the old post.
pub fn edit(data: &Path, id: i64, compose: Compose, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let old = get(&store, id)?;
    if matches!(old.state.as_str(), "published" | "cancelled") {
        bail!("post {id} is {}: it can no longer be edited", old.state);
    }
    let mut post = old.clone();
    if let Some(t) = compose.text {
        post.text = t;
    }
    if let Some(n) = compose.networks {
        post.networks = check_networks(&n)?;
    }
    post.versions = versions(&post.networks, old.versions.clone(), compose.versions)?;
    let media = compose.images.as_deref().map(media_of).transpose()?;
    post.state = "draft".to_owned();
    post.approved_by = None;
    post.scheduled_at = None;
    post.schedule_note = None;
    post.reason = None;
    post.updated_at = now();
    let change = audit(
        actor,
        "post.edit",
        id,
        json!({"from": old.state, "text_changed": post.text != old.text || post.versions != old.versions, "networks": post.networks, "images": media.as_ref().map(Vec::len)}),
    );
    save(&store, &post, &old.state, media.as_deref(), &change)?;
    post_json(data, &store, &config, &get(&store, id)?)
}

fn refuse_problems(data: &Path, config: &Config, post: &OutboxPost) -> Result<()> {
    let p = problems(config, post, mastodon_limit(data, config));
    if p.is_empty() {
        Ok(())
    } else {
        Err(invalid!(
            "post {} cannot go out as it is: {}",
            post.id,
            p.join("; ")
        ))
    }
}

/// Draft → in review.
pub fn submit(data: &Path, id: i64, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let mut post = get(&store, id)?;
    if post.state != "draft" {
        bail!(
            "post {id} is {}: only a draft is submitted for review",
            post.state
        );
    }
    refuse_problems(data, &config, &post)?;
    post.state = "in_review".to_owned();
    post.updated_at = now();
    save(
        &store,
        &post,
        "draft",
        None,
        &audit(actor, "post.submit", id, json!({})),
    )?;
    post_json(data, &store, &config, &post)
}

/// May `actor` approve a post by `author`?
pub fn may_approve(config: &Config, actor: &Actor, author: &str) -> Result<()> {
    if config.social.approval != "required" {
        return Ok(());
    }
    if actor.person() == person(author) {
        return Err(AppError::Forbidden(
            "[social] approval = \"required\": a post is approved by someone other than its author"
                .to_owned(),
        ));
    }
    let named = config
        .social
        .approvers
        .iter()
        .any(|a| a == &actor.name || a == actor.person());
    if actor.admin || named {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "{} may not approve posts: an admin or one of [social] approvers does",
            actor.name
        )))
    }
}

/// In review → approved.
pub fn approve(data: &Path, id: i64, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let mut post = get(&store, id)?;
    if post.state != "in_review" {
        bail!(
            "post {id} is {}: only a post in review is approved",
            post.state
        );
    }
    may_approve(&config, actor, &post.author)?;
    refuse_problems(data, &config, &post)?;
    post.state = "approved".to_owned();
    post.approved_by = Some(actor.name.clone());
    post.updated_at = now();
    save(
        &store,
        &post,
        "in_review",
        None,
        &audit(actor, "post.approve", id, json!({"author": post.author})),
    )?;
    post_json(data, &store, &config, &post)
}

/// When to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// UTC seconds.
    At(i64),
    /// The next start of the best weekday × hour slot of the best-time analysis.
    Best,
}

/// A time typed by a person: RFC 3339 with its offset, or `YYYY-MM-DD HH:MM` (also with a
/// `T`) in the brand's zone (`[brand] utc_offset`).
pub fn parse_time(config: &Config, s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    let offset = crate::social::offset(config)?;
    for format in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Ok(t.and_utc().timestamp() - offset);
        }
    }
    bail!(
        "expected a time as \"YYYY-MM-DD HH:MM\" in the brand's zone ({}) or RFC 3339, found {s:?}",
        if config.brand.utc_offset.is_empty() {
            "UTC"
        } else {
            &config.brand.utc_offset
        }
    )
}

/// The best slot to post in and the next time it starts after `after`, with a note that
/// names its sample: `None` with the reason when the analysis has no recommendation.
pub fn best_time(
    store: &Store,
    config: &Config,
    after: i64,
) -> Result<std::result::Result<(i64, String), String>> {
    let rows = store.posts()?;
    let keys = crate::social::keys(&rows);
    let list = crate::social::as_posts(&rows, &keys);
    let offset = crate::social::offset(config)?;
    let b = hearth_analysis::social::best_time::best_time(
        &list,
        offset,
        config.social.min_posts_per_slot,
    );
    let Some(slot) = b.best_slot else {
        return Ok(Err(b.note.unwrap_or_else(|| {
            format!(
                "no weekday × hour slot has {} posts with impressions yet",
                config.social.min_posts_per_slot
            )
        })));
    };
    let Some((weekday, hour)) = hearth_analysis::social::best_time::slot_of(&slot.label) else {
        return Ok(Err(format!("cannot read the slot {:?}", slot.label)));
    };
    let at = hearth_analysis::social::best_time::next_slot(after, offset, weekday, hour);
    Ok(Ok((
        at,
        format!(
            "best time: {} ({}), median engagement rate {:.2}% over {} posts (all posts: {:.2}% over {})",
            slot.label,
            if config.brand.utc_offset.is_empty() {
                "UTC"
            } else {
                &config.brand.utc_offset
            },
            slot.median_rate * 100.0,
            slot.posts,
            b.median_rate.unwrap_or(0.0) * 100.0,
            b.posts
        ),
    )))
}

/// Approved (or, without required approval, a draft or a post in review) → scheduled; a
/// scheduled post gets a new time.
pub fn schedule(data: &Path, id: i64, when: When, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let mut post = get(&store, id)?;
    let required = config.social.approval == "required";
    let allowed: &[&str] = if required {
        &["approved", "scheduled", "failed"]
    } else {
        &["draft", "in_review", "approved", "scheduled", "failed"]
    };
    if !allowed.contains(&post.state.as_str()) {
        if required && matches!(post.state.as_str(), "draft" | "in_review") {
            bail!(
                "post {id} is {}: [social] approval = \"required\", so it is approved first (hearth post submit, then approve)",
                post.state
            );
        }
        bail!("post {id} is {}: it cannot be scheduled", post.state);
    }
    refuse_problems(data, &config, &post)?;
    let t = now();
    let (at, note) = match when {
        When::At(at) => (at, None),
        When::Best => match best_time(&store, &config, t)? {
            Ok((at, note)) => (at, Some(note)),
            Err(why) => bail!("no best time to suggest: {why}; give a time instead"),
        },
    };
    let expected = post.state.clone();
    if !required && post.approved_by.is_none() {
        post.approved_by = Some(actor.name.clone());
    }
    post.state = "scheduled".to_owned();
    post.scheduled_at = Some(at);
    post.schedule_note = note;
    post.reason = None;
    post.updated_at = t;
    save(
        &store,
        &post,
        &expected,
        None,
        &audit(
            actor,
            "post.schedule",
            id,
            json!({"at": at, "note": post.schedule_note}),
        ),
    )?;
    post_json(data, &store, &config, &post)
}

/// Any post not yet published → cancelled.
pub fn cancel(data: &Path, id: i64, reason: Option<&str>, actor: &Actor) -> Result<Value> {
    let (config, store) = open(data)?;
    let mut post = get(&store, id)?;
    if matches!(post.state.as_str(), "published" | "cancelled") {
        bail!("post {id} is {} already", post.state);
    }
    let expected = post.state.clone();
    post.state = "cancelled".to_owned();
    post.reason = reason.map(str::to_owned);
    post.updated_at = now();
    save(
        &store,
        &post,
        &expected,
        None,
        &audit(
            actor,
            "post.cancel",
            id,
            json!({"from": expected, "reason": reason}),
        ),
    )?;
    post_json(data, &store, &config, &post)
}

fn time_json(config: &Config, t: Option<i64>) -> Value {
    let offset = crate::social::offset(config).unwrap_or(0);
    match t.and_then(|t| chrono::DateTime::from_timestamp(t, 0)) {
        None => Value::Null,
        Some(d) => {
            let zone = chrono::FixedOffset::east_opt(offset as i32)
                .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC is an offset"));
            json!(d.with_timezone(&zone).to_rfc3339())
        }
    }
}

/// A post as `--json` prints it and the API serves it: its state, its text per network with
/// length and limit, its images, its time, and its deliveries.
pub fn post_json(data: &Path, store: &Store, config: &Config, post: &OutboxPost) -> Result<Value> {
    let deliveries = store.deliveries(post.id)?;
    Ok(one_json(
        config,
        post,
        mastodon_limit(data, config),
        &deliveries,
    ))
}

fn one_json(
    config: &Config,
    post: &OutboxPost,
    limit: usize,
    deliveries: &[hearth_store::outbox::Delivery],
) -> Value {
    let renders: Vec<Value> = renders(config, post, limit)
        .into_iter()
        .map(|r| {
            json!({
                "network": r.network,
                "text": r.text,
                "length": r.length,
                "limit": r.limit,
                "fits": r.fits(),
                "links": r.links.iter().map(|l| &l.value).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": post.id,
        "state": post.state,
        "text": post.text,
        "networks": post.networks,
        "versions": post.versions,
        "renders": renders,
        "problems": problems(config, post, limit),
        "images": post.media.iter().map(|m| json!({"file": m.file_name, "type": m.mime, "bytes": m.size, "alt": m.alt})).collect::<Vec<_>>(),
        "author": post.author,
        "approved_by": post.approved_by,
        "scheduled_at": time_json(config, post.scheduled_at),
        "schedule_note": post.schedule_note,
        "reason": post.reason,
        "reply_to": post.reply_to,
        "queue_item": post.queue_key,
        "deliveries": deliveries.iter().map(|d| json!({
            "network": d.network, "account": d.account, "key": d.key, "state": d.state,
            "uri": d.uri, "id": d.remote_id, "error": d.error, "attempts": d.attempts,
        })).collect::<Vec<_>>(),
        "created_at": time_json(config, Some(post.created_at)),
        "updated_at": time_json(config, Some(post.updated_at)),
    })
}

/// One post.
pub fn show_json(data: &Path, id: i64) -> Result<Value> {
    let (config, store) = open(data)?;
    post_json(data, &store, &config, &get(&store, id)?)
}

/// The states a post can be in, in their order.
pub const STATES: &[&str] = &[
    "draft",
    "in_review",
    "approved",
    "scheduled",
    "published",
    "failed",
    "cancelled",
];

/// The posts in `state` (all when `None`), newest first.
pub fn list_json(data: &Path, state: Option<&str>) -> Result<Value> {
    if let Some(s) = state
        && !STATES.contains(&s)
    {
        bail!("state is one of {}, not {s:?}", STATES.join(", "));
    }
    let (config, store) = open(data)?;
    let limit = mastodon_limit(data, &config);
    let posts = store.outbox_posts(state)?;
    let mut deliveries: BTreeMap<i64, Vec<hearth_store::outbox::Delivery>> = BTreeMap::new();
    for d in store.all_deliveries()? {
        deliveries.entry(d.post_id).or_default().push(d);
    }
    let out: Vec<Value> = posts
        .iter()
        .map(|p| {
            one_json(
                &config,
                p,
                limit,
                deliveries.get(&p.id).map_or(&[][..], Vec::as_slice),
            )
        })
        .collect();
    Ok(json!({"approval": config.social.approval, "posts": out}))
}

/// The network and message a queue item answers, from its key: the `bluesky:…` or
/// `mastodon:…` reference it ends with (`social:respond:bluesky:at://…`,
/// `question:mastodon:https://…`).
pub fn reply_target(key: &str) -> Option<(&'static str, &str)> {
    let mut at = 0;
    for part in key.split(':') {
        for n in NETWORKS {
            if part == *n && key.len() > at + n.len() + 1 {
                return Some((n, &key[at + n.len() + 1..]));
            }
        }
        at += part.len() + 1;
    }
    None
}

/// Answers a queue item on its network: a post that replies to the item's message, under
/// the same rules as any post. Without required approval it is published now (exactly once)
/// and the item is closed with the reply's address; with `[social] approval = "required"` it
/// waits in review, and publishing it closes the item.
pub fn reply(
    data: &Path,
    item: &str,
    text: &str,
    actor: &Actor,
    options: &crate::publish::Options,
) -> Result<Value> {
    let loaded = crate::scope::load(data, &crate::scope::Scope::default())?;
    let (key, _, title) = crate::queue::find(&loaded, item)?;
    drop(loaded);
    reply_found(data, &key, &title, text, actor, options)
}

/// [`reply`] to an item already found (`queue::find`): its key and title.
pub fn reply_found(
    data: &Path,
    key: &str,
    title: &str,
    text: &str,
    actor: &Actor,
    options: &crate::publish::Options,
) -> Result<Value> {
    let key = key.to_owned();
    let Some((network, native)) = reply_target(&key) else {
        bail!("{title}: not a Bluesky or Mastodon message, so Hearth cannot answer it there");
    };
    let (config, store) = open(data)?;
    let mut text = text.trim().to_owned();
    if text.is_empty() {
        bail!("a reply needs text");
    }
    // Mastodon tells the author of a reply only when the reply names them.
    if network == "mastodon"
        && let Some(handle) = store.author_username(network, native)?
        && !text.contains(&handle)
    {
        text = format!("{handle} {text}");
    }
    let required = config.social.approval == "required";
    let t = now();
    let post = OutboxPost {
        state: if required { "in_review" } else { "scheduled" }.to_owned(),
        text,
        networks: vec![network.to_owned()],
        author: actor.name.clone(),
        approved_by: (!required).then(|| actor.name.clone()),
        scheduled_at: (!required).then_some(t),
        reply_to: Some(format!("{network}:{native}")),
        queue_key: Some(key.clone()),
        created_at: t,
        updated_at: t,
        ..OutboxPost::default()
    };
    let problems = problems(&config, &post, mastodon_limit(data, &config));
    if !problems.is_empty() {
        bail!("the reply cannot go out: {}", problems.join("; "));
    }
    let change = Change::new(
        &actor.name,
        "post.reply",
        "",
        json!({"to": post.reply_to, "item": key, "review": required}),
    );
    let id = store.add_outbox_post(&post, &[], &change)?;
    drop(store);
    let published = if required {
        Value::Null
    } else {
        crate::publish::publish_one(data, id, actor, options)?
    };
    let mut v = show_json(data, id)?;
    v["item"] = json!(crate::queue::short_id(&key));
    v["publish"] = published;
    Ok(v)
}
