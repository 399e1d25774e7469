//! The one table of routes. `router` registers each of them behind the guard, `openapi`
//! documents each of them; handlers turn a [`Call`] into an answer by calling `hearth-app`.

use crate::cache::{Answer, Stamp};
use crate::problem::Problem;
use crate::{State, guard, pages};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_app::scope::Scope;
use hearth_app::team::{Permission, Principal, Role, Team};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the login page, `/healthz`, the OpenAPI document.
    Public,
    /// Any logged-in role (viewer included): reads.
    Read,
    /// Any logged-in role, for its own session (logout).
    Session,
    /// Community, social and admin; the item's team is checked by the handler.
    Queue,
    /// Community and admin: merges and splits.
    People,
    /// Social and admin: the brand's posts (approval rules are the handler's).
    Posts,
    /// Admin only.
    Admin,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Read => "viewer, community, social, admin",
            Access::Session => "any logged-in user",
            Access::Queue => "community (community items), social (social items), admin",
            Access::People => "community, admin",
            Access::Posts => "social, admin",
            Access::Admin => "admin",
        }
    }
}

/// What a route answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Html,
    /// A static file of the server's own (style sheet, script).
    Asset,
}

/// What a route's request body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// A JSON object (or a form) with these fields.
    Fields(&'static [&'static str]),
    /// Plain text.
    Text,
    /// The bytes of an export file.
    Upload,
    /// A form of the pages (fields vary with the action; the CSRF field included).
    Form,
}

type Handler = fn(Call) -> Pin<Box<dyn Future<Output = Result<Response, Problem>> + Send>>;

/// One route: everything the router, the guard and the OpenAPI document need.
#[derive(Debug)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub tag: &'static str,
    pub access: Access,
    pub query: &'static [&'static str],
    /// A list answer that takes `page` and `per_page`, and where its list is (JSON pointer).
    pub pages: Option<&'static str>,
    pub body: Option<BodyKind>,
    pub kind: Kind,
    pub run: Handler,
}

impl Route {
    pub fn takes(&self, name: &str) -> bool {
        self.query.contains(&name)
            || (self.pages.is_some() && (name == "page" || name == "per_page"))
    }

    pub fn query_names(&self) -> Vec<&'static str> {
        let mut v = self.query.to_vec();
        if self.pages.is_some() {
            v.extend(["page", "per_page"]);
        }
        v
    }

    /// The names of the path's `{parameters}`.
    pub fn path_params(&self) -> Vec<&'static str> {
        self.path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect()
    }
}

/// A request that passed the guard.
#[derive(Debug)]
pub struct Call {
    pub state: Arc<State>,
    pub route: &'static Route,
    pub who: Option<Principal>,
    pub query: String,
    pub pairs: Vec<(String, String)>,
    pub params: HashMap<String, String>,
    pub headers: HeaderMap,
    pub body: axum::body::Bytes,
    pub addr: Option<SocketAddr>,
    pub path: String,
    /// The store's and rules' stamp, read with the credentials (GET routes).
    pub stamp: Option<Stamp>,
    /// Wait for answers at `stamp` rather than take an older one meanwhile (the warm-up).
    pub fresh: bool,
}

impl Call {
    fn data(&self) -> PathBuf {
        self.state.data().to_path_buf()
    }

    fn param(&self, name: &str) -> String {
        self.params.get(name).cloned().unwrap_or_default()
    }

    /// The query as `T` (unknown names were refused by the guard).
    fn q<T: serde::de::DeserializeOwned>(&self) -> Result<T, Problem> {
        serde_urlencoded::from_str(&self.query)
            .map_err(|e| Problem::bad_request(format!("bad query parameter: {e}")))
    }

    fn scope(&self) -> Result<Scope, Problem> {
        #[derive(serde::Deserialize)]
        struct S {
            since: Option<String>,
            until: Option<String>,
            space: Option<String>,
        }
        let s: S = self.q()?;
        Ok(Scope {
            since: s.since,
            until: s.until,
            space: s.space,
        })
    }

    /// The body's fields: a JSON object, or a form.
    fn fields(&self) -> Result<serde_json::Map<String, Value>, Problem> {
        let is_form = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
        let map = if is_form {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&self.body)
                .map_err(|e| Problem::bad_request(format!("the form does not parse: {e}")))?;
            pairs
                .into_iter()
                .filter(|(k, _)| k != "csrf")
                .map(|(k, v)| (k, Value::String(v)))
                .collect()
        } else if self.body.is_empty() {
            serde_json::Map::new()
        } else {
            match serde_json::from_slice::<Value>(&self.body) {
                Ok(Value::Object(m)) => m,
                Ok(_) => return Err(Problem::bad_request("the body must be a JSON object")),
                Err(e) => return Err(Problem::bad_request(format!("the body is not JSON: {e}"))),
            }
        };
        if let Some(BodyKind::Fields(known)) = self.route.body
            && let Some(k) = map.keys().find(|k| !known.contains(&k.as_str()))
        {
            return Err(Problem::bad_request(format!(
                "unknown field {k:?}: this route takes {}",
                known.join(", ")
            )));
        }
        Ok(map)
    }

    fn who(&self) -> Result<&Principal, Problem> {
        self.who.as_ref().ok_or_else(Problem::unauthorized)
    }

    pub fn actor(&self) -> String {
        self.who
            .as_ref()
            .map_or_else(|| "anonymous".to_owned(), Principal::actor)
    }
}

