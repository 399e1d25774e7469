use std::path::PathBuf;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create data directory {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open store {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("store: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("store migration {version} failed: {source}")]
    Migration {
        version: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "store was written by a newer Hearth (it has migration {0}, which this build does not know)"
    )]
    TooNew(String),
    /// A request the store refuses (what was asked, and why not).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Read(#[from] hearth_sources::ReadError),
}
