//! Graph measures against networkx. The expected numbers were computed once with networkx
//! 3.x (`tests/reference/graph_networkx.py` recomputes them) and are kept here.

use hearth_analysis::metrics::structure::of_edges;
use std::path::Path;

fn edges(name: &str) -> Vec<(u32, u32)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/graphs")
        .join(name);
    std::fs::read_to_string(&path)
        .expect("fixture")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut p = l
                .split_whitespace()
                .map(|x| x.parse::<u32>().expect("node"));
            (p.next().expect("a"), p.next().expect("b"))
        })
        .collect()
}

fn close(got: Option<f64>, want: f64, what: &str) {
    let got = got.unwrap_or_else(|| panic!("{what}: none"));
    assert!(
        (got - want).abs() < 1e-9,
        "{what}: {got} vs networkx {want}"
    );
}

#[test]
fn karate_club_with_its_two_leaders_as_brand() {
    let e = edges("karate-club.edges");
    let mut brand = vec![false; 34];
    brand[0] = true;
    brand[33] = true;
    let s = of_edges(&e, &brand);
    assert_eq!((s.nodes, s.edges), (34, 78));
    close(
        s.degree_centralization,
        0.39962121212121215,
        "degree centralization",
    );
    close(
        s.average_clustering,
        0.5706384782076823,
        "average clustering",
    );
    close(s.transitivity, 0.2556818181818182, "transitivity");
    close(
        s.brand_share_of_edges,
        0.4230769230769231,
        "brand share of edges",
    );
    // Undirected edges given one way only: no edge is reciprocated.
    close(s.reciprocity, 0.0, "reciprocity");
}
