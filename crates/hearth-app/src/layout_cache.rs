//! The picture's layout kept between reports: `DIR/layout.cache` holds the node positions of
//! the last few graphs drawn, each under its [`picture_key`]. The force-directed layout is a
//! pure function of the graph (400 rounds over every pair of nodes: about 20 ms for 150
//! nodes, a quarter of the HTML report on usrp-users), and a dashboard draws the same graph
//! until the store changes. A file that does not parse, or a key not in it, means the layout
//! is computed (and kept): it can cost time, never change a picture. It holds coordinates
//! only, nothing of anyone.
//!
//! Kept by [`crate::kept_file`] under magic `HLAYOUT2`; an entry's body is x and y (f64,
//! little-endian) of each node.

use hearth_report::html::{Graph, picture_key, picture_layout};
use std::path::Path;

const FILE: &str = "layout.cache";
const MAGIC: &[u8; 8] = b"HLAYOUT2";
/// Layouts kept (spaces and windows of one store).
const KEEP: usize = 16;

/// The positions of `graph`'s nodes, from the cache in `dir` when it holds them.
pub fn positions(dir: &Path, graph: &Graph) -> Vec<(f64, f64)> {
    let key = picture_key(graph);
    let path = dir.join(FILE);
    if let Some(pos) = crate::kept_file::find(&path, MAGIC, key)
        .map(|body| decode(&body))
        .filter(|p| p.len() == graph.nodes.len())
    {
        return pos;
    }
    let pos = picture_layout(graph);
    crate::kept_file::put(&path, MAGIC, key, encode(&pos), KEEP);
    pos
}

fn encode(pos: &[(f64, f64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pos.len() * 16);
    for (x, y) in pos {
        out.extend_from_slice(&x.to_le_bytes());
        out.extend_from_slice(&y.to_le_bytes());
    }
    out
}

/// The positions of a body; a body whose length is not whole positions gives fewer.
fn decode(body: &[u8]) -> Vec<(f64, f64)> {
    body.chunks_exact(16)
        .map(|c| {
            let x = f64::from_le_bytes(c[..8].try_into().unwrap_or_default());
            let y = f64::from_le_bytes(c[8..].try_into().unwrap_or_default());
            (x, y)
        })
        .collect()
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
            crate::kept_file::read(&dir.path().join(FILE), MAGIC).len(),
            1
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
