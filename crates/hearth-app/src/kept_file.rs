//! Files beside the store that keep what a computation found between processes, each entry
//! under a key of what it was computed from: the picture's layout (`layout.cache`), what the
//! brand's texts say to the role audit (`audit.cache`). A file that is missing or does not
//! parse holds nothing: it can cost time, never change an answer.
//!
//! Layout (little-endian): an 8-byte magic of the file's kind, then entries, oldest first:
//! key (u64), body length in bytes (u64), body.

use std::path::Path;

/// The entries of the file at `path`, oldest first; none when it is missing, of another kind,
/// or cut short.
pub(crate) fn read(path: &Path, magic: &[u8; 8]) -> Vec<(u64, Vec<u8>)> {
    std::fs::read(path)
        .ok()
        .and_then(|b| parse(&b, magic))
        .unwrap_or_default()
}

/// The body kept under `key` in the file at `path`.
pub(crate) fn find(path: &Path, magic: &[u8; 8], key: u64) -> Option<Vec<u8>> {
    read(path, magic)
        .into_iter()
        .rev()
        .find(|(k, _)| *k == key)
        .map(|(_, body)| body)
}

/// Keeps `body` under `key` in the file at `path`, with at most `keep` entries (the oldest
/// go first). A temporary file of this writer's own is renamed over the file: two threads
/// or processes writing at once each leave a whole file, never a mix of both. A failure is
/// logged, never an error: the next reader computes again.
pub(crate) fn put(path: &Path, magic: &[u8; 8], key: u64, body: Vec<u8>, keep: usize) {
    let mut entries = read(path, magic);
    entries.retain(|(k, _)| *k != key);
    entries.push((key, body));
    let skip = entries.len().saturating_sub(keep.max(1));
    let mut out = magic.to_vec();
    for (k, body) in &entries[skip..] {
        out.extend_from_slice(&k.to_le_bytes());
        out.extend_from_slice(&(body.len() as u64).to_le_bytes());
        out.extend_from_slice(body);
    }
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}.{n}.tmp", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp);
    let written = std::fs::write(&tmp, out).and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        tracing::debug!("cannot keep {}: {e}", path.display());
    }
}

fn parse(bytes: &[u8], magic: &[u8; 8]) -> Option<Vec<(u64, Vec<u8>)>> {
    let mut rest = bytes.strip_prefix(magic.as_slice())?;
    let mut entries = Vec::new();
    while !rest.is_empty() {
        let key = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
        let len = usize::try_from(u64::from_le_bytes(rest.get(8..16)?.try_into().ok()?)).ok()?;
        let body = rest.get(16..16usize.checked_add(len)?)?;
        entries.push((key, body.to_vec()));
        rest = &rest[16 + len..];
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_and_a_cut_file_holds_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("x.cache");
        let magic = b"HTEST001";
        assert_eq!(find(&path, magic, 1), None);
        put(&path, magic, 1, vec![1, 2, 3], 2);
        put(&path, magic, 2, vec![], 2);
        assert_eq!(find(&path, magic, 1), Some(vec![1, 2, 3]));
        assert_eq!(find(&path, magic, 2), Some(vec![]));
        // A key put again replaces its entry; beyond `keep` the oldest goes.
        put(&path, magic, 1, vec![4], 2);
        put(&path, magic, 3, vec![5], 2);
        assert_eq!(find(&path, magic, 2), None);
        assert_eq!(find(&path, magic, 1), Some(vec![4]));
        // Another kind of file, or one cut short, holds nothing.
        assert_eq!(find(&path, b"HOTHER01", 1), None);
        let bytes = std::fs::read(&path).expect("file");
        std::fs::write(&path, &bytes[..bytes.len() - 1]).expect("write");
        assert!(read(&path, magic).is_empty());
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("x.cache")]);
    }
}
