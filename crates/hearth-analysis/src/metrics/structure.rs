//! **Structure** of the interaction graph: is it a star around the brand or a mesh?
//!
//! The graph: nodes are the people (not bots) with at least one interaction in the window
//! with somebody else; a directed edge a → b exists when a addressed b at least once (reply,
//! inferred reply or mention; self-replies and bot interactions left out). The undirected
//! graph joins a and b when either addressed the other.
//!
//! - `degree_centralization` (Freeman, undirected): `Σ (d_max − d_i) / ((n − 1)(n − 2))`
//!   with `d_i` the number of distinct neighbours; 1 for a star, 0 when every degree is
//!   equal; `None` below 3 nodes. (networkx: `Σ (max c − c_i) / (n − 2)` over
//!   `degree_centrality`, the same number.)
//! - `reciprocity`: directed edges whose reverse edge also exists ÷ directed edges
//!   (networkx `reciprocity`).
//! - `average_clustering`: mean over nodes of (links among the node's neighbours ÷ possible
//!   links), nodes with fewer than two neighbours counting 0 (networkx
//!   `average_clustering`).
//! - `transitivity`: 3 × triangles ÷ connected triples (networkx `transitivity`).
//! - `brand_share_of_edges`: undirected edges with a brand person at either end ÷ edges.
//!
//! Example: Zachary's karate club with its two leaders as brand gives centralization
//! 0.3996, average clustering 0.5706, transitivity 0.2557 and brand share 0.4231 — checked
//! against networkx in `tests/graph_networkx.rs`.

use crate::Context;
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Structure {
    pub nodes: u64,
    pub edges: u64,
    pub directed_edges: u64,
    pub degree_centralization: Option<f64>,
    pub reciprocity: Option<f64>,
    pub average_clustering: Option<f64>,
    pub transitivity: Option<f64>,
    pub brand_share_of_edges: Option<f64>,
}

pub fn structure(cx: &Context<'_>) -> Structure {
    let edges: Vec<(u32, u32)> = cx
        .interactions()
        .iter()
        .filter(|it| it.class.is_between_people())
        .map(|it| (it.from, it.to))
        .collect();
    let brand: Vec<bool> = (0..cx.snapshot.persons.len() as u32)
        .map(|p| cx.role(p) == Role::Brand)
        .collect();
    of_edges(&edges, &brand)
}