fn text_field(m: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    match m.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn required(m: &serde_json::Map<String, Value>, name: &str) -> Result<String, Problem> {
    text_field(m, name)
        .ok_or_else(|| Problem::bad_request(format!("the field {name:?} is required")))
}

macro_rules! route {
    ($method:literal, $path:literal, $access:ident, $tag:literal, $summary:literal,
     query: [$($q:literal),*], $(pages: $pages:literal,)? $(body: $body:expr,)? $(kind: $kind:ident,)? run: $run:path) => {
        Route {
            method: $method,
            path: $path,
            summary: $summary,
            tag: $tag,
            access: Access::$access,
            query: &[$($q),*],
            pages: { #[allow(unused_mut, unused_assignments)] let mut p: Option<&'static str> = None; $(p = Some($pages);)? p },
            body: { #[allow(unused_mut, unused_assignments)] let mut b: Option<BodyKind> = None; $(b = Some($body);)? b },
            kind: { #[allow(unused_mut, unused_assignments)] let mut k = Kind::Json; $(k = Kind::$kind;)? k },
            run: |c| Box::pin($run(c)),
        }
    };
}

/// Every route the server answers. Keep it the only list: the router, the guard, the
/// OpenAPI document and the role test all read it.
pub static ROUTES: &[Route] = &[
    route!("GET", "/healthz", Public, "server", "Liveness: the server answers and its store opens.", query: [], run: healthz),
    route!("GET", "/api/v1/openapi.json", Public, "server", "This API's OpenAPI 3.1 document.", query: [], run: openapi_json),
    route!("GET", "/login", Public, "session", "The login page.", query: ["next"], kind: Html, run: login_page),
    route!("POST", "/login", Public, "session", "Log in with the form fields username and password; answers with a session cookie (and, for Accept: application/json, the session's CSRF token).", query: ["next"], body: BodyKind::Fields(&["username", "password", "next"]), run: login),
    route!("POST", "/logout", Session, "session", "End this session.", query: [], body: BodyKind::Fields(&[]), run: logout),
    route!("GET", "/static/hearth.css", Public, "pages", "The dashboard's style sheet.", query: [], kind: Asset, run: static_css),
    route!("GET", "/static/hearth.js", Public, "pages", "The dashboard's own script (select all; nothing needs it).", query: [], kind: Asset, run: static_js),
    route!("GET", "/", Read, "pages", "Overview: the verdict with its trend, the interaction picture, community and social numbers side by side, what changed since the previous period.", query: ["since", "until", "space"], kind: Html, run: crate::dash::community::overview),
    route!("GET", "/queues", Read, "pages", "Work queues with filters and actions.", query: ["since", "until", "space", "kind", "state", "mine", "page", "per_page", "done", "error"], kind: Html, run: crate::dash::queues::page),
    route!("POST", "/queues/act", Queue, "pages", "Act on queue items from the page's forms (fields ids, action, until, who, note, back).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::queues::act),
    route!("GET", "/people/{id}", Read, "pages", "A person: accounts, role and why, activity, spaces, people they talk with, threads, status, tone.", query: ["since", "until", "space", "done", "error"], kind: Html, run: crate::dash::community::person),
    route!("POST", "/people/merge", People, "pages", "Merge from the person page (fields first, second, note, back).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::community::merge_or_split),
    route!("POST", "/people/split", People, "pages", "Split from the person page (fields account, note, back).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::community::merge_or_split),
    route!("POST", "/people/{id}/erase", Admin, "pages", "Erase from the person page (fields confirm: the person id, drop_messages, back).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::community::erase),
    route!("GET", "/threads/{id}", Read, "pages", "A thread: its messages in order, first responder and brand people marked, response times.", query: ["since", "until", "space"], kind: Html, run: crate::dash::community::thread),
    route!("GET", "/metrics", Read, "pages", "Every community metric with its value.", query: ["since", "until", "space"], kind: Html, run: crate::dash::community::metrics),
    route!("GET", "/metrics/{name}", Read, "pages", "One metric: definition, value, what is behind it.", query: ["since", "until", "space"], kind: Html, run: crate::dash::community::metric),
    route!("GET", "/social", Read, "pages", "The social media side: publishing (composer, review list, calendar), posts, best time, responses, share of voice, alerts.", query: ["since", "until", "space", "done", "error"], kind: Html, run: crate::dash::social::page),
    route!("POST", "/social/compose", Posts, "pages", "A new draft from the composer (multipart form: text, network, bluesky_text, mastodon_text, image, alt).", query: [], body: BodyKind::Upload, kind: Html, run: crate::dash::publishing::compose),
    route!("POST", "/social/posts/act", Posts, "pages", "Submit, approve, schedule (at, or best), edit (text) or cancel a post from the review list (fields id, action, at, best, text).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::publishing::act),
    route!("GET", "/audit", Read, "pages", "The role audit.", query: ["since", "until", "space", "page", "per_page"], kind: Html, run: crate::dash::community::audit),
    route!("GET", "/routing", Read, "pages", "Inbound items with queue and reason.", query: ["since", "until", "space", "all"], kind: Html, run: crate::dash::community::routing),
    route!("GET", "/jobs", Read, "pages", "The job-posting check: paste a description.", query: [], kind: Html, run: crate::dash::social::jobs),
    route!("POST", "/jobs", Read, "pages", "The job-posting check of the pasted description (field posting).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::social::jobs),
    route!("GET", "/search", Read, "pages", "People and messages by name or text.", query: ["since", "until", "space", "q"], kind: Html, run: crate::dash::community::search),
    route!("GET", "/data", Admin, "pages", "Upload an export, watch it being read (job), its diagnostics; the files read so far.", query: ["job", "done", "error"], kind: Html, run: crate::dash::admin::data),
    route!("POST", "/data/upload", Admin, "pages", "Read an uploaded export (multipart form: file, format).", query: [], body: BodyKind::Upload, kind: Html, run: crate::dash::admin::upload),
    route!("GET", "/settings", Admin, "pages", "hearth.toml, edited with validation.", query: [], kind: Html, run: crate::dash::admin::settings),
    route!("POST", "/settings", Admin, "pages", "Check and save hearth.toml (field toml).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::admin::settings),
    route!("GET", "/users", Admin, "pages", "Users and tokens.", query: [], kind: Html, run: crate::dash::admin::users),
    route!("POST", "/users", Admin, "pages", "Add or remove a user, create or revoke a token (fields what, name, role, password).", query: [], body: BodyKind::Form, kind: Html, run: crate::dash::admin::users),
    route!("GET", "/api/v1/me", Read, "session", "Who is asking: name, role, and the session's CSRF token for scripts of the pages.", query: [], run: me),
    route!("GET", "/api/v1/report", Read, "community", "The community report: same JSON and parameters as `hearth report --json`.", query: ["since", "until"], run: report),
    route!("GET", "/api/v1/report.html", Read, "community", "The shareable HTML report, as `hearth report --html`.", query: ["since", "until", "space"], kind: Html, run: report_html),
    route!("GET", "/api/v1/metrics", Read, "community", "Community metrics, as `hearth metrics --json` (name: comma-separated metric keys).", query: ["since", "until", "space", "name", "period"], run: metrics),
    route!("GET", "/api/v1/members/{list}", Read, "community", "Lapsed members, helpers or introductions, as `hearth members LIST --json`.", query: ["since", "until", "space", "limit"], run: members),
    route!("GET", "/api/v1/people", Read, "people", "People with role and why, as `hearth people list --json` (with name: as `people show NAME`).", query: ["role", "name"], pages: "", run: people),
    route!("GET", "/api/v1/people/{id}", Read, "people", "One person by id.", query: [], run: person),
    route!("POST", "/api/v1/people/merge", People, "people", "Record that two accounts are one person (fields first, second, note).", query: [], body: BodyKind::Fields(&["first", "second", "note"]), run: merge),
    route!("POST", "/api/v1/people/split", People, "people", "Detach an account from its person (fields account, note).", query: [], body: BodyKind::Fields(&["account", "note"]), run: split),
    route!("POST", "/api/v1/people/{id}/erase", Admin, "people", "Erase a person on request, as `hearth people erase ID --yes` (fields confirm: the same id, drop_messages: true to delete their messages too). Cannot be undone.", query: [], body: BodyKind::Fields(&["confirm", "drop_messages"]), run: erase),
    route!("GET", "/api/v1/explain", Read, "community", "The names `explain` knows, as `hearth explain --list`.", query: [], run: explain_list),
    route!("GET", "/api/v1/explain/{metric}", Read, "community", "A metric's definition, value and what is behind it, as `hearth explain METRIC --json`.", query: ["since", "until", "space", "limit", "message"], run: explain),
    route!("GET", "/api/v1/audit/roles", Read, "community", "The role audit, as `hearth audit roles --json`.", query: ["since", "until", "space", "limit", "examples", "min_messages"], run: audit_roles),
    route!("GET", "/api/v1/route", Read, "queues", "Inbound items routed to queues with reasons, as `hearth route --json`.", query: ["since", "until", "space", "days", "queue", "all", "limit"], pages: "/items", run: route_items),
    route!("GET", "/api/v1/queue", Read, "queues", "The work queues with state, as `hearth queue --json` (mine=true: items assigned to me).", query: ["since", "until", "space", "kind", "assignee", "state", "all", "mine"], pages: "/items", run: queue),
    route!("POST", "/api/v1/queue/{id}/{action}", Queue, "queues", "Change an item: action done, snooze (until or days), assign (who), note (text) or reopen; as `hearth queue ACTION ID`. Action reply (field text; the social and admin roles) answers the item's Bluesky or Mastodon message: published now, or in review with required approval, and the item closed once published; as `hearth queue reply ID --text`.", query: [], body: BodyKind::Fields(&["note", "until", "days", "who", "text"]), run: queue_change),
    route!("GET", "/api/v1/social/posts", Read, "social", "Post metrics with named formulas, as `hearth social posts --json`.", query: ["since", "until", "space", "rate", "limit", "top"], run: social_posts),
    route!("GET", "/api/v1/social/best-time", Read, "social", "Best time to post, as `hearth social best-time --json`.", query: ["since", "until", "space"], run: social_best_time),
    route!("GET", "/api/v1/social/responses", Read, "social", "Response rate and time, as `hearth social responses --json`.", query: ["since", "until", "space"], run: social_responses),
    route!("GET", "/api/v1/social/mentions", Read, "social", "Mentions and share of voice, as `hearth social mentions --json`.", query: ["since", "until", "space"], run: social_mentions),
    route!("GET", "/api/v1/alerts", Read, "social", "Alert days with their explanations, as `hearth alerts --json`.", query: ["since", "until", "space", "stream"], run: alerts),
    route!("POST", "/api/v1/check-job", Read, "social", "Check a job description (plain text body), as `hearth check-job - --json`.", query: [], body: BodyKind::Text, run: check_job),
    route!("GET", "/api/v1/posts", Read, "publishing", "The brand's posts, newest first, as `hearth post list --json` (state: only those).", query: ["state"], pages: "/posts", run: posts_list),
    route!("POST", "/api/v1/posts", Posts, "publishing", "A new draft, as `hearth post draft` (fields text, networks: a list or comma-separated, bluesky_text, mastodon_text, images: [{name, alt, base64}]).", query: [], body: BodyKind::Fields(POST_FIELDS), run: post_draft),
    route!("GET", "/api/v1/posts/{id}", Read, "publishing", "One post: its text per network with length and limit, images, time, deliveries; as `hearth post show ID --json`.", query: [], run: post_show),
    route!("POST", "/api/v1/posts/{id}", Posts, "publishing", "Edit a post (same fields as a draft; absent ones are kept); it goes back to draft.", query: [], body: BodyKind::Fields(POST_FIELDS), run: post_edit),
    route!("POST", "/api/v1/posts/{id}/{action}", Posts, "publishing", "Move a post: action submit, approve, schedule (field at: a time in the brand's zone or RFC 3339, or best: true) or cancel (field reason); as `hearth post ACTION ID`.", query: [], body: BodyKind::Fields(&["at", "best", "reason"]), run: post_action),
    route!("POST", "/api/v1/publish", Posts, "publishing", "Publish every scheduled post whose time has come, exactly once; as `hearth publish --json`.", query: [], body: BodyKind::Fields(&[]), run: publish_due),
    route!("POST", "/api/v1/sync/{network}", Posts, "publishing", "Sync the connected account of network bluesky or mastodon: its posts with their counts, and the replies and mentions addressed to it, new since the last sync; as `hearth sync NETWORK --json`.", query: [], body: BodyKind::Fields(&["full"]), run: sync_network),
    route!("GET", "/api/v1/sync", Read, "publishing", "Where each account's sync stopped, stream by stream; as `hearth sync --json`.", query: [], run: sync_status),
    route!("GET", "/api/v1/accounts", Read, "publishing", "The connected Bluesky and Mastodon accounts (never their secrets).", query: [], run: accounts),
    route!("POST", "/api/v1/ingest", Admin, "admin", "Read an uploaded export file (the body) into the store; format auto tells it from the file.", query: ["format", "name"], body: BodyKind::Upload, run: ingest),
    route!("GET", "/api/v1/audit/log", Admin, "admin", "The audit log of every change, newest first.", query: [], pages: "", run: audit_log),
    route!("GET", "/api/v1/users", Admin, "admin", "Users and their roles.", query: [], run: users),
    route!("POST", "/api/v1/users", Admin, "admin", "Add a user (fields name, role, password).", query: [], body: BodyKind::Fields(&["name", "role", "password"]), run: user_add),
    route!("DELETE", "/api/v1/users/{name}", Admin, "admin", "Remove a user and end their sessions.", query: [], run: user_remove),
    route!("POST", "/api/v1/users/{name}/password", Admin, "admin", "Set a user's password (field password) and end their sessions.", query: [], body: BodyKind::Fields(&["password"]), run: user_passwd),
    route!("GET", "/api/v1/tokens", Admin, "admin", "API tokens (never their values).", query: [], run: tokens),
    route!("POST", "/api/v1/tokens", Admin, "admin", "Create a token (fields name, role); the answer is the only time it is shown.", query: [], body: BodyKind::Fields(&["name", "role"]), run: token_create),
    route!("DELETE", "/api/v1/tokens/{name}", Admin, "admin", "Revoke a token.", query: [], run: token_revoke),
    route!("GET", "/api/v1/locks", Admin, "admin", "Failed logins and locks by account and address.", query: [], run: locks),
    route!("DELETE", "/api/v1/locks/{subject}", Admin, "admin", "Clear the failures and lock of user:NAME or addr:IP.", query: [], run: lock_clear),
];

/// The router: every route of [`ROUTES`] behind the guard; anything else is a 404 problem.
pub fn router(state: Arc<State>) -> axum::Router {
    let mut paths: Vec<&'static str> = ROUTES.iter().map(|r| r.path).collect();
    paths.dedup();
    let mut router = axum::Router::new();
    let mut seen: Vec<&'static str> = Vec::new();
    for r in ROUTES {
        if seen.contains(&r.path) {
            continue;
        }
        seen.push(r.path);
        let mut mr = axum::routing::MethodRouter::new();
        for route in ROUTES.iter().filter(|x| x.path == r.path) {
            let state = state.clone();
            let handler = move |req: Request| dispatch(state, route, req);
            mr = match route.method {
                "GET" => mr.get(handler),
                "POST" => mr.post(handler),
                "DELETE" => mr.delete(handler),
                _ => mr,
            };
        }
        let path = r.path;
        mr = mr.fallback(move || async move {
            let allowed: Vec<&str> = ROUTES
                .iter()
                .filter(|x| x.path == path)
                .map(|x| x.method)
                .collect();
            let mut resp = Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method",
                format!("{path} answers {}", allowed.join(", ")),
            )
            .at(path)
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
                resp.headers_mut().insert(header::ALLOW, v);
            }
            resp
        });
        router = router.route(r.path, mr);
    }
    router.fallback(|req: Request| async move {
        Problem::not_found(format!("no route {}", req.uri().path()))
            .at(req.uri().path())
            .into_response()
    })
}

/// Security headers on every answer: no framing, no sniffing, no referrer, and pages may load
/// only what this server serves.
fn harden(mut r: Response, kind: Kind) -> Response {
    let h = r.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if kind == Kind::Html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(pages::CSP),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

async fn dispatch(state: Arc<State>, route: &'static Route, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let answer = run(state, route, req).await;
    let r = match answer {
        Ok(r) => r,
        Err(p) if p.status == StatusCode::UNAUTHORIZED && route.kind == Kind::Html => {
            pages::redirect_to_login(&path)
        }
        Err(p) => p.at(&path).into_response(),
    };
    harden(r, route.kind)
}

async fn run(state: Arc<State>, route: &'static Route, req: Request) -> Result<Response, Problem> {
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let query = req.uri().query().unwrap_or("").to_owned();
    let path = req.uri().path().to_owned();
    let method = req.method().clone();
    let pairs = guard::check_query(route, &query)?;
    let (mut parts, body) = req.into_parts();
    let params: HashMap<String, String> =
        axum::extract::Path::<HashMap<String, String>>::from_request_parts_ok(&mut parts).await;
    let with_stamp = method == Method::GET && route.access != Access::Public;
    let (who, stamp) = if route.access == Access::Public {
        guard::authenticate(&state, &parts.headers, false)
            .await
            .unwrap_or((None, None))
    } else {
        guard::authenticate(&state, &parts.headers, with_stamp).await?
    };
    guard::authorize(route, who.as_ref())?;
    let limit = if route.body == Some(BodyKind::Upload) {
        state.options.max_body
    } else {
        1024 * 1024
    };
    let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!("the body is larger than {limit} bytes"),
        )
    })?;
    if route.access == Access::Public && method == Method::POST {
        // The login form: no session yet, but never from another site.
        if !guard::same_origin(&parts.headers) {
            return Err(Problem::forbidden(
                "cross-origin request refused: the Origin is not this server",
            ));
        }
    } else {
        // A multipart upload carries its token inside the body: its handler checks it.
        let multipart = route.body == Some(BodyKind::Upload)
            && parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("multipart/form-data"));
        if multipart && !guard::same_origin(&parts.headers) {
            return Err(Problem::forbidden(
                "cross-origin request refused: the Origin is not this server",
            ));
        }
        if !multipart {
            guard::check_csrf(&method, &parts.headers, &body, who.as_ref())?;
        }
    }
    let call = Call {
        state,
        route,
        who,
        query,
        pairs,
        params,
        headers: parts.headers,
        body,
        addr,
        path,
        stamp,
        fresh: false,
    };
    (route.run)(call).await
}

/// Path parameters without failing the request when a route has none.
trait PathParams {
    async fn from_request_parts_ok(
        parts: &mut axum::http::request::Parts,
    ) -> HashMap<String, String>;
}

impl PathParams for axum::extract::Path<HashMap<String, String>> {
    async fn from_request_parts_ok(
        parts: &mut axum::http::request::Parts,
    ) -> HashMap<String, String> {
        use axum::extract::FromRequestParts;
        match Self::from_request_parts(parts, &()).await {
            Ok(axum::extract::Path(m)) => m,
            Err(_) => HashMap::new(),
        }
    }
}

// ---- answers -------------------------------------------------------------------------

/// `hearth.toml`'s modification time and size (zero when there is none).
pub fn config_stamp(data: &Path) -> (i128, u64) {
    let path = data.join(hearth_app::config::CONFIG_FILE);
    match std::fs::metadata(&path) {
        Ok(m) => (
            m.modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128),
            m.len(),
        ),
        Err(_) => (0, 0),
    }
}

/// The stamp of the store and rules as they are now.
pub(crate) async fn stamp(state: &Arc<State>) -> Result<Stamp, Problem> {
    let config = config_stamp(state.data());
    let (generation, last_change) = state
        .with_store(|s| Ok((s.generation()?, s.last_change()?)))
        .await?;
    Ok(Stamp {
        generation,
        last_change,
        config,
    })
}

fn json_bytes(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn json_response(status: StatusCode, v: &Value) -> Response {
    let mut r = (status, json_bytes(v)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn ok(v: &Value) -> Result<Response, Problem> {
    Ok(json_response(StatusCode::OK, v))
}

/// A computed answer for this request's key (path, sorted query, `key_extra`) at the current
/// stamp, from the cache or computed (see [`crate::cache`]).
pub async fn answer<F>(
    call: &Call,
    key_extra: &str,
    data_only: bool,
    content_type: &'static str,
    compute: F,
) -> Result<Answer, Problem>
where
    F: FnOnce(&Path) -> hearth_app::Result<Vec<u8>> + Send + 'static,
{
    let mut stamp = match call.stamp {
        Some(s) => s,
        None => stamp(&call.state).await?,
    };
    if data_only {
        stamp = stamp.data_only();
    }
    let key = key_of(call, content_type, key_extra);
    answer_keyed(call, key, stamp, content_type, move |d| {
        compute(d).map(|body| Made {
            body,
            ..Made::default()
        })
    })
    .await
}

/// What [`answer_keyed`] computes: the body, and the value it was made from when a page reads
/// that value (as JSON, or typed).
#[derive(Default)]
struct Made {
    body: Vec<u8>,
    json: Option<Value>,
    typed: Option<std::sync::Arc<dyn std::any::Any + Send + Sync>>,
}

/// An answer's cache key: the content type, the path, the sorted query (without the page, and
/// the flash messages) and `key_extra`.
fn key_of(call: &Call, content_type: &str, key_extra: &str) -> String {
    let mut pairs: Vec<&(String, String)> = call
        .pairs
        .iter()
        .filter(|(k, _)| k != "page" && k != "per_page" && k != "done" && k != "error")
        .collect();
    pairs.sort();
    format!(
        "{content_type} {}?{}{key_extra}",
        call.path,
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    )
}

/// A computed answer under `key` at `stamp` (see [`answer`]).
async fn answer_keyed<F>(
    call: &Call,
    key: String,
    stamp: crate::cache::Stamp,
    content_type: &'static str,
    compute: F,
) -> Result<Answer, Problem>
where
    F: FnOnce(&Path) -> hearth_app::Result<Made> + Send + 'static,
{
    let data = call.data();
    let etag = stamp.etag(&key);
    call.state
        .cache
        .get_or_compute(key, stamp, call.fresh, move || async move {
            let made = tokio::task::spawn_blocking(move || compute(&data))
                .await
                .map_err(|e| Problem::internal(format!("worker failed: {e}")))?
                .map_err(Problem::from)?;
            let mut answer = Answer::new(
                axum::body::Bytes::from(made.body),
                content_type,
                etag.clone(),
            );
            answer.typed = made.typed;
            if let Some(v) = made.json {
                // Already parsed: the page that asked for it reads it without parsing.
                let _ = answer.parsed.set(v);
            }
            Ok::<Answer, Problem>(answer)
        })
        .await
}

/// The work queues' items for `scope` before the team's decisions are laid over them
/// (`hearth_app::queue::Items`, kept typed, with no body): kept while the data and
/// `hearth.toml` stay the same, so a queue decision costs reading the states, not computing
/// every list again, and a page of the list costs that page.
pub async fn queue_items(call: &Call, scope: &hearth_app::scope::Scope) -> Result<Answer, Problem> {
    let stamp = match call.stamp {
        Some(s) => s,
        None => stamp(&call.state).await?,
    }
    .data_only();
    let key = format!("queue-items {scope:?}");
    let scope = scope.clone();
    answer_keyed(call, key, stamp, "application/json", move |d| {
        let loaded = hearth_app::scope::load(d, &scope)?;
        Ok(Made {
            typed: Some(std::sync::Arc::new(hearth_app::queue::all_items(&loaded)?)),
            ..Made::default()
        })
    })
    .await
}

/// The items of a [`queue_items`] answer.
pub fn items_of(answer: &Answer) -> hearth_app::Result<std::sync::Arc<hearth_app::queue::Items>> {
    answer
        .typed
        .clone()
        .and_then(|t| t.downcast::<hearth_app::queue::Items>().ok())
        .ok_or_else(|| {
            hearth_app::AppError::Conflict("the queue's items were not kept: ask again".into())
        })
}

/// Finds a queue item among the kept items, or, when they predate it (an answer of an older
/// generation stands in while the new one is computed), among items computed now.
pub fn find_item(
    data: &Path,
    items: &hearth_app::queue::Items,
    id: &str,
) -> hearth_app::Result<(String, String, String)> {
    match hearth_app::queue::find_with(data, items, id) {
        Err(hearth_app::AppError::NotFound(_)) => {
            let loaded = hearth_app::scope::load(data, &hearth_app::scope::Scope::default())?;
            hearth_app::queue::find(&loaded, id)
        }
        found => found,
    }
}

/// A JSON value computed for a page from the data and `hearth.toml` (cached like the API's
/// answers, under the data's stamp: queue decisions and other audited changes that are not
/// data do not make it computed again).
pub async fn cached_value<F>(call: &Call, key_extra: &str, compute: F) -> Result<Value, Problem>
where
    F: FnOnce(&Path) -> hearth_app::Result<Value> + Send + 'static,
{
    Ok(cached_answer(call, key_extra, true, compute)
        .await?
        .json()
        .clone())
}

/// [`cached_value`]'s answer, for a page that reads a large value: [`Answer::json`] parses it
/// once for every request that gets the same answer. Without `data_only` it is computed
/// again whenever the audit log moves (a page that shows queue decisions).
pub async fn cached_answer<F>(
    call: &Call,
    key_extra: &str,
    data_only: bool,
    compute: F,
) -> Result<Answer, Problem>
where
    F: FnOnce(&Path) -> hearth_app::Result<Value> + Send + 'static,
{
    let key = key_of(call, "application/json", key_extra);
    let mut stamp = match call.stamp {
        Some(s) => s,
        None => stamp(&call.state).await?,
    };
    if data_only {
        stamp = stamp.data_only();
    }
    answer_keyed(call, key, stamp, "application/json", move |d| {
        let v = compute(d)?;
        Ok(Made {
            body: json_bytes(&v),
            json: Some(v),
            typed: None,
        })
    })
    .await
}

/// A read answer: served from the cache while the store and rules are unchanged, with an
/// ETag, honouring `If-None-Match`; list answers are paginated when asked.
async fn cached<F>(
    call: &Call,
    key_extra: &str,
    data_only: bool,
    compute: F,
) -> Result<Response, Problem>
where
    F: FnOnce(&Path) -> hearth_app::Result<Vec<u8>> + Send + 'static,
{
    let content_type = match call.route.kind {
        Kind::Json => "application/json",
        Kind::Html => "text/html; charset=utf-8",
        Kind::Asset => "application/octet-stream",
    };
    let answer = answer(call, key_extra, data_only, content_type, compute).await?;
    if let Some(inm) = call
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        && inm
            .split(',')
            .any(|t| t.trim() == answer.etag || t.trim() == "*")
    {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&answer.etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    let (body, link) = match call.route.pages {
        Some(pointer)
            if call
                .pairs
                .iter()
                .any(|(k, _)| k == "page" || k == "per_page") =>
        {
            paginate(call, &answer, pointer)?
        }
        _ => (answer.body.clone(), None),
    };
    let mut r = (StatusCode::OK, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    if let Ok(v) = HeaderValue::from_str(&answer.etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    if let Some((link, total)) = link {
        if let Ok(v) = HeaderValue::from_str(&link) {
            h.insert(header::LINK, v);
        }
        if let Ok(v) = HeaderValue::from_str(&total.to_string()) {
            h.insert("x-total-count", v);
        }
    }
    Ok(r)
}

/// The page `page` (from 1) of `per_page` items of the list at `pointer`, with a `Link`
/// header (RFC 8288) to the next and previous pages.
/// A page of a list answer: its bytes, and the `Link` header with the list's full length.
type Page = (axum::body::Bytes, Option<(String, usize)>);

fn paginate(call: &Call, answer: &Answer, pointer: &str) -> Result<Page, Problem> {
    let get = |k: &str| {
        call.pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    let num = |k: &str, default: usize| -> Result<usize, Problem> {
        match get(k) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                Problem::bad_request(format!("{k} is a whole number from 1, not {v:?}"))
            }),
        }
    };
    let page = num("page", 1)?;
    let per_page = num("per_page", 50)?.min(1000);
    // The list is sliced out of the answer parsed once; the rest of the answer is kept.
    let whole = answer.json();
    let Some(Value::Array(list)) = whole.pointer(pointer) else {
        return Ok((answer.body.clone(), None));
    };
    let total = list.len();
    let start = (page - 1).saturating_mul(per_page).min(total);
    let end = start.saturating_add(per_page).min(total);
    let slice = Value::Array(list[start..end].to_vec());
    // Copy the rest of the answer, not the list (pointers are one level: "" or "/items").
    let v = match (pointer.strip_prefix('/'), whole) {
        (Some(key), Value::Object(o)) => Value::Object(
            o.iter()
                .map(|(k, x)| {
                    if k == key {
                        (k.clone(), slice.clone())
                    } else {
                        (k.clone(), x.clone())
                    }
                })
                .collect(),
        ),
        _ => slice,
    };
    let others: Vec<String> = call
        .pairs
        .iter()
        .filter(|(k, _)| k != "page" && k != "per_page")
        .map(|(k, val)| {
            serde_urlencoded::to_string([(k.as_str(), val.as_str())]).unwrap_or_default()
        })
        .collect();
    let href = |p: usize| {
        let mut q = others.clone();
        q.push(format!("page={p}"));
        q.push(format!("per_page={per_page}"));
        format!("<{}?{}>", call.path, q.join("&"))
    };
    let mut links = Vec::new();
    if end < total {
        links.push(format!("{}; rel=\"next\"", href(page + 1)));
    }
    if page > 1 {
        links.push(format!("{}; rel=\"prev\"", href(page - 1)));
    }
    links.push(format!("{}; rel=\"first\"", href(1)));
    Ok((json_bytes(&v).into(), Some((links.join(", "), total))))
}

fn value_bytes(v: hearth_app::Result<Value>) -> hearth_app::Result<Vec<u8>> {
    v.map(|v| json_bytes(&v))
}

// ---- handlers: server and session ------------------------------------------------------

async fn healthz(call: Call) -> Result<Response, Problem> {
    let generation = call.state.with_store(|s| Ok(s.generation()?)).await;
    match generation {
        Ok(g) => {
            let warm = call.state.warmed();
            ok(&json!({
                "status": "ok",
                "generation": g,
                // The generation whose main pages were computed ahead (crate::warm).
                "warm": {"generation": warm.map(|w| w.0), "pages": warm.map(|w| w.1)},
                // The generation whose messages were read ahead for routing, whole.
                "read_ahead": {"generation": call.state.read_ahead()},
                "computed": call.state.cache.computed(),
            }))
        }
        Err(p) => Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unhealthy",
            p.detail,
        )),
    }
}

async fn openapi_json(_call: Call) -> Result<Response, Problem> {
    ok(&crate::openapi::document())
}

async fn login_page(call: Call) -> Result<Response, Problem> {
    let next = call
        .pairs
        .iter()
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.clone());
    Ok(pages::login(None, next.as_deref()))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

async fn login(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let name = text_field(&f, "username").unwrap_or_default();
    let password = text_field(&f, "password").unwrap_or_default();
    let next = text_field(&f, "next").or_else(|| {
        call.pairs
            .iter()
            .find(|(k, _)| k == "next")
            .map(|(_, v)| v.clone())
    });
    let addr = call
        .addr
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string());
    let json = wants_json(&call.headers);
    let delay = {
        let (name, addr) = (name.clone(), addr.clone());
        call.state
            .with_store(move |s| hearth_app::team::login_delay(s, &name, &addr))
            .await?
    };
    if !delay.is_zero() {
        let unit = call.state.options.login_delay_unit.as_secs_f64();
        tokio::time::sleep(delay.mul_f64(unit)).await;
    }
    let outcome = {
        let (name, addr) = (name.clone(), addr.clone());
        call.state
            .with_store(move |s| hearth_app::team::login(s, &name, &password, &addr))
            .await?
    };
    match outcome {
        hearth_app::team::Login::Ok { cookie, csrf, user } => {
            tracing::info!(user = %user.name, %addr, "logged in");
            let mut cookie_text = format!(
                "{}={cookie}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}",
                guard::COOKIE,
                call.state.options.limits.absolute
            );
            if call.state.options.secure_cookies {
                cookie_text.push_str("; Secure");
            }
            let mut r = if json {
                json_response(
                    StatusCode::OK,
                    &json!({"name": user.name, "role": user.role, "csrf": csrf}),
                )
            } else {
                pages::see_other(pages::safe_next(next.as_deref()))
            };
            if let Ok(v) = HeaderValue::from_str(&cookie_text) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            Ok(r)
        }
        hearth_app::team::Login::Refused => {
            tracing::warn!(user = %name, %addr, "login refused");
            if json {
                Err(Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "login-refused",
                    "wrong name or password",
                ))
            } else {
                let mut r = pages::login(Some("Wrong name or password."), next.as_deref());
                *r.status_mut() = StatusCode::UNAUTHORIZED;
                Ok(r)
            }
        }
        hearth_app::team::Login::Locked { subject } => {
            let detail = if subject.starts_with("user:") {
                "this account is locked after too many failed logins; an admin can clear it"
            } else {
                "too many failed logins from this address; try again in 15 minutes"
            };
            if json {
                Err(Problem::new(StatusCode::LOCKED, "locked", detail))
            } else {
                let mut r = pages::login(Some(detail), next.as_deref());
                *r.status_mut() = StatusCode::LOCKED;
                Ok(r)
            }
        }
    }
}

async fn logout(call: Call) -> Result<Response, Problem> {
    if let Some(cookie) = guard::session_cookie(&call.headers) {
        call.state
            .with_store(move |s| hearth_app::team::logout(s, &cookie))
            .await?;
    }
    let mut r = if wants_json(&call.headers) {
        json_response(StatusCode::OK, &json!({"logged_out": true}))
    } else {
        pages::see_other("/login")
    };
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("hearth_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(r)
}

async fn static_css(_call: Call) -> Result<Response, Problem> {
    Ok(asset(
        "text/css; charset=utf-8",
        format!("{}{}", hearth_report::html::css(), crate::dash::CSS),
    ))
}

async fn static_js(_call: Call) -> Result<Response, Problem> {
    Ok(asset(
        "text/javascript; charset=utf-8",
        crate::dash::JS.to_owned(),
    ))
}

fn asset(content_type: &'static str, body: String) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

async fn me(call: Call) -> Result<Response, Problem> {
    let who = call.who()?;
    ok(&json!({"name": who.name, "role": who.role, "kind": who.kind, "csrf": who.csrf}))
}

// ---- handlers: reads -----------------------------------------------------------------

async fn report(call: Call) -> Result<Response, Problem> {
    let scope = call.scope()?;
    cached(&call, "", true, move |data| {
        let w = hearth_app::scope::window(scope.since.as_deref(), scope.until.as_deref())?;
        Ok(hearth_app::report::report_json(data, w)?.into_bytes())
    })
    .await
}

async fn report_html(call: Call) -> Result<Response, Problem> {
    let scope = call.scope()?;
    let mut r = cached(&call, "", false, move |data| {
        Ok(hearth_app::report::html_page(data, &scope)?.into_bytes())
    })
    .await?;
    // The page carries its own CSP (no script, nothing fetched); say it in the header too.
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
    );
    Ok(r)
}

async fn metrics(call: Call) -> Result<Response, Problem> {
    let scope = call.scope()?;
    let q: hearth_app::metrics::MetricsQuery = call.q()?;
    q.metrics()?;
    q.period()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        value_bytes(hearth_app::metrics::metrics_json(&loaded, &q))
    })
    .await
}

async fn members(call: Call) -> Result<Response, Problem> {
    let list = call.param("list");
    if !["lapsed", "helpers", "introductions"].contains(&list.as_str()) {
        return Err(Problem::not_found(format!(
            "no list {list:?}: lapsed, helpers or introductions"
        )));
    }
    #[derive(serde::Deserialize)]
    struct Q {
        limit: Option<usize>,
    }
    let q: Q = call.q()?;
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        Ok(json_bytes(&hearth_app::members::list(
            &loaded,
            &list,
            q.limit.unwrap_or(20),
        )))
    })
    .await
}

async fn people(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        role: Option<String>,
        name: Option<String>,
    }
    let q: Q = call.q()?;
    cached(&call, "", false, move |data| match q.name {
        Some(name) => value_bytes(hearth_app::people::show(data, &name)),
        None => value_bytes(hearth_app::people::list(data, q.role.as_deref())),
    })
    .await
}

async fn person(call: Call) -> Result<Response, Problem> {
    let id: i64 = call
        .param("id")
        .parse()
        .map_err(|_| Problem::bad_request("a person id is a whole number"))?;
    cached(&call, "", false, move |data| {
        value_bytes(hearth_app::people::person(data, id))
    })
    .await
}

async fn explain_list(_call: Call) -> Result<Response, Problem> {
    ok(&json!(hearth_app::explain::names()))
}

async fn explain(call: Call) -> Result<Response, Problem> {
    let name = call.param("metric");
    let scope = call.scope()?;
    #[derive(serde::Deserialize)]
    struct Q {
        limit: Option<usize>,
        message: Option<i64>,
    }
    let q: Q = call.q()?;
    let query = hearth_app::explain::ExplainQuery {
        limit: q.limit.unwrap_or(5),
        message: q.message,
    };
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        value_bytes(hearth_app::explain::explain_json(&loaded, &name, &query))
    })
    .await
}

