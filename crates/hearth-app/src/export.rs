//! `hearth export --format parquet|csv|jsonl DIR`: messages, people, interactions and the
//! monthly metric series as open files (schema in docs/export.md).

use crate::Result;
use crate::scope::Loaded;
use hearth_analysis::Period;
use hearth_analysis::metrics::series;
use hearth_model::{InteractionClass, InteractionKind, NO_PARENT};
use hearth_store::export::{Format, Table, write};
use std::path::{Path, PathBuf};

/// One file written by `export`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Written {
    pub table: String,
    pub rows: usize,
    pub path: PathBuf,
}

/// Writes the scope's tables into `dir` (created) in `format`.
pub fn export(
    loaded: &Loaded,
    dir: &Path,
    format: Format,
    with_text: bool,
) -> Result<Vec<Written>> {
    std::fs::create_dir_all(dir).map_err(|e| crate::AppError::io("cannot create", dir, e))?;
    let mut written = Vec::new();
    for table in tables(loaded, with_text)? {
        let path = write(&table, dir, format)?;
        written.push(Written {
            table: table.name.clone(),
            rows: table.rows(),
            path,
        });
    }
    Ok(written)
}

/// The four tables of the scope.
pub fn tables(loaded: &Loaded, with_text: bool) -> Result<Vec<Table>> {
    let cx = loaded.context();
    let s = &loaded.snapshot;
    let m = &s.messages;
    let scope: Vec<usize> = cx.in_window().collect();
    let person_id = |p: u32| s.persons.get(p as usize).map(|x| x.id.0);

    let mut text: Vec<Option<String>> = vec![None; scope.len()];
    if with_text {
        let mut ids: Vec<(i64, usize)> = scope
            .iter()
            .enumerate()
            .map(|(k, &i)| (m.id[i], k))
            .collect();
        ids.sort_unstable();
        let only: Vec<i64> = ids.iter().map(|x| x.0).collect();
        let mut k = 0;
        loaded.store.for_each_text(&only, |id, _subject, body| {
            while k < ids.len() && ids[k].0 < id {
                k += 1;
            }
            if let Some(&(found, slot)) = ids.get(k)
                && found == id
            {
                text[slot] = Some(body.to_owned());
            }
        })?;
    }
    let parent_of = |i: usize| (m.parent[i] != NO_PARENT).then(|| m.id[m.parent[i] as usize]);
    let messages = Table::new("messages")
        .int(
            "message_id",
            false,
            scope.iter().map(|&i| Some(m.id[i])).collect(),
        )
        .int(
            "time",
            false,
            scope.iter().map(|&i| Some(m.time[i])).collect(),
        )
        .text(
            "time_utc",
            false,
            scope
                .iter()
                .map(|&i| Some(hearth_report::iso(m.time[i])))
                .collect(),
        )
        .text(
            "source",
            false,
            scope
                .iter()
                .map(|&i| s.spaces.get(m.space[i] as usize).map(|x| x.source.clone()))
                .collect(),
        )
        .text(
            "space",
            false,
            scope
                .iter()
                .map(|&i| Some(loaded.space_name(m.space[i])))
                .collect(),
        )
        .int(
            "person_id",
            false,
            scope.iter().map(|&i| person_id(m.author[i])).collect(),
        )
        .text(
            "author",
            false,
            scope
                .iter()
                .map(|&i| Some(loaded.person_name(m.author[i])))
                .collect(),
        )
        .int(
            "parent_id",
            true,
            scope.iter().map(|&i| parent_of(i)).collect(),
        )
        .text(
            "parent_kind",
            false,
            scope
                .iter()
                .map(|&i| Some(parent_kind(m, i).to_owned()))
                .collect(),
        )
        .float(
            "parent_confidence",
            true,
            scope
                .iter()
                .map(|&i| m.inferred(i).map(f64::from))
                .collect(),
        )
        .int(
            "thread_root_id",
            false,
            scope
                .iter()
                .map(|&i| Some(m.id[cx.roots[i] as usize]))
                .collect(),
        )
        .text("text", true, text);

    let mut count = vec![0i64; s.persons.len()];
    for &i in &scope {
        count[m.author[i] as usize] += 1;
    }
    let people_idx: Vec<usize> = (0..s.persons.len()).filter(|&p| count[p] > 0).collect();
    let people = people_columns(loaded, &people_idx).int(
        "messages",
        false,
        people_idx.iter().map(|&p| Some(count[p])).collect(),
    );

    let its = cx.interactions();
    let interactions = Table::new("interactions")
        .int(
            "message_id",
            false,
            its.iter()
                .map(|it| Some(m.id[it.message as usize]))
                .collect(),
        )
        .int(
            "time",
            false,
            its.iter()
                .map(|it| Some(m.time[it.message as usize]))
                .collect(),
        )
        .apply(|t| edge_columns(t, loaded, &its.iter().collect::<Vec<_>>()));

    let rows = series::series(
        s,
        &loaded.prepared,
        loaded.window,
        loaded.space,
        Period::Month,
    );
    let u = |x: u64| Some(x as i64);
    let series = Table::new("series")
        .text(
            "month",
            false,
            rows.iter().map(|r| Some(r.period.clone())).collect(),
        )
        .int("since", false, rows.iter().map(|r| Some(r.since)).collect())
        .int(
            "messages",
            false,
            rows.iter().map(|r| u(r.messages)).collect(),
        )
        .int(
            "active_members",
            false,
            rows.iter().map(|r| u(r.active_members)).collect(),
        )
        .int(
            "new_members",
            false,
            rows.iter().map(|r| u(r.new_members)).collect(),
        )
        .float(
            "peer_share",
            true,
            rows.iter().map(|r| r.peer_share).collect(),
        )
        .int(
            "member_threads",
            false,
            rows.iter().map(|r| u(r.member_threads)).collect(),
        )
        .float(
            "answered_share",
            true,
            rows.iter().map(|r| r.answered_share).collect(),
        )
        .float(
            "median_hours_first_response",
            true,
            rows.iter().map(|r| r.median_hours_first_response).collect(),
        )
        .float(
            "brand_dependence",
            true,
            rows.iter().map(|r| r.brand_dependence).collect(),
        );
    Ok(vec![messages, people, interactions, series])
}

