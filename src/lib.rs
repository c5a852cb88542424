//! # trillet
//!
//! The native client for the Trillet AI Platform API: call agents, omni-flow messaging agents,
//! call and message flows, folders, voice and web calls, call history, recordings, active calls,
//! batch calls, conversations, phone numbers, knowledge bases, voices and workspaces.
//!
//! One blocking Rust core does all the work; C, Python and Go reach it through a small C ABI.
//! Every endpoint is one row of [`operations::OPERATIONS`], and every call goes through one
//! pipeline ([`Client::execute`]): URL and body building, headers, retries, errors.
//!
//! ```no_run
//! use serde_json::json;
//! let client = trillet::Client::builder()
//!     .api_key("sk_...")
//!     .workspace_id("664a1b2c3d4e5f6a7b8c9d0e")
//!     .build()?;
//! let agent = client.call("agents.get", json!({"path": {"agentId": "665a1b2c3d4e5f6a7b8c9d0e"}}))?;
//! println!("{}", agent["name"]);
//! # Ok::<(), trillet::Error>(())
//! ```

#![warn(missing_docs)]

mod client;
mod config;
mod error;
pub mod ffi;
mod json_depth;
mod logging;
pub mod models;
mod multipart;
pub mod operations;
mod pagination;
mod request;
mod resources;
mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod settings;
mod transport;
mod util;
pub mod webhooks;

pub use client::{Client, Response, ResponseMeta};
pub use config::{ClientBuilder, Config, ENV_API_KEY, ENV_BASE_URL, ENV_LOG, ENV_WORKSPACE_ID};
pub use error::{Error, Result};
pub use multipart::{FilePart, FileSource};
pub use operations::{Operation, OPERATIONS};
pub use pagination::ListAll;
pub use request::Request;
pub use resources::{
    ActiveCalls, Agents, BatchCalls, CallFlows, CallHistories, Calls, Conversations, Folders, KnowledgeBases,
    MessageFlows, OmniFlowAgents, PhoneNumbers, Recordings, Voices, Workspaces,
};

/// The crate version (`0.1.0`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled by `cargo test --doc`.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