async fn audit_roles(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        /// Examples per activity and person (`examples` is the old name).
        limit: Option<usize>,
        examples: Option<usize>,
        min_messages: Option<u64>,
    }
    let q: Q = call.q()?;
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        value_bytes(hearth_app::audit::roles(
            &loaded,
            q.limit.or(q.examples).unwrap_or(2),
            q.min_messages.unwrap_or(1),
        ))
    })
    .await
}

async fn route_items(call: Call) -> Result<Response, Problem> {
    let q: hearth_app::route::RouteQuery = call.q()?;
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let mut loaded = hearth_app::scope::load(data, &scope)?;
        value_bytes(hearth_app::route::route_json(&mut loaded, &q))
    })
    .await
}

async fn queue(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        kind: Option<String>,
        assignee: Option<String>,
        state: Option<String>,
        #[serde(default)]
        all: bool,
        #[serde(default)]
        mine: bool,
    }
    let q: Q = call.q()?;
    let who = call.who()?.name.clone();
    let query = hearth_app::queue::QueueQuery {
        kind: q.kind,
        assignee: if q.mine {
            Some(who.clone())
        } else {
            q.assignee
        },
        state: q.state,
        all: q.all,
        page: None,
    };
    let scope = call.scope()?;
    let items = queue_items(&call, &scope).await?;
    // The items' ETag in the key: fresh items make a new answer.
    let extra = if q.mine {
        format!("|mine={who}|{}", items.etag)
    } else {
        format!("|{}", items.etag)
    };
    cached(&call, &extra, false, move |data| {
        value_bytes(hearth_app::queue::list_with(
            data,
            &*items_of(&items)?,
            &query,
        ))
    })
    .await
}

