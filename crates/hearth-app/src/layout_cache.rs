//! The picture's layout kept between reports: `DIR/layout.cache` holds the node positions of
//! the last few graphs drawn, each under its [`picture_key`]. The force-directed layout is a
//! pure function of the graph (400 rounds over every pair of nodes: about 20 ms for 150
//! nodes, a quarter of the HTML report on usrp-users), and a dashboard draws the same graph
//! until the store changes. A file that does not parse, or a key not in it, means the layout
//! is computed (and kept): it can cost time, never change a picture. It holds coordinates
//! only, nothing of anyone.
//!
//! Layout (little-endian): magic `HLAYOUT1`, then entries, oldest first: key (u64), node
//! count (u64), then x and y (f64) of each node.

use hearth_report::html::{Graph, picture_key, picture_layout};
use std::path::Path;

const FILE: &str = "layout.cache";
const MAGIC: &[u8; 8] = b"HLAYOUT1";
/// Layouts kept (spaces and windows of one store).
const KEEP: usize = 16;

type Entry = (u64, Vec<(f64, f64)>);

/// The positions of `graph`'s nodes, from the cache in `dir` when it holds them.
pub fn positions(dir: &Path, graph: &Graph) -> Vec<(f64, f64)> {
    let key = picture_key(graph);
    let path = dir.join(FILE);
    let mut entries = std::fs::read(&path)
        .ok()
        .and_then(|b| parse(&b))
        .unwrap_or_default();
    if let Some((_, pos)) = entries
        .iter()
        .find(|(k, p)| *k == key && p.len() == graph.nodes.len())
    {
        return pos.clone();
    }
    let pos = picture_layout(graph);
    entries.push((key, pos.clone()));
    let skip = entries.len().saturating_sub(KEEP);
    // A temporary file of this writer's own, renamed over the cache: two servers' threads
    // drawing at once each leave a whole file, never a mix of both.
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!("{FILE}.{}.{n}.tmp", std::process::id()));
    let written =
        std::fs::write(&tmp, encode(&entries[skip..])).and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        tracing::debug!(
            "cannot keep the picture's layout in {}: {e}",
            path.display()
        );
    }
    pos
}

fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for (key, pos) in entries {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&(pos.len() as u64).to_le_bytes());
        for (x, y) in pos {
            out.extend_from_slice(&x.to_le_bytes());
            out.extend_from_slice(&y.to_le_bytes());
        }
    }
    out
}

fn parse(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = (rest.get(..n)?, rest.get(n..)?);
        rest = tail;
        Some(head)
    };
    let u64_of = |b: &[u8]| b.try_into().ok().map(u64::from_le_bytes);
    let mut entries = Vec::new();
    while let Some(head) = take(16) {
        let key = u64_of(&head[..8])?;
        let n = usize::try_from(u64_of(&head[8..])?).ok()?;
        let body = take(n.checked_mul(16)?)?;
        let pos = body
            .chunks_exact(16)
            .map(|c| {
                let x = f64::from_le_bytes(c[..8].try_into().unwrap_or_default());
                let y = f64::from_le_bytes(c[8..].try_into().unwrap_or_default());
                (x, y)
            })
            .collect();
        entries.push((key, pos));
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_report::html::GraphNode;

    fn star(n: usize) -> Graph {
        Graph {
            nodes: vec![GraphNode::default(); n],
            edges: (1..n).map(|i| (0, i, i as u64)).collect(),
            ..Graph::default()
        }
    }

    #[test]
    fn a_kept_layout_is_the_computed_one_and_a_broken_file_is_computed_again() {
        let dir = tempfile::tempdir().expect("dir");
        let g = star(12);
        let computed = picture_layout(&g);
        assert_eq!(positions(dir.path(), &g), computed);
        // Kept: a second call reads it back bit for bit.
        assert_eq!(
            parse(&std::fs::read(dir.path().join(FILE)).expect("file")).map(|e| e.len()),
            Some(1)
        );
        assert_eq!(positions(dir.path(), &g), computed);
        // Another graph gets its own entry.
        let other = star(7);
        assert_eq!(positions(dir.path(), &other), picture_layout(&other));
        assert_eq!(positions(dir.path(), &g), computed);
        // A truncated file is no cache.
        let bytes = std::fs::read(dir.path().join(FILE)).expect("file");
        std::fs::write(dir.path().join(FILE), &bytes[..bytes.len() - 3]).expect("write");
        assert_eq!(positions(dir.path(), &g), computed);
    }
}
