//! The server's request handling on arbitrary requests: method, path and query, headers,
//! body (JSON, forms, multipart uploads) go through the real router on a real store, with
//! and without an admin token. Never panics; every answer is a well-formed HTTP status,
//! and no answer without credentials is a success on a route that needs a login.
//!
//! Input layout: byte 0 chooses the method (bits 0-1) and whether an admin token is sent
//! (bit 2); then the request target up to the first `\n`; then `Name: value` header lines
//! up to an empty line; the rest is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tower::ServiceExt;

struct Setup {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    _dir: std::path::PathBuf,
}

fn setup() -> &'static Setup {
    static S: OnceLock<Setup> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("hearth-fuzz-server-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let excerpt = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/mbox/usrp-users-2026-excerpt.mbox");
        hearth_app::ingest::ingest(&dir, "mbox", &[excerpt], &mut |_| {}, "fuzz")
            .expect("ingest");
        let store = hearth_store::Store::open(&dir).expect("store");
        let token = hearth_app::team::create_token(
            &store,
            "fuzz",
            hearth_app::team::Role::Admin,
            "fuzz",
        )
        .expect("token");
        let state = hearth_server::State::new(hearth_server::Options::new(dir.clone()));
        let router = hearth_server::routes::router(state);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        Setup {
            runtime,
            router,
            token,
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let s = setup();
    let method = ["GET", "POST", "DELETE", "PUT"][usize::from(flags & 3)];
    let (target, rest) = match rest.iter().position(|b| *b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let mut req = axum::http::Request::builder().method(method);
    let Ok(target) = std::str::from_utf8(target) else {
        return;
    };
    let target = if target.starts_with('/') {
        target.to_owned()
    } else {
        format!("/{target}")
    };
    req = req.uri(target);
    let mut body = rest;
    loop {
        let (line, after) = match body.iter().position(|b| *b == b'\n') {
            Some(i) => (&body[..i], &body[i + 1..]),
            None => (body, &[][..]),
        };
        if line.is_empty() {
            body = after;
            break;
        }
        if let Some(colon) = line.iter().position(|b| *b == b':') {
            let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
            req = req.header(name, value);
        }
        body = after;
        if body.is_empty() {
            break;
        }
    }
    let with_token = flags & 4 != 0;
    if with_token {
        req = req.header("Authorization", format!("Bearer {}", s.token));
    }
    let Ok(req) = req.body(axum::body::Body::from(body.to_vec())) else {
        return; // not a request an HTTP parser would hand on
    };
    let router = s.router.clone();
    let response = s
        .runtime
        .block_on(async move { router.oneshot(req).await })
        .expect("the router never fails");
    let status = response.status().as_u16();
    assert!((100..600).contains(&status));
    if !with_token && status < 300 {
        // Only the public routes answer without credentials.
        let path = data.get(1..).map(String::from_utf8_lossy).unwrap_or_default();
        let public = ["/healthz", "/api/v1/openapi.json", "/login", "/static/"];
        assert!(
            public.iter().any(|p| path.trim_start_matches('/').starts_with(p.trim_start_matches('/'))),
            "{method} {path:?} answered {status} without a login"
        );
    }
});
