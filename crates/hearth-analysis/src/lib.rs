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

/// Real text for unit tests: the shared data beside the clone (tests may read files).
#[cfg(test)]
pub(crate) mod test_text {
    /// A year of the usrp-users list (2019), as text.
    pub(crate) fn usrp_users_2019() -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/mbox/usrp-users/2019.mbox");
        let Ok(bytes) = std::fs::read(&path) else {
            panic!(
                "{} is missing: the shared data sits beside the clone",
                path.display()
            );
        };
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
