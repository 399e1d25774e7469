//! Chat lines for reply inference, and the inferred parents it writes back.

use crate::{Store, StoreError};
use rusqlite::{OptionalExtension, params};

/// One message of a chat space, in the order it was said.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredLine {
    pub id: i64,
    pub account: i64,
    pub time: i64,
    pub text: String,
    /// Accounts the message mentions.
    pub mentions: Vec<i64>,
    /// The message has an explicit parent (a thread reply): nothing is inferred for it.
    pub explicit_parent: bool,
}

/// An inferred parent to store.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InferredLink {
    pub message: i64,
    pub parent: i64,
    pub confidence: f32,
}

impl Store {
    /// Spaces of sources of `kinds` (format ids), by store id.
    pub fn spaces_of_kinds(&self, kinds: &[&str]) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT spaces.id, sources.kind FROM spaces JOIN sources ON sources.id = spaces.source_id
              ORDER BY spaces.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind) = row?;
            if kinds.contains(&kind.as_str()) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// The messages of a space ordered by time, then by store id (file order).
    pub fn chat_lines(&self, space: i64) -> Result<Vec<StoredLine>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT m.id, m.account_id, m.time, COALESCE(t.body, ''), m.parent_native IS NOT NULL
               FROM messages m LEFT JOIN message_text t ON t.message_id = m.id
              WHERE m.space_id = ?1 ORDER BY m.time, m.id",
        )?;
        let mut lines: Vec<StoredLine> = stmt
            .query_map([space], |r| {
                Ok(StoredLine {
                    id: r.get(0)?,
                    account: r.get(1)?,
                    time: r.get(2)?,
                    text: r.get(3)?,
                    mentions: Vec::new(),
                    explicit_parent: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut by_id: Vec<(i64, usize)> =
            lines.iter().enumerate().map(|(k, l)| (l.id, k)).collect();
        by_id.sort_unstable();
        let mut stmt = self.conn.prepare(
            "SELECT n.message_id, n.account_id FROM mentions n JOIN messages m ON m.id = n.message_id
              WHERE m.space_id = ?1 ORDER BY n.message_id, n.account_id",
        )?;
        let rows = stmt.query_map([space], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (message, account) = row?;
            if let Ok(k) = by_id.binary_search_by_key(&message, |p| p.0) {
                lines[by_id[k].1].mentions.push(account);
            }
        }
        Ok(lines)
    }

    /// Replaces the inferred parents of a space's messages with `links`, in one transaction.
    pub fn replace_inferred(
        &self,
        space: i64,
        method: &str,
        links: &[InferredLink],
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        crate::bump_generation(&tx)?;
        tx.execute(
            "DELETE FROM pending WHERE kind = 'replies' AND id = ?1",
            [space],
        )?;
        tx.execute(
            "DELETE FROM inferred_replies
              WHERE message_id IN (SELECT id FROM messages WHERE space_id = ?1)",
            [space],
        )?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO inferred_replies (message_id, parent_id, method, confidence)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for l in links {
                insert.execute(params![
                    l.message,
                    l.parent,
                    method,
                    f64::from(l.confidence)
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks every space with inferred parents for inference again when they were inferred
    /// by a reply model older than `version`, and records `version`: after an upgrade that
    /// ships a new model, the next command re-infers (as an interrupted ingest's work is
    /// completed). Returns the spaces marked.
    pub fn mark_replies_of_older_model(&self, version: i64) -> Result<u64, StoreError> {
        let stored: Option<i64> = self
            .conn
            .query_row(
                "SELECT value FROM store_meta WHERE key = 'reply_model'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if stored.is_some_and(|v| v >= version) {
            return Ok(0);
        }
        let tx = self.conn.unchecked_transaction()?;
        let marked = tx.execute(
            "INSERT OR IGNORE INTO pending (kind, id)
             SELECT DISTINCT 'replies', m.space_id
               FROM inferred_replies i JOIN messages m ON m.id = i.message_id",
            [],
        )?;
        record_reply_model(&tx, version)?;
        tx.commit()?;
        Ok(marked as u64)
    }

    /// Records that the store's inferred parents are those of reply model `version`.
    pub fn record_reply_model(&self, version: i64) -> Result<(), StoreError> {
        record_reply_model(&self.conn, version)
    }

    /// The spaces called `name` (of any source), by store id.
    pub fn spaces_named(&self, name: &str) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM spaces WHERE name = ?1 ORDER BY id")?;
        let rows = stmt.query_map([name], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The native id (the export's own) of each message of a space, by store id.
    pub fn native_ids(&self, space: i64) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, native_id FROM messages WHERE space_id = ?1 ORDER BY id")?;
        let rows = stmt.query_map([space], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many messages have an inferred parent.
    pub fn inferred_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM inferred_replies", [], |r| r.get(0))?)
    }
}

fn record_reply_model(conn: &rusqlite::Connection, version: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO store_meta (key, value) VALUES ('reply_model', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [version],
    )?;
    Ok(())
}

/// Derived data still to compute: marked with the messages it derives from, cleared when it
/// is stored (see the `pending` migration).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingWork {
    /// Sources whose replies' stated parents are to be looked up.
    pub links: Vec<i64>,
    /// Chat spaces whose reply inference is to be (re)run, with their source's kind.
    pub replies: Vec<(i64, String)>,
}

impl PendingWork {
    pub fn is_empty(&self) -> bool {
        self.links.is_empty() && self.replies.is_empty()
    }
}

impl Store {
    /// What derived data is still to compute (empty after every completed ingest).
    pub fn pending(&self) -> Result<PendingWork, StoreError> {
        let mut out = PendingWork::default();
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM pending WHERE kind = 'links' ORDER BY id")?;
        out.links = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT p.id, s.kind FROM pending p
               JOIN spaces sp ON sp.id = p.id JOIN sources s ON s.id = sp.source_id
              WHERE p.kind = 'replies' ORDER BY p.id",
        )?;
        out.replies = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(out)
    }
}
