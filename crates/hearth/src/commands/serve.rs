//! `hearth serve`: the team server on this data directory.

use std::net::SocketAddr;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. Loopback by default; another address is allowed, but TLS belongs
    /// to a reverse proxy in front (docs/deploy.md).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Mark the session cookie Secure (when a TLS proxy is in front).
    #[arg(long)]
    secure_cookies: bool,
    /// Hours a session may stay idle.
    #[arg(long, default_value_t = 8)]
    idle_hours: i64,
    /// Days a session lasts at most.
    #[arg(long, default_value_t = 7)]
    session_days: i64,
    /// Seconds between two runs of the publisher, which sends the scheduled posts whose
    /// time has come (0: the server publishes nothing; run `hearth publish` instead).
    #[arg(long, default_value_t = 60)]
    publish_every: u64,
    /// Seconds between two syncs of the connected Bluesky and Mastodon accounts (their
    /// posts' counts, replies and mentions; 0: the server does not sync; run `hearth sync`
    /// instead).
    #[arg(long, default_value_t = 600)]
    sync_every: u64,
    /// Seconds the data must stay unchanged after a change (an ingest, a merge, new rules)
    /// before the server computes the main pages' answers ahead of any visit, so the first
    /// visit finds them ready (0: never; each page is then computed on its first visit).
    #[arg(long, default_value_t = 5)]
    warm_after: u64,
    /// Milliseconds in a second of the login throttle's waits (for tests).
    #[arg(long, default_value_t = 1000, hide = true)]
    login_delay_ms: u64,
}

pub fn run(data: &Path, args: Args) -> anyhow::Result<()> {
    if args.idle_hours < 1 || args.session_days < 1 {
        anyhow::bail!("--idle-hours and --session-days are at least 1");
    }
    // The store must exist and open (migrations run here, once, before any request).
    hearth_app::scope::open_store(data)?;
    if !hearth_server::is_loopback(&args.listen) {
        eprintln!(
            "warning: listening on {}, reachable from other machines; Hearth speaks plain HTTP, \
             so put a TLS reverse proxy in front (docs/deploy.md) and pass --secure-cookies",
            args.listen
        );
    }
    let mut options = hearth_server::Options::new(data.to_path_buf());
    options.secure_cookies = args.secure_cookies;
    options.limits = hearth_app::team::SessionLimits {
        idle: args.idle_hours * 3600,
        absolute: args.session_days * 86_400,
    };
    options.login_delay_unit = std::time::Duration::from_millis(args.login_delay_ms);
    options.publish_every =
        (args.publish_every > 0).then(|| std::time::Duration::from_secs(args.publish_every));
    options.sync_every =
        (args.sync_every > 0).then(|| std::time::Duration::from_secs(args.sync_every));
    options.warm_after =
        (args.warm_after > 0).then(|| std::time::Duration::from_secs(args.warm_after));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.listen))?;
        let local = listener.local_addr()?;
        eprintln!("Hearth is serving {} on http://{local}", data.display());
        hearth_server::serve(listener, options, hearth_server::shutdown_signal()).await?;
        eprintln!("stopped");
        anyhow::Ok(())
    })
}
