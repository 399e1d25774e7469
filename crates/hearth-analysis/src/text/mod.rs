//! Measures read off message text (the store hands the text in; analysis does no IO).

pub mod intent;
pub mod measures;
pub mod sentiment;
pub mod themes;
