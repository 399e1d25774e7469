//! `hearth user add|list|remove|passwd|locks|unlock` and `hearth token create|list|revoke`:
//! the team that logs in to `hearth serve`, and tokens for scripts.

use super::text::print_json;
use hearth_app::team::{self, Role};
use std::io::BufRead as _;
use std::path::Path;

fn role_names() -> Vec<&'static str> {
    Role::ALL.iter().map(|r| r.as_str()).collect()
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is asked for (or read as one line from stdin).
    Add {
        name: String,
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(role_names()))]
        role: String,
        /// Read the password as one line from standard input instead of a prompt.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Users and their roles.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remove a user and end their sessions.
    Remove { name: String },
    /// Set a user's password (and end their sessions).
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Failed logins and locks, by account and address.
    Locks {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Clear the failures and lock of `user:NAME` or `addr:IP` (a bare NAME means user:NAME).
    Unlock { subject: String },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token for scripts; only the token is printed, on stdout, this once.
    Create {
        name: String,
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(role_names()))]
        role: String,
    },
    /// Tokens (never their values).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token.
    Revoke { name: String },
}

fn password(name: &str, from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let p = line.trim_end_matches(['\n', '\r']).to_owned();
        if p.is_empty() {
            anyhow::bail!("no password on standard input");
        }
        return Ok(p);
    }
    let first = rpassword::prompt_password(format!("Password for {name}: "))?;
    let again = rpassword::prompt_password("Again: ")?;
    if first != again {
        anyhow::bail!("the two passwords differ");
    }
    Ok(first)
}

fn store(data: &Path) -> anyhow::Result<hearth_store::Store> {
    Ok(hearth_store::Store::open(data)?)
}

pub fn run_user(data: &Path, command: UserCommand) -> anyhow::Result<()> {
    let actor = super::cli_actor();
    match command {
        UserCommand::Add {
            name,
            role,
            password_stdin,
        } => {
            let role = Role::parse(&role)?;
            let p = password(&name, password_stdin)?;
            team::add_user(&store(data)?, &name, role, &p, &actor)?;
            eprintln!("added {name} ({})", role.as_str());
        }
        UserCommand::List { json } => {
            let out = team::users(&store(data)?)?;
            if json {
                print_json(&out);
            } else {
                outln!("{:<24} {:<10} created", "name", "role");
                for u in out.as_array().into_iter().flatten() {
                    outln!(
                        "{:<24} {:<10} {}",
                        super::text::clean(u["name"].as_str().unwrap_or("")),
                        u["role"].as_str().unwrap_or(""),
                        u["created_at"].as_str().unwrap_or("")
                    );
                }
            }
        }
        UserCommand::Remove { name } => {
            team::remove_user(&store(data)?, &name, &actor)?;
            eprintln!("removed {name}");
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let p = password(&name, password_stdin)?;
            team::set_password(&store(data)?, &name, &p, &actor)?;
            eprintln!("password of {name} changed; their sessions are ended");
        }
        UserCommand::Locks { json } => {
            let out = team::locks(&store(data)?)?;
            if json {
                print_json(&out);
            } else {
                outln!(
                    "{:<40} {:>8}  {:<20}  locked",
                    "subject",
                    "failures",
                    "last"
                );
                for l in out.as_array().into_iter().flatten() {
                    outln!(
                        "{:<40} {:>8}  {:<20}  {}",
                        super::text::clean(l["subject"].as_str().unwrap_or("")),
                        l["failures"],
                        l["last_failure"].as_str().unwrap_or(""),
                        l["locked_at"].as_str().unwrap_or("no")
                    );
                }
            }
        }
        UserCommand::Unlock { subject } => {
            let subject = if subject.contains(':') {
                subject
            } else {
                format!("user:{subject}")
            };
            team::clear_lock(&store(data)?, &subject, &actor)?;
            eprintln!("cleared {subject}");
        }
    }
    Ok(())
}

pub fn run_token(data: &Path, command: TokenCommand) -> anyhow::Result<()> {
    let actor = super::cli_actor();
    match command {
        TokenCommand::Create { name, role } => {
            let role = Role::parse(&role)?;
            let token = team::create_token(&store(data)?, &name, role, &actor)?;
            outln!("{token}");
        }
        TokenCommand::List { json } => {
            let out = team::tokens(&store(data)?)?;
            if json {
                print_json(&out);
            } else {
                outln!(
                    "{:<24} {:<10} {:<20} {:<20} revoked",
                    "name",
                    "role",
                    "created",
                    "last used"
                );
                for t in out.as_array().into_iter().flatten() {
                    outln!(
                        "{:<24} {:<10} {:<20} {:<20} {}",
                        super::text::clean(t["name"].as_str().unwrap_or("")),
                        t["role"].as_str().unwrap_or(""),
                        t["created_at"].as_str().unwrap_or(""),
                        t["last_used_at"].as_str().unwrap_or("never"),
                        t["revoked_at"].as_str().unwrap_or("no")
                    );
                }
            }
        }
        TokenCommand::Revoke { name } => {
            team::revoke_token(&store(data)?, &name, &actor)?;
            eprintln!("revoked {name}");
        }
    }
    Ok(())
}

/// `hearth audit log`: the log of changes, newest first.
pub fn run_log(data: &Path, limit: usize, json: bool) -> anyhow::Result<()> {
    let out = team::changes(&store(data)?, limit, 0)?;
    if json {
        print_json(&out);
        return Ok(());
    }
    for c in out.as_array().into_iter().flatten() {
        outln!(
            "{}  {:<20} {:<16} {}  {}",
            c["time"].as_str().unwrap_or(""),
            super::text::clean(c["actor"].as_str().unwrap_or("")),
            c["action"].as_str().unwrap_or(""),
            super::text::clean(c["target"].as_str().unwrap_or("")),
            super::text::clean(&c["detail"].to_string())
        );
    }
    Ok(())
}
