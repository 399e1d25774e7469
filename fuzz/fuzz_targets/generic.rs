//! The generic `jsonl` and `csv` readers on arbitrary bytes: never panic, always conform.
#![no_main]

use hearth_sources::conformance;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let jsonl = Path::new("x.jsonl");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
        hearth_sources::jsonl::read_lines(jsonl, input, sink)
    };
    if let Err(e) = conformance::check_stream(jsonl, data, read, true) {
        panic!("jsonl conformance: {e}");
    }
    let csv = Path::new("x.csv");
    let read = |input: &mut dyn std::io::BufRead, sink: &mut conformance::CollectSink| {
        hearth_sources::csv::read_csv(csv, input, sink)
    };
    if let Err(e) = conformance::check_stream(csv, data, read, true) {
        panic!("csv conformance: {e}");
    }
});
