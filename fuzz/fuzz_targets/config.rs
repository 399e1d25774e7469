//! The `hearth.toml` loader on arbitrary text: never panics; a text it accepts is one every
//! consumer of the rules can use (role decisions, the prepared metrics context).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = hearth_app::config::parse(text) {
        let snapshot = hearth_model::Snapshot::default();
        let _ = hearth_analysis::decide_roles(&snapshot.persons, &config.roles);
    }
});
