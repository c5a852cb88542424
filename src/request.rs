//! A request to one operation: path parameters, query, JSON body, files and a deadline; and the
//! wire form every language sends (`{"path":{…},"query":{…},"body":…,"files":[…],"timeout_ms":…}`).
//!
//! This module also turns a request into a URL (path parameters percent-encoded as one segment
//! each, so an id can never change the route) and into body bytes (JSON or multipart).

use crate::cancel::CancelToken;
use crate::error::{Error, Result};
use crate::multipart::{self, FilePart};
use crate::operations::BodyKind;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::time::Duration;

/// What to send to an operation. Every part is optional.
///
/// ```
/// use trillet::Request;
/// let req = Request::new()
///     .path_param("agentId", "665a1b2c3d4e5f6a7b8c9d0e")
///     .query("page", 2)
///     .json(&serde_json::json!({"name": "Support"}));
/// assert_eq!(req.path_params()[0].1, "665a1b2c3d4e5f6a7b8c9d0e");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Request {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<Box<RawValue>>,
    files: Vec<FilePart>,
    timeout: Option<Duration>,
    cancel: Option<CancelToken>,
    deferred_error: Option<Error>,
}

impl Request {
    /// An empty request.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a path parameter (`agentId`, `roomName`, ...) by its name in the path template.
    pub fn path_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.path.retain(|(n, _)| *n != name);
        self.path.push((name, value.into()));
        self
    }

    /// Adds a query parameter. Adding the same name twice sends it twice.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Sets the JSON body from any serializable value.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::value::to_raw_value(body) {
            Ok(raw) => self.body = Some(raw),
            Err(e) => {
                self.deferred_error = Some(Error::invalid("invalid_body", format!("body is not serializable: {e}")))
            }
        }
        self
    }

    /// Sets the JSON body from JSON text, which is sent byte for byte. Fails if it is not JSON.
    pub fn json_text(mut self, text: &str) -> Result<Self> {
        let raw = RawValue::from_string(text.to_string()).map_err(|e| {
            Error::invalid("invalid_json", format!("body is not valid JSON: {}", crate::error::plain_json_error(&e)))
        })?;
        self.body = Some(raw);
        Ok(self)
    }

    /// Adds a file to a multipart upload.
    pub fn file(mut self, file: FilePart) -> Self {
        self.files.push(file);
        self
    }

    /// Overrides the client's whole-request deadline for this request.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Lets `token` stop this request while it runs (see [`CancelToken`]); a token cancelled
    /// before the request starts fails it at once, before anything is sent.
    pub fn cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    /// The cancel token given with [`cancel`](Request::cancel), if any.
    pub fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The path parameters set so far.
    pub fn path_params(&self) -> &[(String, String)] {
        &self.path
    }

    /// The query parameters set so far.
    pub fn query_params(&self) -> &[(String, String)] {
        &self.query
    }

    /// The JSON body text, if any.
    pub fn body_text(&self) -> Option<&str> {
        self.body.as_deref().map(RawValue::get)
    }

    /// The files attached.
    pub fn files(&self) -> &[FilePart] {
        &self.files
    }

    /// The per-request deadline, if set.
    pub fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    /// Parses the wire form shared by every language:
    /// `{"path":{…},"query":{…},"body":…,"files":[…],"timeout_ms":…}`. Every key is optional; an
    /// empty string or `null` reads as `{}`. Unknown keys are refused so a typo loses nothing
    /// silently. The body is kept byte for byte.
    pub fn from_json(text: &str) -> Result<Request> {
        if text.trim().is_empty() || text.trim() == "null" {
            return Ok(Request::new());
        }
        let wire: Wire<'_> = serde_json::from_str(text).map_err(|e| {
            Error::invalid(
                "invalid_request_json",
                format!("request is not a valid request object: {}", crate::error::plain_json_error(&e)),
            )
        })?;
        let mut req = Request::new();
        for (name, value) in wire.path.map(|p| p.0).unwrap_or_default() {
            let value = value.ok_or_else(|| {
                Error::invalid("invalid_path_param", format!("path parameter {name:?} must be a string or number"))
            })?;
            req = req.path_param(name, value);
        }
        for (name, value) in wire.query.unwrap_or_default() {
            push_query(&mut req.query, &name, &value)?;
        }
        req.body = wire.body.filter(|b| b.get() != "null").map(RawValue::to_owned);
        for f in wire.files.unwrap_or_default() {
            req.files.push(FilePart::from_wire(f)?);
        }
        req.timeout = match wire.timeout_ms {
            Some(0) => return Err(Error::invalid("invalid_timeout", "timeout_ms must be greater than zero")),
            Some(ms) => Some(Duration::from_millis(ms)),
            None => None,
        };
        Ok(req)
    }

    /// Like [`from_json`](Request::from_json) for an already-parsed value.
    pub fn from_value(value: &Value) -> Result<Request> {
        Request::from_json(&value.to_string())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire<'a> {
    path: Option<PathWire>,
    query: Option<Map<String, Value>>,
    #[serde(borrow)]
    body: Option<&'a RawValue>,
    files: Option<Vec<multipart::WireFile>>,
    timeout_ms: Option<u64>,
}

