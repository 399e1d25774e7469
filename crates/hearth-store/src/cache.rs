//! The snapshot cache: `DIR/snapshot.cache`, the columnar snapshot written as a flat file.
//!
//! A report then reads ~32 bytes a message from one file instead of scanning the store. The
//! file carries the store generation it was built from; the store bumps its generation in
//! every write transaction, so a cache from another generation is never used (it is rebuilt).
//! A cache that does not parse is ignored and rebuilt too: it can cost time, never
//! correctness. Layout (little-endian): magic, format, generation, message count, the eight
//! integer columns, the text measures (when complete), then people, spaces and identity actions as JSON.

use crate::{Store, StoreError};
use hearth_model::{IdentityAction, MessageColumns, PersonInfo, Snapshot, SpaceInfo};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"HEARTHSC";
const FORMAT: u32 = 4;
/// The cache file's name in the data directory.
pub const CACHE_FILE: &str = "snapshot.cache";

#[derive(serde::Serialize)]
struct RestRef<'a> {
    persons: &'a [PersonInfo],
    spaces: &'a [SpaceInfo],
    identity_actions: &'a [IdentityAction],
}

#[derive(serde::Deserialize)]
struct Rest {
    persons: Vec<PersonInfo>,
    spaces: Vec<SpaceInfo>,
    identity_actions: Vec<IdentityAction>,
}

impl Store {
    fn cache_path(&self) -> PathBuf {
        self.path()
            .parent()
            .map_or_else(|| PathBuf::from(CACHE_FILE), |d| d.join(CACHE_FILE))
    }

    /// Deletes the snapshot cache file (the next snapshot rebuilds it). Used when what it
    /// holds must not outlive a change (an erasure), not only be stale.
    pub(crate) fn remove_snapshot_cache(&self) {
        let path = self.cache_path();
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!("cannot remove the snapshot cache {}: {e}", path.display());
        }
    }

    /// The snapshot: from the cache when it was built from the store's current generation,
    /// else loaded from the tables (in one read transaction) and cached.
    pub fn snapshot(&self) -> Result<Snapshot, StoreError> {
        Ok(self.snapshot_and_generation()?.1)
    }

    /// [`Store::snapshot`] with the generation it is of.
    pub fn snapshot_and_generation(&self) -> Result<(i64, Snapshot), StoreError> {
        let path = self.cache_path();
        let generation = self.generation()?;
        if let Some(s) = read(&path, generation) {
            tracing::debug!(generation, "snapshot from cache");
            return Ok((generation, s));
        }
        // Read the generation and the tables in one transaction, so they agree.
        self.conn.execute_batch("BEGIN")?;
        let loaded = self
            .generation()
            .and_then(|g| self.load_snapshot().map(|s| (g, s)));
        let _ = self.conn.execute_batch("COMMIT");
        let (generation, snapshot) = loaded?;
        if let Err(e) = write(&path, generation, &snapshot) {
            tracing::warn!("cannot write the snapshot cache {}: {e}", path.display());
        }
        Ok((generation, snapshot))
    }
}

fn put_i64s(out: &mut impl Write, v: &[i64]) -> std::io::Result<()> {
    out.write_all(&(v.len() as u64).to_le_bytes())?;
    for x in v {
        out.write_all(&x.to_le_bytes())?;
    }
    Ok(())
}

fn put_u32s(out: &mut impl Write, v: &[u32]) -> std::io::Result<()> {
    out.write_all(&(v.len() as u64).to_le_bytes())?;
    for x in v {
        out.write_all(&x.to_le_bytes())?;
    }
    Ok(())
}

