//! The GitHub reader on arbitrary bytes: never panics, always conforms.
#![no_main]

use hearth_sources::conformance;
use hearth_sources::github::read_json;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("gh.json");
    // Different objects can name the same issue; the store drops repeats.
    if let Err(e) =
        conformance::check_stream(path, data, |_, sink| read_json(path, data, sink), true)
    {
        panic!("conformance: {e}");
    }
});