async fn social_posts(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        rate: Option<String>,
        /// Posts listed (`top` is the old name).
        limit: Option<usize>,
        top: Option<usize>,
    }
    let q: Q = call.q()?;
    if let Some(r) = &q.rate
        && !["impressions", "reach", "followers"].contains(&r.as_str())
    {
        return Err(Problem::bad_request(format!(
            "rate is impressions, reach or followers, not {r:?}"
        )));
    }
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        let mut config = loaded.config.clone();
        if let Some(r) = q.rate {
            config.social.engagement_rate = r;
        }
        value_bytes(hearth_app::social::posts_json(
            &loaded,
            &config,
            q.limit.or(q.top).unwrap_or(10),
        ))
    })
    .await
}

async fn social_view(call: Call, which: &'static str) -> Result<Response, Problem> {
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        let c = &loaded.config;
        value_bytes(match which {
            "best-time" => hearth_app::social::best_time_json(&loaded, c),
            "responses" => hearth_app::social::responses_json(&loaded, c),
            _ => hearth_app::social::mentions_view(&loaded, c),
        })
    })
    .await
}

async fn social_best_time(call: Call) -> Result<Response, Problem> {
    social_view(call, "best-time").await
}

async fn social_responses(call: Call) -> Result<Response, Problem> {
    social_view(call, "responses").await
}

