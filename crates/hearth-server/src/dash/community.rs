//! The community pages: the overview, a person, a thread, the metrics, the role audit, the
//! routing of inbound items, and search.

use super::{
    Page, Paging, csrf, flash, here, hours, href, json_table, markdown, message_line, num, param,
    pct, person_link, render, s, scope_of,
};
use crate::problem::Problem;
use crate::routes::{Call, answer, cached_answer, cached_value};
use axum::response::Response;
use hearth_app::team::Permission;
use maud::{Markup, PreEscaped, html};
use serde_json::Value;

/// One line of the "what changed" table: label, metric, how to show the value.
type Row = (&'static str, &'static str, fn(&Value) -> String);

/// `/`: the verdict with its trend, the picture (a node opens its person), the community and
/// social numbers side by side, and what changed since the previous period.
pub async fn overview(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let links = hearth_report::html::Links {
        metric: "/metrics/".into(),
        person: "/people/".into(),
        query: super::scope_query(&scope),
    };
    let (sc, lk) = (scope.clone(), links.clone());
    let sections = answer(&call, "", true, "text/html; fragment", move |d| {
        Ok(hearth_app::report::overview_html(d, &sc, &lk)?.into_bytes())
    });
    let sc = scope.clone();
    let change = cached_value(&call, "|change", move |d| {
        hearth_app::report::change_json(d, &sc)
    });
    let (sections, change) = if hearth_app::report::change_is_of_the_window(&scope) {
        // One after the other: the sections keep their window's numbers, the change's
        // "now", and have both cores meanwhile.
        let sections = sections.await?;
        (sections, change.await?)
    } else {
        // Both at once, each on a worker thread of its own: the change compares the last
        // 90 days with the 90 before.
        let (sections, change) = tokio::join!(sections, change);
        (sections?, change?)
    };
    let (now, before) = (&change["now"], &change["before"]);
    let rows: [Row; 6] = [
        ("peer share", "peer_share", pct),
        ("first answers by members", "first_response", pct),
        ("member threads unanswered", "first_response", pct),
        ("median wait for a first answer", "first_response", hours),
        ("members connected without the brand", "resilience", pct),
        ("messages", "activity", s),
    ];
    let keys = [
        "peer_share",
        "first_by_member",
        "unanswered",
        "median_hours_any",
        "connected_without_brand",
        "messages",
    ];
    let body = html! {
        h1 { "Community or audience?" }
        (PreEscaped(String::from_utf8_lossy(&sections.body).into_owned()))
        section #change {
            h2 { "What changed since the previous period" }
            p.muted { (s(&change["window"]["since"]).get(..10).unwrap_or("")) " to " (s(&change["window"]["until"]).get(..10).unwrap_or(""))
                ", against " (s(&change["previous"]["since"]).get(..10).unwrap_or("")) " to " (s(&change["previous"]["until"]).get(..10).unwrap_or("")) "." }
            div.scroll { table {
                thead { tr { th { "measure" } th { "previous period" } th { "this period" } } }
                tbody {
                    @for ((label, metric, f), key) in rows.iter().zip(keys) {
                        tr {
                            td { (label) }
                            td { (num(&f(&before[key]), metric, &scope)) }
                            td { (num(&f(&now[key]), metric, &scope)) }
                        }
                    }
                    tr { td { "verdict" } td { (s(&before["verdict"]).replace('_', " ")) } td { (s(&now["verdict"]).replace('_', " ")) } }
                }
            } }
        }
    };
    render(
        &call,
        Page {
            title: "Overview".into(),
            active: "/",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

/// `/people/{id}`: who they are and why they have their role, activity, spaces, the people
/// they talk with, threads, status, tone; merge and split for community and admin.
pub async fn person(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let id: i64 = call
        .params
        .get("id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Problem::not_found("a person id is a whole number"))?;
    let sc = scope.clone();
    let p = cached_value(&call, "", move |d| {
        let loaded = hearth_app::scope::load(d, &sc)?;
        hearth_app::people::person_view(&loaded, id)
    })
    .await?;
    let may_merge = call
        .who
        .as_ref()
        .is_some_and(|w| w.role.may(Permission::People));
    let may_erase = call
        .who
        .as_ref()
        .is_some_and(|w| w.role.may(Permission::Admin));
    let max_month = p["by_month"].as_object().map_or(1, |o| {
        o.values()
            .filter_map(Value::as_u64)
            .max()
            .unwrap_or(1)
            .max(1)
    });
    let body = html! {
        (flash(&call))
        h1 { (s(&p["name"])) }
        p { "Role: " strong { (s(&p["role"])) } " — " (s(&p["why"])) " " span.muted { "(rule " (s(&p["rule"])) ")" } }
        p { (s(&p["messages"])) " messages in this window, " (s(&p["first_message"]).get(..10).unwrap_or("—")) " to " (s(&p["last_message"]).get(..10).unwrap_or("—"))
            ". Threads started " (s(&p["threads_started"])) ", others' threads answered " (s(&p["threads_answered"])) "." }
        ul {
            @if p["status"]["newcomer"] == true { li { "Newcomer: first message in the last 30 days." } }
            @if let Some(r) = p["status"]["helper_rank"].as_u64() { li { "Helper: " (num(&format!("#{r}"), "helpers", &scope)) " among those who answer others most." } }
            @if p["status"]["lapsed"].is_object() { li { "Lapsed: silent " (format!("{:.0}", p["status"]["lapsed"]["silent_days"].as_f64().unwrap_or(0.0))) " days, usually every " (format!("{:.0}", p["status"]["lapsed"]["usual_gap_days"].as_f64().unwrap_or(0.0))) " (" (num("why", "lapsed", &scope)) ")." } }
        }
        div.grid {
            section {
                h2 { "Activity by month" }
                div.scroll { table {
                    thead { tr { th { "month" } th { "messages" } } }
                    tbody { @for (month, n) in p["by_month"].as_object().into_iter().flatten() {
                        tr { td { (month) } td {
                            (s(n)) " "
                            span aria-hidden="true" { (("▇").repeat((n.as_u64().unwrap_or(0) * 20 / max_month) as usize)) }
                        } }
                    } }
                } }
            }
            section {
                h2 { "Talks with" }
                table { thead { tr { th { "person" } th { "to them" } th { "from them" } } }
                    tbody { @for t in p["talks_with"].as_array().into_iter().flatten() {
                        tr { td { (person_link(&t["person"], &scope)) } td { (s(&t["to_them"])) } td { (s(&t["from_them"])) } }
                    } } }
                h2 { "Spaces" }
                ul { @for sp in p["spaces"].as_array().into_iter().flatten() { li { (s(&sp["space"])) ": " (s(&sp["messages"])) } } }
            }
        }
        section {
            h2 { "Tone of the last " (s(&p["sentiment"]["messages_scored"])) " messages" }
            p { @for (label, n) in p["sentiment"]["labels"].as_object().into_iter().flatten() { (label) " " (s(n)) " · " } (num("how it is scored", "sentiment", &scope)) }
            p { "Words behind it: "
                @for w in p["sentiment"]["words"].as_array().into_iter().flatten() {
                    span.tag { (s(&w["word"])) " " (format!("{:+.1}", w["weight"].as_f64().unwrap_or(0.0))) } " "
                }
            }
        }
        section {
            h2 { "Accounts" }
            table { thead { tr { th { "account" } th { "name" } th { "flags" } @if may_merge { th { "" } } } }
                tbody { @for a in p["accounts"].as_array().into_iter().flatten() {
                    tr {
                        td { (s(&a["ref"])) }
                        td { (s(&a["name"])) }
                        td { (a["flags"].as_array().map(|f| f.iter().map(s).collect::<Vec<_>>().join(", ")).unwrap_or_default()) }
                        @if may_merge { td {
                            form method="post" action="/people/split" {
                                (csrf(&call))
                                input type="hidden" name="account" value=(s(&a["ref"]));
                                input type="hidden" name="back" value=(here(&call));
                                button type="submit" { "Split off" }
                            }
                        } }
                    }
                } } }
            @if let Some(ev) = p["merged_because"].as_array().filter(|e| !e.is_empty()) {
                p { "Joined because: " @for e in ev { (s(e)) "; " } }
            }
            @if may_merge {
                form method="post" action="/people/merge" {
                    (csrf(&call))
                    input type="hidden" name="first" value=(s(&p["accounts"][0]["ref"]));
                    input type="hidden" name="back" value=(here(&call));
                    label { "Same person as (account source:id or a name) " input name="second" required; }
                    " "
                    label { "why " input name="note" placeholder="evidence"; }
                    " "
                    button type="submit" { "Merge" }
                }
            }
        }
        section {
            h2 { "Recent messages" }
            ul { @for m in p["recent"].as_array().into_iter().flatten() { li { (message_line(m, None, &scope)) } } }
        }
        @if may_erase {
            section {
                h2 { "Erase on request" }
                p { "Removes their accounts, names, addresses and the text of their messages from the store, its free pages, the work lists and the audit log; others' messages are scrubbed of their address and name. Their messages stay as anonymous textless records so nobody else's numbers change, unless you drop them. This cannot be undone." }
                form method="post" action=(format!("/people/{id}/erase")) {
                    (csrf(&call))
                    input type="hidden" name="back" value=(here(&call));
                    label { "Type the person id (" (id) ") to confirm " input name="confirm" required inputmode="numeric" autocomplete="off"; }
                    " "
                    label { input type="checkbox" name="drop_messages" value="on"; " also delete their messages" }
                    " "
                    button type="submit" class="danger" { "Erase" }
                }
            }
        }
    };
    render(
        &call,
        Page {
            title: s(&p["name"]),
            active: "",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

/// `POST /people/merge` and `/people/split` from the person page's forms.
pub async fn merge_or_split(call: Call) -> Result<Response, Problem> {
    let form = super::form_of(&call)?;
    let get = |k: &str| super::field(&form, k);
    let back = get("back");
    let (data, actor) = (
        call.state.data().to_path_buf(),
        call.who.as_ref().map_or_else(String::new, |w| w.actor()),
    );
    let merge = call.path.ends_with("/merge");
    let (first, second, note, account) = (get("first"), get("second"), get("note"), get("account"));
    let out = tokio::task::spawn_blocking(move || {
        if merge {
            hearth_app::people::merge(&data, &first, &second, &note, &actor)
        } else {
            hearth_app::people::split(&data, &account, &note, &actor)
        }
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?;
    Ok(match out {
        Ok(_) if merge => {
            super::back_with(&back, "done", "Merged: the accounts are one person now.")
        }
        Ok(_) => super::back_with(&back, "done", "Split: the account stands alone now."),
        Err(e) => super::back_with(&back, "error", &e.to_string()),
    })
}

/// `POST /people/{id}/erase` from the person page: erases them when `confirm` repeats the
/// id, then goes to the overview (their page is gone).
pub async fn erase(call: Call) -> Result<Response, Problem> {
    let form = super::form_of(&call)?;
    let get = |k: &str| super::field(&form, k);
    let back = get("back");
    let id = call.params.get("id").cloned().unwrap_or_default();
    if get("confirm").trim() != id {
        return Ok(super::back_with(
            &back,
            "error",
            "Not erased: type the person id to confirm.",
        ));
    }
    let drop = get("drop_messages") == "on";
    let (data, actor, state) = (
        call.state.data().to_path_buf(),
        call.who.as_ref().map_or_else(String::new, |w| w.actor()),
        call.state.clone(),
    );
    let out = tokio::task::spawn_blocking(move || {
        let out = hearth_app::people::erase(&data, &id, drop, &actor);
        state.cache.clear();
        out
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?;
    Ok(match out {
        Ok(v) => super::back_with(
            "/",
            "done",
            &format!(
                "Erased: their {} messages are {}.",
                v["messages"],
                if drop {
                    "deleted"
                } else {
                    "anonymous and textless now"
                }
            ),
        ),
        Err(e) => super::back_with(&back, "error", &e.to_string()),
    })
}

/// `/threads/{id}`: the messages in order, the first responder and brand people marked, and
/// how long after the first message each came.
pub async fn thread(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let id: i64 = call
        .params
        .get("id")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| Problem::not_found("a thread id is a message id"))?;
    let t = cached_value(&call, "", move |d| {
        let loaded = hearth_app::scope::load(d, &hearth_app::scope::Scope::default())?;
        hearth_app::threads::thread_json(&loaded, id)
    })
    .await?;
    let body = html! {
        h1 { (t["subject"].as_str().unwrap_or("A thread")) }
        p { "In " (s(&t["space"])) ", started by " (person_link(&t["started_by"], &scope)) ". "
            (s(&t["messages_total"])) " messages. "
            @match t["first_response"].as_object() {
                Some(f) => { "First answer " (num(&hours(&f["after_hours"]), "first_response", &scope)) " later, by "
                    (person_link(&f["person"], &scope)) @if f["brand"] == true { " (brand)" } @else { " (a member)" } "." }
                None => { "Nobody has answered yet." }
            }
        }
        @for m in t["messages"].as_array().into_iter().flatten() {
            @let class = format!("msg{}{}", if m["brand"] == true { " brand" } else { "" }, if m["first_response"] == true { " first" } else { "" });
            article class=(class) id=(format!("m{}", s(&m["message"]))) {
                div.meta {
                    (person_link(&m["person"], &scope))
                    @if m["first_response"] == true { span.tag.first { "first answer" } }
                    " · " (s(&m["time"]).get(..16).unwrap_or(""))
                    @if let Some(h) = m["after_hours"].as_f64() { " · " (hours(&Value::from(h))) " after the first message" }
                    @if m["inferred"].is_number() { " · reply inferred (" (num("how", "reply_inference", &scope)) ")" }
                }
                p.text { (s(&m["text"])) }
            }
        }
    };
    render(
        &call,
        Page {
            title: t["subject"].as_str().unwrap_or("Thread").to_owned(),
            active: "",
            scope,
            keep: vec![],
            no_scope: true,
            refresh: None,
        },
        body,
    )
}

/// `/metrics`: every metric with its value and the first line of its definition.
pub async fn metrics(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let sc = scope.clone();
    let v = cached_value(&call, "", move |d| {
        let loaded = hearth_app::scope::load(d, &sc)?;
        let q = hearth_app::metrics::MetricsQuery {
            name: Some(
                "peer_share,first_response,brand_dependence,resilience,activity,newcomers,absence"
                    .into(),
            ),
            period: None,
        };
        hearth_app::metrics::metrics_json(&loaded, &q)
    })
    .await?;
    let names = hearth_app::explain::names();
    let body = html! {
        h1 { "Metrics" }
        p { "Each community measure with its formula, parameters and the messages behind it. Open one to see all." }
        ul {
            @for name in &names {
                li {
                    a href=(href(&format!("/metrics/{name}"), &scope, &[])) { strong { (name) } }
                    @if let Some(def) = hearth_analysis::metrics::definition(name) {
                        " — " (first_sentence(&def))
                    }
                }
            }
        }
        h2 { "Values over this window" }
        (json_table(&v))
    };
    render(
        &call,
        Page {
            title: "Metrics".into(),
            active: "/metrics",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

fn first_sentence(def: &str) -> String {
    let flat: String = def
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['*', '`'], "");
    let cut = flat.find(". ").map_or(flat.len(), |i| i + 1);
    flat[..cut].chars().take(200).collect()
}

/// `/metrics/{name}`: its definition, its value over the scope, what is behind it.
pub async fn metric(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let name = call.params.get("name").cloned().unwrap_or_default();
    if hearth_analysis::metrics::definition(&name).is_none() {
        return Err(Problem::not_found(format!(
            "no metric named {name:?}; /metrics lists them"
        )));
    }
    let (sc, n) = (scope.clone(), name.clone());
    let v = cached_value(&call, "", move |d| {
        let loaded = hearth_app::scope::load(d, &sc)?;
        hearth_app::explain::explain_json(
            &loaded,
            &n,
            &hearth_app::explain::ExplainQuery::default(),
        )
    })
    .await?;
    let body = html! {
        h1 { (name) }
        section.definition { (markdown(v["definition"].as_str().unwrap_or(""))) }
        h2 { "Value over this window" }
        (json_table(&v["value"]))
        h2 { "Behind the number" }
        (behind(&v["behind"], &scope))
    };
    render(
        &call,
        Page {
            title: name.clone(),
            active: "/metrics",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

/// The messages and people behind a number, with links to threads and people.
fn behind(v: &Value, scope: &hearth_app::scope::Scope) -> Markup {
    match v {
        Value::Object(o) => html! {
            @for (k, x) in o {
                h3 { (k.replace('_', " ")) }
                (behind(x, scope))
            }
        },
        Value::Array(a) => html! {
            ul { @for x in a.iter().take(50) {
                li {
                    @if x.get("excerpt").is_some() && x.get("message").is_some() { (message_line(x, None, scope)) }
                    @else if x.get("person").is_some_and(Value::is_object) { (person_link(&x["person"], scope)) " " (json_table(&strip(x, "person"))) }
                    @else if x["message"].is_object() { (message_line(&x["message"], None, scope)) }
                    @else { (json_table(x)) }
                }
            } }
        },
        other => json_table(other),
    }
}

fn strip(v: &Value, key: &str) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| *k != key)
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Brand people shown a page of `/audit` unless `per_page` (10 to 500) says otherwise.
pub const PEOPLE_PER_PAGE: usize = 100;

/// `/audit`: what each brand person's messages do, and the team's verdict.
pub async fn audit(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let paging = Paging::of(&call, PEOPLE_PER_PAGE);
    // A page of the team (a large brand has thousands of people, each with examples); past
    // the end of the list, its last page.
    let people_page = |page: usize| {
        let sc = scope.clone();
        let call = &call;
        async move {
            cached_answer(
                call,
                &format!("|page={page}x{}", paging.per_page),
                true,
                move |d| {
                    let loaded = hearth_app::scope::load(d, &sc)?;
                    hearth_app::audit::roles_page(&loaded, 2, 1, Some(paging.range(page)))
                },
            )
            .await
        }
    };
    let mut answer = people_page(paging.page).await?;
    let total = answer.json()["people_total"].as_u64().unwrap_or(0) as usize;
    let page = paging.page.min(paging.pages(total));
    if page != paging.page {
        answer = people_page(page).await?;
    }
    let v = answer.json();
    let listed = v["people"].as_array().map_or(0, Vec::len);
    let pager = paging.nav("People", "/audit", &scope, &[], page, listed, total);
    let team = &v["team"];
    let body = html! {
        h1 { "Role audit" }
        p.verdict { "The brand team " strong { (s(&team["summary"])) } ": broadcasting " (num(&pct(&team["broadcasting"]), "role_audit", &scope))
            ", answering " (num(&pct(&team["answering"]), "role_audit", &scope)) ", facilitating " (num(&pct(&team["facilitating"]), "role_audit", &scope))
            " of " (s(&team["messages"])) " messages by " (s(&team["people"])) " people." }
        @if let Some(p) = &pager { (p) }
        div.scroll { table {
            thead { tr { th { "person" } th { "messages" } th { "broadcasting" } th { "answering" } th { "facilitating" } th { "verdict" } } }
            tbody { @for p in v["people"].as_array().into_iter().flatten() {
                tr { td { (person_link(&p["person"], &scope)) } td { (s(&p["messages"])) } td { (pct(&p["broadcasting"])) } td { (pct(&p["answering"])) } td { (pct(&p["facilitating"])) } td { (s(&p["summary"])) } }
            } }
        } }
        h2 { "Examples" }
        @for p in v["people"].as_array().into_iter().flatten() {
            @let ex = p["examples"].as_object().map(|o| o.values().filter_map(Value::as_array).flatten().count()).unwrap_or(0);
            @if ex > 0 {
                h3 { (s(&p["person"]["name"])) }
                ul { @for (activity, list) in p["examples"].as_object().into_iter().flatten() {
                    @for e in list.as_array().into_iter().flatten() {
                        li { strong { (activity) } " — " (message_line(e, None, &scope)) br; span.muted { (s(&e["why"])) } }
                    }
                } }
            }
        }
        @if let Some(p) = &pager { (p) }
    };
    render(
        &call,
        Page {
            title: "Role audit".into(),
            active: "/audit",
            scope,
            keep: vec![],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

/// `/routing`: inbound items with the queues they go to and why.
pub async fn routing(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let (sc, all) = (scope.clone(), param(&call, "all").is_some());
    let v = cached_value(&call, "", move |d| {
        let mut loaded = hearth_app::scope::load(d, &sc)?;
        hearth_app::route::route_json(
            &mut loaded,
            &hearth_app::route::RouteQuery {
                all,
                limit: Some(100),
                ..Default::default()
            },
        )
    })
    .await?;
    let body = html! {
        h1 { "Routing" }
        p { (s(&v["inbound"])) " inbound items since " (s(&v["since"]).get(..10).unwrap_or("the start")) ": "
            @for (q, n) in v["counts"].as_object().into_iter().flatten() { (q) " " (s(n)) " · " }
            (num("how items are routed", "routing", &scope)) }
        @if v["brand_names"].as_array().is_some_and(Vec::is_empty) { p.muted { "No [brand] names in hearth.toml: mentions of the brand are not looked for." } }
        p { @if all { a href=(href("/routing", &scope, &[])) { "Only routed items" } } @else { a href=(href("/routing", &scope, &[("all", "true")])) { "Also items no rule took" } } }
        ul.items { @for it in v["items"].as_array().into_iter().flatten() {
            li.item {
                div.title { (message_line(&it["message"], None, &scope)) }
                @for q in it["queues"].as_array().into_iter().flatten() {
                    div.why { strong { (s(&q["queue"])) } " — rule " (s(&q["rule"])) ": " (s(&q["reason"])) }
                }
                @if it["queues"].as_array().is_some_and(Vec::is_empty) { div.why { "unrouted" } }
                div.why.muted { "intent: " strong { (s(&it["signals"]["intent"])) } " (" (s(&it["signals"]["intent_rule"])) ")"
                    @if it["signals"]["unanswered"] == true { " · waiting for an answer" } }
            }
        } }
    };
    render(
        &call,
        Page {
            title: "Routing".into(),
            active: "/routing",
            scope,
            keep: if all {
                vec![("all".into(), "true".into())]
            } else {
                vec![]
            },
            no_scope: false,
            refresh: None,
        },
        body,
    )
}

/// `/search?q=`: people and messages.
pub async fn search(call: Call) -> Result<Response, Problem> {
    let scope = scope_of(&call);
    let q = param(&call, "q").unwrap_or_default();
    let v = if q.trim().chars().count() >= 2 {
        let (sc, qq) = (scope.clone(), q.clone());
        Some(
            cached_value(&call, "", move |d| {
                let loaded = hearth_app::scope::load(d, &sc)?;
                hearth_app::search::search_json(&loaded, &qq)
            })
            .await?,
        )
    } else {
        None
    };
    let body = html! {
        h1 { "Search" }
        form method="get" action="/search" role="search" {
            @for (k, val) in [("since", &scope.since), ("until", &scope.until), ("space", &scope.space)] {
                @if let Some(val) = val { input type="hidden" name=(k) value=(val); }
            }
            label { "People and messages " input type="search" name="q" value=(q) minlength="2" required; }
            " " button type="submit" { "Search" }
        }
        @if let Some(v) = &v {
            h2 { "People (" (v["people"].as_array().map_or(0, Vec::len)) ")" }
            ul { @for p in v["people"].as_array().into_iter().flatten() { li { (person_link(p, &scope)) } } }
            h2 { "Messages (" (v["messages"].as_array().map_or(0, Vec::len)) ", newest first)" }
            ul { @for m in v["messages"].as_array().into_iter().flatten() { li { (message_line(m, None, &scope)) } } }
        }
    };
    render(
        &call,
        Page {
            title: "Search".into(),
            active: "/search",
            scope,
            keep: vec![("q".into(), q)],
            no_scope: false,
            refresh: None,
        },
        body,
    )
}
