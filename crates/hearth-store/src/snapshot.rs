//! Building the in-memory columnar [`Snapshot`] that analysis runs on.

use crate::{Store, StoreError};
use hearth_model::{
    AccountId, AccountInfo, IdentityAction, MessageColumns, NO_PARENT, PersonId, PersonInfo,
    Snapshot, SpaceId, SpaceInfo,
};
use std::collections::HashMap;

impl Store {
    /// Loads every message (as integer columns), person and space from the tables.
    pub fn load_snapshot(&self) -> Result<Snapshot, StoreError> {
        let sources: HashMap<i64, String> = {
            let mut stmt = self.conn.prepare("SELECT id, kind FROM sources")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let source_name = |id: i64| sources.get(&id).cloned().unwrap_or_default();

        let mut persons = Vec::new();
        let mut person_index = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT id, display_name FROM persons ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                person_index.insert(id, persons.len() as u32);
                persons.push(PersonInfo {
                    id: PersonId(id),
                    display_name: r.get(1)?,
                    accounts: Vec::new(),
                    evidence: Vec::new(),
                });
            }
        }

        let mut account_person = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, source_id, native_id, display_name, email, flags, person_id, username
                   FROM accounts ORDER BY id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let person: i64 = r.get(6)?;
                let flags: String = r.get(5)?;
                let Some(&p) = person_index.get(&person) else {
                    continue;
                };
                account_person.insert(id, p);
                persons[p as usize].accounts.push(AccountInfo {
                    id: AccountId(id),
                    source: source_name(r.get(1)?),
                    native_id: r.get(2)?,
                    display_name: r.get(3)?,
                    email: r.get(4)?,
                    username: r.get(7)?,
                    flags: serde_json::from_str(&flags).unwrap_or_default(),
                });
            }
        }

        let mut spaces = Vec::new();
        let mut space_index = HashMap::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT id, source_id, native_id, name FROM spaces ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                space_index.insert(id, spaces.len() as u32);
                spaces.push(SpaceInfo {
                    id: SpaceId(id),
                    source: source_name(r.get(1)?),
                    native_id: r.get(2)?,
                    name: r.get(3)?,
                });
            }
        }

        let count = self.message_count()? as usize;
        let mut ids: Vec<i64> = Vec::with_capacity(count);
        let mut parent_ids: Vec<Option<i64>> = Vec::with_capacity(count);
        let mut inferred: Vec<f32> = Vec::with_capacity(count);
        // Messages that declare a parent: (position, the parent's export id while unlinked).
        let mut declared: Vec<(u32, Option<String>)> = Vec::new();
        let mut messages = MessageColumns {
            id: Vec::new(),
            time: Vec::with_capacity(count),
            author: Vec::with_capacity(count),
            parent: Vec::with_capacity(count),
            space: Vec::with_capacity(count),
            ..MessageColumns::default()
        };
        {
            let mut stmt = self.conn.prepare(
                "SELECT m.id, m.time, m.account_id, COALESCE(m.parent_id, r.parent_id), m.space_id,
                        CASE WHEN m.parent_id IS NULL THEN r.confidence END,
                        m.parent_native IS NOT NULL,
                        CASE WHEN m.parent_id IS NULL THEN m.parent_native END
                   FROM messages m LEFT JOIN inferred_replies r ON r.message_id = m.id
                  ORDER BY m.id",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let account: i64 = r.get(2)?;
                let space: i64 = r.get(4)?;
                let (Some(&author), Some(&space)) =
                    (account_person.get(&account), space_index.get(&space))
                else {
                    continue;
                };
                ids.push(r.get(0)?);
                messages.time.push(r.get(1)?);
                messages.author.push(author);
                parent_ids.push(r.get(3)?);
                messages.space.push(space);
                let confidence: Option<f64> = r.get(5)?;
                inferred.push(confidence.map_or(0.0, |c| c.clamp(1e-6, 1.0) as f32));
                if r.get::<_, bool>(6)? {
                    declared.push((ids.len() as u32 - 1, r.get(7)?));
                }
            }
        }
        // Rows come in id order, so a parent's position is found by binary search.
        messages.parent = parent_ids
            .iter()
            .map(|p| {
                p.and_then(|p| ids.binary_search(&p).ok())
                    .map_or(NO_PARENT, |i| i as u32)
            })
            .collect();
        messages.orphan = orphans(&declared, &messages.parent, &messages.space);
        // Mentions, as compressed rows per message (persons deduplicated per message).
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT message_id, account_id FROM mentions ORDER BY message_id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (message, account): (i64, i64) = (r.get(0)?, r.get(1)?);
                if let (Ok(i), Some(&p)) =
                    (ids.binary_search(&message), account_person.get(&account))
                {
                    pairs.push((i as u32, p));
                }
            }
        }
        if !pairs.is_empty() {
            pairs.sort_unstable();
            pairs.dedup();
            let mut start = Vec::with_capacity(ids.len() + 1);
            let mut k = 0usize;
            for i in 0..ids.len() as u32 {
                start.push(k as u32);
                while k < pairs.len() && pairs[k].0 == i {
                    k += 1;
                }
            }
            start.push(k as u32);
            messages.mention_start = start;
            messages.mention_person = pairs.into_iter().map(|(_, p)| p).collect();
        }
        self.load_measures(&ids, &mut messages)?;
        messages.id = ids;
        if inferred.iter().any(|c| *c > 0.0) {
            messages.inferred = inferred;
        }
        Ok(Snapshot {
            messages,
            persons,
            spaces,
            identity_actions: self.identity_actions()?,
        })
    }
}

