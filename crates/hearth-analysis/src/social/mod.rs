//! The social media side: the brand's posts and their analytics (`posts.rs`), best time to
//! post (`best_time.rs`), response to messages addressed to the brand (`response.rs`),
//! mentions and share of voice (`mentions.rs`), and crisis alerts (`alerts.rs`). One
//! measure a file, each defined in its header.

pub mod alerts;
pub mod best_time;
pub mod mentions;
pub mod posts;
pub mod response;
