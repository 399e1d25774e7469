//! Hearth's store of record: one SQLite file in the data directory.
//!
//! Invariants (see `ARCHITECTURE.md`):
//! - only this crate knows SQL; everything else speaks `hearth-model` types;
//! - the schema is created and changed only by the dated migrations in `migrations/`;
//! - every write happens in a transaction: an ingest commits in batches of
//!   [`BATCH`] messages (and at the end of each file), so a kill loses at most the batch in
//!   flight and leaves the store as it was before it;
//! - a message is keyed by (source, native id): reading the same export again adds nothing.

mod cache;
mod erase;
mod error;
pub mod export;
mod ingest;
pub mod measures;
mod migrate;
pub mod outbox;
mod posts;
mod queue;
mod replies;
mod snapshot;
mod team;
pub mod terms;

pub use erase::{ERASED, Erased, scrub, signature_lines};
pub use error::StoreError;
pub use ingest::{BATCH, FileSummary, IngestSummary, KEEP_DIAGNOSTICS, KEEP_NOTES, Progress};
pub use posts::PostRow;
pub use queue::{QueueChange, QueueState};
pub use replies::{InferredLink, PendingWork, StoredLine};
pub use team::{Change, ChangeRow, FailureRow, SessionRow, TokenRow, UserRow};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The store file's name inside the data directory.
pub const STORE_FILE: &str = "hearth.sqlite";

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    batch: usize,
    /// Computes a message's text measures at ingest (set by the application layer).
    measurer: Option<measures::Measurer>,
}

impl Store {
    /// Opens (and creates, if needed) the store in data directory `dir`, bringing its schema
    /// up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = dir.join(STORE_FILE);
        let conn = Connection::open(&path).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        conn.execute_batch(
            "
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;
             PRAGMA cache_size = -65536;
             PRAGMA busy_timeout = 5000;",
        )?;
        let mut store = Store {
            conn,
            path,
            batch: BATCH,
            measurer: None,
        };
        migrate::run(&mut store.conn)?;
        Ok(store)
    }

    /// Commit ingests every `batch` messages instead of [`BATCH`] (at least 1).
    pub fn set_batch_size(&mut self, batch: usize) {
        self.batch = batch.max(1);
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The store's generation: bumped by every write transaction.
    pub fn generation(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT value FROM store_meta WHERE key = 'generation'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Number of stored messages.
    pub fn message_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?)
    }

    /// SQLite's own consistency check plus Hearth's: every message has its text, and every
    /// linked parent exists. Empty when all is well.
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(row);
            }
        }
        let without_text: i64 = self.conn.query_row(
            "SELECT count(*) FROM messages m
              WHERE NOT EXISTS (SELECT 1 FROM message_text t WHERE t.message_id = m.id)",
            [],
            |r| r.get(0),
        )?;
        if without_text > 0 {
            problems.push(format!("{without_text} messages without text"));
        }
        let dangling: i64 = self.conn.query_row(
            "SELECT count(*) FROM messages m
              WHERE m.parent_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.id = m.parent_id)",
            [],
            |r| r.get(0),
        )?;
        if dangling > 0 {
            problems.push(format!("{dangling} messages with a missing parent"));
        }
        Ok(problems)
    }

    /// The body text of stored messages, by store id (drill-down).
    pub fn message_text(&self, id: hearth_model::MessageId) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        // Cached: a page asks for many messages one at a time (examples, excerpts).
        Ok(self
            .conn
            .prepare_cached("SELECT body FROM message_text WHERE message_id = ?1")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }

    /// The source (reader id) and the export's own id of a stored message: the reference
    /// that survives re-ingest into a new store.
    pub fn message_ref(
        &self,
        id: hearth_model::MessageId,
    ) -> Result<Option<(String, String)>, StoreError> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT s.kind, m.native_id FROM messages m JOIN sources s ON s.id = m.source_id
                  WHERE m.id = ?1",
            )?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Calls `f(id, subject, body)` for each message in `ids` (store ids, sorted ascending),
    /// in id order; memory stays flat. Many ids are one pass over the text table between
    /// the first and the last; a few ids scattered over a wide range (fewer than one in
    /// [`SPARSE_TEXT`] of it: a brand's messages, one thread) are looked up one by one, so
    /// the pages of the texts in between are never read.
    pub fn for_each_text(
        &self,
        ids: &[i64],
        mut f: impl FnMut(i64, &str, &str),
    ) -> Result<(), StoreError> {
        for_each_of(
            &self.conn,
            ids,
            "SELECT t.message_id, COALESCE(m.subject, ''), t.body
               FROM message_text t JOIN messages m ON m.id = t.message_id
              WHERE t.message_id = ?1",
            "SELECT t.message_id, COALESCE(m.subject, ''), t.body
               FROM message_text t JOIN messages m ON m.id = t.message_id
              WHERE t.message_id BETWEEN ?1 AND ?2 ORDER BY t.message_id",
            |id, r| {
                let subject = r.get_ref(1)?.as_str().unwrap_or("");
                let body = r.get_ref(2)?.as_str().unwrap_or("");
                f(id, subject, body);
                Ok(())
            },
        )
    }
}

