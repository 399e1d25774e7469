//! The Slack event-line reader and the EDN reader on arbitrary bytes: never panic, always
//! conform.
#![no_main]

use hearth_sources::conformance::{self, CollectSink};
use hearth_sources::slack::read_event_lines;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("logs/day.txt");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut CollectSink| {
        read_event_lines(path, input, sink)
    };
    // Event logs may repeat an event; the store drops repeats.
    if let Err(e) = conformance::check_stream(path, data, read, true) {
        panic!("conformance: {e}");
    }
    let _ = hearth_sources::edn::maps(&String::from_utf8_lossy(data));
});