/// `parent_kind` of the exports: `missing` (an orphan reply), `none`, `inferred` or `explicit`.
pub(crate) fn parent_kind(m: &hearth_model::MessageColumns, i: usize) -> &'static str {
    if m.is_orphan(i) {
        "missing"
    } else if m.parent[i] == NO_PARENT {
        "none"
    } else if m.inferred(i).is_some() {
        "inferred"
    } else {
        "explicit"
    }
}

/// The exports' name of an interaction kind.
pub(crate) fn kind_name(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Reply => "reply",
        InteractionKind::Mention => "mention",
        InteractionKind::InferredReply => "inferred_reply",
    }
}

/// The exports' name of an interaction class.
pub(crate) fn class_name(class: InteractionClass) -> &'static str {
    match class {
        InteractionClass::MemberToMember => "member_to_member",
        InteractionClass::MemberToBrand => "member_to_brand",
        InteractionClass::BrandToMember => "brand_to_member",
        InteractionClass::BrandToBrand => "brand_to_brand",
        InteractionClass::SelfReply => "self",
        InteractionClass::Bot => "bot",
    }
}

/// The `people` table's columns that every export shares: id, name, role and its rule, and
/// the accounts (`source:id`, space-separated), for the persons `rows` (snapshot indices).
pub(crate) fn people_columns(loaded: &Loaded, rows: &[usize]) -> Table {
    let s = &loaded.snapshot;
    let roles = &loaded.prepared.roles;
    Table::new("people")
        .int(
            "person_id",
            false,
            rows.iter()
                .map(|&p| s.persons.get(p).map(|x| x.id.0))
                .collect(),
        )
        .text(
            "name",
            false,
            rows.iter()
                .map(|&p| s.persons.get(p).map(|x| x.display_name.clone()))
                .collect(),
        )
        .text(
            "role",
            false,
            rows.iter()
                .map(|&p| roles.get(p).map(|r| r.role.as_str().to_owned()))
                .collect(),
        )
        .text(
            "role_rule",
            false,
            rows.iter()
                .map(|&p| roles.get(p).map(|r| r.rule.to_owned()))
                .collect(),
        )
        .text(
            "accounts",
            false,
            rows.iter()
                .map(|&p| {
                    s.persons.get(p).map(|x| {
                        x.accounts
                            .iter()
                            .map(|a| format!("{}:{}", a.source, a.native_id))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                })
                .collect(),
        )
}

/// The `interactions` table's columns that every export shares: who addressed whom, the
/// kind and the class, for the interactions `its`.
pub(crate) fn edge_columns(t: Table, loaded: &Loaded, its: &[&hearth_model::Interaction]) -> Table {
    let s = &loaded.snapshot;
    let person_id = |p: u32| s.persons.get(p as usize).map(|x| x.id.0);
    t.int(
        "from_person_id",
        false,
        its.iter().map(|it| person_id(it.from)).collect(),
    )
    .int(
        "to_person_id",
        false,
        its.iter().map(|it| person_id(it.to)).collect(),
    )
    .text(
        "kind",
        false,
        its.iter()
            .map(|it| Some(kind_name(it.kind).to_owned()))
            .collect(),
    )
    .text(
        "class",
        false,
        its.iter()
            .map(|it| Some(class_name(it.class).to_owned()))
            .collect(),
    )
}
