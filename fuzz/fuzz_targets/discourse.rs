//! The Discourse topic reader on arbitrary bytes: never panics, always conforms.
#![no_main]

use hearth_sources::conformance;
use hearth_sources::discourse::read_topic;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("forum/topic.json");
    // A topic may list a post twice; the store drops repeats.
    if let Err(e) =
        conformance::check_stream(path, data, |_, sink| read_topic(path, data, sink), true)
    {
        panic!("conformance: {e}");
    }
});
