//! `hearth serve`: the team server. Only this crate knows HTTP; every answer comes from
//! `hearth-app`, the same functions the CLI calls, so `GET /api/v1/report` is byte for byte
//! what `hearth report --json` prints.
//!
//! - [`routes`] is the one table of routes: method, path, who may call it, its query
//!   parameters and its handler. The router and the OpenAPI document are both built from it,
//!   so no route is undocumented and no documented route is missing.
//! - [`guard`] authenticates every request (session cookie or bearer token), checks the role
//!   and, for state changes carried by a cookie, the CSRF token and the origin.
//! - [`cache`] keeps computed answers keyed by the store's generation, the newest audit-log
//!   entry and `hearth.toml`'s stamp: readers never wait for a writer (SQLite WAL) and never
//!   see a half-written ingest, because a generation only exists once its batch committed.

pub mod cache;
pub mod dash;
pub mod guard;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod routes;
pub mod warm;

use hearth_app::team::SessionLimits;
use hearth_store::Store;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The data directory (store and `hearth.toml`).
    pub data: PathBuf,
    /// Mark the session cookie `Secure` (set when a TLS proxy is in front).
    pub secure_cookies: bool,
    pub limits: SessionLimits,
    /// Largest request body accepted (uploads included), in bytes.
    pub max_body: usize,
    /// The unit of the login throttle's waits (1 s; tests shorten it).
    pub login_delay_unit: std::time::Duration,
    /// How often the server publishes the posts whose time has come (`None`: never; then
    /// `hearth publish` from cron does it).
    pub publish_every: Option<std::time::Duration>,
    /// How often the server syncs the connected accounts (listening; `None`: never, then
    /// `hearth sync` from cron does it).
    pub sync_every: Option<std::time::Duration>,
    /// How long the data must stay unchanged before the main pages' answers are computed
    /// ahead of any visit (`None`: never; see [`warm`]).
    pub warm_after: Option<std::time::Duration>,
}

impl Options {
    pub fn new(data: PathBuf) -> Options {
        Options {
            data,
            secure_cookies: false,
            limits: SessionLimits::default(),
            max_body: 256 * 1024 * 1024,
            login_delay_unit: std::time::Duration::from_secs(1),
            publish_every: Some(std::time::Duration::from_secs(60)),
            sync_every: Some(std::time::Duration::from_secs(600)),
            warm_after: Some(warm::SETTLE),
        }
    }
}

/// What every request shares.
#[derive(Debug)]
pub struct State {
    pub options: Options,
    stores: Mutex<Vec<Store>>,
    pub cache: Arc<cache::Cache>,
    /// Serialises ingests started through the server (one at a time, like the CLI's).
    pub ingest_lock: tokio::sync::Mutex<()>,
    /// Uploads read in the background from the data page, by job number.
    pub jobs: Mutex<Vec<Arc<Job>>>,
    /// See [`State::warmed`].
    warmed: Mutex<Option<(i64, usize)>>,
    /// See [`State::read_ahead`].
    read_ahead: Mutex<Option<i64>>,
}

/// An upload being read (or read) in the background: what the data page shows.
#[derive(Debug)]
pub struct Job {
    pub id: u64,
    pub name: String,
    pub started: i64,
    /// Bytes read so far and in all.
    pub done: std::sync::atomic::AtomicU64,
    pub total: std::sync::atomic::AtomicU64,
    /// The summaries, or why it failed; `None` while it runs.
    pub result: Mutex<Option<Result<serde_json::Value, String>>>,
}

impl State {
    pub fn new(options: Options) -> Arc<State> {
        Arc::new(State {
            options,
            stores: Mutex::new(Vec::new()),
            cache: Arc::default(),
            ingest_lock: tokio::sync::Mutex::new(()),
            jobs: Mutex::new(Vec::new()),
            warmed: Mutex::new(None),
            read_ahead: Mutex::new(None),
        })
    }

    /// The generation whose main pages were last computed ahead, and how many pages.
    pub fn warmed(&self) -> Option<(i64, usize)> {
        *hearth_app::memo::lock(&self.warmed)
    }

    fn set_warmed(&self, generation: i64, pages: usize) {
        *hearth_app::memo::lock(&self.warmed) = Some((generation, pages));
    }

