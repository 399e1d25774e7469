//! Erasure on request: a person's accounts, names, addresses and the text of their messages
//! leave the store, and what is remembered keeps them erased when the same export is read
//! again.
//!
//! What stays, and why (`docs/metrics.md`, "Erasure"):
//! - by default their messages stay as anonymous, textless records of one "erased person"
//!   (time, space, parent), so a reply to them still counts as member → member and nobody
//!   else's numbers move; with `drop` they are deleted, and replies to them become orphans;
//! - their account ids and addresses are remembered only as keyed hashes (HMAC-SHA256 with a
//!   random key kept in the store), which an ingest checks before it creates an account;
//! - the audit log keeps "erased person N, by whom, when" and nothing else about them.
//!
//! Other members' messages that quote the erased person's address, full name or a line of
//! their signature are scrubbed of it (replaced by `[erased]`). SQLite's free pages are
//! overwritten (`secure_delete`), the write-ahead log is emptied and the file rebuilt
//! (`VACUUM`), and the snapshot cache is rebuilt, so no file of the data directory keeps
//! their bytes.

use crate::{Store, StoreError};
use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;
use std::collections::{BTreeSet, HashMap};

/// What replaces scrubbed text.
pub const ERASED: &str = "[erased]";

/// What an erasure removed or changed, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Erased {
    /// The erasure's number (`erased person N`).
    pub erasure: i64,
    pub accounts: u64,
    /// Their messages: made anonymous and textless, or (with `drop`) deleted.
    pub messages: u64,
    pub dropped: bool,
    /// The anonymous person their messages now belong to (none when dropped).
    pub anonymous_person: Option<i64>,
    /// Other messages whose text or subject quoted them, scrubbed.
    pub messages_scrubbed: u64,
    pub mentions: u64,
    pub identity_actions_removed: u64,
    pub queue_states_removed: u64,
    pub queue_notes_scrubbed: u64,
    pub audit_rows_removed: u64,
    pub audit_rows_scrubbed: u64,
}

/// An ingest's view of the erasures: keyed hashes → (erasure, anonymous person or none).
#[derive(Debug, Default)]
pub(crate) struct ErasedKeys {
    key: Vec<u8>,
    hashes: HashMap<String, (i64, Option<i64>)>,
}

impl ErasedKeys {
    pub(crate) fn load(conn: &Connection) -> Result<ErasedKeys, StoreError> {
        let key: Option<Vec<u8>> = conn
            .query_row("SELECT key FROM erasure_key WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        let Some(key) = key else {
            return Ok(ErasedKeys::default());
        };
        let mut stmt = conn.prepare(
            "SELECT k.key_hash, e.id, e.person_id FROM erased_keys k
               JOIN erasures e ON e.id = k.erasure_id",
        )?;
        let hashes = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<Result<_, _>>()?;
        Ok(ErasedKeys { key, hashes })
    }

    /// The erasure that covers an account of `source` with this id or address, if any.
    pub(crate) fn find(
        &self,
        source: &str,
        native_id: &str,
        email: Option<&str>,
    ) -> Option<(i64, Option<i64>)> {
        if self.hashes.is_empty() {
            return None;
        }
        let by_id = keyed(&self.key, "id", &format!("{source}\0{native_id}"));
        if let Some(hit) = self.hashes.get(&by_id) {
            return Some(*hit);
        }
        let email = email?;
        self.hashes
            .get(&keyed(&self.key, "email", &email.to_lowercase()))
            .copied()
    }
}

