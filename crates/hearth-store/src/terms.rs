//! Theme terms stored per message (`text_measures.terms`), next to the other text measures:
//! the words the themes metric counts, as ids into one vocabulary (`terms`), so that the
//! metric reads a few bytes a message instead of its text.
//!
//! A message's terms are its sorted term ids, delta-encoded as LEB128 varints (a message of
//! 30 words takes about 40 bytes). The vocabulary only holds words some stored message uses:
//! an erasure removes the words no remaining message uses ([`collect_garbage`]), so an erased
//! person's name does not outlive their text.

use crate::{Store, StoreError};
use rusqlite::{Connection, params};
use std::collections::HashMap;

/// The vocabulary while messages are measured: word → id, new words written to `terms` in the
/// caller's transaction (a rolled-back transaction takes its words with it, and the next
/// ingest loads the vocabulary again).
#[derive(Debug, Default)]
pub(crate) struct Vocab {
    ids: HashMap<String, u32>,
    next: u32,
}

impl Vocab {
    /// The stored vocabulary.
    pub(crate) fn load(conn: &Connection) -> Result<Vocab, StoreError> {
        let mut ids = HashMap::new();
        let mut next = 0u32;
        let mut stmt = conn.prepare("SELECT id, word FROM terms")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let word: String = r.get(1)?;
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            next = next.max(id.saturating_add(1));
            ids.insert(word, id);
        }
        Ok(Vocab { ids, next })
    }

    /// The encoded terms of one message (`words` each once), adding new words to `terms`.
    pub(crate) fn encode(
        &mut self,
        conn: &Connection,
        words: &[String],
    ) -> Result<Vec<u8>, StoreError> {
        let mut ids: Vec<u32> = Vec::with_capacity(words.len());
        for w in words {
            let id = match self.ids.get(w.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.next;
                    self.next += 1;
                    conn.prepare_cached("INSERT INTO terms (id, word) VALUES (?1, ?2)")?
                        .execute(params![id, w])?;
                    self.ids.insert(w.clone(), id);
                    id
                }
            };
            ids.push(id);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(encode(&ids))
    }
}

/// Sorted ids as delta-encoded LEB128 varints.
pub(crate) fn encode(sorted: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(sorted.len() * 2);
    let mut prev = 0u32;
    for &id in sorted {
        let mut d = id - prev;
        prev = id;
        loop {
            let b = (d & 0x7f) as u8;
            d >>= 7;
            if d == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    }
    out
}

/// The ids of an encoded blob, appended to `out` (a truncated varint ends the list).
pub fn decode(blob: &[u8], out: &mut Vec<u32>) {
    let mut prev = 0u32;
    let mut d = 0u32;
    let mut shift = 0u32;
    for &b in blob {
        if shift < 32 {
            d |= u32::from(b & 0x7f) << shift;
        }
        if b & 0x80 == 0 {
            prev = prev.wrapping_add(d);
            out.push(prev);
            d = 0;
            shift = 0;
        } else {
            shift += 7;
        }
    }
}

/// Deletes the vocabulary's words that no stored message uses (after an erasure).
pub(crate) fn collect_garbage(conn: &Connection) -> Result<u64, StoreError> {
    let mut used: Vec<bool> = Vec::new();
    let mut ids = Vec::new();
    {
        let mut stmt = conn.prepare("SELECT terms FROM text_measures WHERE terms IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            ids.clear();
            decode(r.get_ref(0)?.as_blob().unwrap_or(&[]), &mut ids);
            for &id in &ids {
                let k = id as usize;
                if k >= used.len() {
                    used.resize(k + 1, false);
                }
                used[k] = true;
            }
        }
    }
    let unused: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM terms")?;
        stmt.query_map([], |r| r.get::<_, i64>(0))?
            .filter_map(|id| id.ok())
            .filter(|&id| !used.get(id as usize).copied().unwrap_or(false))
            .collect()
    };
    let mut delete = conn.prepare("DELETE FROM terms WHERE id = ?1")?;
    for id in &unused {
        delete.execute([id])?;
    }
    Ok(unused.len() as u64)
}

impl Store {
    /// The vocabulary of the theme terms: word by id (an unused id is an empty word).
    pub fn term_words(&self) -> Result<Vec<String>, StoreError> {
        let mut words: Vec<String> = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT id, word FROM terms ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id = usize::try_from(r.get::<_, i64>(0)?).unwrap_or(usize::MAX);
            if id > words.len() + 10_000_000 {
                continue;
            }
            if id >= words.len() {
                words.resize(id + 1, String::new());
            }
            words[id] = r.get(1)?;
        }
        Ok(words)
    }

    /// Calls `f(id, term ids)` for each of `ids` (ascending) that has stored theme terms, in id
    /// order. Only meaningful when the measures are complete (see
    /// [`Store::measures_state`]).
    pub fn for_each_terms(
        &self,
        ids: &[i64],
        mut f: impl FnMut(i64, &[u32]),
    ) -> Result<(), StoreError> {
        let mut decoded = Vec::new();
        crate::for_each_of(
            &self.conn,
            ids,
            "SELECT message_id, terms FROM text_measures
              WHERE message_id = ?1 AND terms IS NOT NULL",
            "SELECT message_id, terms FROM text_measures
              WHERE message_id BETWEEN ?1 AND ?2 AND terms IS NOT NULL ORDER BY message_id",
            |id, r| {
                decoded.clear();
                decode(r.get_ref(1)?.as_blob().unwrap_or(&[]), &mut decoded);
                f(id, &decoded);
                Ok(())
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_round_trip_through_the_varint_encoding() {
        let ids = vec![0, 1, 127, 128, 300, 16_384, 2_000_000, u32::MAX];
        let mut back = Vec::new();
        decode(&encode(&ids), &mut back);
        assert_eq!(back, ids);
        // A truncated blob ends the list instead of inventing an id.
        let blob = encode(&[5, 200]);
        back.clear();
        decode(&blob[..blob.len() - 1], &mut back);
        assert_eq!(back, vec![5]);
    }
}
