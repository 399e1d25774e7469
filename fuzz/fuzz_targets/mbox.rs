//! The mbox reader on arbitrary bytes: never panics, always conforms (unique ids, author and
//! time on every message, diagnostics inside the input), whatever the chunk size.
#![no_main]

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::mbox::MboxReader;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let name = Path::new("fuzz.mbox");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut CollectSink| {
        MboxReader.read_stream(name, input, sink)
    };
    let whole = match conformance::check_stream(name, data, read, true) {
        Ok(sink) => sink,
        Err(e) => panic!("conformance: {e}"),
    };
    // Chunk boundaries never change the result.
    let chunk = 1 + data.first().copied().unwrap_or(0) as usize % 97;
    let mut small = CollectSink::default();
    MboxReader
        .read_chunked(Path::new("fuzz.mbox"), &mut &data[..], &mut small, chunk)
        .expect("in-memory reads cannot fail");
    assert!(small.messages == whole.messages);
    assert!(small.diagnostics == whole.diagnostics);
});
