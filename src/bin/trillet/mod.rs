//! The modules of the `trillet` binary.

pub mod serve;
