//! The sandbox's own small codecs: percent-decoding of paths and queries, base64 for the
//! strings it makes up, the error code it names a bare status with, a file name's media type,
//! and random id seeds. None of them is the client's: where the two read the same bytes
//! differently, a test against the sandbox shows it.

/// Decodes `%XX` escapes (either hex case) and nothing else; an invalid or truncated escape is
/// kept as it is, and bytes that are not UTF-8 become U+FFFD.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex_value(*hi).zip(hex_value(*lo)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|d| d as u8)
}

/// Standard base64 with padding (RFC 4648 §4).
pub(crate) fn base64(data: &[u8]) -> String {
    encode64(data, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", true)
}

/// URL-safe base64 without padding (RFC 4648 §5), as JWTs use.
pub(crate) fn base64url(data: &[u8]) -> String {
    encode64(data, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", false)
}

fn encode64(data: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
        if pad {
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
    }
    out
}

/// The error code the sandbox answers a bare status with (an injected fault, a refused request
/// line): the spec's names where it has one.
pub(crate) fn status_code(status: u16) -> String {
    let name = match status {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        409 => "conflict",
        411 => "length_required",
        413 => "payload_too_large",
        422 => "unprocessable_entity",
        429 => "rate_limit_exceeded",
        431 => "request_header_fields_too_large",
        500 => "internal_server_error",
        501 => "not_implemented",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        505 => "http_version_not_supported",
        s => return format!("http_{s}"),
    };
    name.to_string()
}

/// The media types of the files the spec's uploads take (knowledge bases: PDF, TXT, DOCX, MD,
/// CSV, JSON; voice samples: audio), by extension.
const MEDIA_TYPES: [(&str, &str); 8] = [
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("json", "application/json"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
];

/// The media type the sandbox records for an uploaded file sent without one.
pub(crate) fn media_type(filename: &str) -> &'static str {
    let ext = filename.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_ascii_lowercase());
    MEDIA_TYPES.iter().find(|(e, _)| *e == ext).map_or("application/octet-stream", |(_, t)| t)
}

/// A random number (the standard library's per-process hash seed mixed with the time).
pub(crate) fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        let cases = [
            ("a%2Fb%20c", "a/b c"),
            ("%e2%82%ac", "€"),
            ("100%", "100%"),
            ("%zz%4", "%zz%4"),
            ("%41%", "A%"),
            ("+", "+"),
            ("%ff", "\u{fffd}"),
        ];
        for (encoded, decoded) in cases {
            assert_eq!(percent_decode(encoded), decoded, "{encoded}");
        }
    }

    #[test]
    fn base64_as_rfc_4648_states_it() {
        for (data, padded) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(data.as_bytes()), padded);
            assert_eq!(base64url(data.as_bytes()), padded.trim_end_matches('='));
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn statuses_and_media_types() {
        assert_eq!(status_code(503), "service_unavailable");
        assert_eq!(status_code(418), "http_418");
        assert_eq!(media_type("FAQ.PDF"), "application/pdf");
        assert_eq!(media_type("noext"), "application/octet-stream");
        assert_ne!(random_seed(), random_seed());
    }
}
