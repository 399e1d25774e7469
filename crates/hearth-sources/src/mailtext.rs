//! The author's own words in an e-mail body.
//!
//! Mailing-list messages repeat what they answer: `>`-quoted lines, an attribution line
//! ("On Tue, Jane wrote:"), a top-posted copy of the original under an Outlook-style header
//! block ("From: … Sent: …"), and the list's footer. Counting those again would double every
//! word in sentiment and themes, and would keep copies of other people's text (which matters
//! when a member asks to be erased). So the store keeps only what the author wrote:
//!
//! 1. list footers are dropped: a line ending in 20+ underscores followed by a line that
//!    says "mailing list", up to the next blank line, four lines at most (quoted ones go with their quote;
//!    text before the underscores on the same line stays);
//! 2. a quoted original is cut, from its first line to the end: `-----Original Message-----`,
//!    `---------- Forwarded message`, or a `From:` line (also `*From:*`, `Von:`, `De :`,
//!    `보낸 사람:`) with a `Sent:`/`Date:` line (or their translations) within the next four
//!    lines; an underscore line right above it goes too. When nothing but the original
//!    would be left (a bare forward of one's own question), it is kept;
//! 3. lines whose first non-blank character is `>` are dropped, so are forum-gateway quote
//!    blocks (`<quote author=…>` … `</quote>`), and so is the attribution
//!    line (or two wrapped lines) ending in `wrote:` (`schrieb:`, `a écrit :`) right before
//!    them;
//! 4. leading and trailing blank lines are trimmed.
//!
//! Inline answers between quotes are kept. The export itself keeps the full original.

const HEADER_FROM: &[&str] = &["from:", "*from:*", "von:", "de :", "de:", "보낸 사람:"];
const HEADER_SENT: &[&str] = &[
    "sent:",
    "*sent:*",
    "date:",
    "*date:*",
    "gesendet:",
    "envoyé :",
    "envoyé:",
    "보낸 날짜:",
];
const ATTRIBUTION_END: &[&str] = &["wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:"];

fn is_underscores(line: &str) -> bool {
    if !line.trim_end().ends_with('_') {
        return false;
    }
    let t = line.trim();
    t.len() >= 20 && t.bytes().all(|b| b == b'_')
}

/// First non-blank byte of a line (0 for a blank line).
fn first_byte(line: &str) -> u8 {
    line.bytes()
        .find(|b| *b != b' ' && *b != b'\t')
        .unwrap_or(0)
}

/// ASCII-case-insensitive `ends_with` for the attribution endings.
fn ends_with_ci(line: &str, suffix: &str) -> bool {
    let (l, s) = (line.as_bytes(), suffix.as_bytes());
    l.len() >= s.len() && l[l.len() - s.len()..].eq_ignore_ascii_case(s)
}

/// For a line ending in 20+ underscores, the text before them.
fn underscore_tail(line: &str) -> Option<&str> {
    if !line.ends_with('_') && !line.trim_end().ends_with('_') {
        return None;
    }
    let t = line.trim_end();
    let text = t.trim_end_matches('_');
    (t.len() - text.len() >= 20).then_some(text)
}

fn starts_with_any(line: &str, prefixes: &[&str]) -> bool {
    // Every prefix starts with one of these bytes (case folded); most lines start otherwise.
    if !matches!(
        first_byte(line).to_ascii_lowercase(),
        b'f' | b'*' | b'v' | b'd' | b's' | b'g' | b'e' | 0xeb
    ) {
        return false;
    }
    let t = line.trim_start();
    prefixes.iter().any(|p| {
        t.len() >= p.len() && t.is_char_boundary(p.len()) && t[..p.len()].eq_ignore_ascii_case(p)
    })
}

fn is_quote(line: &str) -> bool {
    first_byte(line) == b'>'
}