/// Writes the cache to a temporary file, then renames it into place (a reader never sees
/// half a cache).
fn write(path: &Path, generation: i64, s: &Snapshot) -> std::io::Result<()> {
    let m = &s.messages;
    let tmp = path.with_extension("cache.tmp");
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    out.write_all(&generation.to_le_bytes())?;
    put_i64s(&mut out, &m.id)?;
    put_i64s(&mut out, &m.time)?;
    put_u32s(&mut out, &m.author)?;
    put_u32s(&mut out, &m.parent)?;
    put_u32s(&mut out, &m.space)?;
    put_u32s(&mut out, &m.mention_start)?;
    put_u32s(&mut out, &m.mention_person)?;
    let inferred: Vec<u32> = m.inferred.iter().map(|c| c.to_bits()).collect();
    put_u32s(&mut out, &inferred)?;
    put_u32s(&mut out, &m.orphan)?;
    let sentiment: Vec<i64> = m.sentiment.iter().map(|c| c.to_bits() as i64).collect();
    put_i64s(&mut out, &sentiment)?;
    put_u32s(&mut out, &m.text_codes)?;
    let name_at: Vec<u32> = m.names.iter().map(|x| x.0).collect();
    let name_mask: Vec<i64> = m.names.iter().map(|x| x.1 as i64).collect();
    put_u32s(&mut out, &name_at)?;
    put_i64s(&mut out, &name_mask)?;
    let key = m.measure_key.map_or(vec![], |(a, b)| vec![a, b]);
    put_i64s(&mut out, &key)?;
    let rest = serde_json::to_vec(&RestRef {
        persons: &s.persons,
        spaces: &s.spaces,
        identity_actions: &s.identity_actions,
    })
    .map_err(std::io::Error::other)?;
    out.write_all(&(rest.len() as u64).to_le_bytes())?;
    out.write_all(&rest)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Reads little-endian values off a byte slice; `None` when it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }
    fn len(&mut self, width: usize) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n.checked_mul(width)? <= self.0.len()).then_some(n)
    }
    fn i64s(&mut self) -> Option<Vec<i64>> {
        let n = self.len(8)?;
        let b = self.take(n * 8)?;
        Some(
            b.chunks_exact(8)
                .map(|c| i64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                .collect(),
        )
    }
    fn u32s(&mut self) -> Option<Vec<u32>> {
        let n = self.len(4)?;
        let b = self.take(n * 4)?;
        Some(
            b.chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                .collect(),
        )
    }
}

fn read(path: &Path, generation: i64) -> Option<Snapshot> {
    let data = std::fs::read(path).ok()?;
    let mut b = Bytes(&data);
    if b.take(8)? != MAGIC {
        return None;
    }
    if u32::from_le_bytes(b.take(4)?.try_into().ok()?) != FORMAT {
        return None;
    }
    if i64::from_le_bytes(b.take(8)?.try_into().ok()?) != generation {
        return None;
    }
    let messages = MessageColumns {
        id: b.i64s()?,
        time: b.i64s()?,
        author: b.u32s()?,
        parent: b.u32s()?,
        space: b.u32s()?,
        mention_start: b.u32s()?,
        mention_person: b.u32s()?,
        inferred: b.u32s()?.into_iter().map(f32::from_bits).collect(),
        orphan: b.u32s()?,
        sentiment: b
            .i64s()?
            .into_iter()
            .map(|x| f64::from_bits(x as u64))
            .collect(),
        text_codes: b.u32s()?,
        names: {
            let at = b.u32s()?;
            let mask = b.i64s()?;
            if at.len() != mask.len() {
                return None;
            }
            at.into_iter()
                .zip(mask.into_iter().map(|x| x as u64))
                .collect()
        },
        measure_key: match b.i64s()?.as_slice() {
            [] => None,
            [a, k] => Some((*a, *k)),
            _ => return None,
        },
    };
    let n = messages.id.len();
    let columns_agree = [
        messages.time.len(),
        messages.author.len(),
        messages.parent.len(),
        messages.space.len(),
    ]
    .iter()
    .all(|l| *l == n)
        && (messages.mention_start.is_empty() || messages.mention_start.len() == n + 1)
        && (messages.inferred.is_empty() || messages.inferred.len() == n)
        && (messages.orphan.is_empty() || messages.orphan.len() == n)
        && messages.sentiment.len() == messages.text_codes.len()
        && (messages.sentiment.is_empty() || messages.sentiment.len() == n)
        && messages.names.iter().all(|x| (x.0 as usize) < n)
        && messages.names.windows(2).all(|w| w[0].0 < w[1].0);
    let rest_len = b.len(1)?;
    let rest: Rest = serde_json::from_slice(b.take(rest_len)?).ok()?;
    // Every index must point inside the snapshot, or the cache is not trusted.
    let people = rest.persons.len() as u32;
    let spaces = rest.spaces.len() as u32;
    let valid = columns_agree
        && messages.author.iter().all(|a| *a < people)
        && messages.space.iter().all(|s| *s < spaces)
        && messages
            .parent
            .iter()
            .all(|p| *p == hearth_model::NO_PARENT || (*p as usize) < n)
        && messages
            .orphan
            .iter()
            .all(|g| *g == hearth_model::NO_PARENT || (*g as usize) < n)
        && messages.mention_person.iter().all(|p| *p < people)
        && messages
            .mention_start
            .last()
            .is_none_or(|l| *l as usize == messages.mention_person.len());
    valid.then_some(Snapshot {
        messages,
        persons: rest.persons,
        spaces: rest.spaces,
        identity_actions: rest.identity_actions,
    })
}
