//! Dated SQL migrations, applied in order, each in its own transaction.

use crate::StoreError;
use rusqlite::Connection;

/// Every migration, oldest first. Names are `YYYY-MM-DD-NN_what`; never edit a shipped one.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "2026-11-22-01_init",
        include_str!("../migrations/2026-11-22-01_init.sql"),
    ),
    (
        "2026-11-22-02_mentions",
        include_str!("../migrations/2026-11-22-02_mentions.sql"),
    ),
    (
        "2026-11-22-03_identity",
        include_str!("../migrations/2026-11-22-03_identity.sql"),
    ),
    (
        "2026-11-22-04_generation",
        include_str!("../migrations/2026-11-22-04_generation.sql"),
    ),
    (
        "2026-11-22-05_inferred_replies",
        include_str!("../migrations/2026-11-22-05_inferred_replies.sql"),
    ),
    (
        "2026-11-23-06_queue_state",
        include_str!("../migrations/2026-11-23-06_queue_state.sql"),
    ),
    (
        "2026-11-23-07_post_metrics",
        include_str!("../migrations/2026-11-23-07_post_metrics.sql"),
    ),
    (
        "2026-12-01-08_team",
        include_str!("../migrations/2026-12-01-08_team.sql"),
    ),
    (
        "2026-12-02-09_erasure",
        include_str!("../migrations/2026-12-02-09_erasure.sql"),
    ),
    (
        "2026-12-02-10_pending",
        include_str!("../migrations/2026-12-02-10_pending.sql"),
    ),
    (
        "2026-12-02-11_text_measures",
        include_str!("../migrations/2026-12-02-11_text_measures.sql"),
    ),
    (
        "2026-12-02-12_outbox",
        include_str!("../migrations/2026-12-02-12_outbox.sql"),
    ),
    (
        "2026-12-02-13_listening",
        include_str!("../migrations/2026-12-02-13_listening.sql"),
    ),
    (
        "2026-12-03-14_theme_terms",
        include_str!("../migrations/2026-12-03-14_theme_terms.sql"),
    ),
];

pub(crate) fn run(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    TEXT PRIMARY KEY,
             applied_at INTEGER NOT NULL
         )",
    )?;
    let applied: Vec<String> = {
        let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    if let Some(unknown) = applied
        .iter()
        .find(|v| !MIGRATIONS.iter().any(|(name, _)| name == v))
    {
        return Err(StoreError::TooNew(unknown.clone()));
    }
    for (version, sql) in MIGRATIONS {
        if applied.iter().any(|v| v == version) {
            continue;
        }
        tracing::info!(version, "applying store migration");
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .map_err(|source| StoreError::Migration { version, source })?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, unixepoch())",
            [version],
        )?;
        tx.commit()?;
    }
    Ok(())
}