fn keyed(key: &[u8], kind: &str, value: &str) -> String {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(kind.as_bytes());
    mac.update(b"\0");
    mac.update(value.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The anonymous account of erasure `erasure` in source `source_id`, created when missing.
pub(crate) fn anonymous_account(
    conn: &Connection,
    source_id: i64,
    erasure: i64,
    person: i64,
) -> Result<i64, StoreError> {
    let native = format!("erased:{erasure}");
    let name = format!("erased person {erasure}");
    conn.execute(
        "INSERT INTO accounts (source_id, native_id, display_name, person_id)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source_id, native_id) DO NOTHING",
        params![source_id, native, name, person],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM accounts WHERE source_id = ?1 AND native_id = ?2",
        params![source_id, native],
        |r| r.get(0),
    )?)
}

/// One account to erase.
struct Account {
    id: i64,
    source_id: i64,
    source: String,
    native_id: String,
    display_name: Option<String>,
    email: Option<String>,
    username: Option<String>,
    person_id: i64,
}

impl Store {
    /// Erases the accounts `accounts` (one person's) and everything of theirs: see the module
    /// documentation. One transaction, then the file is rebuilt so that no free page or log
    /// keeps their bytes. `actor` is recorded in the audit log, with nothing else of theirs.
    pub fn erase_accounts(
        &mut self,
        accounts: &[i64],
        drop: bool,
        actor: &str,
        now: i64,
    ) -> Result<Erased, StoreError> {
        self.conn.execute_batch("PRAGMA secure_delete = ON")?;
        let tx = self.conn.transaction()?;
        let erased = erase_in(&tx, accounts, drop, actor, now)?;
        // Changed text is measured again on the next refresh; words only their text used
        // leave the theme terms' vocabulary.
        crate::measures::invalidate(&tx)?;
        crate::terms::collect_garbage(&tx)?;
        crate::bump_generation(&tx)?;
        tx.commit()?;
        // Rebuild the file (no free page keeps a deleted byte) and empty the log.
        self.conn.execute_batch("VACUUM")?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        self.remove_snapshot_cache();
        Ok(erased)
    }
}

fn erase_in(
    tx: &Connection,
    account_ids: &[i64],
    drop: bool,
    actor: &str,
    now: i64,
) -> Result<Erased, StoreError> {
    let accounts = load_accounts(tx, account_ids)?;
    if accounts.is_empty() {
        return Err(StoreError::Invalid("no such account to erase".to_owned()));
    }
    let key = erasure_key(tx)?;
    let mut out = Erased {
        dropped: drop,
        accounts: accounts.len() as u64,
        ..Erased::default()
    };

    // What identifies them, for scrubbing others' text: ids, addresses, names, signatures.
    let terms = scrub_terms(tx, &accounts)?;

    let person: Option<i64> = if drop {
        None
    } else {
        tx.execute("INSERT INTO persons (display_name) VALUES ('')", [])?;
        Some(tx.last_insert_rowid())
    };
    tx.execute(
        "INSERT INTO erasures (at, dropped, person_id) VALUES (?1, ?2, ?3)",
        params![now, i64::from(drop), person],
    )?;
    let erasure = tx.last_insert_rowid();
    out.erasure = erasure;
    out.anonymous_person = person;
    if let Some(p) = person {
        tx.execute(
            "UPDATE persons SET display_name = ?1 WHERE id = ?2",
            params![format!("erased person {erasure}"), p],
        )?;
    }
    {
        let mut remember = tx.prepare(
            "INSERT INTO erased_keys (key_hash, erasure_id) VALUES (?1, ?2)
             ON CONFLICT (key_hash) DO NOTHING",
        )?;
        for a in &accounts {
            remember.execute(params![
                keyed(&key, "id", &format!("{}\0{}", a.source, a.native_id)),
                erasure
            ])?;
            if let Some(e) = &a.email {
                remember.execute(params![keyed(&key, "email", &e.to_lowercase()), erasure])?;
            }
        }
    }

    tx.execute_batch("CREATE TEMP TABLE IF NOT EXISTS erase_ids (id INTEGER PRIMARY KEY)")?;
    tx.execute("DELETE FROM temp.erase_ids", [])?;
    {
        let mut put = tx.prepare("INSERT INTO temp.erase_ids (id) VALUES (?1)")?;
        for a in &accounts {
            put.execute([a.id])?;
        }
    }
    // Queue items and their audit rows that name their messages (keys hold store refs of
    // messages as source:native id) are found before the messages change.
    let message_refs = message_refs(tx)?;

    out.messages = tx.query_row(
        "SELECT count(*) FROM messages WHERE account_id IN (SELECT id FROM temp.erase_ids)",
        [],
        |r| r.get(0),
    )?;
    if drop {
        let theirs = "SELECT id FROM messages WHERE account_id IN (SELECT id FROM temp.erase_ids)";
        tx.execute(
            &format!("UPDATE messages SET parent_id = NULL WHERE parent_id IN ({theirs})"),
            [],
        )?;
        for table in [
            "message_text",
            "text_measures",
            "mentions",
            "post_metrics",
            "inferred_replies",
        ] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE message_id IN ({theirs})"),
                [],
            )?;
        }
        tx.execute(
            &format!("DELETE FROM inferred_replies WHERE parent_id IN ({theirs})"),
            [],
        )?;
        tx.execute(
            "DELETE FROM messages WHERE account_id IN (SELECT id FROM temp.erase_ids)",
            [],
        )?;
    } else if let Some(p) = person {
        let mut anon: HashMap<i64, i64> = HashMap::new();
        for a in &accounts {
            if let std::collections::hash_map::Entry::Vacant(e) = anon.entry(a.source_id) {
                e.insert(anonymous_account(tx, a.source_id, erasure, p)?);
            }
        }
        for a in &accounts {
            let to = anon[&a.source_id];
            tx.execute(
                "UPDATE message_text SET body = ''
                  WHERE message_id IN (SELECT id FROM messages WHERE account_id = ?1)",
                [a.id],
            )?;
            tx.execute(
                "DELETE FROM text_measures
                  WHERE message_id IN (SELECT id FROM messages WHERE account_id = ?1)",
                [a.id],
            )?;
            tx.execute(
                "UPDATE messages SET account_id = ?2, subject = NULL WHERE account_id = ?1",
                params![a.id, to],
            )?;
        }
    }
    // Mentions of them point at the anonymous account (or go, when dropped).
    out.mentions = tx.query_row(
        "SELECT count(*) FROM mentions WHERE account_id IN (SELECT id FROM temp.erase_ids)",
        [],
        |r| r.get(0),
    )?;
    for a in &accounts {
        if let Some(p) = person {
            let to = anonymous_account(tx, a.source_id, erasure, p)?;
            tx.execute(
                "INSERT OR IGNORE INTO mentions (message_id, account_id)
                 SELECT message_id, ?2 FROM mentions WHERE account_id = ?1",
                params![a.id, to],
            )?;
        }
        tx.execute("DELETE FROM mentions WHERE account_id = ?1", [a.id])?;
    }
    out.identity_actions_removed = tx.execute(
        "DELETE FROM identity_actions
          WHERE account_a IN (SELECT id FROM temp.erase_ids)
             OR account_b IN (SELECT id FROM temp.erase_ids)",
        [],
    )? as u64;
    tx.execute(
        "DELETE FROM accounts WHERE id IN (SELECT id FROM temp.erase_ids)",
        [],
    )?;
    let persons: BTreeSet<i64> = accounts.iter().map(|a| a.person_id).collect();
    for p in persons {
        tx.execute(
            "DELETE FROM persons WHERE id = ?1
               AND NOT EXISTS (SELECT 1 FROM accounts WHERE person_id = ?1)",
            [p],
        )?;
    }

    // Queue states and audit rows that name them or their messages go; notes are scrubbed.
    let mut naming: Vec<String> = terms.iter().map(|t| t.to_lowercase()).collect();
    naming.extend(
        accounts
            .iter()
            .map(|a| format!("{}:{}", a.source, a.native_id).to_lowercase()),
    );
    naming.extend(message_refs.iter().map(|r| r.to_lowercase()));
    let names_them = |text: &str| {
        let lower = text.to_lowercase();
        naming
            .iter()
            .any(|n| !n.is_empty() && lower.contains(n.as_str()))
    };
    let states: Vec<(String, Option<String>)> = {
        let mut stmt = tx.prepare("SELECT key, note FROM queue_state")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (key, note) in states {
        if names_them(&key) {
            tx.execute("DELETE FROM queue_state WHERE key = ?1", [&key])?;
            out.queue_states_removed += 1;
        } else if let Some(note) = note {
            let clean = scrub(&note, &terms);
            if clean != note {
                tx.execute(
                    "UPDATE queue_state SET note = ?2 WHERE key = ?1",
                    params![key, clean],
                )?;
                out.queue_notes_scrubbed += 1;
            }
        }
    }
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare("SELECT id, target, detail FROM audit_log")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?
    };
    for (id, target, detail) in rows {
        if names_them(&target) {
            // A change to their account or their item: it goes.
            tx.execute("DELETE FROM audit_log WHERE id = ?1", [id])?;
            out.audit_rows_removed += 1;
        } else if names_them(&detail) {
            // A change to someone else's that mentions them (a note): scrubbed. `[erased]`
            // holds no quote or backslash, so the JSON stays valid.
            let clean = scrub(&detail, &terms);
            tx.execute(
                "UPDATE audit_log SET detail = ?2 WHERE id = ?1",
                params![id, clean],
            )?;
            out.audit_rows_scrubbed += 1;
        }
    }

    out.messages_scrubbed = scrub_messages(tx, &terms)?;

    crate::team::record(
        tx,
        &crate::Change::new(
            actor,
            "people.erase",
            &format!("erased person {erasure}"),
            serde_json::json!({
                "accounts": out.accounts,
                "messages": out.messages,
                "dropped": drop,
            }),
        ),
        now,
    )?;
    tx.execute("DROP TABLE temp.erase_ids", [])?;
    Ok(out)
}

