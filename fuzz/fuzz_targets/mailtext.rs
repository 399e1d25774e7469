//! Own-words extraction on arbitrary text: never panics, never grows the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let own = hearth_sources::mailtext::own_words(&text);
    assert!(own.len() <= text.len() + 1);
});
