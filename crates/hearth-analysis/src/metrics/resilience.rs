//! **Resilience without the brand**: would members still be connected if the brand left?
//!
//! Build the undirected graph of the window's interactions between distinct non-bot people
//! (self-replies and bot interactions left out). *Active members* are members who wrote a
//! message in the window. The *largest component* is the connected component holding the
//! most active members (people outside the window can still connect them).
//!
//! - `members_in_largest_component_with_brand`: active members in the largest component ÷
//!   active members.
//! - `members_in_largest_component_without_brand`: the same after removing every brand
//!   person (and their edges) from the graph.
//! - `isolated_without_brand`: active members who talked with somebody, but with nobody once
//!   the brand is removed ("fans had nowhere to gather without us").
//! - `isolated_with_brand`: active members who talked with nobody at all (for reference).
//!
//! Example: a star (brand answers every member, members never talk) gives 1.0 with the brand,
//! 1/n without, and every member isolated; a mesh keeps its share when the brand leaves.

use crate::Context;
use crate::graph::UnionFind;
use hearth_model::Role;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resilience {
    pub active_members: u64,
    pub members_in_largest_component_with_brand: Option<f64>,
    pub members_in_largest_component_without_brand: Option<f64>,
    pub isolated_without_brand: u64,
    pub isolated_with_brand: u64,
}

pub fn resilience(cx: &Context<'_>) -> Resilience {
    let people = cx.snapshot.persons.len();
    let m = &cx.snapshot.messages;
    let mut active = vec![false; people];
    for i in cx.in_window() {
        let a = m.author[i];
        if cx.role(a) == Role::Member {
            active[a as usize] = true;
        }
    }
    let mut with = UnionFind::new(people);
    let mut without = UnionFind::new(people);
    let mut degree_with = vec![0u32; people];
    let mut degree_without = vec![0u32; people];
    for it in cx.interactions() {
        let (a, b) = (it.from, it.to);
        if !it.class.is_between_people() {
            continue;
        }
        with.union(a, b);
        degree_with[a as usize] += 1;
        degree_with[b as usize] += 1;
        if cx.role(a) != Role::Brand && cx.role(b) != Role::Brand {
            without.union(a, b);
            degree_without[a as usize] += 1;
            degree_without[b as usize] += 1;
        }
    }
    let active_members = active.iter().filter(|x| **x).count() as u64;
    let mut out = Resilience {
        active_members,
        ..Resilience::default()
    };
    for p in 0..people {
        if active[p] {
            if degree_with[p] == 0 {
                out.isolated_with_brand += 1;
            } else if degree_without[p] == 0 {
                out.isolated_without_brand += 1;
            }
        }
    }
    let largest = |uf: &mut UnionFind| -> u64 {
        let mut count = vec![0u64; people];
        for p in 0..people {
            if active[p] {
                count[uf.find(p as u32) as usize] += 1;
            }
        }
        count.into_iter().max().unwrap_or(0)
    };
    if active_members > 0 {
        let n = active_members as f64;
        out.members_in_largest_component_with_brand = Some(largest(&mut with) as f64 / n);
        out.members_in_largest_component_without_brand = Some(largest(&mut without) as f64 / n);
    }
    out
}
