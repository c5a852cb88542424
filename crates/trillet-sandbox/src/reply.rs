//! What the sandbox answers: a status, headers and a body; and the API's error shape.

use serde_json::{json, Value};

/// One HTTP answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: &Value) -> Reply {
        Reply::raw(status, "application/json; charset=utf-8", body.to_string().into_bytes())
    }

    /// An answer with any content type.
    pub fn raw(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply { status, content_type: content_type.to_string(), headers: Vec::new(), body }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// An error the sandbox answers in the API's documented shape,
/// `{"error":{"code":"…","message":"…"}}`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// Any error.
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> ApiError {
        ApiError { status, code: code.to_string(), message: message.into() }
    }

    /// 400 with a code.
    pub fn bad_request(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(400, code, message)
    }

    /// 400 `validation_error`.
    pub fn validation(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "validation_error", message)
    }

    /// 404 `not_found`: "`<what>` `<id>` not found".
    pub fn not_found(what: &str, id: &str) -> ApiError {
        ApiError::new(404, "not_found", format!("{what} {id} not found"))
    }

    /// 409 `conflict`.
    pub fn conflict(code: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(409, code, message)
    }

    /// The answer.
    pub fn reply(&self) -> Reply {
        Reply::json(self.status, &json!({"error": {"code": self.code, "message": self.message}}))
    }
}

/// What a handler returns.
pub(crate) type Outcome = Result<Reply, ApiError>;

/// 200 with a JSON body.
pub(crate) fn ok(body: Value) -> Outcome {
    Ok(Reply::json(200, &body))
}
