//! Work-queue state: open, done or snoozed, with assignee and note, by stable item key.

use crate::{Store, StoreError};
use rusqlite::{OptionalExtension, params};
use std::collections::HashMap;

/// What someone decided about one queue item (row of `queue_state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueState {
    pub key: String,
    /// `open`, `done` or `snoozed`.
    pub status: String,
    pub snoozed_until: Option<i64>,
    pub assignee: Option<String>,
    pub note: Option<String>,
    pub updated_at: i64,
}

/// A change to an item's state; `None` fields keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueChange {
    pub status: Option<String>,
    /// `Some(None)` clears it.
    pub snoozed_until: Option<Option<i64>>,
    pub assignee: Option<Option<String>>,
    pub note: Option<Option<String>>,
}

impl Store {
    /// Every stored queue state, by key.
    pub fn queue_states(&self) -> Result<HashMap<String, QueueState>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT key, status, snoozed_until, assignee, note, updated_at FROM queue_state",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(QueueState {
                key: r.get(0)?,
                status: r.get(1)?,
                snoozed_until: r.get(2)?,
                assignee: r.get(3)?,
                note: r.get(4)?,
                updated_at: r.get(5)?,
            })
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let s = row?;
            out.insert(s.key.clone(), s);
        }
        Ok(out)
    }

    /// Applies a change to one item's state (creating it as `open` first), in one
    /// transaction; returns the new state.
    pub fn update_queue_state(
        &mut self,
        key: &str,
        change: &QueueChange,
        now: i64,
        audit: &crate::Change,
    ) -> Result<QueueState, StoreError> {
        let tx = self.conn.transaction()?;
        let current: Option<QueueState> = tx
            .query_row(
                "SELECT key, status, snoozed_until, assignee, note, updated_at FROM queue_state
                  WHERE key = ?1",
                [key],
                |r| {
                    Ok(QueueState {
                        key: r.get(0)?,
                        status: r.get(1)?,
                        snoozed_until: r.get(2)?,
                        assignee: r.get(3)?,
                        note: r.get(4)?,
                        updated_at: r.get(5)?,
                    })
                },
            )
            .optional()?;
        let mut s = current.unwrap_or(QueueState {
            key: key.to_owned(),
            status: "open".to_owned(),
            snoozed_until: None,
            assignee: None,
            note: None,
            updated_at: now,
        });
        if let Some(status) = &change.status {
            s.status = status.clone();
        }
        if let Some(until) = change.snoozed_until {
            s.snoozed_until = until;
        }
        if let Some(a) = &change.assignee {
            s.assignee = a.clone();
        }
        if let Some(n) = &change.note {
            s.note = n.clone();
        }
        s.updated_at = now;
        tx.execute(
            "INSERT INTO queue_state (key, status, snoozed_until, assignee, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (key) DO UPDATE SET status = excluded.status,
                 snoozed_until = excluded.snoozed_until, assignee = excluded.assignee,
                 note = excluded.note, updated_at = excluded.updated_at",
            params![
                s.key,
                s.status,
                s.snoozed_until,
                s.assignee,
                s.note,
                s.updated_at
            ],
        )?;
        crate::team::record(&tx, audit, now)?;
        tx.commit()?;
        Ok(s)
    }

    /// Source and export id of many messages at once (store ids, sorted ascending →
    /// `source:native_id`), in one read transaction (see [`crate::for_each_of`]).
    pub fn message_refs(&self, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        crate::for_each_of(
            &self.conn,
            ids,
            "SELECT m.id, s.kind || ':' || m.native_id FROM messages m
               JOIN sources s ON s.id = m.source_id WHERE m.id = ?1",
            "SELECT m.id, s.kind || ':' || m.native_id FROM messages m
               JOIN sources s ON s.id = m.source_id WHERE m.id BETWEEN ?1 AND ?2 ORDER BY m.id",
            |id, r| {
                out.insert(id, r.get::<_, String>(1)?);
                Ok(())
            },
        )?;
        Ok(out)
    }
}

impl Store {
    /// Subjects of many messages (store ids, sorted ascending); messages without one are
    /// left out. One range scan of the messages table.
    pub fn subjects(&self, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let mut out = HashMap::with_capacity(ids.len());
        let (Some(&lo), Some(&hi)) = (ids.first(), ids.last()) else {
            return Ok(out);
        };
        let wanted: std::collections::HashSet<i64> = ids.iter().copied().collect();
        let mut stmt = self.conn.prepare(
            "SELECT id, subject FROM messages WHERE id BETWEEN ?1 AND ?2 AND subject IS NOT NULL",
        )?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if wanted.contains(&id) {
                out.insert(id, r.get(1)?);
            }
        }
        Ok(out)
    }
}
