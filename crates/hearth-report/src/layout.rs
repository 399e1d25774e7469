//! A deterministic force-directed layout (Fruchterman–Reingold) for the interaction picture.
//!
//! Nodes start on a spiral in input order (no randomness: the same graph gives the same
//! picture), then repel each other (`k² / d`) and are pulled along their edges (`d² / k`,
//! scaled by the edge's weight), with a temperature that cools linearly. A star settles into
//! a hub with a ring around it; a mesh into an even cloud.

/// Positions in the unit square `[0, 1]²`, one per node.
pub fn layout(nodes: usize, edges: &[(usize, usize, f64)], iterations: usize) -> Vec<(f64, f64)> {
    if nodes == 0 {
        return Vec::new();
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut pos: Vec<(f64, f64)> = (0..nodes)
        .map(|i| {
            let r = ((i as f64 + 0.5) / nodes as f64).sqrt() * 0.5;
            let a = i as f64 * golden;
            (r * a.cos(), r * a.sin())
        })
        .collect();
    let k = (1.0 / nodes as f64).sqrt();
    let cutoff2 = (3.0 * k) * (3.0 * k);
    let max_weight = edges.iter().map(|e| e.2).fold(1.0, f64::max);
    let mut disp = vec![(0.0, 0.0); nodes];
    for it in 0..iterations {
        let temperature = 0.1 * (1.0 - it as f64 / iterations as f64) + 0.002;
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        for a in 0..nodes {
            for b in a + 1..nodes {
                let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
                let d2 = (dx * dx + dy * dy).max(1e-9);
                // Repulsion only between near nodes: far-apart groups are not pushed to the
                // edges (which would shrink the main group to a dot).
                if d2 > cutoff2 {
                    continue;
                }
                let f = k * k / d2;
                disp[a].0 += dx * f;
                disp[a].1 += dy * f;
                disp[b].0 -= dx * f;
                disp[b].1 -= dy * f;
            }
        }
        for &(a, b, w) in edges {
            if a == b || a >= nodes || b >= nodes {
                continue;
            }
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt().max(1e-9);
            let f = d / k * (0.5 + 0.5 * w / max_weight);
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.0 * d.0 + d.1 * d.1).sqrt().max(1e-9);
            let step = len.min(temperature);
            p.0 += d.0 / len * step;
            p.1 += d.1 / len * step;
            // Gravity keeps loose parts near the middle.
            p.0 *= 0.985;
            p.1 *= 0.985;
        }
    }
    // Fit into the unit square with a margin.
    let (mut lo_x, mut hi_x, mut lo_y, mut hi_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &pos {
        lo_x = lo_x.min(p.0);
        hi_x = hi_x.max(p.0);
        lo_y = lo_y.min(p.1);
        hi_y = hi_y.max(p.1);
    }
    let span = (hi_x - lo_x).max(hi_y - lo_y).max(1e-9);
    pos.iter()
        .map(|p| {
            (
                0.05 + 0.9 * (p.0 - lo_x + (span - (hi_x - lo_x)) / 2.0) / span,
                0.05 + 0.9 * (p.1 - lo_y + (span - (hi_y - lo_y)) / 2.0) / span,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::layout;

    fn spread(p: &[(f64, f64)], of: &[usize]) -> f64 {
        let n = of.len() as f64;
        let cx = of.iter().map(|&i| p[i].0).sum::<f64>() / n;
        let cy = of.iter().map(|&i| p[i].1).sum::<f64>() / n;
        of.iter()
            .map(|&i| ((p[i].0 - cx).powi(2) + (p[i].1 - cy).powi(2)).sqrt())
            .sum::<f64>()
            / n
    }

    #[test]
    fn a_star_puts_its_hub_in_the_middle_and_is_repeatable() {
        let edges: Vec<(usize, usize, f64)> = (1..20).map(|i| (0, i, 1.0)).collect();
        let p = layout(20, &edges, 300);
        assert_eq!(p, layout(20, &edges, 300));
        let hub = p[0];
        let others: Vec<usize> = (1..20).collect();
        let cx = others.iter().map(|&i| p[i].0).sum::<f64>() / 19.0;
        let cy = others.iter().map(|&i| p[i].1).sum::<f64>() / 19.0;
        assert!(((hub.0 - cx).powi(2) + (hub.1 - cy).powi(2)).sqrt() < 0.1);
        // Leaves sit at similar distances from the hub (a ring).
        let d: Vec<f64> = others
            .iter()
            .map(|&i| ((p[i].0 - hub.0).powi(2) + (p[i].1 - hub.1).powi(2)).sqrt())
            .collect();
        let mean = d.iter().sum::<f64>() / d.len() as f64;
        assert!(d.iter().all(|x| (x - mean).abs() < 0.5 * mean), "{d:?}");
        assert!(spread(&p, &others) > 0.2);
        assert!(
            p.iter()
                .all(|q| (0.0..=1.0).contains(&q.0) && (0.0..=1.0).contains(&q.1))
        );
    }
}
