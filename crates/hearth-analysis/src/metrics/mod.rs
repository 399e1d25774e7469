//! One metric a file. Each file's header states what it measures, the formula, its
//! parameters and an example; `docs/metrics.md` collects them.

pub mod counts;
pub mod first_response;
pub mod interactions;
pub mod peer_share;
pub mod resilience;
pub mod structure;