fn load_accounts(tx: &Connection, ids: &[i64]) -> Result<Vec<Account>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT a.id, a.source_id, s.kind, a.native_id, a.display_name, a.email, a.username,
                a.person_id
           FROM accounts a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
    )?;
    let mut out = Vec::new();
    for id in ids {
        if let Some(a) = stmt
            .query_row([id], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    source_id: r.get(1)?,
                    source: r.get(2)?,
                    native_id: r.get(3)?,
                    display_name: r.get(4)?,
                    email: r.get(5)?,
                    username: r.get(6)?,
                    person_id: r.get(7)?,
                })
            })
            .optional()?
        {
            out.push(a);
        }
    }
    Ok(out)
}

fn erasure_key(tx: &Connection) -> Result<Vec<u8>, StoreError> {
    let key: Option<Vec<u8>> = tx
        .query_row("SELECT key FROM erasure_key WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    if let Some(k) = key {
        return Ok(k);
    }
    let mut k = vec![0u8; 32];
    getrandom::fill(&mut k)
        .map_err(|e| StoreError::Invalid(format!("no randomness for the erasure key: {e}")))?;
    tx.execute("INSERT INTO erasure_key (id, key) VALUES (1, ?1)", [&k])?;
    Ok(k)
}

/// The strings that identify the accounts in others' text: account ids that look like
/// addresses or handles, e-mail addresses, usernames, display names of two words or of six
/// characters and more (a lone short first name is everyone's), and the lines of their
/// signatures (eight characters and more). Longest first, so a name inside an address goes
/// with the address.
fn scrub_terms(tx: &Connection, accounts: &[Account]) -> Result<Vec<String>, StoreError> {
    let mut terms: BTreeSet<String> = BTreeSet::new();
    for a in accounts {
        for v in [Some(&a.native_id), a.email.as_ref(), a.username.as_ref()]
            .into_iter()
            .flatten()
        {
            if v.chars().count() >= 4 {
                terms.insert(v.clone());
            }
        }
        if let Some(n) = &a.display_name {
            name_terms(n, &mut terms);
        }
    }
    let persons: BTreeSet<i64> = accounts.iter().map(|a| a.person_id).collect();
    let mut name = tx.prepare("SELECT display_name FROM persons WHERE id = ?1")?;
    for p in persons {
        if let Some(n) = name.query_row([p], |r| r.get::<_, String>(0)).optional()? {
            name_terms(&n, &mut terms);
        }
    }
    let mut bodies = tx.prepare(
        "SELECT t.body FROM message_text t JOIN messages m ON m.id = t.message_id
          WHERE m.account_id = ?1",
    )?;
    for a in accounts {
        let rows = bodies.query_map([a.id], |r| r.get::<_, String>(0))?;
        for body in rows {
            for line in signature_lines(&body?) {
                terms.insert(line);
            }
        }
    }
    let mut v: Vec<String> = terms.into_iter().collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    Ok(v)
}