/// Returns the author's own words (see the module documentation for the rules).
pub fn own_words(body: &str) -> String {
    // Split on '\n' with the SIMD search (str::lines is much slower on long bodies).
    let mut lines: Vec<&str> = Vec::with_capacity(body.len() / 40 + 1);
    let mut from = 0;
    for nl in memchr::memchr_iter(b'\n', body.as_bytes()) {
        lines.push(body[from..nl].strip_suffix('\r').unwrap_or(&body[from..nl]));
        from = nl + 1;
    }
    if from < body.len() {
        lines.push(body[from..].strip_suffix('\r').unwrap_or(&body[from..]));
    }
    let mut end = lines.len();

    // 1. list footers (also copies of them inside unmarked quotes)
    let mut keep = vec![true; end];
    // A footer glued to the end of a text line keeps the text before its underscores.
    let mut shortened: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    while i + 1 < end {
        let glued = underscore_tail(lines[i]);
        if glued.is_some()
            && !is_quote(lines[i])
            && lines[i + 1].to_ascii_lowercase().contains("mailing list")
        {
            // A footer is at most four lines (Mailman 2: rule, name, address, URL).
            let limit = end.min(i + 4);
            let stop = (i + 2..limit)
                .find(|&j| lines[j].trim_start_matches(['>', ' ', '\t']).is_empty())
                .unwrap_or(limit);
            keep[i..stop].iter_mut().for_each(|k| *k = false);
            if let Some(text) = glued.filter(|t| !t.trim().is_empty()) {
                keep[i] = true;
                shortened.push((i, text));
            }
            i = stop;
        } else {
            i += 1;
        }
    }

    // 2. a quoted original
    let scan_end = end;
    for i in 0..scan_end {
        let first = first_byte(lines[i]);
        if first != b'-' && !starts_with_any(lines[i], HEADER_FROM) {
            continue;
        }
        let t = lines[i].trim();
        let original = t.starts_with("-----Original Message-----")
            || t.starts_with("-------- Original Message")
            || t.starts_with("---------- Forwarded message")
            || (starts_with_any(lines[i], HEADER_FROM)
                && lines[i + 1..scan_end.min(i + 5)]
                    .iter()
                    .any(|l| starts_with_any(l, HEADER_SENT)));
        if original {
            let cut = if i > 0 && is_underscores(lines[i - 1]) {
                i - 1
            } else {
                i
            };
            // A bare forward ("Fwd: my unanswered question") is the author's message: keep it.
            if lines[..cut]
                .iter()
                .any(|l| !l.trim().is_empty() && !is_quote(l))
            {
                end = cut;
            }
            break;
        }
    }

    // 3. quotes and their attribution
    keep.truncate(end);
    let mut in_quote_block = false;
    for i in 0..end {
        // Forum gateways (Nabble) wrap quotes in <quote author='…'> … </quote>.
        let first = first_byte(lines[i]);
        if first == b'<' && lines[i].trim_start().starts_with("<quote author=") {
            in_quote_block = true;
        }
        if in_quote_block {
            let t = lines[i].trim_start();
            keep[i] = false;
            if t.starts_with("</quote>") {
                in_quote_block = false;
            }
            continue;
        }
        if first == b'>' {
            keep[i] = false;
            continue;
        }
        let line = lines[i].trim_end();
        if line.ends_with(':') && ATTRIBUTION_END.iter().any(|e| ends_with_ci(line, e)) {
            let next = (i + 1..end).find(|&j| !lines[j].trim().is_empty());
            if next.is_some_and(|j| is_quote(lines[j])) {
                keep[i] = false;
                // "On <date>, Name <" wrapped before "addr> wrote:"
                if i > 0 && !line.starts_with("On ") && keep[i - 1] {
                    let prev = lines[i - 1].trim_start();
                    if ["On ", "Am ", "Le ", "El "]
                        .iter()
                        .any(|p| prev.starts_with(p))
                    {
                        keep[i - 1] = false;
                    }
                }
            }
        }
    }

    // 4. trim blank lines at both ends
    let line = |i: usize| {
        shortened
            .iter()
            .find(|(j, _)| *j == i)
            .map_or(lines[i], |(_, t)| *t)
    };
    let kept: Vec<&str> = (0..end).filter(|&i| keep[i]).map(line).collect();
    let first = kept.iter().position(|l| !l.trim().is_empty());
    let last = kept.iter().rposition(|l| !l.trim().is_empty());
    match (first, last) {
        (Some(a), Some(b)) => {
            let mut out = kept[a..=b].join("\n");
            out.push('\n');
            out
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::own_words;

    #[test]
    fn quotes_attribution_and_footer_go() {
        let body = "Hi Rob,\n\nYes, use the DMA FIFO.\n\nOn Wed, Jan 7, 2026 at 8:33 AM Anderseck, Martin via USRP-users <\nusrp-users@lists.ettus.com> wrote:\n\n> Hi Rob,\n> We only have\n\n_______________________________________________\nUSRP-users mailing list -- usrp-users@lists.ettus.com\nTo unsubscribe send an email to usrp-users-leave@lists.ettus.com\n";
        assert_eq!(own_words(body), "Hi Rob,\n\nYes, use the DMA FIFO.\n");
    }

    #[test]
    fn a_footer_glued_to_text_keeps_the_text() {
        let body = "See Setting_Up_______________________________________________\nUSRP-users mailing list -- usrp-users@lists.ettus.com\nTo unsubscribe send an email\n";
        assert_eq!(own_words(body), "See Setting_Up\n");
    }

    #[test]
    fn a_quoted_footer_does_not_swallow_the_answer() {
        let body = "On Mon, Ann wrote:\n> question\n> ____________________________\n> X mailing list\n> X@example.org\nThe answer.\n\n____________________________\nX mailing list\nX@example.org\nhttp://example.org/x\n";
        assert_eq!(own_words(body), "The answer.\n");
    }

    #[test]
    fn inline_answers_stay() {
        let body = "Jane wrote:\n> question one?\nanswer one\n> question two?\nanswer two\n";
        assert_eq!(own_words(body), "answer one\nanswer two\n");
    }

    #[test]
    fn outlook_quoted_original_goes() {
        let body = "Thanks, that fixed it.\n\n________________________________\nFrom: Rob Kossler <rkossler@nd.edu>\nSent: Tuesday, January 27, 2026 11:15 AM\nTo: Eugene\nSubject: Re: TX DRAM buffer\n\nI think that you need ...\n";
        assert_eq!(own_words(body), "Thanks, that fixed it.\n");
    }

    #[test]
    fn a_bare_forward_keeps_what_it_forwards() {
        let body = "---------- Forwarded message ---------\nFrom: Ann <ann@example.org>\nDate: Mon, 2 Dec 2019\nSubject: overflow\n\nHow do I avoid overflows?\n";
        assert!(own_words(body).contains("How do I avoid overflows?"));
    }

    #[test]
    fn a_line_that_only_mentions_from_stays() {
        let body = "From: the docs, this should work.\nIt does.\n";
        assert_eq!(own_words(body), body);
    }

    #[test]
    fn nothing_left_is_empty() {
        assert_eq!(own_words("> only a quote\n"), "");
        assert_eq!(own_words(""), "");
    }
}