/// The measures for a directed edge list over person indices (duplicates and self-loops
/// ignored); `brand[p]` marks brand people.
pub fn of_edges(edges: &[(u32, u32)], brand: &[bool]) -> Structure {
    // Pairs sorted by radix on one 64-bit key (millions of edges over years).
    let key = |&(a, b): &(u32, u32)| (u64::from(a) << 32) | u64::from(b);
    let mut directed: Vec<(u32, u32)> = edges.iter().copied().filter(|(a, b)| a != b).collect();
    radsort::sort_by_key(&mut directed, key);
    directed.dedup();
    let mut undirected: Vec<(u32, u32)> = directed
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .collect();
    radsort::sort_by_key(&mut undirected, key);
    undirected.dedup();
    // Nodes renumbered densely, in person order.
    let mut nodes: Vec<u32> = undirected.iter().flat_map(|&(a, b)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    // Person → node, one load each (a search for each end of each edge was most of the time).
    let mut node_of = vec![0u32; nodes.last().map_or(0, |&p| p as usize + 1)];
    for (k, &p) in nodes.iter().enumerate() {
        node_of[p as usize] = k as u32;
    }
    let index = |p: u32| node_of[p as usize] as usize;
    let n = nodes.len();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(a, b) in &undirected {
        let (a, b) = (index(a), index(b));
        adj[a].push(b as u32);
        adj[b].push(a as u32);
    }
    for list in &mut adj {
        list.sort_unstable();
    }
    let mut out = Structure {
        nodes: n as u64,
        edges: undirected.len() as u64,
        directed_edges: directed.len() as u64,
        ..Structure::default()
    };
    if n >= 3 {
        let max = adj.iter().map(Vec::len).max().unwrap_or(0);
        let sum: usize = adj.iter().map(|l| max - l.len()).sum();
        out.degree_centralization = Some(sum as f64 / ((n - 1) * (n - 2)) as f64);
    }
    if !directed.is_empty() {
        // Edges whose reverse is an edge too: the sorted edges and the sorted reverses,
        // walked side by side.
        let mut reverse: Vec<(u32, u32)> = directed.iter().map(|&(a, b)| (b, a)).collect();
        radsort::sort_by_key(&mut reverse, key);
        let (mut j, mut mutual) = (0, 0usize);
        for e in &directed {
            while j < reverse.len() && reverse[j] < *e {
                j += 1;
            }
            mutual += usize::from(reverse.get(j) == Some(e));
        }
        out.reciprocity = Some(mutual as f64 / directed.len() as f64);
    }
    if n > 0 {
        // Triangles through each node, each triangle found once: edges point from the
        // lower-ranked end (fewer neighbours, then index) to the higher, and a triangle
        // u → v → w closes when w is also u's. Cost O(edges^1.5), not Σ degree² (a few dense
        // hubs made the pairwise check quadratic).
        let rank = |v: usize| (adj[v].len(), v);
        let out_of: Vec<Vec<u32>> = adj
            .iter()
            .enumerate()
            .map(|(v, list)| {
                list.iter()
                    .copied()
                    .filter(|&x| rank(x as usize) > rank(v))
                    .collect()
            })
            .collect();
        let mut at = vec![0u64; n];
        let mut mark = vec![false; n];
        for (u, outs) in out_of.iter().enumerate() {
            for &x in outs {
                mark[x as usize] = true;
            }
            for &v in outs {
                for &w in &out_of[v as usize] {
                    if mark[w as usize] {
                        at[u] += 1;
                        at[v as usize] += 1;
                        at[w as usize] += 1;
                    }
                }
            }
            for &x in outs {
                mark[x as usize] = false;
            }
        }
        let mut clustering_sum = 0.0;
        let (mut triangles2, mut triples) = (0u64, 0u64);
        for (v, list) in adj.iter().enumerate() {
            let d = list.len() as u64;
            if d < 2 {
                continue;
            }
            let possible = d * (d - 1) / 2;
            clustering_sum += at[v] as f64 / possible as f64;
            triangles2 += at[v];
            triples += possible;
        }
        out.average_clustering = Some(clustering_sum / n as f64);
        // Each triangle is counted once at each of its three corners.
        out.transitivity = (triples > 0).then(|| triangles2 as f64 / triples as f64);
        let branded = undirected
            .iter()
            .filter(|&&(a, b)| {
                brand.get(a as usize).copied().unwrap_or(false)
                    || brand.get(b as usize).copied().unwrap_or(false)
            })
            .count();
        out.brand_share_of_edges = Some(branded as f64 / undirected.len() as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::of_edges;

    #[test]
    fn star_and_mesh() {
        let star: Vec<(u32, u32)> = (1..6).map(|i| (0, i)).collect();
        let s = of_edges(&star, &[true, false, false, false, false, false]);
        assert_eq!(s.degree_centralization, Some(1.0));
        assert_eq!(s.reciprocity, Some(0.0));
        assert_eq!(s.average_clustering, Some(0.0));
        assert_eq!(s.brand_share_of_edges, Some(1.0));
        let mut mesh = Vec::new();
        for a in 0..5u32 {
            for b in 0..5u32 {
                if a != b {
                    mesh.push((a, b));
                }
            }
        }
        let m = of_edges(&mesh, &[false; 5]);
        assert_eq!(m.degree_centralization, Some(0.0));
        assert_eq!(m.reciprocity, Some(1.0));
        assert_eq!(m.average_clustering, Some(1.0));
        assert_eq!(m.transitivity, Some(1.0));
    }
}