impl Store {
    /// The text measures, as columns, when they are complete for the store's key (else the
    /// columns stay empty and readers compute from the text).
    fn load_measures(&self, ids: &[i64], messages: &mut MessageColumns) -> Result<(), StoreError> {
        let Some(key) = crate::measures::state(&self.conn)? else {
            return Ok(());
        };
        let n = ids.len();
        let mut sentiment = vec![f64::NAN; n];
        let mut codes = vec![u32::MAX; n];
        let mut names = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT message_id, compound, label, intent_root, intent_reply, names, flags
               FROM text_measures WHERE lexicon = ?1 AND names_key = ?2 ORDER BY message_id",
        )?;
        let mut rows = stmt.query(rusqlite::params![key.0, key.1])?;
        while let Some(r) = rows.next()? {
            let Ok(i) = ids.binary_search(&r.get::<_, i64>(0)?) else {
                continue;
            };
            let m = crate::measures::from_row(r, 1)?;
            sentiment[i] = m.compound;
            codes[i] = m.codes();
            if m.names != 0 {
                names.push((i as u32, m.names));
            }
        }
        if codes.contains(&u32::MAX) {
            tracing::warn!("text measures incomplete although recorded complete; reading text");
            return Ok(());
        }
        messages.sentiment = sentiment;
        messages.text_codes = codes;
        messages.names = names;
        messages.measure_key = Some(key);
        Ok(())
    }
}

/// The orphan column (see [`MessageColumns::orphan`]): of the messages that declare a
/// parent, those whose parent is not in the snapshot, grouped by (space, missing parent).
/// `NO_PARENT` everywhere else; empty when there is no orphan.
fn orphans(declared: &[(u32, Option<String>)], parent: &[u32], space: &[u32]) -> Vec<u32> {
    let mut column = Vec::new();
    let mut first: HashMap<(u32, &str), u32> = HashMap::new();
    for (i, native) in declared {
        let k = *i as usize;
        if parent[k] != NO_PARENT {
            continue;
        }
        if column.is_empty() {
            column = vec![NO_PARENT; parent.len()];
        }
        column[k] = match native {
            // A parent linked in the store but left out of the snapshot: a thread of its own.
            None => *i,
            Some(native) => *first.entry((space[k], native.as_str())).or_insert(*i),
        };
    }
    column
}

impl Store {
    /// Merges and splits made by hand, oldest first.
    pub fn identity_actions(&self) -> Result<Vec<IdentityAction>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, account_a, account_b, note, created_at FROM identity_actions ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(0)?;
            let a = AccountId(r.get(1)?);
            let b: Option<i64> = r.get(2)?;
            let note: String = r.get(3)?;
            let at: i64 = r.get(4)?;
            Ok(match (kind.as_str(), b) {
                ("merge", Some(b)) => IdentityAction::Merge {
                    a,
                    b: AccountId(b),
                    note,
                    at,
                },
                _ => IdentityAction::Split {
                    account: a,
                    note,
                    at,
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records that accounts `a` and `b` are one person.
    pub fn merge_accounts(
        &self,
        a: AccountId,
        b: AccountId,
        note: &str,
        audit: &crate::Change,
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        crate::bump_generation(&tx)?;
        tx.execute(
            "INSERT INTO identity_actions (kind, account_a, account_b, note, created_at)
             VALUES ('merge', ?1, ?2, ?3, unixepoch())",
            rusqlite::params![a.0, b.0, note],
        )?;
        crate::team::record(&tx, audit, crate::now())?;
        tx.commit()?;
        Ok(())
    }

    /// Records that `account` stands alone: rules and earlier merges no longer join it to
    /// anyone (later merges by hand still do).
    pub fn split_account(
        &self,
        account: AccountId,
        note: &str,
        audit: &crate::Change,
    ) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        crate::bump_generation(&tx)?;
        tx.execute(
            "INSERT INTO identity_actions (kind, account_a, note, created_at)
             VALUES ('split', ?1, ?2, unixepoch())",
            rusqlite::params![account.0, note],
        )?;
        crate::team::record(&tx, audit, crate::now())?;
        tx.commit()?;
        Ok(())
    }
}
