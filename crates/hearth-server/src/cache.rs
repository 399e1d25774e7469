//! Computed answers, kept while what they were computed from stays the same.
//!
//! An answer's *stamp* is the store's generation (bumped by every data write transaction,
//! ingest batches and merges included), the id of the newest audit-log entry (every queue
//! decision writes one in its own transaction) and `hearth.toml`'s modification time and
//! size. A request computes its stamp (two indexed reads and a `stat`), and an answer with
//! the same key and stamp is served as it is; otherwise one request computes it while the
//! others with that key wait for it (no stampede), and answers older than `MAX_AGE` are
//! recomputed (items whose snooze ends, relative times).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Answers are recomputed at least this often.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// At most this many answers are kept; past it the oldest half is dropped.
pub const MAX_ENTRIES: usize = 512;

/// What an answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub generation: i64,
    pub last_change: i64,
    pub config: (i128, u64),
}

impl Stamp {
    /// The part of the stamp the report depends on (not queue decisions).
    pub fn data_only(self) -> Stamp {
        Stamp {
            last_change: 0,
            ..self
        }
    }

    /// A strong ETag for an answer with this stamp and key.
    pub fn etag(self, key: &str) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes().chain(format!("{:?}", self.config).bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("\"g{}-c{}-{h:016x}\"", self.generation, self.last_change)
    }
}

/// A computed answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Arc<Vec<u8>>,
    pub content_type: &'static str,
    pub etag: String,
}

type Slot = Arc<tokio::sync::OnceCell<Answer>>;

#[derive(Debug, Default)]
pub struct Cache {
    entries: Mutex<HashMap<(String, Stamp), (Instant, Slot)>>,
}

impl Cache {
    /// The answer for `key` at `stamp`, computing it with `compute` when there is none.
    pub async fn get_or_compute<F, Fut, E>(
        &self,
        key: String,
        stamp: Stamp,
        compute: F,
    ) -> Result<Answer, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Answer, E>>,
    {
        let slot = {
            let mut entries = match self.entries.lock() {
                Ok(e) => e,
                Err(poisoned) => poisoned.into_inner(),
            };
            let now = Instant::now();
            let k = (key, stamp);
            let fresh = entries
                .get(&k)
                .filter(|(at, _)| now.duration_since(*at) < MAX_AGE)
                .map(|(_, s)| s.clone());
            match fresh {
                Some(s) => s,
                None => {
                    if entries.len() >= MAX_ENTRIES {
                        let mut ages: Vec<Instant> = entries.values().map(|(t, _)| *t).collect();
                        ages.sort_unstable();
                        let cut = ages[ages.len() / 2];
                        entries.retain(|_, (t, _)| *t > cut);
                    }
                    let s: Slot = Arc::default();
                    entries.insert(k, (now, s.clone()));
                    s
                }
            }
        };
        slot.get_or_try_init(compute).await.cloned()
    }

    /// Forgets everything (after a change the stamp cannot see, such as an upload's rules).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }
}
