//! The team: users with roles, tokens for scripts, login sessions with throttling, and the
//! audit log of every change.
//!
//! Secrets: passwords are hashed with Argon2id (salted, PHC string); session ids and API
//! tokens are 32 random bytes from the OS, and only their SHA-256 is stored; a session's CSRF
//! token is a hash of its id, never stored. No
//! function here returns a stored secret; a new token is returned once, to its creator.

use crate::{AppError, Result};
use hearth_store::{Change, FailureRow, Store};
use serde_json::{Value, json};

/// What a person or a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Users, tokens, rules, ingest, erasure, the audit log; and everything below.
    Admin,
    /// Community queues, people, merges and splits; reads everything.
    Community,
    /// Social queues and posts; reads everything.
    Social,
    /// Leadership: reads every page and number, changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Community, Role::Social, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Community => "community",
            Role::Social => "social",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::invalid!("role is admin, community, social or viewer, not {s:?}"))
    }

    /// May this role do `what`?
    pub fn may(self, what: Permission) -> bool {
        match what {
            Permission::Read => true,
            Permission::Admin => self == Role::Admin,
            Permission::People => matches!(self, Role::Admin | Role::Community),
            Permission::Posts => matches!(self, Role::Admin | Role::Social),
            Permission::Queue(team) => match self {
                Role::Admin => true,
                Role::Community => team == Team::Community,
                Role::Social => team == Team::Social,
                Role::Viewer => false,
            },
        }
    }
}

/// The two teams whose queues are kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Team {
    Community,
    Social,
}

impl Team {
    /// The team an item kind belongs to (`social:*`, `alert` and `crisis` are social).
    pub fn of_kind(kind: &str) -> Team {
        match crate::queue::team_of(kind) {
            "social" => Team::Social,
            _ => Team::Community,
        }
    }
}

/// One kind of action the role matrix (docs/server.md) decides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Every page and number.
    Read,
    /// Change the state of a queue item of this team.
    Queue(Team),
    /// Merge and split people.
    People,
    /// Write, review, schedule and publish the brand's posts; connect its accounts.
    Posts,
    /// Users, tokens, locks, the audit log, ingest.
    Admin,
}

/// Who is asking: a logged-in user or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    /// `user` or `token`.
    pub kind: &'static str,
    /// The session's CSRF token (sessions only; tokens need none: no browser sends them).
    pub csrf: Option<String>,
}

impl Principal {
    /// The audit log's name for it: `user:NAME` or `token:NAME`.
    pub fn actor(&self) -> String {
        format!("{}:{}", self.kind, self.name)
    }
}

/// Idle and absolute lifetimes of a session, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: i64,
    pub absolute: i64,
}

impl Default for SessionLimits {
    fn default() -> Self {
        SessionLimits {
            idle: 8 * 3600,
            absolute: 7 * 86_400,
        }
    }
}

/// Login throttling, per account (`user:NAME`) and per client address (`addr:IP`). After
/// `SLOW_AFTER` failures of an account within `WINDOW` seconds (`ADDRESS_SLOW_AFTER` for an
/// address, which many people may share) each further try waits longer (1 s, 2 s, 4 s, at
/// most 8 s); at `LOCK_AT` failures an account is locked until an admin clears it, and at
/// `ADDRESS_LOCK_AT` an address is refused until `ADDRESS_LOCK` seconds after its last
/// failure. A good login clears its account's failures.
pub mod throttle {
    pub const SLOW_AFTER: i64 = 3;
    pub const LOCK_AT: i64 = 10;
    pub const ADDRESS_SLOW_AFTER: i64 = 10;
    pub const ADDRESS_LOCK_AT: i64 = 50;
    pub const WINDOW: i64 = 15 * 60;
    pub const ADDRESS_LOCK: i64 = 15 * 60;
    pub const MAX_DELAY_SECONDS: u64 = 8;

    /// How long to wait before answering a login of an account with `failures` recent
    /// failures (for an address, pass `failures - ADDRESS_SLOW_AFTER + SLOW_AFTER`).
    pub fn delay(failures: i64) -> std::time::Duration {
        if failures < SLOW_AFTER {
            return std::time::Duration::ZERO;
        }
        let exp = (failures - SLOW_AFTER).min(3) as u32;
        std::time::Duration::from_secs((1u64 << exp).min(MAX_DELAY_SECONDS))
    }
}

fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A session's CSRF token: derived from the session id (which only the browser holds, in an
/// HttpOnly cookie), so it is never stored and a page of another site cannot know it.
pub fn csrf_of(cookie: &str) -> String {
    secret_hash(&format!("hearth csrf {cookie}"))
}

/// The hex SHA-256 under which a session id or token is stored.
pub fn secret_hash(secret: &str) -> String {
    use sha2::Digest as _;
    hex(&sha2::Sha256::digest(secret.as_bytes()))
}

