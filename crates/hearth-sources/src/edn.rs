//! A small reader for the EDN files some Slack archivers write (`users.edn`, `channels.edn`):
//! it finds every map and keeps its scalar values (strings, booleans, numbers, keywords),
//! with namespaced-map keys (`#:channel{:name …}`) expanded to `channel/name`. Nested
//! collections are passed over. Not a general EDN parser.

use std::collections::HashMap;

/// A scalar EDN value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Str(String),
    Bool(bool),
    Num(f64),
    Keyword(String),
    Nil,
}

impl Scalar {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

struct Frame {
    /// `Some` for a map (with its namespace, if `#:ns{`), `None` for a list or vector.
    map: Option<(Option<String>, HashMap<String, Scalar>)>,
    key: Option<String>,
}

/// Every map in `text` whose parent is not a map (the records), in order.
pub fn maps(text: &str) -> Vec<HashMap<String, Scalar>> {
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    // A value arrived for the current map frame.
    fn put(stack: &mut [Frame], value: Option<Scalar>) {
        let Some(frame) = stack.last_mut() else {
            return;
        };
        let Some((ns, map)) = frame.map.as_mut() else {
            return;
        };
        match frame.key.take() {
            None => {
                if let Some(Scalar::Keyword(k)) = value {
                    let k = match (ns, k.contains('/')) {
                        (Some(ns), false) => format!("{ns}/{k}"),
                        _ => k,
                    };
                    frame.key = Some(k);
                }
            }
            Some(k) => {
                if let Some(v) = value {
                    map.insert(k, v);
                }
            }
        }
    }
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b';' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'#' if b.get(i + 1) == Some(&b':') => {
                let start = i + 2;
                let mut j = start;
                while j < b.len() && b[j] != b'{' && !b[j].is_ascii_whitespace() {
                    j += 1;
                }
                let ns = text[start..j].to_owned();
                i = j + 1;
                stack.push(Frame {
                    map: Some((Some(ns), HashMap::new())),
                    key: None,
                });
            }
            b'{' => {
                i += 1;
                stack.push(Frame {
                    map: Some((None, HashMap::new())),
                    key: None,
                });
            }
            b'(' | b'[' => {
                i += 1;
                stack.push(Frame {
                    map: None,
                    key: None,
                });
            }
            b'#' if b.get(i + 1) == Some(&b'{') => {
                i += 2;
                stack.push(Frame {
                    map: None,
                    key: None,
                });
            }
            b'}' | b')' | b']' => {
                i += 1;
                if let Some(frame) = stack.pop() {
                    let parent_is_map = stack.last().is_some_and(|f| f.map.is_some());
                    if let (Some((_, map)), false) = (frame.map, parent_is_map) {
                        out.push(map);
                    }
                    // A collection as a value: the pending key gets nothing.
                    put(&mut stack, None);
                }
            }
            b'"' => {
                let mut s = String::new();
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    if b[j] == b'\\' && j + 1 < b.len() {
                        // The escaped character may be several bytes long.
                        let ch = text[j + 1..].chars().next().unwrap_or(' ');
                        s.push(match ch {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                        j += 1 + ch.len_utf8();
                    } else {
                        let ch = text[j..].chars().next().unwrap_or(' ');
                        s.push(ch);
                        j += ch.len_utf8();
                    }
                }
                i = j + 1;
                put(&mut stack, Some(Scalar::Str(s)));
            }
            _ => {
                let start = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !matches!(b[i], b',' | b'{' | b'}' | b'(' | b')' | b'[' | b']' | b'"')
                {
                    i += 1;
                }
                let token = &text[start..i];
                let value = match token {
                    "true" => Scalar::Bool(true),
                    "false" => Scalar::Bool(false),
                    "nil" => Scalar::Nil,
                    t if t.starts_with(':') => Scalar::Keyword(t[1..].to_owned()),
                    t => match t.parse::<f64>() {
                        Ok(n) => Scalar::Num(n),
                        Err(_) => Scalar::Str(t.to_owned()),
                    },
                };
                if i == start {
                    i += 1; // never stall on an unexpected byte
                } else {
                    put(&mut stack, Some(value));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_with_namespaces_and_nested_values() {
        let text = r#"(#:channel{:slack-id "C1", :name "re-frame", :creator [:user/slack-id "U9"]}
 {:user/slack-id "U1" :user/admin? true :user-profile/email "a@example.com" :n 3}
 ; comment
 {:user/slack-id "U2" :user/admin? false :user/name "b \"q\""})"#;
        let m = maps(text);
        assert_eq!(m.len(), 3);
        assert_eq!(m[0]["channel/slack-id"].as_str(), Some("C1"));
        assert_eq!(m[0]["channel/name"].as_str(), Some("re-frame"));
        assert!(!m[0].contains_key("channel/creator"));
        assert_eq!(m[1]["user/admin?"].as_bool(), Some(true));
        assert_eq!(m[2]["user/name"].as_str(), Some("b \"q\""));
    }

    #[test]
    fn garbage_does_not_panic() {
        for t in [
            "{",
            "}",
            "#:",
            "(\"",
            "{:a",
            "#:x{:a \"\\",
            "é{:é é}",
            "{:a \"\\é\"}",
        ] {
            let _ = maps(t);
        }
    }
}
