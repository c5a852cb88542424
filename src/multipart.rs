//! `multipart/form-data` uploads: the file parts a request carries and one small encoder.
//!
//! ureq's own multipart support is behind an unversioned API and pulls in two more crates; the
//! format is small enough to encode here, and doing so lets tests check the bytes exactly.

use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Where a file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileSource {
    /// Read from this path when the request is sent.
    Path(PathBuf),
    /// These bytes.
    Bytes(Vec<u8>),
}

/// One file of a multipart upload.
///
/// ```
/// use trillet::FilePart;
/// let csv = FilePart::from_bytes("calls.csv", "text/csv", b"phone\n+14155550100\n".to_vec());
/// assert_eq!(csv.filename, "calls.csv");
/// let pdf = FilePart::from_path("docs/faq.pdf");
/// assert_eq!(pdf.content_type, "application/pdf");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilePart {
    /// Form field name; `None` uses the operation's file field (`file`, `uploadedFile`).
    pub field: Option<String>,
    /// File name sent in `Content-Disposition`.
    pub filename: String,
    /// MIME type of the part.
    pub content_type: String,
    /// The content.
    pub source: FileSource,
}

impl FilePart {
    /// A file read from disk when sent; name and type come from the path.
    pub fn from_path(path: impl AsRef<Path>) -> FilePart {
        let path = path.as_ref();
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
        FilePart {
            field: None,
            content_type: guess_content_type(&filename).to_string(),
            filename,
            source: FileSource::Path(path.to_path_buf()),
        }
    }

    /// A file from bytes in memory.
    pub fn from_bytes(filename: impl Into<String>, content_type: impl Into<String>, data: Vec<u8>) -> FilePart {
        FilePart {
            field: None,
            filename: filename.into(),
            content_type: content_type.into(),
            source: FileSource::Bytes(data),
        }
    }

    /// Sends the file under another form field name.
    pub fn field(mut self, name: impl Into<String>) -> FilePart {
        self.field = Some(name.into());
        self
    }

    /// The file's size in bytes (reads metadata for a path).
    pub fn len(&self) -> Result<u64> {
        match &self.source {
            FileSource::Bytes(b) => Ok(b.len() as u64),
            FileSource::Path(p) => std::fs::metadata(p).map(|m| m.len()).map_err(|e| file_error(p, &e)),
        }
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }

    fn read(&self) -> Result<Vec<u8>> {
        match &self.source {
            FileSource::Bytes(b) => Ok(b.clone()),
            FileSource::Path(p) => std::fs::read(p).map_err(|e| file_error(p, &e)),
        }
    }

    pub(crate) fn from_wire(w: WireFile) -> Result<FilePart> {
        let mut part = match (w.path, w.data_base64) {
            (Some(path), None) => FilePart::from_path(path),
            (None, Some(data)) => {
                let bytes = crate::util::base64_decode(&data)
                    .ok_or_else(|| Error::invalid("invalid_file", "files[].data_base64 is not valid base64"))?;
                let name = w.filename.clone().unwrap_or_else(|| "file".into());
                let ct = guess_content_type(&name).to_string();
                FilePart::from_bytes(name, ct, bytes)
            }
            _ => return Err(Error::invalid("invalid_file", "each file needs exactly one of `path` or `data_base64`")),
        };
        if let Some(name) = w.filename {
            part.filename = name;
        }
        if let Some(ct) = w.content_type {
            part.content_type = ct;
        }
        part.field = w.field;
        Ok(part)
    }
}

/// A file as the wire request JSON describes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireFile {
    field: Option<String>,
    path: Option<String>,
    filename: Option<String>,
    content_type: Option<String>,
    data_base64: Option<String>,
}

fn file_error(path: &Path, e: &std::io::Error) -> Error {
    Error::invalid("file_unreadable", format!("cannot read {}: {}", path.display(), crate::error::plain_io_error(e)))
}

/// A MIME type from a file name's extension.
pub(crate) fn guess_content_type(filename: &str) -> &'static str {
    let ext = filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" => "text/csv",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "webm" => "audio/webm",
        _ => "application/octet-stream",
    }
}

/// Encodes form fields and files. Text fields come first, in the body's key order; a
/// non-string field value is sent as its JSON text. Returns the content type (with boundary)
/// and the bytes.
pub(crate) fn encode(
    fields: &Map<String, Value>,
    files: &[FilePart],
    default_field: &str,
    max_upload: Option<u64>,
) -> Result<(String, Vec<u8>)> {
    let mut contents = Vec::with_capacity(files.len());
    for f in files {
        let len = f.len()?;
        if let Some(max) = max_upload {
            if len > max {
                return Err(Error::invalid(
                    "file_too_large",
                    format!("{} is {len} bytes; the API accepts at most {max} bytes", f.filename),
                ));
            }
        }
        contents.push(f.read()?);
    }
    let boundary = pick_boundary(&contents);
    let mut out = Vec::new();
    for (name, value) in fields {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            v => v.to_string(),
        };
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", quote(name)).as_bytes());
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    for (f, data) in files.iter().zip(contents) {
        let field = f.field.as_deref().unwrap_or(default_field);
        out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        out.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                quote(field),
                quote(&f.filename),
                f.content_type.replace(['\r', '\n'], "")
            )
            .as_bytes(),
        );
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    Ok((format!("multipart/form-data; boundary={boundary}"), out))
}

/// Escapes a name for a quoted header parameter the way browsers do.
fn quote(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// A boundary that occurs in none of the contents.
fn pick_boundary(contents: &[Vec<u8>]) -> String {
    let mut seed = crate::util::random_u64();
    loop {
        let candidate = format!("trillet-boundary-{seed:016x}");
        let needle = candidate.as_bytes();
        if !contents.iter().any(|c| c.windows(needle.len()).any(|w| w == needle)) {
            return candidate;
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_fields_then_files_exactly() {
        let mut fields = Map::new();
        fields.insert("agentId".into(), Value::String("a1".into()));
        fields.insert("smartCallbackConfig".into(), serde_json::json!({"enabled": true}));
        let files = [FilePart::from_bytes("calls.csv", "text/csv", b"phone\n+14155550100\n".to_vec())];
        let (ct, body) = encode(&fields, &files, "file", None).unwrap();
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"agentId\"\r\n\r\na1\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"smartCallbackConfig\"\r\n\r\n{{\"enabled\":true}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"calls.csv\"\r\nContent-Type: text/csv\r\n\r\nphone\n+14155550100\n\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8(body).unwrap(), expected);
    }

    #[test]
    fn refuses_oversized_and_missing_files() {
        let big = [FilePart::from_bytes("a.csv", "text/csv", vec![b'x'; 11])];
        assert_eq!(encode(&Map::new(), &big, "file", Some(10)).unwrap_err().code(), "file_too_large");
        let missing = [FilePart::from_path("/definitely/not/here.csv")];
        assert_eq!(encode(&Map::new(), &missing, "file", None).unwrap_err().code(), "file_unreadable");
    }

    #[test]
    fn quotes_hostile_names() {
        let files = [FilePart::from_bytes("a\"b\r\n.txt", "text/plain", vec![])];
        let (_, body) = encode(&Map::new(), &files, "file", None).unwrap();
        assert!(String::from_utf8(body).unwrap().contains("filename=\"a%22b%0D%0A.txt\""));
    }
}