async fn social_mentions(call: Call) -> Result<Response, Problem> {
    social_view(call, "mentions").await
}

async fn alerts(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        stream: Option<String>,
    }
    let q: Q = call.q()?;
    if let Some(s) = &q.stream
        && !["mentions", "messages"].contains(&s.as_str())
    {
        return Err(Problem::bad_request(format!(
            "stream is mentions or messages, not {s:?}"
        )));
    }
    let scope = call.scope()?;
    cached(&call, "", false, move |data| {
        let loaded = hearth_app::scope::load(data, &scope)?;
        value_bytes(hearth_app::social::alerts_json(
            &loaded,
            &loaded.config,
            q.stream.as_deref(),
        ))
    })
    .await
}

async fn check_job(call: Call) -> Result<Response, Problem> {
    let text = String::from_utf8_lossy(&call.body).into_owned();
    if text.trim().is_empty() {
        return Err(Problem::bad_request(
            "send the job description as the body (plain text)",
        ));
    }
    let out = tokio::task::spawn_blocking(move || hearth_app::check_job::check_json(&text))
        .await
        .map_err(|e| Problem::internal(e.to_string()))?;
    ok(&out)
}

// ---- handlers: changes ---------------------------------------------------------------

async fn merge(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let (first, second) = (required(&f, "first")?, required(&f, "second")?);
    let note = text_field(&f, "note").unwrap_or_default();
    let (data, actor) = (call.data(), call.actor());
    let out = tokio::task::spawn_blocking(move || {
        hearth_app::people::merge(&data, &first, &second, &note, &actor)
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))??;
    ok(&out)
}

