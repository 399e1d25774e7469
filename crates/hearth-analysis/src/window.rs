//! The time window a report covers.

use serde::Serialize;

/// `[since, until)` in UTC seconds; `None` is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Window {
    pub since: Option<i64>,
    pub until: Option<i64>,
}

impl Window {
    pub fn contains(&self, t: i64) -> bool {
        self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t < u)
    }

    /// True when `t` is not after the window's end (data known by then).
    pub fn not_after(&self, t: i64) -> bool {
        self.until.is_none_or(|u| t < u)
    }
}
