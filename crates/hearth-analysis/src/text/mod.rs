//! Measures read off message text (the store hands the text in; analysis does no IO).

pub mod intent;
pub mod measures;
pub mod sentiment;
pub mod themes;

/// Whether `word` contains `needle`: for the short words of a message a plain scan, where
/// `str::contains` first builds a searcher for each call.
pub(crate) fn has(word: &str, needle: &[u8]) -> bool {
    word.as_bytes().windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    #[test]
    fn has_is_contains() {
        for (word, needle) in [
            ("http://x", "://"),
            ("a::b", "::"),
            (":/", "://"),
            ("", "::"),
            ("::", "::"),
            ("x:", "::"),
            ("é://", "://"),
        ] {
            assert_eq!(
                super::has(word, needle.as_bytes()),
                word.contains(needle),
                "{word}"
            );
        }
    }
}