/// A display name and the forms others write it in: without dots ("Ann B Lee"), first and
/// last name only ("Ann Lee"), and "Lee, Ann". A one-word name counts from six characters.
fn name_terms(name: &str, terms: &mut BTreeSet<String>) {
    let name = name.trim();
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        if name.chars().count() >= 6 {
            terms.insert(name.to_owned());
        }
        return;
    }
    terms.insert(name.to_owned());
    terms.insert(name.replace('.', ""));
    let (first, last) = (words[0].trim_matches(','), words[words.len() - 1]);
    if first.chars().count() >= 2 && last.chars().count() >= 2 {
        terms.insert(format!("{first} {last}"));
        terms.insert(format!("{last}, {first}"));
    }
}

/// The lines of a message's signature: after a `-- ` delimiter line (RFC 3676), at most six,
/// each of eight characters or more once trimmed.
pub fn signature_lines(body: &str) -> Vec<String> {
    let mut lines = body.lines();
    let mut found = false;
    for l in lines.by_ref() {
        if l == "-- " || l == "--" {
            found = true;
            break;
        }
    }
    if !found {
        return Vec::new();
    }
    lines
        .take(6)
        .map(|l| l.trim().trim_start_matches('>').trim().to_owned())
        .filter(|l| l.chars().count() >= 8)
        .collect()
}

