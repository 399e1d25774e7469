//! The Telegram export reader on arbitrary bytes: never panics, always conforms.
#![no_main]

use hearth_sources::conformance;
use hearth_sources::telegram::read_export;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("result.json");
    if let Err(e) = conformance::check_stream(
        path,
        data,
        |input, sink| read_export(path, input, sink),
        true,
    ) {
        panic!("conformance: {e}");
    }
});