    /// The generation whose messages were last read ahead for routing, whole.
    pub fn read_ahead(&self) -> Option<i64> {
        *hearth_app::memo::lock(&self.read_ahead)
    }

    fn set_read_ahead(&self, generation: i64) {
        *hearth_app::memo::lock(&self.read_ahead) = Some(generation);
    }

    pub fn data(&self) -> &Path {
        &self.options.data
    }

    /// Runs `f` with a store connection from the pool, on a thread where blocking is fine.
    pub async fn with_store<T, F>(self: &Arc<Self>, f: F) -> Result<T, problem::Problem>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> hearth_app::Result<T> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = state.take_store()?;
            let out = f(&store);
            state.give_store(store);
            out
        })
        .await
        .map_err(|e| problem::Problem::internal(format!("worker failed: {e}")))?
        .map_err(problem::Problem::from)
    }

    fn take_store(&self) -> hearth_app::Result<Store> {
        let pooled = self.stores.lock().ok().and_then(|mut v| v.pop());
        match pooled {
            Some(s) => Ok(s),
            None => hearth_app::scope::open_store(self.data()),
        }
    }

    fn give_store(&self, store: Store) {
        if let Ok(mut v) = self.stores.lock()
            && v.len() < 16
        {
            v.push(store);
        }
    }
}

/// Is this address reachable from this machine only?
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Serves until `shutdown` resolves; requests in flight are finished first.
pub async fn serve(
    listener: tokio::net::TcpListener,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = State::new(options);
    // Windows of the team's pages are cut from what the whole space computed.
    hearth_app::memo::keep_wholes(true);
    // Sessions past their limits are removed at start and every ten minutes.
    let sweeper = {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                let limits = state.options.limits;
                let _ = state
                    .with_store(move |s| hearth_app::team::purge_sessions(s, limits))
                    .await;
                tokio::time::sleep(std::time::Duration::from_secs(600)).await;
            }
        })
    };
    // Scheduled posts are published when their time comes, exactly once (the outbox's
    // deliveries and a lock file keep this run and `hearth publish` from meeting twice).
    let publisher = state.options.publish_every.map(|every| {
        let state = state.clone();
        tokio::spawn(async move {
            let actor = hearth_app::outbox::Actor {
                name: "server:publisher".to_owned(),
                admin: false,
            };
            loop {
                let (data, actor2) = (state.data().to_path_buf(), actor.clone());
                let run = tokio::task::spawn_blocking(move || {
                    hearth_app::publish::publish_due(
                        &data,
                        &actor2,
                        &hearth_app::publish::Options::default(),
                    )
                })
                .await;
                match run {
                    Ok(Ok(v)) if v["due"].as_u64().unwrap_or(0) > 0 => {
                        tracing::info!(posts = %v["posts"], "published what was due");
                        state.cache.clear();
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!("publishing: {e}"),
                    Err(e) => tracing::warn!("publishing stopped: {e}"),
                }
                tokio::time::sleep(every).await;
            }
        })
    });
    // Listening: each connected account's new posts, counts, replies and mentions.
    let listener_task = state.options.sync_every.map(|every| {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let data = state.data().to_path_buf();
                let run = tokio::task::spawn_blocking(move || {
                    hearth_app::sync::sync_connected(&data, "server:sync")
                })
                .await;
                match run {
                    Ok(Ok(results)) => {
                        let mut added = 0;
                        for r in &results {
                            match r {
                                Ok(v) => added += v["added"].as_u64().unwrap_or(0),
                                Err(e) => tracing::warn!("sync: {e}"),
                            }
                        }
                        if added > 0 {
                            tracing::info!(added, "synced the connected accounts");
                            state.cache.clear();
                        }
                    }
                    Ok(Err(e)) => tracing::warn!("sync: {e}"),
                    Err(e) => tracing::warn!("sync stopped: {e}"),
                }
            }
        })
    });
    // The main pages' answers, computed once the data has settled after a change.
    let warmer = state.options.warm_after.map(|settle| {
        let state = state.clone();
        tokio::spawn(warm::run(state, settle))
    });
    let app = routes::router(state);
    let out = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    sweeper.abort();
    if let Some(p) = publisher {
        p.abort();
    }
    if let Some(l) = listener_task {
        l.abort();
    }
    if let Some(w) = warmer {
        w.abort();
    }
    out
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
