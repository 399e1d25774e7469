//! The `hearth` command line: the binary's edge, where errors become `anyhow` messages.

mod commands;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Does your brand have a community or an audience? Hearth reads the exports you already
/// have into a local store and answers with numbers you can trust.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about, long_about = None)]
struct Cli {
    /// Data directory: holds the store (hearth.sqlite) and the rules (hearth.toml).
    #[arg(
        long,
        global = true,
        env = "HEARTH_DATA",
        default_value = "hearth-data"
    )]
    data: PathBuf,

    /// More logging on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// No progress bars.
    #[arg(short, long, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Who is the brand? Candidates from the data (sender domains that answer many others,
    /// platform flags, the most central accounts), each with its evidence; writes the chosen
    /// rules to hearth.toml.
    Init(commands::init::Args),
    /// Read export files or folders into the store (re-reading adds nothing).
    #[command(after_help = commands::ingest::EXIT_CODES)]
    Ingest(commands::ingest::Args),
    /// The community report: counts, who answers whom, first responses, resilience.
    Report(commands::report::Args),
    /// Every community metric, or one: totals, per space (--space) and weekly or monthly
    /// series.
    Metrics(commands::metrics::Args),
    /// People lists: lapsed members to reach out to, helpers to thank, introductions to make.
    Members {
        #[command(subcommand)]
        command: commands::members::Command,
    },
    /// What brand people spend their messages on: broadcasting, answering or facilitating.
    Audit {
        #[command(subcommand)]
        command: commands::audit::Command,
    },
    /// The social media side: post metrics with named formulas, best time to post, response
    /// times, mentions and share of voice.
    Social {
        #[command(subcommand)]
        command: commands::social::Command,
    },
    /// Days when mentions (or messages) or their negative share jump above the weekday's
    /// usual, with the messages and words that explain each.
    Alerts(commands::social::AlertArgs),
    /// Inbound items routed to the social, community, support and crisis queues, with why.
    Route(commands::route::Args),
    /// The daily work lists with state: open, done, snoozed, assignee, note.
    Queue(commands::queue::Args),
    /// Messages, people, interactions and the monthly series as Parquet, CSV or JSON lines.
    Export(commands::export::Args),
    /// A metric's formula and parameters, its value, and the messages behind the number.
    Explain(commands::explain::Args),
    /// People and their roles: who got which role, and why.
    People {
        #[command(subcommand)]
        command: commands::people::Command,
    },
    /// Is a job description community work or social media work? Duties, phrases, honest
    /// title.
    CheckJob(commands::check_job::Args),
    /// Measure Hearth's inference on annotated data (reply links in chat, job postings).
    Eval {
        #[command(subcommand)]
        command: commands::eval::Command,
    },
    /// Ingest the usrp-users mailing list with the vendor as brand and print the report.
    Demo(commands::demo::Args),
    /// The team server: accounts, roles, sessions and the JSON API under /api/v1.
    Serve(commands::serve::Args),
    /// The people who log in to `hearth serve`, with their roles.
    User {
        #[command(subcommand)]
        command: commands::users::UserCommand,
    },
    /// A consistent copy of the store in a new file, safe while `hearth serve` or an ingest
    /// runs (SQLite's VACUUM INTO).
    Backup {
        /// The new file.
        file: std::path::PathBuf,
    },
    /// The brand's own posts: draft, review, approve, schedule (at a time or the best
    /// time), for Bluesky and Mastodon.
    Post {
        #[command(subcommand)]
        command: commands::post::Command,
    },
    /// Publish every scheduled post whose time has come, exactly once (re-runs publish
    /// nothing twice).
    #[command(after_help = commands::post::PUBLISH_EXIT_CODES)]
    Publish(commands::post::PublishArgs),
    /// The brand's accounts to publish with; their secrets go to secrets.toml (owner only),
    /// never to hearth.toml.
    Connect {
        #[command(subcommand)]
        command: commands::post::ConnectCommand,
    },
    /// Listening: the connected account's posts with their counts, and the replies and
    /// mentions addressed to it, into the store (only what is new since the last sync).
    Sync(commands::sync::Args),
    /// Tokens for scripts (`Authorization: Bearer TOKEN`).
    Token {
        #[command(subcommand)]
        command: commands::users::TokenCommand,
    },
}

/// A reader that stops early (`hearth metrics | head`) closes the pipe; like other Unix
/// tools, Hearth then ends quietly with the SIGPIPE status (141) instead of a panic message.
/// (`print!` panics on a closed stdout, and resetting the signal would need `unsafe`.)
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = Cli::parse();
    let level = match cli.verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .init();
    let ui = commands::Ui {
        progress: !cli.quiet,
    };
    let result = match cli.command {
        Command::Init(args) => commands::init::run(&cli.data, args),
        Command::Ingest(args) => commands::ingest::run(&cli.data, args, ui),
        Command::Report(args) => commands::report::run(&cli.data, args),
        Command::People { command } => commands::people::run(&cli.data, command),
        Command::Metrics(args) => commands::metrics::run(&cli.data, args),
        Command::Members { command } => commands::members::run(&cli.data, command),
        Command::Audit { command } => commands::audit::run(&cli.data, command),
        Command::Social { command } => commands::social::run(&cli.data, command),
        Command::Alerts(args) => commands::social::run_alerts(&cli.data, args),
        Command::Route(args) => commands::route::run(&cli.data, args),
        Command::Queue(args) => commands::queue::run(&cli.data, args),
        Command::Explain(args) => commands::explain::run(&cli.data, args),
        Command::Export(args) => commands::export::run(&cli.data, args, ui),
        Command::Demo(args) => commands::demo::run(args, ui),
        Command::CheckJob(args) => commands::check_job::run(args),
        Command::Eval { command } => commands::eval::run(&cli.data, command),
        Command::Serve(args) => commands::serve::run(&cli.data, args),
        Command::Backup { file } => hearth_app::backup(&cli.data, &file)
            .map(|()| eprintln!("wrote {}", file.display()))
            .map_err(anyhow::Error::from),
        Command::User { command } => commands::users::run_user(&cli.data, command),
        Command::Token { command } => commands::users::run_token(&cli.data, command),
        Command::Post { command } => commands::post::run(&cli.data, command),
        Command::Publish(args) => commands::post::run_publish(&cli.data, args),
        Command::Connect { command } => commands::post::run_connect(&cli.data, command),
        Command::Sync(args) => commands::sync::run(&cli.data, args, ui),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            match e.downcast_ref::<commands::Exit>() {
                Some(exit) => ExitCode::from(exit.code),
                None => ExitCode::FAILURE,
            }
        }
    }
}
