//! The brand's accounts on the networks Hearth publishes to, with their secrets (a Bluesky
//! app password, a Mastodon access token).
//!
//! They live in `secrets.toml` in the data directory, never in `hearth.toml`: the file is
//! written with mode 0600 (owner only) through a temporary file and a rename, and a file
//! that others can read is refused until it is made private again. Nothing here prints,
//! logs, exports or returns a secret: the JSON of an account names it without its secret,
//! and `Debug` hides it. The store's backup and exports never read this file.

use crate::{AppError, Result, bail};
use hearth_publish::http::Http;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The secrets file, in the data directory.
pub const FILE: &str = "secrets.toml";

/// Every connected account.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    pub bluesky: Option<Bluesky>,
    pub mastodon: Option<Mastodon>,
}

impl std::fmt::Debug for Accounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&to_json(self).to_string())
    }
}

/// A Bluesky account: its PDS (`https://bsky.social` for most), handle or DID, and app
/// password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bluesky {
    pub service: String,
    pub identifier: String,
    pub app_password: String,
    /// As the PDS answered at connection.
    pub did: Option<String>,
    pub handle: Option<String>,
}

/// A Mastodon account: its instance and an access token with `write:statuses` and
/// `write:media`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mastodon {
    pub instance: String,
    pub token: String,
    /// `@name@instance`, as the instance answered at connection.
    pub account: Option<String>,
    /// The instance's status length limit, read at connection.
    pub max_characters: Option<usize>,
}

impl std::fmt::Debug for Bluesky {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bluesky")
            .field("service", &self.service)
            .field("identifier", &self.identifier)
            .field("app_password", &"(hidden)")
            .finish()
    }
}

impl std::fmt::Debug for Mastodon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mastodon")
            .field("instance", &self.instance)
            .field("token", &"(hidden)")
            .finish()
    }
}

fn path(data: &Path) -> PathBuf {
    data.join(FILE)
}

/// The connected accounts (none when the file does not exist).
pub fn load(data: &Path) -> Result<Accounts> {
    let p = path(data);
    let text = match std::fs::read_to_string(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Accounts::default()),
        Err(e) => return Err(AppError::io("cannot read", &p, e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&p)
            .map_err(|e| AppError::io("cannot read", &p, e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(AppError::Config {
                path: p.display().to_string(),
                message: format!(
                    "holds the accounts' secrets but others may read it (mode {:o}); make it private: chmod 600 {}",
                    mode & 0o777,
                    p.display()
                ),
            });
        }
    }
    toml::from_str(&text).map_err(|e| AppError::Config {
        path: p.display().to_string(),
        message: e.to_string(),
    })
}

/// Writes the accounts, owner-only, atomically.
pub fn save(data: &Path, accounts: &Accounts) -> Result<()> {
    let p = path(data);
    let text =
        toml::to_string(accounts).map_err(|e| crate::invalid!("cannot write accounts: {e}"))?;
    std::fs::create_dir_all(data).map_err(|e| AppError::io("cannot make", data, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(data)
        .map_err(|e| AppError::io("cannot write into", data, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| AppError::io("cannot write", &p, e))?;
    }
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| AppError::io("cannot write", &p, e))?;
    tmp.persist(&p)
        .map_err(|e| AppError::io("cannot write", &p, e.error))?;
    Ok(())
}

/// The accounts without their secrets.
pub fn to_json(a: &Accounts) -> Value {
    json!({
        "bluesky": a.bluesky.as_ref().map(|b| json!({
            "service": b.service, "identifier": b.identifier, "did": b.did, "handle": b.handle,
        })),
        "mastodon": a.mastodon.as_ref().map(|m| json!({
            "instance": m.instance, "account": m.account, "max_characters": m.max_characters,
        })),
    })
}

fn audit(data: &Path, actor: &str, action: &str, target: &str) -> Result<()> {
    let store = hearth_store::Store::open(data)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    store.log_change(
        &hearth_store::Change::new(actor, action, target, json!({})),
        now,
    )?;
    Ok(())
}

/// Logs in to check the app password, then keeps the account.
pub fn connect_bluesky(
    data: &Path,
    service: &str,
    identifier: &str,
    app_password: &str,
    actor: &str,
) -> Result<Value> {
    let service = service.trim().trim_end_matches('/');
    if !(service.starts_with("https://") || service.starts_with("http://")) {
        bail!("the service is an address such as https://bsky.social, not {service:?}");
    }
    let session = hearth_publish::bluesky::Session::login(
        &Http::default(),
        service,
        identifier,
        app_password,
    )?;
    let mut accounts = load(data)?;
    accounts.bluesky = Some(Bluesky {
        service: service.to_owned(),
        identifier: identifier.to_owned(),
        app_password: app_password.to_owned(),
        did: Some(session.did.clone()),
        handle: Some(session.handle.clone()),
    });
    save(data, &accounts)?;
    audit(
        data,
        actor,
        "account.connect",
        &format!("bluesky:{}", session.handle),
    )?;
    Ok(to_json(&accounts))
}

/// Checks the token and reads the instance's length limit, then keeps the account.
pub fn connect_mastodon(data: &Path, instance: &str, token: &str, actor: &str) -> Result<Value> {
    let instance = instance.trim().trim_end_matches('/');
    if !(instance.starts_with("https://") || instance.starts_with("http://")) {
        bail!("the instance is an address such as https://mastodon.social, not {instance:?}");
    }
    let account = hearth_publish::mastodon::Account::new(&Http::default(), instance, token);
    let name = account.whoami()?;
    let max = account.max_characters()?;
    let mut accounts = load(data)?;
    accounts.mastodon = Some(Mastodon {
        instance: instance.to_owned(),
        token: token.to_owned(),
        account: Some(name.clone()),
        max_characters: max,
    });
    save(data, &accounts)?;
    audit(data, actor, "account.connect", &format!("mastodon:{name}"))?;
    Ok(to_json(&accounts))
}

/// Forgets a network's account and its secret.
pub fn disconnect(data: &Path, network: &str, actor: &str) -> Result<Value> {
    let mut accounts = load(data)?;
    let had = match network {
        "bluesky" => accounts.bluesky.take().is_some(),
        "mastodon" => accounts.mastodon.take().is_some(),
        _ => bail!("unknown network {network:?}: bluesky or mastodon"),
    };
    if !had {
        return Err(AppError::NotFound(format!(
            "no {network} account is connected"
        )));
    }
    save(data, &accounts)?;
    audit(data, actor, "account.disconnect", network)?;
    Ok(to_json(&accounts))
}
