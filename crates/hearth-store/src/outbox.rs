//! The outbox: posts written, reviewed, scheduled and published from Hearth, and the record of
//! each delivery to a network (its idempotency key and the exact request, written before the
//! request goes out).
//!
//! Every change of a post is one transaction with its audit-log entry, and a change names the
//! state it expects the post to be in, so two people (or a person and the publisher) acting on
//! the same post at once never both win.

use crate::team::{Change, record};
use crate::{Store, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

/// One post of the outbox.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct OutboxPost {
    pub id: i64,
    /// draft, in_review, approved, scheduled, published, failed or cancelled.
    pub state: String,
    /// The text for every network without a version of its own.
    pub text: String,
    /// The networks to publish to (`bluesky`, `mastodon`), in order.
    pub networks: Vec<String>,
    /// Text per network where it differs from `text`.
    pub versions: BTreeMap<String, String>,
    pub author: String,
    pub approved_by: Option<String>,
    /// UTC seconds.
    pub scheduled_at: Option<i64>,
    pub schedule_note: Option<String>,
    pub reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The stored message this post answers (`source:native_id`): published as a reply to it.
    pub reply_to: Option<String>,
    /// The work-queue item closed when the post is published.
    pub queue_key: Option<String>,
    /// The images, in order (bytes only when read with [`Store::outbox_media`]).
    pub media: Vec<OutboxMedia>,
}

/// An image of a post.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct OutboxMedia {
    pub file_name: String,
    pub mime: String,
    pub alt: String,
    pub size: usize,
    #[serde(skip)]
    pub bytes: Vec<u8>,
}

/// Where one account's sync of one stream stopped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncCursor {
    pub network: String,
    pub account: String,
    /// `feed` (the account's own posts) or `notifications` (replies and mentions).
    pub stream: String,
    /// The network's own marker of the newest item seen.
    pub position: String,
    /// UTC seconds.
    pub synced_at: i64,
}

/// One post's delivery to one network.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Delivery {
    pub post_id: i64,
    pub network: String,
    /// The account published as (a handle or `@name@instance`).
    pub account: String,
    /// The idempotency key: Bluesky's record key, Mastodon's `Idempotency-Key`.
    pub key: String,
    /// `sending` (the request may have gone out), `sent` or `failed`.
    pub state: String,
    /// The exact request body (JSON).
    #[serde(skip)]
    pub request: String,
    pub uri: Option<String>,
    pub remote_id: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const POST_COLUMNS: &str = "id, state, text, networks, author, approved_by, scheduled_at, \
     schedule_note, reason, created_at, updated_at, reply_to, queue_key";

fn post_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxPost> {
    let networks: String = r.get(3)?;
    Ok(OutboxPost {
        id: r.get(0)?,
        state: r.get(1)?,
        text: r.get(2)?,
        networks: networks
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        author: r.get(4)?,
        approved_by: r.get(5)?,
        scheduled_at: r.get(6)?,
        schedule_note: r.get(7)?,
        reason: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        reply_to: r.get(11)?,
        queue_key: r.get(12)?,
        ..OutboxPost::default()
    })
}

