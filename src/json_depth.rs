//! Checking a JSON text before it is handed on: one value, valid, and nested less deeply than
//! serde_json's limit.
//!
//! Validating a body with `serde::de::IgnoredAny` has no depth limit (serde_json skips ignored
//! values without recursing), so a hostile answer of 200,000 `[` passes and then breaks the parser
//! of whoever reads it next (Python's `json.loads` raises `RecursionError`). [`check`] walks the
//! text through serde_json's typed path instead, which holds it to the same limit as parsing into
//! a [`serde_json::Value`]: validity and depth in one pass, without building anything (a
//! 639-byte agent costs about a third of a separate depth scan plus validation).

/// serde_json's recursion limit: a text nested this deep (or deeper) is refused by its typed
/// parsing (`[[…]]` with 127 levels parses, 128 does not), and by this crate before it is handed on.
pub(crate) const MAX_JSON_DEPTH: usize = 128;

/// Why [`check`] refused a text.
#[derive(Debug)]
pub(crate) enum JsonProblem {
    /// Arrays and objects nest [`MAX_JSON_DEPTH`] levels deep or more.
    TooDeep,
    /// Not one JSON value (the parser's message).
    Invalid(serde_json::Error),
}

/// Whether `text` is one valid JSON value nested less than [`MAX_JSON_DEPTH`] levels deep
/// (brackets inside strings do not count). One pass; allocates nothing for a text without
/// escapes in its strings.
pub(crate) fn check(text: &str) -> Result<(), JsonProblem> {
    match serde_json::from_str::<Checked>(text) {
        Ok(Checked) => Ok(()),
        // serde_json has no public error code for this; tests pin the message.
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => Err(JsonProblem::TooDeep),
        Err(e) => Err(JsonProblem::Invalid(e)),
    }
}

/// Whether `text` nests too deeply (valid or not, as far as it was read).
#[cfg(test)]
fn too_deep(text: &[u8]) -> bool {
    matches!(check(&String::from_utf8_lossy(text)), Err(JsonProblem::TooDeep))
}

/// Any JSON value, read through `deserialize_any` (which counts depth), kept as nothing.
struct Checked;

impl<'de> serde::Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Checked, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> serde::de::Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }
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
