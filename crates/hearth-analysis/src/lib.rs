//! Hearth's analysis: roles, threads, interactions and community metrics.
//!
//! Invariant: analysis does no IO. It reads a [`Snapshot`](hearth_model::Snapshot) (built by
//! the store) and the user's [`Config`](hearth_model::Config), and returns plain structs
//! that `hearth-report` renders. Same snapshot and config in, same numbers out.
//!
//! One metric a file under `metrics/`, each with its definition in its `//!` header and in
//! `docs/metrics.md`.

pub mod audit;
pub mod calendar;
mod context;
mod graph;
pub mod identity;
pub mod jobs;
pub mod metrics;
pub mod replies;
mod report;
pub mod roles;
pub mod route;
pub mod social;
pub mod text;
mod threads;
mod window;

pub use calendar::Period;
pub use context::{Context, Prepared};
pub use report::{
    CommunityReport, Counts, SpaceReport, report, scope_report, unknown_because, verdict,
};
pub use roles::{RoleDecision, decide_roles};
pub use threads::thread_roots;
pub use window::Window;