fn hash_password(password: &str) -> Result<String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::Invalid(format!("no randomness: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Invalid(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Invalid(format!("cannot hash the password: {e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc).is_ok_and(|h| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so that a login with an unknown
/// name takes as long as one with a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c));
    if !ok {
        crate::bail!("a name is 1 to 64 letters, digits or . _ @ -, not {name:?}");
    }
    Ok(())
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < 10 {
        crate::bail!("a password has at least 10 characters");
    }
    if password.len() > 1024 {
        crate::bail!("a password has at most 1024 bytes");
    }
    Ok(())
}

fn now() -> i64 {
    hearth_store::now()
}

pub fn add_user(store: &Store, name: &str, role: Role, password: &str, actor: &str) -> Result<()> {
    check_name(name)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let audit = Change::new(actor, "user.add", name, json!({"role": role.as_str()}));
    match store.add_user(name, role.as_str(), &hash, now(), &audit)? {
        Some(_) => Ok(()),
        None => crate::bail!("there is a user named {name:?} already"),
    }
}

pub fn users(store: &Store) -> Result<Value> {
    Ok(Value::Array(
        store
            .users()?
            .into_iter()
            .map(|u| {
                json!({
                    "name": u.name,
                    "role": u.role,
                    "created_at": hearth_report::iso(u.created_at),
                })
            })
            .collect(),
    ))
}

pub fn remove_user(store: &Store, name: &str, actor: &str) -> Result<()> {
    let audit = Change::new(actor, "user.remove", name, json!({}));
    if !store.remove_user(name, now(), &audit)? {
        return Err(AppError::NotFound(format!("no user named {name:?}")));
    }
    Ok(())
}

/// Sets a new password and ends the user's sessions.
pub fn set_password(store: &Store, name: &str, password: &str, actor: &str) -> Result<()> {
    check_password(password)?;
    let hash = hash_password(password)?;
    let audit = Change::new(actor, "user.passwd", name, json!({}));
    if !store.set_password(name, &hash, now(), &audit)? {
        return Err(AppError::NotFound(format!("no user named {name:?}")));
    }
    Ok(())
}

/// Creates a token and returns it: the only time it is ever shown.
pub fn create_token(store: &Store, name: &str, role: Role, actor: &str) -> Result<String> {
    check_name(name)?;
    let token = format!("hearth_{}", random_hex()?);
    let audit = Change::new(actor, "token.create", name, json!({"role": role.as_str()}));
    match store.add_token(name, role.as_str(), &secret_hash(&token), now(), &audit)? {
        Some(_) => Ok(token),
        None => crate::bail!("there is a token named {name:?} already"),
    }
}

pub fn tokens(store: &Store) -> Result<Value> {
    Ok(Value::Array(
        store
            .tokens()?
            .into_iter()
            .map(|t| {
                json!({
                    "name": t.name,
                    "role": t.role,
                    "created_at": hearth_report::iso(t.created_at),
                    "last_used_at": t.last_used_at.map(hearth_report::iso),
                    "revoked_at": t.revoked_at.map(hearth_report::iso),
                })
            })
            .collect(),
    ))
}

pub fn revoke_token(store: &Store, name: &str, actor: &str) -> Result<()> {
    let audit = Change::new(actor, "token.revoke", name, json!({}));
    if !store.revoke_token(name, now(), &audit)? {
        return Err(AppError::NotFound(format!("no live token named {name:?}")));
    }
    Ok(())
}

/// The principal a bearer token stands for, if it is live.
pub fn token_principal(store: &Store, token: &str) -> Result<Option<Principal>> {
    if !token.starts_with("hearth_") || token.len() > 200 {
        return Ok(None);
    }
    Ok(match store.use_token(&secret_hash(token), now())? {
        Some(t) => Some(Principal {
            name: t.name,
            role: Role::parse(&t.role)?,
            kind: "token",
            csrf: None,
        }),
        None => None,
    })
}

/// How a login ended.
#[derive(Debug)]
pub enum Login {
    /// A new session: the cookie's value and the session's CSRF token.
    Ok {
        cookie: String,
        csrf: String,
        user: Principal,
    },
    /// Wrong name or password (which of the two is not said).
    Refused,
    /// Too many failures: the account or the address is locked.
    Locked { subject: String },
}

/// The wait before answering a login for this name from this address (throttling).
pub fn login_delay(store: &Store, name: &str, addr: &str) -> Result<std::time::Duration> {
    let since = now() - throttle::WINDOW;
    let recent = |row: Option<FailureRow>| {
        row.filter(|r| r.last_at >= since || r.locked_at.is_some())
            .map_or(0, |r| r.failures)
    };
    let account = recent(store.login_failures(&format!("user:{name}"))?);
    let address = recent(store.login_failures(&format!("addr:{addr}"))?)
        - throttle::ADDRESS_SLOW_AFTER
        + throttle::SLOW_AFTER;
    Ok(throttle::delay(account.max(address)))
}

/// Checks a name and password from `addr`; on success opens a session.
pub fn login(store: &Store, name: &str, password: &str, addr: &str) -> Result<Login> {
    let t = now();
    let subjects = [format!("user:{name}"), format!("addr:{addr}")];
    for s in &subjects {
        if let Some(row) = store.login_failures(s)?
            && let Some(locked) = row.locked_at
        {
            let expired = s.starts_with("addr:") && t - row.last_at > throttle::ADDRESS_LOCK;
            if !expired {
                tracing::warn!(subject = %s, locked_at = locked, "login refused: locked");
                return Ok(Login::Locked { subject: s.clone() });
            }
            store.clear_login_failures(s)?;
        }
    }
    let user = store.user(name)?;
    let good = match &user {
        Some(u) => password_matches(password, &u.password_hash),
        None => {
            let _ = password_matches(password, dummy_hash());
            false
        }
    };
    let Some(user) = user.filter(|_| good) else {
        for s in &subjects {
            let lock_at = if s.starts_with("addr:") {
                throttle::ADDRESS_LOCK_AT
            } else {
                throttle::LOCK_AT
            };
            let row = store.add_login_failure(s, t, t - throttle::WINDOW, lock_at)?;
            if row.locked_at == Some(t) {
                store.log_change(
                    &Change::new("hearth", "login.lock", s, json!({"failures": row.failures})),
                    t,
                )?;
            }
        }
        return Ok(Login::Refused);
    };
    store.clear_login_failures(&subjects[0])?;
    let cookie = random_hex()?;
    let csrf = csrf_of(&cookie);
    store.create_session(&secret_hash(&cookie), user.id, t)?;
    Ok(Login::Ok {
        cookie,
        csrf,
        user: Principal {
            name: user.name,
            role: Role::parse(&user.role)?,
            kind: "user",
            csrf: None,
        },
    })
}

/// The user of a session cookie, if the session is live (and marks it used).
pub fn session_principal(
    store: &Store,
    cookie: &str,
    limits: SessionLimits,
) -> Result<Option<Principal>> {
    if cookie.len() != 64 || !cookie.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let t = now();
    let hash = secret_hash(cookie);
    let Some(s) = store.session(&hash)? else {
        return Ok(None);
    };
    if t - s.last_seen > limits.idle || t - s.created_at > limits.absolute {
        store.end_session(&hash)?;
        return Ok(None);
    }
    if t - s.last_seen >= 60 {
        store.touch_session(&hash, t)?;
    }
    Ok(Some(Principal {
        name: s.user.name,
        role: Role::parse(&s.user.role)?,
        kind: "user",
        csrf: Some(csrf_of(cookie)),
    }))
}

pub fn logout(store: &Store, cookie: &str) -> Result<()> {
    store.end_session(&secret_hash(cookie))?;
    Ok(())
}

/// Ends sessions past their limits.
pub fn purge_sessions(store: &Store, limits: SessionLimits) -> Result<()> {
    let t = now();
    store.purge_sessions(t - limits.idle, t - limits.absolute)?;
    Ok(())
}

/// Subjects with failed logins, locked first.
pub fn locks(store: &Store) -> Result<Value> {
    Ok(Value::Array(
        store
            .login_failure_list()?
            .into_iter()
            .map(|r| {
                json!({
                    "subject": r.subject,
                    "failures": r.failures,
                    "last_failure": hearth_report::iso(r.last_at),
                    "locked_at": r.locked_at.map(hearth_report::iso),
                })
            })
            .collect(),
    ))
}

pub fn clear_lock(store: &Store, subject: &str, actor: &str) -> Result<()> {
    if !store.clear_login_failures(subject)? {
        return Err(AppError::NotFound(format!(
            "no failed logins for {subject:?}"
        )));
    }
    store.log_change(
        &Change::new(actor, "login.unlock", subject, json!({})),
        now(),
    )?;
    Ok(())
}

/// The audit log, newest first.
pub fn changes(store: &Store, limit: usize, offset: usize) -> Result<Value> {
    Ok(Value::Array(
        store
            .changes(limit, offset)?
            .into_iter()
            .map(|c| {
                json!({
                    "id": c.id,
                    "time": hearth_report::iso(c.time),
                    "actor": c.change.actor,
                    "action": c.change.action,
                    "target": c.change.target,
                    "detail": c.change.detail,
                })
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(password_matches("correct horse battery", &h));
        assert!(!password_matches("correct horse batterz", &h));
        assert!(!password_matches(
            "correct horse battery",
            "not a phc string"
        ));
    }

    #[test]
    fn throttling_slows_then_caps() {
        assert_eq!(throttle::delay(0).as_secs(), 0);
        assert_eq!(throttle::delay(throttle::SLOW_AFTER).as_secs(), 1);
        assert_eq!(throttle::delay(throttle::SLOW_AFTER + 2).as_secs(), 4);
        assert_eq!(throttle::delay(100).as_secs(), 8);
    }

    #[test]
    fn the_role_matrix() {
        use Permission::*;
        assert!(Role::Viewer.may(Read));
        assert!(!Role::Viewer.may(Queue(Team::Community)));
        assert!(Role::Community.may(Queue(Team::Community)));
        assert!(!Role::Community.may(Queue(Team::Social)));
        assert!(Role::Social.may(Queue(Team::Social)));
        assert!(!Role::Social.may(People));
        assert!(Role::Community.may(People));
        assert!(!Role::Community.may(Admin));
        assert!(Role::Admin.may(Admin) && Role::Admin.may(Queue(Team::Social)));
    }
}