/// The `path` object as (name, text) pairs, read straight from the JSON (this runs on every C,
/// Python and Go call): a value that is not a string, number or boolean reads as `None`.
struct PathWire(Vec<(String, Option<String>)>);

impl<'de> Deserialize<'de> for PathWire {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<PathWire, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = PathWire;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of path parameters")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<PathWire, A::Error> {
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(2));
                while let Some((name, ScalarText(text))) = map.next_entry::<String, ScalarText>()? {
                    pairs.push((name, text));
                }
                Ok(PathWire(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// A JSON value as the text a URL carries: what [`scalar_text`] gives for the same value.
struct ScalarText(Option<String>);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<ScalarText, D::Error> {
        struct Text;
        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = ScalarText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(Some(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(Some(v)))
            }
            fn visit_bool<E>(self, v: bool) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<ScalarText, E> {
                // serde_json's own formatting of the number, as `Value::Number` would print it.
                Ok(ScalarText(serde_json::Number::from_f64(v).map(|n| n.to_string())))
            }
            fn visit_unit<E>(self) -> std::result::Result<ScalarText, E> {
                Ok(ScalarText(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<ScalarText, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(ScalarText(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<ScalarText, A::Error> {
                while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                Ok(ScalarText(None))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Query values: scalars as text, arrays as repeated keys, objects as JSON text, null skipped.
fn push_query(out: &mut Vec<(String, String)>, name: &str, value: &Value) -> Result<()> {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                match scalar_text(item) {
                    Some(t) => out.push((name.to_string(), t)),
                    None => out.push((name.to_string(), item.to_string())),
                }
            }
        }
        Value::Object(_) => out.push((name.to_string(), value.to_string())),
        v => out.push((name.to_string(), scalar_text(v).unwrap_or_default())),
    }
    Ok(())
}

/// Appends `value` percent-encoded as one path segment: like [`push_component`], and `.`/`..`
/// (which a URL would resolve) become `%2E`/`%2E%2E`, so no value can climb or change the route.
fn push_path_segment(out: &mut String, value: &str) {
    if value == "." || value == ".." {
        out.push_str(&value.replace('.', "%2E"));
    } else {
        push_component(out, value);
    }
}

/// Percent-encodes a query key or value (RFC 3986 unreserved characters stay as they are).
#[cfg(test)]
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_component(&mut out, value);
    out
}

/// Appends `value` percent-encoded (RFC 3986 unreserved characters stay as they are), without
/// a temporary string.
fn push_component(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

/// Decodes `%XX` escapes (and nothing else). Invalid escapes are kept as they are. The client
/// never reads URLs: only the round-trip test of the encoder compiles this.
#[cfg(test)]
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Substitutes the request's path parameters into a template. Every placeholder must be given
/// a non-empty value, and every given parameter must be one of the template's.
pub(crate) fn render_path(template: &str, params: &[(String, String)], what: &str) -> Result<String> {
    for (name, _) in params {
        if !template_params(template).any(|n| n == name) {
            let names: Vec<&str> = template_params(template).collect();
            return Err(Error::invalid(
                "unknown_path_param",
                format!("{what} has no path parameter {name:?} (it takes {})", list_or_none(&names)),
            ));
        }
    }
    // One pass over the template into one buffer (this runs on every call).
    let mut path = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some((before, name, after)) = next_param(rest) {
        let value =
            params.iter().find(|(n, _)| n == name).map(|(_, v)| v).ok_or_else(|| {
                Error::invalid("missing_path_param", format!("{what} needs the path parameter {name:?}"))
            })?;
        if value.trim().is_empty() {
            return Err(Error::invalid("invalid_input", format!("path parameter {name:?} must not be empty")));
        }
        path.push_str(before);
        push_path_segment(&mut path, value);
        rest = after;
    }
    path.push_str(rest);
    Ok(path)
}

/// The text before the first `{name}` of `template`, the name, and the text after it.
fn next_param(template: &str) -> Option<(&str, &str, &str)> {
    let start = template.find('{')?;
    let after = &template[start + 1..];
    let end = after.find('}')?;
    Some((&template[..start], &after[..end], &after[end + 1..]))
}

/// The `{name}`s of a path template, in order, without allocating: the one template parser
/// (rendering a path here, and [`Operation::path_params`](crate::operations::Operation::path_params)).
pub(crate) fn template_params(template: &str) -> impl Iterator<Item = &str> {
    let mut rest = template;
    std::iter::from_fn(move || {
        let (_, name, after) = next_param(rest)?;
        rest = after;
        Some(name)
    })
}

fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Renders `?a=1&b=2` (empty when there is no query).
pub(crate) fn render_query(query: &[(String, String)]) -> String {
    if query.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(1 + query.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>());
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        push_component(&mut out, k);
        out.push('=');
        push_component(&mut out, v);
    }
    out
}

/// The encoded body of a request and its content type.
#[derive(Debug)]
pub(crate) struct EncodedBody {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Encodes the request body as the operation wants it. `what` names the operation in errors.
pub(crate) fn encode_body(
    req: &Request,
    kind: BodyKind,
    file_field: Option<&str>,
    max_upload: Option<u64>,
    what: &str,
) -> Result<Option<EncodedBody>> {
    if let Some(e) = &req.deferred_error {
        return Err(e.clone());
    }
    match kind {
        BodyKind::None => {
            if req.body.is_some() {
                return Err(Error::invalid("unexpected_body", format!("{what} takes no request body")));
            }
            if !req.files.is_empty() {
                return Err(Error::invalid("unexpected_files", format!("{what} takes no files")));
            }
            Ok(None)
        }
        BodyKind::Json => {
            if !req.files.is_empty() {
                return Err(Error::invalid("unexpected_files", format!("{what} takes a JSON body, not files")));
            }
            Ok(req.body.as_ref().map(|b| EncodedBody {
                content_type: "application/json".to_string(),
                bytes: b.get().as_bytes().to_vec(),
            }))
        }
        BodyKind::Multipart => {
            let fields = match req.body.as_deref().map(|b| serde_json::from_str::<Value>(b.get())) {
                None => Map::new(),
                Some(Ok(Value::Object(m))) => m,
                Some(Ok(Value::Null)) => Map::new(),
                Some(_) => {
                    return Err(Error::invalid(
                        "invalid_body",
                        format!("{what} is a multipart upload: its body must be an object of form fields"),
                    ))
                }
            };
            if req.files.is_empty() {
                return Err(Error::invalid("missing_file", format!("{what} needs a file to upload")));
            }
            let default_field = file_field.unwrap_or("file");
            let (content_type, bytes) = multipart::encode(&fields, &req.files, default_field, max_upload)?;
            Ok(Some(EncodedBody { content_type, bytes }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_read_from_the_wire_print_as_a_parsed_value_would() {
        let values = [
            r#""665a1b""#,
            r#""caf\u00e9 \"q\"""#,
            "42",
            "-7",
            "18446744073709551615",
            "1.5",
            "1e21",
            "-0.0",
            "2.5e-8",
            "true",
            "false",
            "null",
            "[1,2]",
            r#"{"a":[{}]}"#,
        ];
        for v in values {
            let wire = format!(r#"{{"path":{{"id":{v}}}}}"#);
            let parsed: Value = serde_json::from_str(v).unwrap();
            match (Request::from_json(&wire), scalar_text(&parsed)) {
                (Ok(req), Some(text)) => assert_eq!(req.path_params(), [("id".to_string(), text)], "{v}"),
                (Err(e), None) => assert_eq!(e.code(), "invalid_path_param", "{v}"),
                (got, want) => panic!("{v}: {got:?} vs {want:?}"),
            }
        }
        // A name given twice: the last value wins, as with a parsed object.
        let req = Request::from_json(r#"{"path":{"id":"a","id":"b"}}"#).unwrap();
        assert_eq!(req.path_params(), [("id".to_string(), "b".to_string())]);
        for bad in [r#"{"path":[1]}"#, r#"{"path":"x"}"#, r#"{"path":{"id":"a""#] {
            assert_eq!(Request::from_json(bad).unwrap_err().code(), "invalid_request_json", "{bad}");
        }
        assert!(Request::from_json(r#"{"path":null}"#).unwrap().path_params().is_empty());
    }

    #[test]
    fn hostile_ids_stay_one_segment() {
        let t = "/v1/api/agents/{agentId}";
        let p = |v: &str| render_path(t, &[("agentId".into(), v.into())], "agents.get").unwrap();
        assert_eq!(p("../x"), "/v1/api/agents/..%2Fx");
        assert_eq!(p("a/b"), "/v1/api/agents/a%2Fb");
        assert_eq!(p("a?b"), "/v1/api/agents/a%3Fb");
        assert_eq!(p("a#b"), "/v1/api/agents/a%23b");
        assert_eq!(p(".."), "/v1/api/agents/%2E%2E");
        assert_eq!(p("é x"), "/v1/api/agents/%C3%A9%20x");
    }

    #[test]
    fn template_params_are_parsed_in_order() {
        let names = |t| template_params(t).collect::<Vec<_>>();
        assert_eq!(names("/v1/api/agents/{agentId}/bind/{phoneNumberId}"), ["agentId", "phoneNumberId"]);
        assert!(names("/v1/api/agents").is_empty());
        assert_eq!(names("/a/{unclosed"), Vec::<&str>::new(), "an unclosed brace is no placeholder");
        let op = crate::operations::find("phone_numbers.bind").unwrap();
        assert_eq!(op.path_params(), ["agentId", "phoneNumberId"], "the table reads templates with this parser");
    }

    #[test]
    fn missing_unknown_and_empty_params_are_refused() {
        let t = "/v1/api/agents/{agentId}";
        assert_eq!(render_path(t, &[], "x").unwrap_err().code(), "missing_path_param");
        assert_eq!(render_path(t, &[("agentId".into(), " ".into())], "x").unwrap_err().code(), "invalid_input");
        let extra = [("agentId".into(), "1".into()), ("id".into(), "2".into())];
        assert_eq!(render_path(t, &extra, "x").unwrap_err().code(), "unknown_path_param");
    }

    #[test]
    fn wire_request_parses_every_part() {
        let r = Request::from_json(
            r#"{"path":{"agentId":"a1","n":5},"query":{"page":2,"ids":["x","y"],"skip":null},"body":{"z":1,"a":2},"timeout_ms":1500}"#,
        )
        .unwrap();
        assert_eq!(r.path_params(), &[("agentId".to_string(), "a1".to_string()), ("n".to_string(), "5".to_string())]);
        assert_eq!(render_query(r.query_params()), "?ids=x&ids=y&page=2");
        assert_eq!(r.body_text(), Some(r#"{"z":1,"a":2}"#), "body must pass through byte for byte");
        assert_eq!(r.timeout_override(), Some(Duration::from_millis(1500)));
        assert!(Request::from_json("").unwrap().body_text().is_none());
        assert!(Request::from_json(r#"{"body":null}"#).unwrap().body_text().is_none());
    }

    #[test]
    fn wire_request_rejects_bad_shapes() {
        for bad in
            ["[1]", "{", r#"{"pth":{}}"#, r#"{"path":{"a":{}}}"#, r#"{"path":[]}"#, r#"{"timeout_ms":0}"#, "\"x\""]
        {
            let e = Request::from_json(bad).unwrap_err();
            assert_eq!(e.kind(), "invalid_input", "{bad}");
        }
    }

    #[test]
    fn body_rules_by_kind() {
        let with_body = Request::new().json(&serde_json::json!({"a":1}));
        let e = encode_body(&with_body, BodyKind::None, None, None, "active_calls.end_call").unwrap_err();
        assert_eq!(e.code(), "unexpected_body");
        let enc = encode_body(&with_body, BodyKind::Json, None, None, "x").unwrap().unwrap();
        assert_eq!(enc.bytes, br#"{"a":1}"#);
        assert_eq!(enc.content_type, "application/json");
        let e = encode_body(&with_body, BodyKind::Multipart, Some("file"), None, "x").unwrap_err();
        assert_eq!(e.code(), "missing_file");
    }

    #[test]
    fn percent_decode_inverts_encode() {
        for s in ["a/b", "é x", "100%", "%zz", "plain"] {
            assert_eq!(percent_decode(&encode_component(s)), s);
        }
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
