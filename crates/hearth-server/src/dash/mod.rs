//! The dashboard: server-rendered pages (maud templates) that work without JavaScript, in the
//! look of the shareable report. Every page takes the window and the space (`since`, `until`,
//! `space`) and every link it makes carries them on, so they stay while one navigates. Every
//! number links to its definition (`/metrics/{name}`), every message to its thread, every
//! person to their page. Text from the data is escaped by maud; it never becomes markup.

pub mod admin;
pub mod community;
pub mod publishing;
pub mod queues;
pub mod social;

use crate::problem::Problem;
use crate::routes::Call;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_app::scope::Scope;
use hearth_app::team::{Principal, Role};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::Value;

/// The dashboard's style sheet: the report's, plus navigation, forms and the queue.
pub const CSS: &str = r#"
:root { --muted: #555c63; }
body { max-width: 1100px; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
header.top .brandname { font-weight: 700; font-size: 1.2rem; color: var(--brand); text-decoration: none; }
nav.pager { margin: .6rem 0; }
nav.main { display: flex; flex-wrap: wrap; gap: .25rem .9rem; }
nav.main a { color: var(--ink); text-decoration: none; padding: .1rem 0; }
nav.main a[aria-current="page"] { font-weight: 700; border-bottom: 2px solid var(--brand); }
.who { margin-left: auto; color: var(--muted); font-size: .9rem; display: flex; gap: .5rem; align-items: center; }
form.scope { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .75rem 0; font-size: .9rem; }
form.scope label { display: flex; flex-direction: column; color: var(--muted); }
input, select, textarea, button { font: inherit; }
input, select, textarea { border: 1px solid #adb5bd; border-radius: 6px; padding: .3rem .45rem; max-width: 100%; }
button, .button { background: #e9ecef; border: 1px solid #adb5bd; border-radius: 6px; padding: .3rem .7rem; cursor: pointer; color: var(--ink); text-decoration: none; }
button.primary { background: #a33c12; border-color: #a33c12; color: #fff; }
button.danger { background: #fff; border-color: #b02a37; color: #b02a37; font-weight: 600; }
:focus-visible, input:focus, input:focus-within, select:focus, textarea:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
.items { list-style: none; padding: 0; margin: 0; }
.item { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .75rem; margin: .5rem 0; }
.item .title { font-weight: 600; overflow-wrap: anywhere; }
.item .why { color: var(--muted); font-size: .9rem; }
.item .state { font-size: .85rem; padding: .05rem .4rem; border-radius: 4px; background: #e9ecef; }
.item .state.done { background: #d3f9d8; } .item .state.snoozed { background: #fff3bf; }
.actions { display: flex; flex-wrap: wrap; gap: .4rem; margin-top: .4rem; align-items: center; }
.actions form { display: inline-flex; flex-wrap: wrap; gap: .3rem; align-items: center; margin: 0; }
details > summary { cursor: pointer; color: #1a5fb4; }
.flash { padding: .6rem .8rem; border-radius: 6px; background: #d3f9d8; margin: .75rem 0; }
.flash.error { background: #ffe3e3; }
.msg { border-left: 3px solid var(--line); padding: .3rem .7rem; margin: .6rem 0; }
.msg.brand { border-left-color: var(--brand); } .msg.first { background: #f1f8ff; }
.msg .meta { font-size: .85rem; color: var(--muted); }
.msg .text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2rem 0 0; }
.tag { font-size: .75rem; border-radius: 4px; padding: 0 .35rem; background: #e9ecef; margin-left: .3rem; }
.tag.brand { background: #ffe8cc; } .tag.first { background: #d0ebff; } .tag.crisis { background: #ffc9c9; }
.heat td { text-align: center; font-size: .75rem; padding: .15rem; min-width: 1.6rem; }
.scroll { overflow-x: auto; max-width: 100%; }
main { overflow-wrap: anywhere; }
/* A table wider than a phone scrolls inside itself; the page never scrolls sideways. */
@media (max-width: 700px) { main table { display: block; overflow-x: auto; max-width: 100%; } }
pre.toml { white-space: pre-wrap; }
textarea.toml { width: 100%; min-height: 28rem; font-family: ui-monospace, monospace; font-size: .85rem; }
.muted { color: var(--muted); }
form.compose > label, form.compose details > label { display: block; margin-top: .6rem; }
form.compose fieldset { margin-top: .6rem; border: 1px solid var(--line); border-radius: 6px; }
.posts { list-style: none; padding: 0; }
.post { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .75rem; margin: .5rem 0; }
.post blockquote { margin: .2rem 0 .4rem; padding-left: .6rem; border-left: 3px solid var(--line); white-space: pre-wrap; }
.post .over { color: #b02a37; font-weight: 600; } .post .error { color: #b02a37; }
table.calendar { table-layout: fixed; width: 100%; }
.calendar td { vertical-align: top; min-width: 6.5rem; font-size: .85rem; border: 1px solid var(--line); }
.calendar td.today { background: #f1f8ff; }
.calendar .slot { margin-top: .3rem; padding: .2rem; background: #fff3bf; border-radius: 4px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: .5rem; top: .5rem; background: #fff; padding: .3rem; }
"#;

/// The dashboard's own script, served from `/static/hearth.js`: a "select all" box for the
/// queue. Every page works without it.
pub const JS: &str = r#"document.addEventListener('DOMContentLoaded', function () {
  var bulk = document.getElementById('bulk');
  if (!bulk) return;
  var box = document.createElement('input');
  box.type = 'checkbox'; box.id = 'select-all';
  var label = document.createElement('label');
  label.htmlFor = 'select-all'; label.textContent = ' select all';
  var legend = bulk.querySelector('legend');
  legend.appendChild(box); legend.appendChild(label);
  box.addEventListener('change', function () {
    document.querySelectorAll('input[name="ids"][form="bulk"]').forEach(function (c) { c.checked = box.checked; });
  });
});
"#;

/// The query string (with `?`, or empty) that carries a scope.
pub fn scope_query(s: &Scope) -> String {
    let pairs: Vec<(&str, &str)> = [
        ("since", s.since.as_deref()),
        ("until", s.until.as_deref()),
        ("space", s.space.as_deref()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

/// `path` with the scope's query, and more pairs after it.
pub fn href(path: &str, scope: &Scope, more: &[(&str, &str)]) -> String {
    let q = scope_query(scope);
    let extra = serde_urlencoded::to_string(more).unwrap_or_default();
    match (q.is_empty(), extra.is_empty()) {
        (true, true) => path.to_owned(),
        (true, false) => format!("{path}?{extra}"),
        (false, true) => format!("{path}{q}"),
        (false, false) => format!("{path}{q}&{extra}"),
    }
}

/// The scope a page was asked for, from its query (empty fields are absent).
pub fn scope_of(call: &Call) -> Scope {
    let get = |k: &str| {
        call.pairs
            .iter()
            .find(|(n, v)| n == k && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
    };
    Scope {
        since: get("since"),
        until: get("until"),
        space: get("space"),
    }
}

/// A query parameter of the page.
pub fn param(call: &Call, name: &str) -> Option<String> {
    call.pairs
        .iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.clone())
}

/// Which page of a long list a request asks for: `page` (from 1) and `per_page` (10 to 500,
/// `default` unless said).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: usize,
    pub per_page: usize,
    pub default: usize,
}

impl Paging {
    pub fn of(call: &Call, default: usize) -> Paging {
        Paging {
            page: param(call, "page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1),
            per_page: param(call, "per_page")
                .and_then(|p| p.parse::<usize>().ok())
                .map_or(default, |n| n.clamp(10, 500)),
            default,
        }
    }

    /// The list's page count for `total` items.
    pub fn pages(self, total: usize) -> usize {
        total.div_ceil(self.per_page).max(1)
    }

    /// (first item, how many) of page `page`.
    pub fn range(self, page: usize) -> (usize, usize) {
        ((page - 1).saturating_mul(self.per_page), self.per_page)
    }

    /// The links to the pages before and after page `page` of `total` entries (`what`:
    /// "Items", "People"), `shown` of them on it (nothing for a list of one page); `keep` are
    /// the page's own parameters.
    #[allow(clippy::too_many_arguments)]
    pub fn nav(
        self,
        what: &str,
        path: &str,
        scope: &Scope,
        keep: &[(String, String)],
        page: usize,
        shown: usize,
        total: usize,
    ) -> Option<Markup> {
        let pages = self.pages(total);
        if pages <= 1 {
            return None;
        }
        let link = |n: usize| {
            let mut more: Vec<(&str, &str)> =
                keep.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (n, per) = (n.to_string(), self.per_page.to_string());
            if self.per_page != self.default {
                more.push(("per_page", &per));
            }
            more.push(("page", &n));
            href(path, scope, &more)
        };
        let lo = (page - 1) * self.per_page;
        Some(html! {
            nav.pager aria-label="pages of the list" {
                (what) " " (lo + 1) "–" (lo + shown) " of " (total) " (page " (page) " of " (pages) ")"
                @if page > 1 { " · " a href=(link(page - 1)) rel="prev" { "previous page" } }
                @if page < pages { " · " a href=(link(page + 1)) rel="next" { "next page" } }
            }
        })
    }
}

/// A number that links to its metric's page.
pub fn num(text: &str, metric: &str, scope: &Scope) -> Markup {
    html! { a.num href=(href(&format!("/metrics/{metric}"), scope, &[])) { (text) } }
}

pub fn pct(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "—".to_owned(), |x| format!("{:.1}%", x * 100.0))
}

pub fn hours(v: &Value) -> String {
    match v.as_f64() {
        None => "—".to_owned(),
        Some(h) if h < 1.0 => format!("{:.0} min", h * 60.0),
        Some(h) if h < 48.0 => format!("{h:.1} h"),
        Some(h) => format!("{:.1} days", h / 24.0),
    }
}

pub fn s(v: &Value) -> String {
    match v {
        // Data text cannot reorder the page around it (see `close_bidi`).
        Value::String(x) => hearth_report::html::bidi_closed(x),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// A person's name linking to their page.
pub fn person_link(p: &Value, scope: &Scope) -> Markup {
    match p["id"].as_i64() {
        Some(id) => html! {
            a href=(href(&format!("/people/{id}"), scope, &[])) { (s(&p["name"])) }
            @if p["role"] == "brand" { span.tag.brand { "brand" } }
        },
        None => html! { (s(&p["name"])) },
    }
}

/// A message as the lists show it: time, author, excerpt, linking to its thread.
pub fn message_line(m: &Value, thread: Option<i64>, scope: &Scope) -> Markup {
    let thread = thread
        .or_else(|| m["thread"].as_i64())
        .or_else(|| m["message"].as_i64());
    html! {
        span.muted { (s(&m["time"]).get(..16).unwrap_or("")) } " · " (s(&m["author"])) " · "
        @if let Some(t) = thread {
            a href=(href(&format!("/threads/{t}"), scope, &[])) { "“" (s(&m["excerpt"])) "”" }
        } @else {
            "“" (s(&m["excerpt"])) "”"
        }
    }
}

/// The window and space form: every page has it; it keeps the page's other parameters.
fn scope_form(path: &str, scope: &Scope, keep: &[(String, String)]) -> Markup {
    html! {
        form.scope method="get" action=(path) aria-label="window and space" {
            @for (k, v) in keep { input type="hidden" name=(k) value=(v); }
            label { "from" input type="date" name="since" value=(scope.since.clone().unwrap_or_default().get(..10).unwrap_or("")); }
            label { "until" input type="date" name="until" value=(scope.until.clone().unwrap_or_default().get(..10).unwrap_or("")); }
            label { "space" input type="text" name="space" size="22" placeholder="all spaces" value=(scope.space.clone().unwrap_or_default()); }
            button type="submit" { "Apply" }
            @if scope.since.is_some() || scope.until.is_some() || scope.space.is_some() {
                a.button href=(path) { "All time, all spaces" }
            }
        }
    }
}

/// The navigation: every page, the admin's only for admins.
fn nav(active: &str, who: &Principal, scope: &Scope) -> Markup {
    let mut items: Vec<(&str, &str)> = vec![
        ("/", "Overview"),
        ("/queues", "Queues"),
        ("/metrics", "Metrics"),
        ("/social", "Social"),
        ("/audit", "Audit"),
        ("/routing", "Routing"),
        ("/jobs", "Jobs"),
        ("/search", "Search"),
    ];
    if who.role == Role::Admin {
        items.extend([
            ("/data", "Data"),
            ("/settings", "Settings"),
            ("/users", "Users"),
        ]);
    }
    html! {
        nav.main aria-label="pages" {
            @for (path, label) in items {
                @if path == active {
                    a href=(href(path, scope, &[])) aria-current="page" { (label) }
                } @else {
                    a href=(href(path, scope, &[])) { (label) }
                }
            }
        }
    }
}

/// One page of the dashboard.
#[derive(Debug)]
pub struct Page<'a> {
    pub title: String,
    /// The nav entry it belongs to.
    pub active: &'a str,
    pub scope: Scope,
    /// The page's own parameters, kept when the scope form is applied.
    pub keep: Vec<(String, String)>,
    /// Hide the scope form (pages the scope does not change).
    pub no_scope: bool,
    /// Reload the page after this many seconds (an ingest under way; no script needed).
    pub refresh: Option<u32>,
}

pub fn render(call: &Call, page: Page<'_>, body: Markup) -> Result<Response, Problem> {
    let who = call.who.as_ref().ok_or_else(Problem::unauthorized)?;
    let path = call.path.clone();
    let doc = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " · Hearth" }
                @if let Some(secs) = page.refresh { meta http-equiv="refresh" content=(secs); }
                link rel="stylesheet" href="/static/hearth.css";
                script src="/static/hearth.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to the page" }
                header.top {
                    a.brandname href=(href("/", &page.scope, &[])) { "Hearth" }
                    (nav(page.active, who, &page.scope))
                    div.who {
                        span { (who.name) " (" (who.role.as_str()) ")" }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(who.csrf.clone().unwrap_or_default());
                            button type="submit" { "Log out" }
                        }
                    }
                }
                @if !page.no_scope { (scope_form(&path, &page.scope, &page.keep)) }
                main #main {
                    (body)
                }
            }
        }
    };
    Ok(html_response(StatusCode::OK, doc.into_string()))
}

pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// A hidden CSRF field for a form.
pub fn csrf(call: &Call) -> Markup {
    let token = call
        .who
        .as_ref()
        .and_then(|w| w.csrf.clone())
        .unwrap_or_default();
    html! { input type="hidden" name="csrf" value=(token); }
}

/// The path and query of this request, for a form to come back to.
pub fn here(call: &Call) -> String {
    if call.query.is_empty() {
        call.path.clone()
    } else {
        format!("{}?{}", call.path, call.query)
    }
}

/// Renders a JSON value as nested tables (a metric's value, a parameter list).
pub fn json_table(v: &Value) -> Markup {
    match v {
        Value::Object(o) => html! {
            table { tbody {
                @for (k, x) in o {
                    tr { th scope="row" { (k) } td { (json_table(x)) } }
                }
            } }
        },
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => html! {
            (a.iter().map(s).collect::<Vec<_>>().join(", "))
        },
        Value::Array(a) => html! {
            @if a.len() > 50 { p.muted { (a.len()) " entries; the first 50:" } }
            @for x in a.iter().take(50) { div { (json_table(x)) } }
        },
        Value::Number(n) => html! {
            @if let Some(f) = n.as_f64().filter(|_| n.is_f64()) { (format!("{:.4}", f).trim_end_matches('0').trim_end_matches('.')) }
            @else { (n.to_string()) }
        },
        other => html! { (s(other)) },
    }
}

/// A metric's definition (its file's header, Markdown) as HTML: emphasis, lists and code
/// kept; raw HTML in it shown as text; links kept only to web pages (rustdoc links to code
/// become plain text).
pub fn markdown(text: &str) -> Markup {
    PreEscaped(hearth_report::html::markdown(text, true))
}

/// A multipart form carries its CSRF token inside the body, where the guard cannot read
/// it: its handler checks the `csrf` field it read against the session's.
pub fn check_multipart_csrf(call: &Call, token: Option<&str>) -> Result<(), Problem> {
    let expected = call.who.as_ref().and_then(|w| w.csrf.as_deref());
    if expected.is_some() && token != expected {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "the CSRF token does not match this session",
        ));
    }
    Ok(())
}

/// The fields of a page form's body.
pub fn form_of(call: &Call) -> Result<Vec<(String, String)>, Problem> {
    serde_urlencoded::from_bytes(&call.body)
        .map_err(|e| Problem::bad_request(format!("the form does not parse: {e}")))
}

/// One field of a form ("" when absent).
pub fn field(form: &[(String, String)], k: &str) -> String {
    form.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Flash message from a `done` or `error` query parameter (after a form's redirect).
pub fn flash(call: &Call) -> Markup {
    html! {
        @if let Some(d) = param(call, "done") { p.flash role="status" { (d) } }
        @if let Some(e) = param(call, "error") { p.flash.error role="alert" { (e) } }
    }
}

/// Where a form goes back to, with a message.
pub fn back_with(back: &str, key: &str, message: &str) -> Response {
    let back = crate::pages::safe_next(Some(back));
    // Drop an earlier message from the URL.
    let base: String = match back.split_once('?') {
        Some((p, q)) => {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|kv| !kv.starts_with("done=") && !kv.starts_with("error="))
                .collect();
            if kept.is_empty() {
                p.to_owned()
            } else {
                format!("{p}?{}", kept.join("&"))
            }
        }
        None => back.to_owned(),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let msg = serde_urlencoded::to_string([(key, message)]).unwrap_or_default();
    crate::pages::see_other(&format!("{base}{sep}{msg}"))
}