/// Erases person `id`: the field `confirm` must repeat the id. The cache is emptied so no
/// earlier answer naming them is served again, not even while new ones are computed.
async fn erase(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let id = call.param("id");
    if required(&f, "confirm")?.trim() != id {
        return Err(Problem::bad_request(
            "erasure cannot be undone: the field confirm must repeat the person id",
        ));
    }
    let drop = matches!(f.get("drop_messages"), Some(Value::Bool(true)))
        || text_field(&f, "drop_messages").is_some_and(|v| v == "true" || v == "on");
    let (data, actor, state) = (call.data(), call.actor(), call.state.clone());
    let out = tokio::task::spawn_blocking(move || {
        let out = hearth_app::people::erase(&data, &id, drop, &actor);
        state.cache.clear();
        out
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))??;
    ok(&out)
}

async fn split(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let account = required(&f, "account")?;
    let note = text_field(&f, "note").unwrap_or_default();
    let (data, actor) = (call.data(), call.actor());
    let out = tokio::task::spawn_blocking(move || {
        hearth_app::people::split(&data, &account, &note, &actor)
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))??;
    ok(&out)
}

async fn queue_change(call: Call) -> Result<Response, Problem> {
    use hearth_app::queue::Action;
    let f = call.fields()?;
    let id = call.param("id");
    if call.param("action") == "reply" {
        // A reply is the brand speaking: the publishing roles only.
        if !call.who()?.role.may(Permission::Posts) {
            return Err(Problem::forbidden(format!(
                "the {} role may not publish replies",
                call.who()?.role.as_str()
            )));
        }
        let text = text_field(&f, "text").unwrap_or_default();
        let (data, actor) = (call.data(), post_actor(&call)?);
        let items = queue_items(&call, &Scope::default()).await?;
        let out = blocking(move || {
            let (key, _, title) = find_item(&data, &*items_of(&items)?, &id)?;
            hearth_app::outbox::reply_found(
                &data,
                &key,
                &title,
                &text,
                &actor,
                &hearth_app::publish::Options::default(),
            )
        })
        .await?;
        call.state.cache.clear();
        return ok(&out);
    }
    let items = queue_items(&call, &Scope::default()).await?;
    let action = match call.param("action").as_str() {
        "done" => Action::Done {
            note: text_field(&f, "note"),
        },
        "snooze" => {
            let until = match (text_field(&f, "until"), text_field(&f, "days")) {
                (Some(u), _) => hearth_app::dates::parse(&u)?,
                (None, Some(d)) => {
                    let days: i64 = d.parse().ok().filter(|d| *d >= 1).ok_or_else(|| {
                        Problem::bad_request(format!("days is a whole number from 1, not {d:?}"))
                    })?;
                    let kept = items.clone();
                    let clock = tokio::task::spawn_blocking(move || items_of(&kept))
                        .await
                        .map_err(|e| Problem::internal(e.to_string()))??
                        .as_of;
                    clock + days * 86_400
                }
                (None, None) => {
                    return Err(Problem::bad_request(
                        "snooze needs until (YYYY-MM-DD) or days",
                    ));
                }
            };
            Action::Snooze {
                until,
                note: text_field(&f, "note"),
            }
        }
        "assign" => Action::Assign {
            who: text_field(&f, "who").filter(|w| !w.is_empty()),
        },
        "note" => Action::Note {
            text: text_field(&f, "text").filter(|t| !t.is_empty()),
        },
        "reopen" => Action::Reopen,
        other => {
            return Err(Problem::not_found(format!(
                "no action {other:?}: done, snooze, assign, note or reopen"
            )));
        }
    };
    let who = call.who()?.clone();
    let data = call.data();
    let out = tokio::task::spawn_blocking(move || -> Result<Value, Problem> {
        let (key, kind, title) = find_item(&data, &*items_of(&items)?, &id)?;
        if !who.role.may(Permission::Queue(Team::of_kind(&kind))) {
            return Err(Problem::forbidden(format!(
                "the {} role may not change {} items",
                who.role.as_str(),
                hearth_app::queue::team_of(&kind)
            )));
        }
        Ok(hearth_app::queue::change_found(
            &data,
            &key,
            &kind,
            &title,
            &action,
            &who.actor(),
        )?)
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))??;
    ok(&out)
}

