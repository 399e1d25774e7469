//! Text measures stored per message (`text_measures`), computed at ingest while the text is
//! in memory by a [`Measurer`] the application layer hands in (the store knows no analysis),
//! and computed again from the stored text for the rows another lexicon or names key made.
//!
//! `measures_state` holds one row when every message has its measures for that key; an
//! ingest without a measurer of that key, an erasure, or a refresh in progress removes it, so
//! the snapshot only carries measures that are complete and current.

use crate::{Store, StoreError};
use hearth_model::{Measured, TextMeasure};
use rusqlite::{OptionalExtension, params};

/// Computes a message's measures and theme terms from (subject, body).
pub type MeasureFn = dyn Fn(&str, &str) -> Measured + Send + Sync;

/// What computes a message's measures, and the key they are stored under: (lexicon version,
/// names key).
pub struct Measurer {
    pub key: (i64, i64),
    pub measure: Box<MeasureFn>,
}

impl std::fmt::Debug for Measurer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Measurer")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

pub(crate) const INSERT: &str = "INSERT OR REPLACE INTO text_measures
    (message_id, lexicon, names_key, compound, label, intent_root, intent_reply, names, flags,
     terms)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// `flags` bit 0: the message uses a welcome phrase.
const WELCOME: i64 = 1;

pub(crate) fn insert(
    conn: &rusqlite::Connection,
    stmt: &mut rusqlite::Statement<'_>,
    vocab: &mut crate::terms::Vocab,
    id: i64,
    key: (i64, i64),
    m: &Measured,
) -> Result<(), StoreError> {
    let terms = vocab.encode(conn, &m.terms)?;
    let x = &m.measure;
    stmt.execute(params![
        id,
        key.0,
        key.1,
        x.compound,
        x.label,
        x.intent_root,
        x.intent_reply,
        x.names as i64,
        if x.welcome { WELCOME } else { 0 },
        terms
    ])?;
    Ok(())
}

/// A stored row's measure (`flags` as written by [`insert`]).
pub(crate) fn from_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<TextMeasure> {
    Ok(TextMeasure {
        compound: r.get(first)?,
        label: r.get(first + 1)?,
        intent_root: r.get(first + 2)?,
        intent_reply: r.get(first + 3)?,
        names: r.get::<_, i64>(first + 4)? as u64,
        welcome: r.get::<_, i64>(first + 5)? & WELCOME != 0,
    })
}

/// The key every message's measures are complete for, if any.
pub(crate) fn state(conn: &rusqlite::Connection) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT lexicon, names_key FROM measures_state WHERE one = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Records that every message has its measures for `key`.
pub(crate) fn complete(conn: &rusqlite::Connection, key: (i64, i64)) -> Result<(), StoreError> {
    conn.execute(
        "INSERT OR REPLACE INTO measures_state (one, lexicon, names_key) VALUES (1, ?1, ?2)",
        params![key.0, key.1],
    )?;
    Ok(())
}

/// Forgets that the measures are complete (they are computed again on the next refresh).
pub(crate) fn invalidate(conn: &rusqlite::Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM measures_state", [])?;
    Ok(())
}

impl Store {
    /// From now on, ingests compute each new message's measures with `measurer`.
    pub fn set_measurer(&mut self, measurer: Measurer) {
        self.measurer = Some(measurer);
    }

    /// The key every message's measures are complete for, if any.
    pub fn measures_state(&self) -> Result<Option<(i64, i64)>, StoreError> {
        state(&self.conn)
    }

    /// Computes the measures of every message that has none for `measurer.key` (from the
    /// stored text), in batches of 10,000, then records them complete; `progress(done,
    /// total)` after each batch. Returns how many were computed.
    pub fn refresh_measures(
        &self,
        measurer: &Measurer,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, StoreError> {
        let key = measurer.key;
        let stale = "FROM messages m LEFT JOIN text_measures x ON x.message_id = m.id
                     WHERE x.message_id IS NULL OR x.lexicon != ?1 OR x.names_key != ?2";
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) {stale}"),
            params![key.0, key.1],
            |r| r.get(0),
        )?;
        let mut done = 0u64;
        let mut after = 0i64;
        // A failed batch rolls back its new words with it; this refresh then stops.
        let mut vocab = crate::terms::Vocab::load(&self.conn)?;
        loop {
            let ids: Vec<i64> = {
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT m.id {stale} AND m.id > ?3 ORDER BY m.id LIMIT 10000"
                ))?;
                stmt.query_map(params![key.0, key.1, after], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            };
            let Some(&last) = ids.last() else { break };
            after = last;
            let mut computed: Vec<(i64, Measured)> = Vec::with_capacity(ids.len());
            self.for_each_text(&ids, |id, subject, body| {
                computed.push((id, (measurer.measure)(subject, body)));
            })?;
            // A message without a text row measures as empty text.
            let empty = (measurer.measure)("", "");
            let tx = self.conn.unchecked_transaction()?;
            let outcome = (|| -> Result<(), StoreError> {
                let mut stmt = tx.prepare_cached(INSERT)?;
                let mut k = 0;
                for id in &ids {
                    let m = match computed.get(k) {
                        Some((cid, m)) if cid == id => {
                            k += 1;
                            m
                        }
                        _ => &empty,
                    };
                    insert(&tx, &mut stmt, &mut vocab, *id, key, m)?;
                }
                Ok(())
            })();
            outcome?;
            tx.commit()?;
            done += ids.len() as u64;
            progress(done, total as u64);
        }
        let tx = self.conn.unchecked_transaction()?;
        complete(&tx, key)?;
        crate::bump_generation(&tx)?;
        tx.commit()?;
        Ok(done)
    }
}
