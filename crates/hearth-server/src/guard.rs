//! Who is asking, and may they: bearer tokens and session cookies, the role matrix, CSRF and
//! origin checks for state changes carried by a cookie, and the query parameters a route
//! takes.

use crate::State;
use crate::problem::Problem;
use crate::routes::{Access, Route};
use axum::http::{HeaderMap, Method, header};
use hearth_app::team::{Permission, Principal};
use std::sync::Arc;

/// The session cookie's name.
pub const COOKIE: &str = "hearth_session";
/// The header scripts of the pages send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of the session cookie, if the request carries one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

fn bearer(headers: &HeaderMap) -> Option<Result<String, Problem>> {
    let v = headers.get(header::AUTHORIZATION)?;
    let Some(token) = v
        .to_str()
        .ok()
        .and_then(|s| s.strip_prefix("Bearer ").map(str::trim))
    else {
        return Some(Err(Problem::unauthorized()));
    };
    Some(Ok(token.to_owned()))
}

/// How a request says who it is.
enum Credential {
    None,
    Token(String),
    Cookie(String),
}

/// The principal of a request (its bearer token, else its session cookie) and, when
/// `with_stamp`, the stamp of the store and rules, both read in one trip to the store.
pub async fn authenticate(
    state: &Arc<State>,
    headers: &HeaderMap,
    with_stamp: bool,
) -> Result<(Option<Principal>, Option<crate::cache::Stamp>), Problem> {
    let credential = match bearer(headers) {
        Some(token) => Credential::Token(token?),
        None => match session_cookie(headers) {
            Some(c) => Credential::Cookie(c),
            None => Credential::None,
        },
    };
    if matches!(credential, Credential::None) && !with_stamp {
        return Ok((None, None));
    }
    let limits = state.options.limits;
    let config = with_stamp.then(|| crate::routes::config_stamp(state.data()));
    let token_given = matches!(credential, Credential::Token(_));
    let (who, stamp) = state
        .with_store(move |s| {
            let who = match &credential {
                Credential::None => None,
                Credential::Token(t) => hearth_app::team::token_principal(s, t)?,
                Credential::Cookie(c) => hearth_app::team::session_principal(s, c, limits)?,
            };
            let stamp = match config {
                Some(config) => Some(crate::cache::Stamp {
                    generation: s.generation()?,
                    last_change: s.last_change()?,
                    config,
                }),
                None => None,
            };
            Ok((who, stamp))
        })
        .await?;
    if token_given && who.is_none() {
        return Err(Problem::unauthorized());
    }
    Ok((who, stamp))
}

/// May `who` call `route`? (Item-level checks, such as a queue item's team, are the
/// handler's.)
pub fn authorize(route: &Route, who: Option<&Principal>) -> Result<(), Problem> {
    let needed = match route.access {
        Access::Public => return Ok(()),
        Access::Read | Access::Queue | Access::Session => Permission::Read,
        Access::People => Permission::People,
        Access::Posts => Permission::Posts,
        Access::Admin => Permission::Admin,
    };
    let Some(who) = who else {
        return Err(Problem::unauthorized());
    };
    if route.access == Access::Queue && who.role == hearth_app::team::Role::Viewer {
        return Err(Problem::forbidden(
            "the viewer role reads every page and number but changes nothing",
        ));
    }
    if !who.role.may(needed) {
        return Err(Problem::forbidden(format!(
            "the {} role may not do this ({})",
            who.role.as_str(),
            route.summary
        )));
    }
    Ok(())
}

/// Is the request from a page of this server? A browser sends `Origin` on every
/// state-changing request; when it does, its host must be the `Host` the request came to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    origin_host == Some(host)
}

/// For a state change carried by a session cookie: the CSRF token (header, or the `csrf`
/// field of a form body) must be the session's, and the origin this server.
pub fn check_csrf(
    method: &Method,
    headers: &HeaderMap,
    body: &[u8],
    who: Option<&Principal>,
) -> Result<(), Problem> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    if !same_origin(headers) {
        return Err(Problem::forbidden(
            "cross-origin request refused: the Origin is not this server",
        ));
    }
    let Some(expected) = who.and_then(|p| p.csrf.as_deref()) else {
        // Bearer tokens: no browser sends them on its own, so no CSRF.
        return Ok(());
    };
    let sent = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            let is_form = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
            if !is_form {
                return None;
            }
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v)
        });
    match sent {
        Some(s) if constant_time_eq(s.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "csrf",
            "the CSRF token does not match this session",
        )),
        None => Err(Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            "csrf",
            "a state change with a session cookie needs the session's CSRF token \
             (header X-CSRF-Token, or the form field csrf; GET /api/v1/me gives it)",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The query's parameters, refusing any the route does not take.
pub fn check_query(route: &Route, query: &str) -> Result<Vec<(String, String)>, Problem> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| Problem::bad_request(format!("the query does not parse: {e}")))?;
    for (k, _) in &pairs {
        if !route.takes(k) {
            let known = route.query_names();
            return Err(Problem::bad_request(if known.is_empty() {
                format!("unknown parameter {k:?}: this route takes none")
            } else {
                format!(
                    "unknown parameter {k:?}: this route takes {}",
                    known.join(", ")
                )
            }));
        }
    }
    Ok(pairs)
}
