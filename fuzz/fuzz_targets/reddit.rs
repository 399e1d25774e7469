//! The Reddit NDJSON reader on arbitrary bytes: never panics, always conforms.
#![no_main]

use hearth_sources::conformance;
use hearth_sources::reddit::read_lines;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("RC.ndjson");
    if let Err(e) = conformance::check_stream(
        path,
        data,
        |input, sink| read_lines(path, input, sink),
        true,
    ) {
        panic!("conformance: {e}");
    }
});