/// Hands `f` the row of each id in `ids` (sorted ascending) that has one, in id order, with
/// the id in column 0: looked up one by one with `one` (`?1` the id) when the ids are few in
/// their range (fewer than one in [`SPARSE_TEXT`] of it), in one read transaction, so the
/// pages in between are never read; else one walk of the range with `range` (`?1` and `?2`
/// its bounds, rows in id order).
pub(crate) fn for_each_of(
    conn: &Connection,
    ids: &[i64],
    one: &str,
    range: &str,
    mut f: impl FnMut(i64, &rusqlite::Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else {
        return Ok(());
    };
    let span = u64::try_from(hi.saturating_sub(lo)).unwrap_or(0) + 1;
    if (ids.len() as u64).saturating_mul(SPARSE_TEXT) >= span {
        let mut stmt = conn.prepare(range)?;
        let mut rows = stmt.query([lo, hi])?;
        return for_each_wanted(&mut rows, ids, f);
    }
    let mut stmt = conn.prepare_cached(one)?;
    // One read transaction for all the lookups (each would otherwise take and release the
    // store's locks).
    let tx = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut last = None;
    for &id in ids {
        if last == Some(id) {
            continue;
        }
        last = Some(id);
        let mut rows = stmt.query([id])?;
        if let Some(r) = rows.next()? {
            f(id, r)?;
        }
    }
    drop(stmt);
    if let Some(tx) = tx {
        tx.finish()?;
    }
    Ok(())
}

/// Below one wanted id in this many of the range, [`Store::for_each_text`] (and the stored
/// theme terms' reading) looks each up instead of walking the range (measured on usrp-users: the role audit's 1,557 brand
/// messages of 11,385 read in a third of the time of the walk).
pub const SPARSE_TEXT: u64 = 4;

/// Walks `rows` (in message id order, the id in column 0) and hands `f` those whose id is in
/// `ids` (sorted ascending): one merge of two sorted lists.
pub(crate) fn for_each_wanted(
    rows: &mut rusqlite::Rows<'_>,
    ids: &[i64],
    mut f: impl FnMut(i64, &rusqlite::Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut k = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        while k < ids.len() && ids[k] < id {
            k += 1;
        }
        if k == ids.len() {
            break;
        }
        if ids[k] == id {
            f(id, r)?;
        }
    }
    Ok(())
}

/// Bumps the store's generation inside the caller's transaction.
/// Seconds since 1970-01-01 UTC, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub(crate) fn bump_generation(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE store_meta SET value = value + 1 WHERE key = 'generation'",
        [],
    )?;
    Ok(())
}

impl Store {
    /// Store ids of the newest messages whose text contains `needle` (case-insensitive for
    /// ASCII), at most `limit`. A scan of the text: seconds on millions of messages.
    pub fn search_text(&self, needle: &str, limit: usize) -> Result<Vec<i64>, StoreError> {
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let mut stmt = self.conn.prepare(
            "SELECT message_id FROM message_text WHERE body LIKE ?1 ESCAPE '\\'
              ORDER BY message_id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![format!("%{escaped}%"), limit as i64],
            |r| r.get::<_, i64>(0),
        )?;
        let mut ids: Vec<i64> = rows.collect::<Result<_, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// The files read into the store, newest first: (source, path, finished at, read, added,
    /// skipped).
    pub fn ingest_history(&self, limit: usize) -> Result<Vec<IngestRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.kind, i.path, i.finished_at, i.read, i.added, i.duplicates, i.skipped
               FROM ingests i JOIN sources s ON s.id = i.source_id
              ORDER BY i.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(IngestRow {
                source: r.get(0)?,
                path: r.get(1)?,
                finished_at: r.get(2)?,
                read: r.get(3)?,
                added: r.get(4)?,
                duplicates: r.get(5)?,
                skipped: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// One file read into the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IngestRow {
    pub source: String,
    pub path: String,
    pub finished_at: i64,
    pub read: i64,
    pub added: i64,
    pub duplicates: i64,
    pub skipped: i64,
}
