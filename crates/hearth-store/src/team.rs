//! The team: users, API tokens, sessions, login throttling and the log of every change.
//!
//! Secrets never enter this module in the clear: callers hand in an Argon2id PHC string for a
//! password and the hex SHA-256 of a session id or token; nothing here can print or export a
//! secret because nothing here has one.

use crate::{Store, StoreError};
use rusqlite::{Connection, OptionalExtension, params};

/// One entry of the audit log, as written: who did what to which thing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Change {
    /// Who: `user:NAME`, `token:NAME`, or `cli:OSUSER` for the command line.
    pub actor: String,
    /// What: `queue.done`, `people.merge`, `user.add`, `ingest`, …
    pub action: String,
    /// Which thing: a queue key, accounts, a user name, the paths read.
    pub target: String,
    /// The change's details (a JSON object).
    pub detail: serde_json::Value,
}

impl Change {
    pub fn new(actor: &str, action: &str, target: &str, detail: serde_json::Value) -> Change {
        Change {
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: target.to_owned(),
            detail,
        }
    }
}

/// One entry of the audit log, as read back.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChangeRow {
    pub id: i64,
    pub time: i64,
    #[serde(flatten)]
    pub change: Change,
}

/// A person who logs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    /// Argon2id PHC string (never shown).
    pub password_hash: String,
    pub created_at: i64,
}

/// A token for scripts (its hash only).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// A login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub user: UserRow,
    pub created_at: i64,
    pub last_seen: i64,
}

/// Failed logins of one subject (`user:NAME` or `addr:IP`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailureRow {
    pub subject: String,
    pub failures: i64,
    pub last_at: i64,
    pub locked_at: Option<i64>,
}

pub(crate) fn record(conn: &Connection, c: &Change, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit_log (time, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now, c.actor, c.action, c.target, c.detail.to_string()],
    )?;
    Ok(())
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        password_hash: r.get(3)?,
        created_at: r.get(4)?,
    })
}

fn token_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        created_at: r.get(3)?,
        last_used_at: r.get(4)?,
        revoked_at: r.get(5)?,
    })
}

