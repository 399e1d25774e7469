//! The few pages the server itself serves before the dashboard: the login form and a start
//! page. No script; every text from outside is escaped.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Pages load only what this server serves, run no script of anyone else's, and cannot be
/// framed.
pub const CSP: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
                       script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
                       base-uri 'none'";

/// Escapes text for HTML (the report's escaping: control characters dropped too).
pub use hearth_report::html::esc;

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f5f2;color:#1d1d1f}\
main{max-width:28rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:12px;\
box-shadow:0 1px 3px rgba(0,0,0,.12)}h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;\
margin:.8rem 0 .2rem;font-weight:600}input{width:100%;box-sizing:border-box;padding:.6rem;\
font:inherit;border:1px solid #999;border-radius:6px}button{margin-top:1.2rem;padding:.6rem 1.2rem;\
font:inherit;border:0;border-radius:6px;background:#b4441c;color:#fff;cursor:pointer}\
button:focus,input:focus{outline:3px solid #1a5fb4;outline-offset:1px}.error{color:#a00;font-weight:600}\
code{background:#eee;padding:0 .2rem;border-radius:3px}";

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        esc(title)
    );
    let mut r = (StatusCode::OK, html).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// A path on this server to go to after login; anything else (another host, a scheme)
/// becomes `/`.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/",
    }
}

pub fn login(error: Option<&str>, next: Option<&str>) -> Response {
    let err = error.map_or_else(String::new, |e| {
        format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e))
    });
    page(
        "Log in · Hearth",
        &format!(
            "<h1>Hearth</h1>{err}<form method=\"post\" action=\"/login\">\
             <input type=\"hidden\" name=\"next\" value=\"{}\">\
             <label for=\"username\">Name</label>\
             <input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>\
             <label for=\"password\">Password</label>\
             <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
             <button type=\"submit\">Log in</button></form>",
            esc(safe_next(next))
        ),
    )
}

pub fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A page that needs a login sends the browser to the login form, and back afterwards.
pub fn redirect_to_login(path: &str) -> Response {
    let next: String =
        serde_urlencoded::to_string([("next", safe_next(Some(path)))]).unwrap_or_default();
    see_other(&format!("/login?{next}"))
}
