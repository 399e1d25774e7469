//! Hearth's use cases, one layer that the command line and the server both call: open a data
//! directory and ask it for a report, a metric, a queue, a person or a social view; change
//! queue state; merge or split people; read an export.
//!
//! Invariant: nothing here prints or knows HTTP. Answers are typed values or the JSON that
//! `--json` prints and `/api/v1` serves, byte for byte the same; errors are [`AppError`]s whose
//! kind says whether the caller can fix them.

pub mod accounts;
pub mod audit;
pub mod check_job;
pub mod config;
pub mod dates;
mod error;
pub mod explain;
pub mod export;
pub mod html;
pub mod ingest;
pub mod init;
mod kept_file;
mod layout_cache;
pub mod measures;
pub mod members;
pub mod memo;
pub mod metrics;
pub mod outbox;
pub mod partitioned;
pub mod people;
pub mod publish;
pub mod queue;
pub mod reply_labels;
pub mod report;
pub mod route;
pub mod scope;
pub mod search;
pub mod social;
pub mod sync;
pub mod team;
pub mod threads;

pub use error::{AppError, Result};

/// A consistent copy of the store of `data` in the new file `to`, made while others read and
/// write it (SQLite's `VACUUM INTO`). Secrets in it are hashes only.
pub fn backup(data: &std::path::Path, to: &std::path::Path) -> Result<()> {
    if to.exists() {
        return Err(AppError::Invalid(format!(
            "{} exists already; a backup goes to a new file",
            to.display()
        )));
    }
    let store = scope::open_store(data)?;
    store.backup_to(to)?;
    Ok(())
}
