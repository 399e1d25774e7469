//! A real AT Protocol network on loopback for the Bluesky tests: `@atproto/dev-env` from the
//! npm registry, installed by `scripts/setup-pds.sh` and started by `scripts/pds/start.mjs`
//! (PDS and PLC; with the AppView also a private PostgreSQL and Redis). Stopped when dropped.

use super::repo;
use serde_json::{Value, json};
use std::io::{BufRead as _, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

pub struct Pds {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    pub base: String,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Pds {
    /// The PDS and PLC directory.
    pub fn start() -> Pds {
        Pds::launch(false)
    }

    /// The PDS and PLC with the AppView (replies, mentions, counts, notifications).
    pub fn with_appview() -> Pds {
        Pds::launch(true)
    }

    fn launch(appview: bool) -> Pds {
        let mut setup = Command::new("bash");
        setup.arg(repo().join("scripts/setup-pds.sh"));
        if appview {
            setup.arg("--appview");
        }
        let out = setup.output().expect("run scripts/setup-pds.sh");
        assert!(
            out.status.success(),
            "scripts/setup-pds.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cmd = String::from_utf8_lossy(&out.stdout);
        let mut words = cmd.split_whitespace();
        let node = words.next().expect("node").to_owned();
        let script = words.next().expect("script").to_owned();
        let mut command = Command::new(node);
        command
            .arg(script)
            .arg(free_port().to_string())
            .arg(free_port().to_string());
        if appview {
            command.arg("--appview").arg(free_port().to_string());
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the network");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(180))
            .expect("the network printed its addresses");
        let addresses: Value = serde_json::from_str(&first).expect("json");
        Pds {
            stdin: child.stdin.take(),
            child,
            lines,
            base: addresses["pds"].as_str().expect("pds").to_owned(),
        }
    }

    /// Waits until the AppView has indexed everything the PDS holds.
    pub fn process(&mut self) {
        let stdin = self.stdin.as_mut().expect("stdin");
        writeln!(stdin, "process").expect("ask the network");
        stdin.flush().expect("flush");
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the network answered");
        assert!(line.contains("\"processed\":true"), "{line}");
    }

    pub fn call(&self, method: &str, auth: Option<&str>, body: Option<&Value>) -> Value {
        let url = format!("{}/xrpc/{method}", self.base);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let resp = match body {
            Some(b) => {
                let mut r = agent.post(&url).content_type("application/json");
                if let Some(a) = auth {
                    r = r.header("Authorization", &format!("Bearer {a}"));
                }
                r.send(serde_json::to_vec(b).expect("json"))
            }
            None => {
                let mut r = agent.get(&url);
                if let Some(a) = auth {
                    r = r.header("Authorization", &format!("Bearer {a}"));
                }
                r.call()
            }
        };
        let mut resp = resp.expect("the PDS answers");
        let status = resp.status().as_u16();
        let text = resp.body_mut().read_to_string().expect("body");
        assert!(status < 300, "{method}: {status} {text}");
        if text.trim().is_empty() {
            return Value::Null;
        }
        serde_json::from_str(&text).expect("json answer")
    }

    /// A new account: (did, access token).
    pub fn account(&self, handle: &str) -> (String, String) {
        let v = self.call(
            "com.atproto.server.createAccount",
            None,
            Some(&json!({"handle": handle, "email": format!("{handle}@example.org"), "password": "a password for the test"})),
        );
        (
            v["did"].as_str().expect("did").to_owned(),
            v["accessJwt"].as_str().expect("jwt").to_owned(),
        )
    }

    /// An app password of the account (what Hearth is given).
    pub fn app_password(&self, jwt: &str) -> String {
        let app = self.call(
            "com.atproto.server.createAppPassword",
            Some(jwt),
            Some(&json!({"name": "hearth"})),
        );
        app["password"].as_str().expect("app password").to_owned()
    }

    /// Writes a record as the account; (uri, cid).
    pub fn create(
        &self,
        did: &str,
        jwt: &str,
        collection: &str,
        record: Value,
    ) -> (String, String) {
        let v = self.call(
            "com.atproto.repo.createRecord",
            Some(jwt),
            Some(&json!({"repo": did, "collection": collection, "record": record})),
        );
        (
            v["uri"].as_str().expect("uri").to_owned(),
            v["cid"].as_str().expect("cid").to_owned(),
        )
    }

    /// `hearth connect bluesky HANDLE` to this PDS with the account's app password.
    pub fn connect(&self, data: &std::path::Path, handle: &str, password: &str) {
        let (code, _, err) = super::hearth_with(
            data,
            &[
                "connect",
                "bluesky",
                handle,
                "--service",
                &self.base,
                "--password-stdin",
            ],
            &format!("{password}\n"),
            &[],
        );
        assert_eq!(code, 0, "{err}");
    }

    pub fn posts(&self, did: &str) -> Vec<Value> {
        self.call(
            &format!(
                "com.atproto.repo.listRecords?repo={did}&collection=app.bsky.feed.post&limit=100"
            ),
            None,
            None,
        )["records"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

impl Drop for Pds {
    fn drop(&mut self) {
        // Closing its input stops the network (and its databases) cleanly.
        drop(self.stdin.take());
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
