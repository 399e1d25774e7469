//! Threads: every message belongs to the thread of its root (follow parents up).

use hearth_model::NO_PARENT;

const UNKNOWN: u32 = u32::MAX;
const VISITING: u32 = u32::MAX - 1;

/// The root message of each message's thread. A message without a parent is its own root,
/// except an orphan reply (`orphan`, see [`hearth_model::MessageColumns::orphan`]): orphans
/// of one missing parent share the thread of the first of them. Parent cycles (possible in
/// broken exports) are cut where they close: the message that would close the cycle
/// becomes a root.
pub fn thread_roots(parent: &[u32], orphan: &[u32]) -> Vec<u32> {
    let n = parent.len();
    let group = |i: usize| {
        orphan
            .get(i)
            .copied()
            .filter(|g| *g != NO_PARENT && (*g as usize) < n && orphan[*g as usize] == *g)
    };
    let mut root = vec![UNKNOWN; n];
    let mut path = Vec::new();
    for start in 0..n {
        if root[start] != UNKNOWN {
            continue;
        }
        path.clear();
        let mut cur = start;
        let found = loop {
            match root[cur] {
                UNKNOWN => {}
                VISITING => break cur as u32, // cycle: `cur` closes it and becomes a root
                r => break r,
            }
            root[cur] = VISITING;
            path.push(cur);
            let p = parent[cur];
            if p == NO_PARENT || p as usize >= n {
                break group(cur).unwrap_or(cur as u32);
            }
            cur = p as usize;
        };
        for &i in &path {
            root[i] = found;
        }
        if (found as usize) < n {
            root[found as usize] = found;
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_forward_references_and_cycles() {
        const N: u32 = NO_PARENT;
        // 0 <- 1 <- 2 ; 4 -> 3 (parent after child in order) ; 5 <-> 6 cycle
        let parent = [N, 0, 1, N, 3, 6, 5];
        let r = thread_roots(&parent, &[]);
        assert_eq!(&r[..5], &[0, 0, 0, 3, 3]);
        // the cycle yields one root shared by both
        assert_eq!(r[5], r[6]);
        assert!(r[5] == 5 || r[5] == 6);
    }

    #[test]
    fn orphans_of_one_missing_parent_share_a_thread() {
        const N: u32 = NO_PARENT;
        // 0 and 2 answer the same missing message, 3 another; 1 answers 0, 4 answers 2.
        let parent = [N, 0, N, N, 2];
        let orphan = [0, N, 0, 3, N];
        let r = thread_roots(&parent, &orphan);
        assert_eq!(r, vec![0, 0, 0, 3, 0]);
    }
}