async fn ingest(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        format: Option<String>,
        name: Option<String>,
    }
    let q: Q = call.q()?;
    let format = q.format.unwrap_or_else(|| "auto".to_owned());
    let name = q.name.unwrap_or_else(|| "upload".to_owned());
    let out = ingest_upload(&call, &format, &name, call.body.clone()).await?;
    ok(&out)
}

/// Keeps an uploaded export under `DIR/uploads` (with a name of the server's, never the
/// client's path) and reads it into the store, one ingest at a time; the summaries.
pub async fn ingest_upload(
    call: &Call,
    format: &str,
    name: &str,
    body: axum::body::Bytes,
) -> Result<Value, Problem> {
    ingest_upload_with(&call.state, &call.actor(), format, name, body, None).await
}

/// [`ingest_upload`] for a caller that is gone by the time it ends (a background job of the
/// data page, whose progress it updates).
pub async fn ingest_upload_with(
    state: &Arc<State>,
    actor: &str,
    format: &str,
    name: &str,
    body: axum::body::Bytes,
    job: Option<Arc<crate::Job>>,
) -> Result<Value, Problem> {
    let format = format.to_owned();
    if format != "auto" && !hearth_app::ingest::format_names().contains(&format.as_str()) {
        return Err(Problem::bad_request(format!(
            "unknown format {format:?}; known: {}",
            hearth_app::ingest::format_names().join(", ")
        )));
    }
    if body.is_empty() {
        return Err(Problem::bad_request("send the export file as the body"));
    }
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_start_matches('.').to_owned();
    let dir = state.data().join("uploads");
    let path = dir.join(format!("{}-{name}", hearth_store::now()));
    let _one = state.ingest_lock.lock().await;
    let (data, actor) = (state.data().to_path_buf(), actor.to_owned());
    let state = state.clone();
    tokio::task::spawn_blocking(move || -> Result<Value, Problem> {
        use std::sync::atomic::Ordering;
        let mut progress = |p: hearth_app::ingest::Progress<'_>| {
            if let Some(j) = &job {
                j.done.store(p.done, Ordering::Relaxed);
                j.total.store(p.total, Ordering::Relaxed);
            }
        };
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &body))
            .map_err(|e| Problem::internal(format!("cannot keep the upload: {e}")))?;
        let paths = vec![path];
        let summaries = if format == "auto" {
            hearth_app::ingest::ingest_auto(&data, &paths, &mut progress, &actor)?
        } else {
            vec![hearth_app::ingest::ingest(
                &data,
                &format,
                &paths,
                &mut progress,
                &actor,
            )?]
        };
        // Answers of the old data are not served while the new ones are computed.
        state.cache.clear();
        Ok(Value::Array(
            summaries
                .iter()
                .map(hearth_app::ingest::summary_json)
                .collect(),
        ))
    })
    .await
    .map_err(|e| Problem::internal(e.to_string()))?
}

async fn audit_log(call: Call) -> Result<Response, Problem> {
    let get = |k: &str| {
        call.pairs
            .iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let per_page = get("per_page").unwrap_or(100).clamp(1, 1000);
    let page = get("page").unwrap_or(1).max(1);
    let out = call
        .state
        .with_store(move |s| hearth_app::team::changes(s, per_page, (page - 1) * per_page))
        .await?;
    ok(&out)
}

async fn users(call: Call) -> Result<Response, Problem> {
    ok(&call.state.with_store(hearth_app::team::users).await?)
}

async fn user_add(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let (name, role, password) = (
        required(&f, "name")?,
        required(&f, "role")?,
        required(&f, "password")?,
    );
    let role = Role::parse(&role)?;
    let actor = call.actor();
    let n = name.clone();
    call.state
        .with_store(move |s| hearth_app::team::add_user(s, &n, role, &password, &actor))
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"name": name, "role": role}),
    ))
}

async fn user_remove(call: Call) -> Result<Response, Problem> {
    let (name, actor) = (call.param("name"), call.actor());
    let n = name.clone();
    call.state
        .with_store(move |s| hearth_app::team::remove_user(s, &n, &actor))
        .await?;
    ok(&json!({"removed": name}))
}

