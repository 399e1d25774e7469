//! `/queues`: the work lists, filtered by queue, assignee and state, with actions on one item
//! or a selection (done, snooze until a date, assign, note, reopen), shared by the team and
//! written to the audit log; an item whose message is on Bluesky or Mastodon is answered
//! there from its own form (the publishing roles). Plain forms: it works without JavaScript.

use super::{
    Page, Paging, csrf, flash, here, message_line, param, person_link, render, s, scope_of,
};
use crate::problem::Problem;
use crate::routes::{Call, cached_answer};
use axum::response::Response;
use hearth_app::queue::{Action, QueueQuery, kind_title, team_of};
use hearth_app::team::{Permission, Team};
use maud::{Markup, html};
use serde_json::Value;

/// Items shown a page unless `per_page` (10 to 500) says otherwise: the lists of a large
/// community run to thousands (1,633 at 1M messages), a page of megabytes on a phone.
pub const PER_PAGE: usize = 100;

const KINDS: &[&str] = &[
    "newcomer",
    "question",
    "lapsed",
    "thank",
    "introduce",
    "alert",
    "notice",
    "support",
    "crisis",
    "social:respond",
    "social:amplify",
    "community:welcome",
    "community:invite",
    "community:connect",
];

pub async fn page(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let who = call.who.clone().ok_or_else(Problem::unauthorized)?;
    let kind = param(&call, "kind");
    let state = param(&call, "state");
    let mine = param(&call, "mine").is_some();
    let paging = Paging::of(&call, PER_PAGE);
    let (asked, per_page) = (paging.page, paging.per_page);
    let extra = if mine {
        format!("|mine={}", who.name)
    } else {
        String::new()
    };
    let kept = crate::routes::queue_items(&call, &scope).await?;
    // Only the page's items are made into an answer (the list's length comes with it).
    let list_page = |page_no: usize| {
        let query = QueueQuery {
            kind: kind.clone(),
            assignee: mine.then(|| who.name.clone()),
            state: state.clone(),
            all: false,
            page: Some(paging.range(page_no)),
        };
        let kept = kept.clone();
        let extra = format!("{extra}|{}|page={page_no}x{per_page}", kept.etag);
        let call = &call;
        async move {
            cached_answer(call, &extra, false, move |d| {
                hearth_app::queue::list_with(d, &*crate::routes::items_of(&kept)?, &query)
            })
            .await
        }
    };
    let mut answer = list_page(asked).await?;
    let total = answer.json()["total"].as_u64().unwrap_or(0) as usize;
    let page_no = asked.min(paging.pages(total));
    if page_no != asked {
        // Past the end of the list: its last page.
        answer = list_page(page_no).await?;
    }
    let v = answer.json();
    let items: &[Value] = v["items"].as_array().map_or(&[], Vec::as_slice);
    let back = here(&call);
    let may = |k: &str| who.role.may(Permission::Queue(Team::of_kind(k)));
    let mut keep = vec![];
    for (k, val) in [("kind", &kind), ("state", &state)] {
        if let Some(val) = val {
            keep.push((k.to_owned(), val.clone()));
        }
    }
    if mine {
        keep.push(("mine".into(), "true".into()));
    }
    // Counts by queue over every item, so a page's headings say how long each list is.
    let counts: Vec<(String, usize)> = v["counts"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|c| (s(&c["kind"]), c["items"].as_u64().unwrap_or(0) as usize))
        .collect();
    let pager = paging.nav(
        "Items",
        "/queues",
        &scope,
        &keep,
        page_no,
        items.len(),
        total,
    );
    let any_actionable = items.iter().any(|i| may(i["kind"].as_str().unwrap_or("")));
    let body = html! {
        (flash(&call))
        h1 { "Work queues" }
        p { (total) " items as of " (s(&v["as_of"]).get(..10).unwrap_or("")) "; "
            (s(&v["hidden"]["done"])) " done and " (s(&v["hidden"]["snoozed"])) " snoozed are hidden (choose a state to see them)." }
        form.scope method="get" action="/queues" aria-label="filter" {
            @for (k, val) in [("since", &scope.since), ("until", &scope.until), ("space", &scope.space)] {
                @if let Some(val) = val { input type="hidden" name=(k) value=(val); }
            }
            label { "queue" select name="kind" {
                option value="" selected[kind.is_none()] { "every queue" }
                @for k in KINDS { option value=(k) selected[kind.as_deref() == Some(*k)] { (kind_title(k)) } }
            } }
            label { "state" select name="state" {
                option value="" selected[state.is_none()] { "open" }
                @for st in ["done", "snoozed"] { option value=(st) selected[state.as_deref() == Some(st)] { (st) } }
            } }
            label { "assigned" select name="mine" {
                option value="" selected[!mine] { "to anyone" }
                option value="true" selected[mine] { "to me" }
            } }
            button type="submit" { "Filter" }
        }
        @if any_actionable {
            form #bulk method="post" action="/queues/act" aria-label="act on the selected items" {
                (csrf(&call))
                input type="hidden" name="back" value=(back);
                fieldset {
                    legend { "Selected items" }
                    div.actions {
                        button type="submit" name="action" value="done" { "Done" }
                        button type="submit" name="action" value="reopen" { "Reopen" }
                        label { "snooze until " input type="date" name="until"; }
                        button type="submit" name="action" value="snooze" { "Snooze" }
                        label { "assign to " input name="who" size="12" value=(who.name); }
                        button type="submit" name="action" value="assign" { "Assign" }
                    }
                }
            }
        }
        @if let Some(p) = &pager { (p) }
        (list(&call, items, &counts, &scope, &back, &may))
        @if let Some(p) = &pager { (p) }
    };
    render(
        &call,
        Page {
            title: "Work queues".into(),
            active: "/queues",
            scope,
            keep,
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

fn list(
    call: &Call,
    items: &[Value],
    counts: &[(String, usize)],
    scope: &hearth_app::scope::Scope,
    back: &str,
    may: &dyn Fn(&str) -> bool,
) -> Markup {
    let may_reply = call
        .who
        .as_ref()
        .is_some_and(|w| w.role.may(Permission::Posts));
    let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
    for item in items {
        let k = s(&item["kind"]);
        match groups.last_mut() {
            Some((last, list)) if *last == k => list.push(item),
            _ => groups.push((k, vec![item])),
        }
    }
    html! {
        @for (k, list) in &groups {
            h2 { (kind_title(k)) " (" (counts.iter().find(|(x, _)| x == k).map_or(list.len(), |c| c.1)) ")" span.tag { (team_of(k)) } }
            @for item in list { (one(call, item, scope, back, may(k), may_reply)) }
        }
        @if items.is_empty() { p { "Nothing here." } }
    }
}

fn one(
    call: &Call,
    item: &Value,
    scope: &hearth_app::scope::Scope,
    back: &str,
    may: bool,
    may_reply: bool,
) -> Markup {
    let id = s(&item["id"]);
    let reply_on = hearth_app::outbox::reply_target(item["key"].as_str().unwrap_or(""))
        .map(|(network, _)| {
            if network == "bluesky" {
                "Bluesky"
            } else {
                "Mastodon"
            }
        })
        .filter(|_| may_reply && item["status"] == "open");
    let status = s(&item["status"]);
    let d = &item["detail"];
    let message = if d["message"].is_object() {
        Some(&d["message"])
    } else if d["last_message"].is_object() {
        Some(&d["last_message"])
    } else {
        None
    };
    html! {
        div.item id=(format!("item-{id}")) {
            div {
                @if may { input type="checkbox" name="ids" value=(id) form="bulk" aria-label=(format!("select {}", s(&item["title"]))); " " }
                span.title { (s(&item["title"])) }
                " " span class=(format!("state {status}")) { (status) @if let Some(u) = item["snoozed_until"].as_str() { " until " (u.get(..10).unwrap_or("")) } }
                @if let Some(a) = item["assignee"].as_str() { " " span.tag { "@" (a) } }
            }
            div.why { "Why: " (s(&item["why"])) }
            @if let Some(m) = message { div { (message_line(m, None, scope)) } }
            @if d["person"].is_object() { div { "Person: " (person_link(&d["person"], scope)) } }
            @if d["a"].is_object() { div { (person_link(&d["a"], scope)) " and " (person_link(&d["b"], scope)) } }
            @if let Some(n) = item["note"].as_str() { div { "Note: " (n) } }
            @if may {
                div.actions {
                    form method="post" action="/queues/act" {
                        (csrf(call))
                        input type="hidden" name="ids" value=(id);
                        input type="hidden" name="back" value=(back);
                        @if status == "open" {
                            button type="submit" name="action" value="done" { "Done" }
                        } @else {
                            button type="submit" name="action" value="reopen" { "Reopen" }
                        }
                    }
                    @if let Some(network) = reply_on {
                        details.reply {
                            summary { "Reply on " (network) }
                            form method="post" action="/queues/act" {
                                (csrf(call))
                                input type="hidden" name="ids" value=(id);
                                input type="hidden" name="back" value=(back);
                                label for=(format!("reply-{id}")) { "Your reply, as the brand" }
                                br;
                                textarea id=(format!("reply-{id}")) name="text" rows="3" style="width:100%" required {}
                                br;
                                button type="submit" name="action" value="reply" { "Publish the reply" }
                            }
                        }
                    }
                    details {
                        summary { "Snooze, assign, note" }
                        form method="post" action="/queues/act" {
                            (csrf(call))
                            input type="hidden" name="ids" value=(id);
                            input type="hidden" name="back" value=(back);
                            label { "until " input type="date" name="until"; }
                            button type="submit" name="action" value="snooze" { "Snooze" }
                        }
                        form method="post" action="/queues/act" {
                            (csrf(call))
                            input type="hidden" name="ids" value=(id);
                            input type="hidden" name="back" value=(back);
                            label { "assign to " input name="who" size="12" value=(item["assignee"].as_str().unwrap_or("")); }
                            button type="submit" name="action" value="assign" { "Assign" }
                        }
                        form method="post" action="/queues/act" {
                            (csrf(call))
                            input type="hidden" name="ids" value=(id);
                            input type="hidden" name="back" value=(back);
                            label { "note " input name="note" size="24" value=(item["note"].as_str().unwrap_or("")); }
                            button type="submit" name="action" value="note" { "Save note" }
                        }
                    }
                }
            }
        }
    }
}

/// `POST /queues/act`: one action on one or more items, then back to the list.
pub async fn act(call: Call) -> Result<Response, Problem> {
    let form = super::form_of(&call)?;
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let back = get("back").unwrap_or_else(|| "/queues".into());
    let ids: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "ids")
        .map(|(_, v)| v.clone())
        .collect();
    if ids.is_empty() {
        return Ok(super::back_with(
            &back,
            "error",
            "Select at least one item.",
        ));
    }
    let text = |k: &str| get(k).filter(|v| !v.trim().is_empty());
    if get("action").as_deref() == Some("reply") {
        return reply(&call, &ids, text("text"), &back).await;
    }
    let action = match get("action").as_deref() {
        Some("done") => Action::Done { note: None },
        Some("reopen") => Action::Reopen,
        Some("snooze") => match text("until").map(|u| hearth_app::dates::parse(&u)) {
            Some(Ok(until)) => Action::Snooze { until, note: None },
            Some(Err(e)) => return Ok(super::back_with(&back, "error", &e.to_string())),
            None => return Ok(super::back_with(&back, "error", "Snooze needs a date.")),
        },
        Some("assign") => Action::Assign { who: text("who") },
        Some("note") => Action::Note { text: text("note") },
        _ => {
            return Err(Problem::bad_request(
                "action is done, reopen, snooze, assign or note",
            ));
        }
    };
    let who = call.who.clone().ok_or_else(Problem::unauthorized)?;
    let data = call.state.data().to_path_buf();
    let n = ids.len();
    let kept = crate::routes::queue_items(&call, &hearth_app::scope::Scope::default()).await?;
    let result = tokio::task::spawn_blocking(move || -> Result<usize, String> {
        let items = crate::routes::items_of(&kept).map_err(|e| e.to_string())?;
        let mut found = Vec::new();
        for id in &ids {
            let (key, kind, title) =
                crate::routes::find_item(&data, &items, id).map_err(|e| e.to_string())?;
            if !who.role.may(Permission::Queue(Team::of_kind(&kind))) {
                return Err(format!(
                    "The {} role may not change {} items ({title}).",
                    who.role.as_str(),
                    team_of(&kind)
                ));
            }
            found.push((key, kind, title));
        }
        for (key, kind, title) in &found {
            hearth_app::queue::change_found(&data, key, kind, title, &action, &who.actor())
                .map_err(|e| e.to_string())?;
        }
        Ok(found.len())
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?;
    Ok(match result {
        Ok(done) => super::back_with(
            &back,
            "done",
            &format!(
                "{done} of {n} item{} changed.",
                if n == 1 { "" } else { "s" }
            ),
        ),
        Err(e) => super::back_with(&back, "error", &e),
    })
}

/// `POST /queues/act` with `action=reply`: the item's message answered on its network.
async fn reply(
    call: &Call,
    ids: &[String],
    text: Option<String>,
    back: &str,
) -> Result<Response, Problem> {
    let who = call.who.clone().ok_or_else(Problem::unauthorized)?;
    if !who.role.may(Permission::Posts) {
        return Ok(super::back_with(
            back,
            "error",
            &format!("The {} role may not publish replies.", who.role.as_str()),
        ));
    }
    let ([id], Some(text)) = (ids, text) else {
        return Ok(super::back_with(
            back,
            "error",
            "A reply answers one item and needs its text.",
        ));
    };
    let (id, data) = (id.clone(), call.state.data().to_path_buf());
    let actor = crate::routes::post_actor(call)?;
    let kept = crate::routes::queue_items(call, &hearth_app::scope::Scope::default()).await?;
    let out = tokio::task::spawn_blocking(move || {
        let items = crate::routes::items_of(&kept)?;
        let (key, _, title) = crate::routes::find_item(&data, &items, &id)?;
        hearth_app::outbox::reply_found(
            &data,
            &key,
            &title,
            &text,
            &actor,
            &hearth_app::publish::Options::default(),
        )
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?;
    call.state.cache.clear();
    Ok(match out {
        Ok(v) => match v["state"].as_str() {
            Some("published") => super::back_with(
                back,
                "done",
                &format!(
                    "Replied (post {}): {}. The item is done.",
                    v["id"],
                    v["publish"]["uris"][0].as_str().unwrap_or("")
                ),
            ),
            Some("in_review") => super::back_with(
                back,
                "done",
                &format!(
                    "The reply (post {}) waits for approval on the social page; publishing it closes the item.",
                    v["id"]
                ),
            ),
            _ => super::back_with(
                back,
                "error",
                &format!(
                    "The reply (post {}) is {}: {}",
                    v["id"],
                    s(&v["state"]),
                    v["publish"]["failed"]
                        .as_array()
                        .or(v["publish"]["waiting"].as_array())
                        .map(|l| l.iter().map(s).collect::<Vec<_>>().join("; "))
                        .unwrap_or_default()
                ),
            ),
        },
        Err(e) => super::back_with(back, "error", &e.to_string()),
    })
}
