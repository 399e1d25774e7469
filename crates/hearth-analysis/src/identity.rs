//! Persons from accounts: which accounts are one human, by rules the user can see.
//!
//! The store keeps every account as its own person. This module joins them, each join with
//! its evidence, from (see `docs/metrics.md`, "People and accounts"):
//! - `identity.same_email` (on by default): accounts with the same e-mail address;
//! - `identity.same_username` (off by default): the same username on different platforms;
//! - `identity.links` in `hearth.toml`: groups of `source:id` that are one person;
//! - merges made by hand (`hearth people merge`).
//!
//! A split made by hand (`hearth people split`) detaches an account: rules no longer join it
//! to anyone, nor do merges made before the split; merges made after it still count.
//! Nothing is moved in the store, so a split loses nothing and a merge is undone by a split.
//! Runs at analysis time: changing a rule changes the next report, no re-ingest needed.

use crate::graph::UnionFind;
use hearth_model::{AccountId, IdentityAction, IdentityRules, PersonInfo, Snapshot};
use std::collections::{BTreeMap, HashMap};

/// The snapshot with accounts joined into persons, and the problems found in the rules
/// (links naming unknown accounts).
pub fn resolve(mut snapshot: Snapshot, rules: &IdentityRules) -> (Snapshot, Vec<String>) {
    let mut problems = Vec::new();
    // Every account, with the (store) person it belongs to.
    let mut owner: Vec<usize> = Vec::new();
    let mut index: HashMap<AccountId, usize> = HashMap::new();
    let mut by_ref: HashMap<String, usize> = HashMap::new();
    let accounts: Vec<&hearth_model::AccountInfo> = snapshot
        .persons
        .iter()
        .enumerate()
        .flat_map(|(p, person)| person.accounts.iter().map(move |a| (p, a)))
        .map(|(p, a)| {
            index.insert(a.id, owner.len());
            by_ref.insert(
                format!("{}:{}", a.source, a.native_id).to_lowercase(),
                owner.len(),
            );
            owner.push(p);
            a
        })
        .collect();

    // The latest split of each account, by its place in the (ordered) list of actions:
    // two actions in the same second still keep their order.
    let mut split_at: HashMap<usize, usize> = HashMap::new();
    for (seq, action) in snapshot.identity_actions.iter().enumerate() {
        if let IdentityAction::Split { account, .. } = action
            && let Some(&i) = index.get(account)
        {
            split_at.insert(i, seq);
        }
    }
    let split = |i: usize| split_at.contains_key(&i);

    // Edges between accounts, with evidence.
    let mut edges: Vec<(usize, usize, String)> = Vec::new();
    let group = |key: &dyn Fn(&hearth_model::AccountInfo) -> Option<String>,
                 pair_ok: &dyn Fn(usize, usize) -> bool,
                 evidence: &dyn Fn(&str, usize, usize) -> String,
                 edges: &mut Vec<(usize, usize, String)>| {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, a) in accounts.iter().enumerate() {
            if let Some(k) = key(a) {
                groups.entry(k).or_default().push(i);
            }
        }
        for (k, members) in groups {
            // Each member joins the group's first member it may pair with.
            for &b in &members[1..] {
                if let Some(&a) = members.iter().find(|&&a| a != b && pair_ok(a, b))
                    && !split(a)
                    && !split(b)
                {
                    edges.push((a, b, evidence(&k, a, b)));
                }
            }
        }
    };
    if rules.same_email {
        group(
            &|a| {
                a.email
                    .as_deref()
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| e.contains('@'))
            },
            &|_, _| true,
            &|k, _, _| format!("same e-mail address {k} (identity.same_email)"),
            &mut edges,
        );
    }
    if rules.same_username {
        group(
            &|a| {
                a.username
                    .as_deref()
                    .map(|u| u.trim().to_lowercase())
                    .filter(|u| !u.is_empty())
            },
            &|a, b| accounts[a].source != accounts[b].source,
            &|k, a, b| {
                format!(
                    "same username {k} on {} and {} (identity.same_username)",
                    accounts[a].source, accounts[b].source
                )
            },
            &mut edges,
        );
    }
    for link in &rules.links {
        let mut found = Vec::new();
        for r in link {
            match by_ref.get(&r.trim().to_lowercase()) {
                Some(&i) => found.push(i),
                None => problems.push(format!(
                    "identity.links names {r:?}, which is no account in the store (write source:id)"
                )),
            }
        }
        for w in found.windows(2) {
            if !split(w[0]) && !split(w[1]) {
                edges.push((
                    found[0],
                    w[1],
                    format!("linked in hearth.toml: {}", link.join(" = ")),
                ));
            }
        }
    }
    for (seq, action) in snapshot.identity_actions.iter().enumerate() {
        if let IdentityAction::Merge { a, b, note, .. } = action
            && let (Some(&i), Some(&j)) = (index.get(a), index.get(b))
        {
            let undone = |x: usize| split_at.get(&x).is_some_and(|s| *s > seq);
            if !undone(i) && !undone(j) {
                let why = if note.is_empty() {
                    "merged by hand".to_owned()
                } else {
                    format!("merged by hand: {note}")
                };
                edges.push((i, j, why));
            }
        }
    }
    if edges.is_empty() {
        return (snapshot, problems);
    }

    // Join the store's persons.
    let n = snapshot.persons.len();
    let mut uf = UnionFind::new(n);
    for (a, b, _) in &edges {
        uf.union(owner[*a] as u32, owner[*b] as u32);
    }
    let mut new_index = vec![u32::MAX; n];
    let mut persons: Vec<PersonInfo> = Vec::new();
    let mut root_slot: HashMap<u32, u32> = HashMap::new();
    for (p, slot_of_p) in new_index.iter_mut().enumerate() {
        let root = uf.find(p as u32);
        let slot = *root_slot.entry(root).or_insert_with(|| {
            let info = &snapshot.persons[p];
            persons.push(PersonInfo {
                id: info.id,
                display_name: info.display_name.clone(),
                accounts: Vec::new(),
                evidence: Vec::new(),
            });
            (persons.len() - 1) as u32
        });
        *slot_of_p = slot;
        let accounts = std::mem::take(&mut snapshot.persons[p].accounts);
        persons[slot as usize].accounts.extend(accounts);
    }
    for (a, _, why) in edges {
        let slot = new_index[owner[a]] as usize;
        if !persons[slot].evidence.contains(&why) {
            persons[slot].evidence.push(why);
        }
    }
    let m = &mut snapshot.messages;
    for author in m.author.iter_mut().chain(m.mention_person.iter_mut()) {
        *author = new_index[*author as usize];
    }
    // A message mentioning two accounts of one person mentions that person once.
    if !m.mention_start.is_empty() {
        let mut start = Vec::with_capacity(m.mention_start.len());
        let mut people = Vec::with_capacity(m.mention_person.len());
        for i in 0..m.len() {
            start.push(people.len() as u32);
            let from = people.len();
            for &p in
                &m.mention_person[m.mention_start[i] as usize..m.mention_start[i + 1] as usize]
            {
                if !people[from..].contains(&p) {
                    people.push(p);
                }
            }
        }
        start.push(people.len() as u32);
        m.mention_start = start;
        m.mention_person = people;
    }
    snapshot.persons = persons;
    (snapshot, problems)
}
