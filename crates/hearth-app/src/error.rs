//! The application layer's one error type: what went wrong, in words a person can act on,
//! and which kind of wrong it is (the server maps the kind to an HTTP status, the CLI to an
//! exit code).

use std::path::Path;

/// Why a use case did not answer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A parameter, rule or input the caller can fix (bad date, unknown space or name).
    #[error("{0}")]
    Invalid(String),
    /// The thing asked for (a person, a queue item, a metric) does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The caller may not do this (the author approving their own post).
    #[error("{0}")]
    Forbidden(String),
    /// The thing changed meanwhile, or is in a state that does not allow this.
    #[error("{0}")]
    Conflict(String),
    /// A network (Bluesky, Mastodon) did not take a request.
    #[error(transparent)]
    Publish(#[from] hearth_publish::PublishError),
    /// The data directory holds no store yet.
    #[error("no store in {dir} yet: read an export first (hearth --data {dir} ingest mbox PATH)")]
    NoStore { dir: String },
    /// `hearth.toml` does not parse or says something impossible.
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    /// A file could not be read or written. (The OS error is part of the message, not a
    /// separate source, so it is said once.)
    #[error("{what}: {error}")]
    Io { what: String, error: std::io::Error },
    #[error(transparent)]
    Store(#[from] hearth_store::StoreError),
    #[error(transparent)]
    Read(#[from] hearth_sources::ReadError),
    #[error(transparent)]
    Export(#[from] hearth_store::export::ExportError),
    #[error("cannot encode an answer: {0}")]
    Json(#[from] serde_json::Error),
}

impl AppError {
    pub fn io(what: impl Into<String>, path: &Path, source: std::io::Error) -> Self {
        AppError::Io {
            what: format!("{} {}", what.into(), path.display()),
            error: source,
        }
    }
}

/// What every use case returns.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// `AppError::Invalid` with a formatted message.
#[macro_export]
macro_rules! invalid {
    ($($t:tt)*) => { $crate::AppError::Invalid(format!($($t)*)) };
}

/// Returns early with `AppError::Invalid`.
#[macro_export]
macro_rules! bail {
    ($($t:tt)*) => { return Err($crate::AppError::Invalid(format!($($t)*))) };
}