async fn user_passwd(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let password = required(&f, "password")?;
    let (name, actor) = (call.param("name"), call.actor());
    let n = name.clone();
    call.state
        .with_store(move |s| hearth_app::team::set_password(s, &n, &password, &actor))
        .await?;
    ok(&json!({"password_changed": name}))
}

async fn tokens(call: Call) -> Result<Response, Problem> {
    ok(&call.state.with_store(hearth_app::team::tokens).await?)
}

async fn token_create(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let (name, role) = (required(&f, "name")?, required(&f, "role")?);
    let role = Role::parse(&role)?;
    let actor = call.actor();
    let n = name.clone();
    let token = call
        .state
        .with_store(move |s| hearth_app::team::create_token(s, &n, role, &actor))
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &json!({"name": name, "role": role, "token": token}),
    ))
}

async fn token_revoke(call: Call) -> Result<Response, Problem> {
    let (name, actor) = (call.param("name"), call.actor());
    let n = name.clone();
    call.state
        .with_store(move |s| hearth_app::team::revoke_token(s, &n, &actor))
        .await?;
    ok(&json!({"revoked": name}))
}

async fn locks(call: Call) -> Result<Response, Problem> {
    ok(&call.state.with_store(hearth_app::team::locks).await?)
}

async fn lock_clear(call: Call) -> Result<Response, Problem> {
    let (subject, actor) = (call.param("subject"), call.actor());
    let s2 = subject.clone();
    call.state
        .with_store(move |s| hearth_app::team::clear_lock(s, &s2, &actor))
        .await?;
    ok(&json!({"cleared": subject}))
}

// ---- publishing ----------------------------------------------------------------------

/// The fields of a draft or an edit.
const POST_FIELDS: &[&str] = &[
    "text",
    "networks",
    "bluesky_text",
    "mastodon_text",
    "images",
];

/// Who is acting on a post, for the approval rule.
pub(crate) fn post_actor(call: &Call) -> Result<hearth_app::outbox::Actor, Problem> {
    let who = call.who()?;
    Ok(hearth_app::outbox::Actor {
        name: who.actor(),
        admin: who.role == Role::Admin,
    })
}

/// A draft's or an edit's fields as the outbox takes them.
fn compose(f: &serde_json::Map<String, Value>) -> Result<hearth_app::outbox::Compose, Problem> {
    use base64::Engine as _;
    let networks = match f.get("networks") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|v| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        Problem::bad_request("networks is a list of names: bluesky, mastodon")
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => {
            return Err(Problem::bad_request(
                "networks is a list of names: bluesky, mastodon",
            ));
        }
    };
    let mut versions = std::collections::BTreeMap::new();
    for network in ["bluesky", "mastodon"] {
        if let Some(t) = text_field(f, &format!("{network}_text")) {
            versions.insert(network.to_owned(), t);
        }
    }
    let images = match f.get("images") {
        None | Some(Value::Null) => None,
        Some(Value::Array(list)) => Some(
            list.iter()
                .enumerate()
                .map(|(i, v)| {
                    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                    let bytes = base64::engine::general_purpose::STANDARD
                        .decode(s("base64").as_bytes())
                        .map_err(|e| {
                            Problem::bad_request(format!("images[{i}].base64 is not base64: {e}"))
                        })?;
                    Ok(hearth_app::outbox::Image {
                        file_name: Some(s("name"))
                            .filter(|n| !n.is_empty())
                            .unwrap_or_else(|| format!("image-{}", i + 1)),
                        alt: s("alt"),
                        bytes,
                    })
                })
                .collect::<Result<Vec<_>, Problem>>()?,
        ),
        Some(_) => {
            return Err(Problem::bad_request(
                "images is a list of {name, alt, base64}",
            ));
        }
    };
    Ok(hearth_app::outbox::Compose {
        text: text_field(f, "text"),
        networks,
        versions,
        images,
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> hearth_app::Result<T> + Send + 'static,
) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Problem::internal(e.to_string()))?
        .map_err(Problem::from)
}

fn post_id(call: &Call) -> Result<i64, Problem> {
    let id = call.param("id");
    id.parse()
        .map_err(|_| Problem::not_found(format!("no post {id:?}: post ids are numbers")))
}

async fn posts_list(call: Call) -> Result<Response, Problem> {
    #[derive(serde::Deserialize)]
    struct Q {
        state: Option<String>,
    }
    let q: Q = call.q()?;
    let data = call.data();
    let out = blocking(move || hearth_app::outbox::list_json(&data, q.state.as_deref())).await?;
    ok(&out)
}

async fn post_draft(call: Call) -> Result<Response, Problem> {
    let c = compose(&call.fields()?)?;
    let (data, actor) = (call.data(), post_actor(&call)?);
    let out = blocking(move || hearth_app::outbox::draft(&data, c, &actor)).await?;
    Ok(json_response(StatusCode::CREATED, &out))
}

async fn post_show(call: Call) -> Result<Response, Problem> {
    let (data, id) = (call.data(), post_id(&call)?);
    ok(&blocking(move || hearth_app::outbox::show_json(&data, id)).await?)
}

async fn post_edit(call: Call) -> Result<Response, Problem> {
    let c = compose(&call.fields()?)?;
    let (data, id, actor) = (call.data(), post_id(&call)?, post_actor(&call)?);
    ok(&blocking(move || hearth_app::outbox::edit(&data, id, c, &actor)).await?)
}

async fn post_action(call: Call) -> Result<Response, Problem> {
    use hearth_app::outbox::{self, When};
    let f = call.fields()?;
    let (data, id, actor) = (call.data(), post_id(&call)?, post_actor(&call)?);
    let action = call.param("action");
    let best = matches!(f.get("best"), Some(Value::Bool(true)))
        || text_field(&f, "best").is_some_and(|v| v == "true" || v == "on");
    let at = text_field(&f, "at").filter(|s| !s.trim().is_empty());
    let reason = text_field(&f, "reason").filter(|s| !s.trim().is_empty());
    let out = blocking(move || match action.as_str() {
        "submit" => outbox::submit(&data, id, &actor),
        "approve" => outbox::approve(&data, id, &actor),
        "schedule" => {
            let when = match (best, at) {
                (true, _) => When::Best,
                (false, Some(at)) => {
                    let config = hearth_app::config::load(&data)?;
                    When::At(outbox::parse_time(&config, &at)?)
                }
                (false, None) => {
                    return Err(hearth_app::AppError::Invalid(
                        "schedule needs at (a time) or best: true".to_owned(),
                    ));
                }
            };
            outbox::schedule(&data, id, when, &actor)
        }
        "cancel" => outbox::cancel(&data, id, reason.as_deref(), &actor),
        other => Err(hearth_app::AppError::NotFound(format!(
            "no action {other:?}: submit, approve, schedule or cancel"
        ))),
    })
    .await?;
    ok(&out)
}

async fn publish_due(call: Call) -> Result<Response, Problem> {
    call.fields()?;
    let (data, actor) = (call.data(), post_actor(&call)?);
    let out = blocking(move || {
        hearth_app::publish::publish_due(&data, &actor, &hearth_app::publish::Options::default())
    })
    .await?;
    ok(&out)
}

async fn sync_network(call: Call) -> Result<Response, Problem> {
    let f = call.fields()?;
    let network = call.param("network");
    let full = matches!(f.get("full"), Some(Value::Bool(true)))
        || text_field(&f, "full").is_some_and(|v| v == "true");
    let (data, actor) = (call.data(), post_actor(&call)?);
    let out = blocking(move || {
        let options = hearth_app::sync::Options {
            full,
            ..Default::default()
        };
        hearth_app::sync::sync(&data, &network, &actor.name, &options, &mut |_| {})
    })
    .await?;
    call.state.cache.clear();
    ok(&out)
}

async fn sync_status(call: Call) -> Result<Response, Problem> {
    let data = call.data();
    ok(&blocking(move || hearth_app::sync::status_json(&data)).await?)
}

async fn accounts(call: Call) -> Result<Response, Problem> {
    let data = call.data();
    let out = blocking(move || {
        Ok(hearth_app::accounts::to_json(&hearth_app::accounts::load(
            &data,
        )?))
    })
    .await?;
    ok(&out)
}