/// `text` with every occurrence of a term (ASCII case ignored) replaced by [`ERASED`].
pub fn scrub(text: &str, terms: &[String]) -> String {
    let mut out = text.to_owned();
    for t in terms {
        if t.is_empty() {
            continue;
        }
        let needle = t.to_ascii_lowercase();
        let mut lower = out.to_ascii_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&needle) {
            let start = from + at;
            let end = start + needle.len();
            out.replace_range(start..end, ERASED);
            lower.replace_range(start..end, ERASED);
            from = start + ERASED.len();
        }
    }
    out
}

/// Scrubs every message text and subject that holds a term; returns how many messages
/// changed. One scan of the text.
fn scrub_messages(tx: &Connection, terms: &[String]) -> Result<u64, StoreError> {
    if terms.is_empty() {
        return Ok(0);
    }
    let like: Vec<String> = terms
        .iter()
        .map(|t| {
            let e = t
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            format!("%{e}%")
        })
        .collect();
    let condition = |col: &str| {
        (1..=like.len())
            .map(|i| format!("{col} LIKE ?{i} ESCAPE '\\'"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let mut changed: BTreeSet<i64> = BTreeSet::new();
    let hits: Vec<(i64, String)> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT message_id, body FROM message_text WHERE {}",
            condition("body")
        ))?;
        stmt.query_map(rusqlite::params_from_iter(&like), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?
    };
    for (id, body) in hits {
        let clean = scrub(&body, terms);
        if clean != body {
            tx.execute(
                "UPDATE message_text SET body = ?2 WHERE message_id = ?1",
                params![id, clean],
            )?;
            tx.execute("DELETE FROM text_measures WHERE message_id = ?1", [id])?;
            changed.insert(id);
        }
    }
    let subjects: Vec<(i64, String)> = {
        let mut stmt = tx.prepare(&format!(
            "SELECT id, subject FROM messages WHERE subject IS NOT NULL AND ({})",
            condition("subject")
        ))?;
        stmt.query_map(rusqlite::params_from_iter(&like), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<Result<_, _>>()?
    };
    for (id, subject) in subjects {
        let clean = scrub(&subject, terms);
        if clean != subject {
            tx.execute(
                "UPDATE messages SET subject = ?2 WHERE id = ?1",
                params![id, clean],
            )?;
            tx.execute("DELETE FROM text_measures WHERE message_id = ?1", [id])?;
            changed.insert(id);
        }
    }
    Ok(changed.len() as u64)
}

/// `source:native id` of the messages of the accounts in `temp.erase_ids`.
fn message_refs(tx: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.prepare(
        "SELECT s.kind || ':' || m.native_id FROM messages m JOIN sources s ON s.id = m.source_id
          WHERE m.account_id IN (SELECT id FROM temp.erase_ids)",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_replaces_every_case_of_a_term() {
        let terms = vec!["Ann.Lee@Example.org".to_owned(), "Ann Lee".to_owned()];
        assert_eq!(
            scrub("From ann.lee@example.org (ANN LEE) and ann lee", &terms),
            "From [erased] ([erased]) and [erased]"
        );
        assert_eq!(scrub("nothing here", &terms), "nothing here");
    }

    #[test]
    fn signature_lines_follow_the_delimiter() {
        let body = "Hi\n\n-- \nAnn Lee, Principal Engineer\nACME\n+1 555 0100 ext 12\n";
        assert_eq!(
            signature_lines(body),
            vec!["Ann Lee, Principal Engineer", "+1 555 0100 ext 12"]
        );
        assert!(signature_lines("no signature").is_empty());
    }

    #[test]
    fn names_are_scrubbed_in_the_forms_others_write_them() {
        let mut terms = BTreeSet::new();
        name_terms("Ann B. Lee", &mut terms);
        let terms: Vec<String> = terms.into_iter().collect();
        assert_eq!(terms, ["Ann B Lee", "Ann B. Lee", "Ann Lee", "Lee, Ann"]);
        let mut short = BTreeSet::new();
        name_terms("Ann", &mut short);
        assert!(short.is_empty(), "a lone short first name is everyone's");
    }
}