fn delivery_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Delivery> {
    Ok(Delivery {
        post_id: r.get(0)?,
        network: r.get(1)?,
        account: r.get(2)?,
        key: r.get(3)?,
        state: r.get(4)?,
        request: r.get(5)?,
        uri: r.get(6)?,
        remote_id: r.get(7)?,
        error: r.get(8)?,
        attempts: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

const DELIVERY_COLUMNS: &str = "post_id, network, account, key, state, request, uri, remote_id, \
     error, attempts, created_at, updated_at";

fn write_content(
    tx: &Connection,
    post: &OutboxPost,
    media: Option<&[OutboxMedia]>,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM outbox_versions WHERE post_id = ?1",
        params![post.id],
    )?;
    for (network, text) in &post.versions {
        tx.execute(
            "INSERT INTO outbox_versions (post_id, network, text) VALUES (?1, ?2, ?3)",
            params![post.id, network, text],
        )?;
    }
    if let Some(media) = media {
        tx.execute(
            "DELETE FROM outbox_media WHERE post_id = ?1",
            params![post.id],
        )?;
        for (i, m) in media.iter().enumerate() {
            tx.execute(
                "INSERT INTO outbox_media (post_id, position, file_name, mime, alt, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![post.id, i as i64, m.file_name, m.mime, m.alt, m.bytes],
            )?;
        }
    }
    Ok(())
}

impl Store {
    /// Adds a post (its `id` is ignored) with its images; returns the new id. The audit
    /// entry's target becomes `post:ID`.
    pub fn add_outbox_post(
        &self,
        post: &OutboxPost,
        media: &[OutboxMedia],
        audit: &Change,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO outbox_posts (state, text, networks, author, approved_by, scheduled_at,
                 schedule_note, reason, created_at, updated_at, reply_to, queue_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                post.state,
                post.text,
                post.networks.join(","),
                post.author,
                post.approved_by,
                post.scheduled_at,
                post.schedule_note,
                post.reason,
                post.created_at,
                post.updated_at,
                post.reply_to,
                post.queue_key
            ],
        )?;
        let id = tx.last_insert_rowid();
        let stored = OutboxPost { id, ..post.clone() };
        write_content(&tx, &stored, Some(media))?;
        let audit = Change {
            target: format!("post:{id}"),
            ..audit.clone()
        };
        record(&tx, &audit, post.updated_at)?;
        tx.commit()?;
        Ok(id)
    }

    /// Writes `post` over the stored one if that is still in `expected_state`; `media`
    /// replaces the images when given. `false`: the post changed state meanwhile (nothing
    /// written).
    pub fn update_outbox_post(
        &self,
        post: &OutboxPost,
        expected_state: &str,
        media: Option<&[OutboxMedia]>,
        audit: &Change,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE outbox_posts SET state = ?2, text = ?3, networks = ?4, approved_by = ?5,
                 scheduled_at = ?6, schedule_note = ?7, reason = ?8, updated_at = ?9
             WHERE id = ?1 AND state = ?10",
            params![
                post.id,
                post.state,
                post.text,
                post.networks.join(","),
                post.approved_by,
                post.scheduled_at,
                post.schedule_note,
                post.reason,
                post.updated_at,
                expected_state
            ],
        )?;
        if n == 0 {
            return Ok(false);
        }
        write_content(&tx, post, media)?;
        record(&tx, audit, post.updated_at)?;
        tx.commit()?;
        Ok(true)
    }

    /// One post with its versions and images' descriptions (not their bytes).
    pub fn outbox_post(&self, id: i64) -> Result<Option<OutboxPost>, StoreError> {
        let post = self
            .conn
            .query_row(
                &format!("SELECT {POST_COLUMNS} FROM outbox_posts WHERE id = ?1"),
                params![id],
                post_row,
            )
            .optional()?;
        let Some(post) = post else { return Ok(None) };
        let mut list = vec![post];
        self.fill(&mut list, Some(id))?;
        Ok(list.pop())
    }

    /// The posts in `state` (all when `None`), newest first, with versions and images'
    /// descriptions; three queries however many posts there are.
    pub fn outbox_posts(&self, state: Option<&str>) -> Result<Vec<OutboxPost>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {POST_COLUMNS} FROM outbox_posts
             WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC"
        ))?;
        let mut list = stmt
            .query_map(params![state], post_row)?
            .collect::<Result<Vec<_>, _>>()?;
        self.fill(&mut list, None)?;
        Ok(list)
    }

    fn fill(&self, list: &mut [OutboxPost], only: Option<i64>) -> Result<(), StoreError> {
        let index: BTreeMap<i64, usize> = list.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let mut stmt = self.conn.prepare(
            "SELECT post_id, network, text FROM outbox_versions
             WHERE ?1 IS NULL OR post_id = ?1 ORDER BY post_id, network",
        )?;
        let rows = stmt.query_map(params![only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, network, text) = row?;
            if let Some(&i) = index.get(&id) {
                list[i].versions.insert(network, text);
            }
        }
        let mut stmt = self.conn.prepare(
            "SELECT post_id, file_name, mime, alt, length(bytes) FROM outbox_media
             WHERE ?1 IS NULL OR post_id = ?1 ORDER BY post_id, position",
        )?;
        let rows = stmt.query_map(params![only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                OutboxMedia {
                    file_name: r.get(1)?,
                    mime: r.get(2)?,
                    alt: r.get(3)?,
                    size: r.get::<_, i64>(4)? as usize,
                    bytes: Vec::new(),
                },
            ))
        })?;
        for row in rows {
            let (id, m) = row?;
            if let Some(&i) = index.get(&id) {
                list[i].media.push(m);
            }
        }
        Ok(())
    }

    /// A post's images with their bytes, in order.
    pub fn outbox_media(&self, post_id: i64) -> Result<Vec<OutboxMedia>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT file_name, mime, alt, bytes FROM outbox_media
             WHERE post_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![post_id], |r| {
            let bytes: Vec<u8> = r.get(3)?;
            Ok(OutboxMedia {
                file_name: r.get(0)?,
                mime: r.get(1)?,
                alt: r.get(2)?,
                size: bytes.len(),
                bytes,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids of scheduled posts whose time has come, oldest time first.
    pub fn outbox_due(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM outbox_posts WHERE state = 'scheduled' AND scheduled_at <= ?1
             ORDER BY scheduled_at, id",
        )?;
        let rows = stmt.query_map(params![now], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The deliveries of a post, by network.
    pub fn deliveries(&self, post_id: i64) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries WHERE post_id = ?1 ORDER BY network"
        ))?;
        let rows = stmt.query_map(params![post_id], delivery_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every delivery, by post and network.
    pub fn all_deliveries(&self) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM outbox_deliveries ORDER BY post_id, network"
        ))?;
        let rows = stmt.query_map([], delivery_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes a delivery (insert or replace). Called with state `sending` and the exact
    /// request before the request goes out, and again with its outcome.
    pub fn put_delivery(&self, d: &Delivery) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO outbox_deliveries (post_id, network, account, key, state, request, uri,
                 remote_id, error, attempts, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT (post_id, network) DO UPDATE SET account = ?3, key = ?4, state = ?5,
                 request = ?6, uri = ?7, remote_id = ?8, error = ?9, attempts = ?10,
                 updated_at = ?12",
            params![
                d.post_id,
                d.network,
                d.account,
                d.key,
                d.state,
                d.request,
                d.uri,
                d.remote_id,
                d.error,
                d.attempts,
                d.created_at,
                d.updated_at
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// Where the sync of `network`/`account`/`stream` stopped, if it ran before.
    pub fn sync_cursor(
        &self,
        network: &str,
        account: &str,
        stream: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT position FROM sync_cursors
                  WHERE network = ?1 AND account = ?2 AND stream = ?3",
                params![network, account, stream],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Moves a sync cursor on (after the messages it covers are committed).
    pub fn set_sync_cursor(
        &self,
        network: &str,
        account: &str,
        stream: &str,
        position: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sync_cursors (network, account, stream, position, synced_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (network, account, stream)
             DO UPDATE SET position = excluded.position, synced_at = excluded.synced_at",
            params![network, account, stream, position, at],
        )?;
        Ok(())
    }

    /// The username (`@name@instance`, `@handle`) of the author of the message
    /// `source:native_id`, when it is stored.
    pub fn author_username(
        &self,
        source: &str,
        native_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.username FROM messages m
                   JOIN sources s ON s.id = m.source_id
                   JOIN accounts a ON a.id = m.account_id
                  WHERE s.kind = ?1 AND m.native_id = ?2",
                params![source, native_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Every sync cursor, by network, account and stream.
    pub fn sync_cursors(&self) -> Result<Vec<SyncCursor>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT network, account, stream, position, synced_at FROM sync_cursors
              ORDER BY network, account, stream",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(SyncCursor {
                network: r.get(0)?,
                account: r.get(1)?,
                stream: r.get(2)?,
                position: r.get(3)?,
                synced_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
