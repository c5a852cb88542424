//! How deeply a JSON text nests, without parsing it.
//!
//! Validating a body with `serde::de::IgnoredAny` has no depth limit, so a hostile answer of
//! 200,000 `[` passes and then breaks the parser of whoever reads it next (Python's `json.loads`
//! raises `RecursionError`). Bodies handed on are therefore held to serde_json's own limit for
//! typed parsing, so whatever passes here also parses into a [`serde_json::Value`].

/// serde_json's recursion limit: a text nested this deep (or deeper) is refused by its typed
/// parsing (`[[…]]` with 127 levels parses, 128 does not), and by this crate before it is handed on.
pub(crate) const MAX_JSON_DEPTH: usize = 128;

/// Whether `text` nests arrays and objects [`MAX_JSON_DEPTH`] levels deep or more. Brackets inside
/// strings (escapes included) do not count. One pass over the bytes, stopping at the first
/// level too deep; no allocation.
pub(crate) fn too_deep(text: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX_JSON_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn the_bound_is_exactly_serde_jsons() {
        let ok = nested(MAX_JSON_DEPTH - 1);
        assert!(!too_deep(ok.as_bytes()));
        assert!(serde_json::from_str::<serde_json::Value>(&ok).is_ok());
        let deep = nested(MAX_JSON_DEPTH);
        assert!(too_deep(deep.as_bytes()));
        let err = serde_json::from_str::<serde_json::Value>(&deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
        assert!(too_deep(nested(200_000).as_bytes()));
    }

    #[test]
    fn objects_count_and_brackets_in_strings_do_not() {
        let objects = format!("{}1{}", r#"{"a":"#.repeat(MAX_JSON_DEPTH), "}".repeat(MAX_JSON_DEPTH));
        assert!(too_deep(objects.as_bytes()));
        let in_string = format!(r#"{{"s":"{}","t":"\"[[\\"}}"#, "[{".repeat(500));
        assert!(!too_deep(in_string.as_bytes()));
        assert!(serde_json::from_str::<serde_json::Value>(&in_string).is_ok());
        // An escaped backslash ends before the quote: the string closes and the brackets count.
        let after = format!(r#"["\\",{}{}]"#, "[".repeat(MAX_JSON_DEPTH), "]".repeat(MAX_JSON_DEPTH));
        assert!(too_deep(after.as_bytes()));
        // Siblings do not add up.
        let wide = format!("[{}]", vec![nested(100); 50].join(","));
        assert!(!too_deep(wide.as_bytes()));
    }
}
