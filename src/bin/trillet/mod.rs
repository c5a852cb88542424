//! The modules of the `trillet` binary.

pub mod api;
pub mod demo;
pub mod exit;
pub mod interrupt;
pub mod openapi;
pub mod serve;
pub mod webhooks;
