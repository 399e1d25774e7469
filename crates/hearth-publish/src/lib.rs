//! Hearth's way out to the networks. `compose` says what a post becomes on each network (its
//! length by the network's rule, its links tagged with UTM parameters, Bluesky's facets);
//! `bluesky` and `mastodon` are the clients that publish it; `http` sorts every answer into
//! done, try again, wait, or give up.
//!
//! Invariant: nothing here stores anything. The caller (`hearth-app`'s outbox) writes the
//! idempotency key and the exact request before it calls a client, and the outcome after.

pub mod bluesky;
pub mod compose;
pub mod http;
pub mod mastodon;

use std::time::Duration;

/// Why a network did not take a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The network could not be reached, timed out or failed on its side (5xx): try again.
    #[error("{0}")]
    Transient(String),
    /// Too many requests (429): wait `retry_after`, as the network asked.
    #[error("rate limited: {message} (retry after {} s)", retry_after.as_secs())]
    RateLimited {
        retry_after: Duration,
        message: String,
    },
    /// The login or token was refused (401, 403).
    #[error("the network refused the account's login: {0}")]
    Auth(String),
    /// The network refused the request itself (4xx), with its reason: trying again would
    /// get the same answer.
    #[error("refused ({status}): {message}")]
    Refused {
        status: u16,
        error: String,
        message: String,
    },
    /// The answer made no sense.
    #[error("{0}")]
    Permanent(String),
}

impl PublishError {
    /// May the same request succeed later?
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            PublishError::Transient(_) | PublishError::RateLimited { .. }
        )
    }
}
