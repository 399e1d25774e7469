//! A `kill -9` during ingest leaves a consistent store as it was after its last committed
//! batch; reading the same export again completes it, adding nothing twice.

mod common;

use common::{VENDOR_RULES, data_dir, json, usrp_users};
use hearth_store::Store;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn kill_during_ingest_loses_only_the_batch_in_flight() {
    let archive = usrp_users();
    let mut interrupted = 0;
    // The delays only choose where the kill lands; every assertion holds wherever it does.
    for delay_ms in [50, 150, 300, 600, 1200] {
        let dir = data_dir(Some(VENDOR_RULES));
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("--data")
            .arg(dir.path())
            .args(["--quiet", "ingest", "mbox"])
            .arg(&archive)
            .env("HEARTH_INGEST_BATCH", "500")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no destructor, no rollback by the process itself
        let _ = child.wait();

        if !dir.path().join(hearth_store::STORE_FILE).exists() {
            continue; // killed before the store was created
        }
        let store = Store::open(dir.path()).expect("store opens after a kill");
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
        let kept = store.message_count().expect("count");
        drop(store);
        if kept > 0 && kept < 11_385 {
            interrupted += 1;
            eprintln!("killed after {delay_ms} ms with {kept} messages committed");
        }

        let again = json(
            dir.path(),
            &["ingest", "mbox", archive.to_str().expect("utf-8"), "--json"],
        );
        assert_eq!(
            again["added"].as_u64(),
            Some(11_385 - kept),
            "delay {delay_ms} ms"
        );
        let report = json(dir.path(), &["report", "--json"]);
        assert_eq!(report["messages"], 11_385);
        assert_eq!(report["interactions"]["member_to_member"], 5_349);
        let store = Store::open(dir.path()).expect("store");
        assert_eq!(store.check().expect("check"), Vec::<String>::new());
    }
    assert!(interrupted > 0, "no kill landed in the middle of an ingest");
}