fn failure_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FailureRow> {
    Ok(FailureRow {
        subject: r.get(0)?,
        failures: r.get(1)?,
        last_at: r.get(2)?,
        locked_at: r.get(3)?,
    })
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.password_hash, u.created_at";

impl Store {
    /// Writes one entry of the audit log.
    pub fn log_change(&self, change: &Change, now: i64) -> Result<(), StoreError> {
        record(&self.conn, change, now)
    }

    /// The audit log, newest first.
    pub fn changes(&self, limit: usize, offset: usize) -> Result<Vec<ChangeRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, time, actor, action, target, detail FROM audit_log
              ORDER BY id DESC LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], |r| {
            let detail: String = r.get(5)?;
            Ok(ChangeRow {
                id: r.get(0)?,
                time: r.get(1)?,
                change: Change {
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    target: r.get(4)?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                },
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Adds a user; `None` when the name is taken.
    pub fn add_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        now: i64,
        audit: &Change,
    ) -> Result<Option<i64>, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let added = tx.execute(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO NOTHING",
            params![name, role, password_hash, now],
        )?;
        if added == 0 {
            return Ok(None);
        }
        let id = tx.last_insert_rowid();
        record(&tx, audit, now)?;
        tx.commit()?;
        Ok(Some(id))
    }

    pub fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name"
        ))?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn user(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?1"),
                [name],
                user_row,
            )
            .optional()?)
    }

    /// Removes a user and their sessions; false when there is no such user.
    pub fn remove_user(&self, name: &str, now: i64, audit: &Change) -> Result<bool, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let n = tx.execute("DELETE FROM users WHERE name = ?1", [name])?;
        if n > 0 {
            record(&tx, audit, now)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Changes a user's password (and ends their sessions); false when there is no such user.
    pub fn set_password(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
        audit: &Change,
    ) -> Result<bool, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        if n > 0 {
            tx.execute(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?1)",
                [name],
            )?;
            record(&tx, audit, now)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    /// Adds a token; `None` when the name is taken by a token not revoked.
    pub fn add_token(
        &self,
        name: &str,
        role: &str,
        token_hash: &str,
        now: i64,
        audit: &Change,
    ) -> Result<Option<i64>, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        // A revoked token's name may be used again.
        tx.execute(
            "DELETE FROM api_tokens WHERE name = ?1 AND revoked_at IS NOT NULL",
            [name],
        )?;
        let added = tx.execute(
            "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO NOTHING",
            params![name, role, token_hash, now],
        )?;
        if added == 0 {
            return Ok(None);
        }
        let id = tx.last_insert_rowid();
        record(&tx, audit, now)?;
        tx.commit()?;
        Ok(Some(id))
    }

    pub fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens
              ORDER BY name",
        )?;
        let rows = stmt.query_map([], token_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The live token with this hash, marked as used now.
    pub fn use_token(&self, token_hash: &str, now: i64) -> Result<Option<TokenRow>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_tokens
                  WHERE token_hash = ?1 AND revoked_at IS NULL",
                [token_hash],
                token_row,
            )
            .optional()?;
        if let Some(t) = &row
            && t.last_used_at.is_none_or(|u| now - u >= 60)
        {
            self.conn.execute(
                "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
                params![t.id, now],
            )?;
        }
        Ok(row)
    }

    /// Revokes a token by name; false when there is no live token of that name.
    pub fn revoke_token(&self, name: &str, now: i64, audit: &Change) -> Result<bool, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
            params![name, now],
        )?;
        if n > 0 {
            record(&tx, audit, now)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    pub fn create_session(&self, id_hash: &str, user_id: i64, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen)
             VALUES (?1, ?2, ?3, ?3)",
            params![id_hash, user_id, now],
        )?;
        Ok(())
    }

    /// The session with this hash and its user.
    pub fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {USER_COLUMNS}, s.created_at, s.last_seen
                       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?1"
                ),
                [id_hash],
                |r| {
                    Ok(SessionRow {
                        user: user_row(r)?,
                        created_at: r.get(5)?,
                        last_seen: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn touch_session(&self, id_hash: &str, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1",
            params![id_hash, now],
        )?;
        Ok(())
    }

    pub fn end_session(&self, id_hash: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])?;
        Ok(())
    }

    /// Deletes sessions idle since `idle_before` or created before `created_before`.
    pub fn purge_sessions(&self, idle_before: i64, created_before: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sessions WHERE last_seen < ?1 OR created_at < ?2",
            params![idle_before, created_before],
        )?;
        Ok(())
    }

    /// The failures of a subject, if any.
    pub fn login_failures(&self, subject: &str) -> Result<Option<FailureRow>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT subject, failures, last_at, locked_at FROM login_failures WHERE subject = ?1",
                [subject],
                failure_row,
            )
            .optional()?)
    }

    /// Counts one more failure (failures older than `forget_before` are forgotten first);
    /// locks the subject when the count reaches `lock_at`. Returns the new state.
    pub fn add_login_failure(
        &self,
        subject: &str,
        now: i64,
        forget_before: i64,
        lock_at: i64,
    ) -> Result<FailureRow, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "DELETE FROM login_failures WHERE subject = ?1 AND last_at < ?2 AND locked_at IS NULL",
            params![subject, forget_before],
        )?;
        tx.execute(
            "INSERT INTO login_failures (subject, failures, last_at) VALUES (?1, 1, ?2)
             ON CONFLICT (subject) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at",
            params![subject, now],
        )?;
        tx.execute(
            "UPDATE login_failures SET locked_at = ?2
              WHERE subject = ?1 AND locked_at IS NULL AND failures >= ?3",
            params![subject, now, lock_at],
        )?;
        tx.commit()?;
        self.login_failures(subject).map(|r| {
            r.unwrap_or(FailureRow {
                subject: subject.to_owned(),
                failures: 1,
                last_at: now,
                locked_at: None,
            })
        })
    }

    /// Forgets a subject's failures (after a good login, or an admin's clearing).
    pub fn clear_login_failures(&self, subject: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM login_failures WHERE subject = ?1", [subject])?
            > 0)
    }

    /// Every subject with failures, locked first.
    pub fn login_failure_list(&self) -> Result<Vec<FailureRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT subject, failures, last_at, locked_at FROM login_failures
              ORDER BY locked_at IS NULL, last_at DESC",
        )?;
        let rows = stmt.query_map([], failure_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The id of the newest audit-log entry of a change that answers depend on besides the
    /// data (queue decisions, merges and splits, rule edits), 0 when none: answers are keyed by
    /// it. (Ingests change the store's generation; users and tokens change no answer.)
    pub fn last_change(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM audit_log
                  WHERE action LIKE 'queue.%' OR action LIKE 'people.%' OR action = 'rules.edit'
                  ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// SQLite's `data_version`: changes whenever another connection commits a write.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A consistent copy of the store at `path` while others read and write (`VACUUM INTO`).
    pub fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        self.conn
            .execute("VACUUM INTO ?1", [path.to_string_lossy().as_ref()])?;
        Ok(())
    }
}
