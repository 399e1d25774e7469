//! The Stack Exchange reader on arbitrary bytes as each kind of dump file: never panics,
//! always conforms. The first byte chooses the file kind.
#![no_main]

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::stackexchange::read_file_bytes;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const KINDS: &[&str] = &["Posts.xml", "Comments.xml", "Users.xml", "PostHistory.xml"];

fuzz_target!(|data: &[u8]| {
    let kind = KINDS[data.first().copied().unwrap_or(0) as usize % KINDS.len()];
    let path = Path::new("dump").join(kind);
    let read = |_: &mut dyn std::io::BufRead, sink: &mut CollectSink| {
        read_file_bytes("site", kind, &path, data, sink)
    };
    // Arbitrary input may repeat a row id; the store drops repeats, so they are allowed here.
    if let Err(e) = conformance::check_stream(&path, data, read, true) {
        panic!("conformance: {e}");
    }
});
