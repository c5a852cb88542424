//! Parsing `multipart/form-data` request bodies (uploads: batch CSVs, knowledge-base files,
//! voice samples). Small on purpose: parts, their names, file names, content types and bytes.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for a file part.
    pub filename: Option<String>,
    /// The part's content type, when given.
    pub content_type: Option<String>,
    /// The content.
    pub data: Vec<u8>,
}

/// A parsed form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Form {
    pub parts: Vec<Part>,
}

impl Form {
    /// The text of the first non-file part with this name.
    pub fn text(&self, name: &str) -> Option<String> {
        self.parts
            .iter()
            .find(|p| p.name == name && p.filename.is_none())
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    }

    /// The first file part with this name.
    pub fn file(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name && p.filename.is_some())
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let mime = params.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
        })
        .filter(|b| !b.is_empty() && b.len() <= 200)
}

/// Parses a body with the given boundary.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Result<Form, String> {
    let delimiter = format!("--{boundary}").into_bytes();
    let mut pos = find(body, &delimiter, 0).ok_or("the body does not contain the multipart boundary")?;
    let mut form = Form::default();
    loop {
        pos += delimiter.len();
        if body[pos..].starts_with(b"--") {
            return Ok(form);
        }
        // Transport padding, then the line break that ends the delimiter line.
        while body.get(pos).is_some_and(|b| *b == b' ' || *b == b'\t') {
            pos += 1;
        }
        pos = skip_line_break(body, pos).ok_or("a multipart delimiter is not followed by a line break")?;
        let head_end = find(body, b"\r\n\r\n", pos).ok_or("a multipart part has no end of headers")?;
        let head = std::str::from_utf8(&body[pos..head_end]).map_err(|_| "multipart part headers are not UTF-8")?;
        let data_start = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let data_end = find(body, &closing, data_start).ok_or("a multipart part is not closed by the boundary")?;
        form.parts.push(part(head, body[data_start..data_end].to_vec())?);
        pos = data_end + 2;
    }
}

fn part(head: &str, data: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let Some((field, value)) = line.split_once(':') else { continue };
        let field = field.trim();
        if field.eq_ignore_ascii_case("content-disposition") {
            for (k, v) in disposition_params(value) {
                match k.to_ascii_lowercase().as_str() {
                    "name" => name = Some(v),
                    "filename" => filename = Some(v),
                    _ => {}
                }
            }
        } else if field.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        }
    }
    let name = name.ok_or("a multipart part has no name in its Content-Disposition")?;
    Ok(Part { name, filename, content_type, data })
}

/// `form-data; name="a"; filename="b.csv"` → `[("name","a"), ("filename","b.csv")]`.
fn disposition_params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(semi) = rest.find(';') {
        rest = rest[semi + 1..].trim_start();
        let Some(eq) = rest.find('=') else { break };
        let key = rest[..eq].trim().to_string();
        let after = &rest[eq + 1..];
        let (val, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut val = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            val.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => val.push(c),
                }
            }
            (val, &quoted[end..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((key, val));
        rest = next;
    }
    out
}

fn skip_line_break(body: &[u8], pos: usize) -> Option<usize> {
    if body[pos..].starts_with(b"\r\n") {
        Some(pos + 2)
    } else if body[pos..].starts_with(b"\n") {
        Some(pos + 1)
    } else {
        None
    }
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_hand_written_body_with_binary_data_and_quoted_params() {
        let mut body =
            b"preamble\r\n--XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".wav\"\r\n\r\n"
                .to_vec();
        body.extend_from_slice(&[0, 255, 13, 10, 45, 45, 1]);
        body.extend_from_slice(
            b"\r\n--XyZ\r\nContent-Disposition: form-data; name=name\r\n\r\nMy Voice\r\n--XyZ--\r\n",
        );
        let form = parse(&body, "XyZ").unwrap();
        let f = form.file("file").unwrap();
        assert_eq!(f.filename.as_deref(), Some("a \"b\".wav"));
        assert_eq!(f.data, vec![0, 255, 13, 10, 45, 45, 1]);
        assert_eq!(form.text("name").as_deref(), Some("My Voice"));
    }

    #[test]
    fn boundary_and_errors() {
        assert_eq!(boundary("multipart/form-data; boundary=\"abc\"").as_deref(), Some("abc"));
        assert_eq!(boundary("Multipart/Form-Data;charset=utf-8; boundary=q1").as_deref(), Some("q1"));
        assert_eq!(boundary("application/json"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert!(parse(b"nothing here", "b").is_err());
        assert!(parse(b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated", "b").is_err());
        assert!(parse(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b").is_err());
        assert_eq!(parse(b"--b--\r\n", "b").unwrap(), Form::default());
    }
}
