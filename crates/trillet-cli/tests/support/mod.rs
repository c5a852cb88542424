//! What every CLI test file needs: the built `trillet` binary, with a clean environment or
//! pointed at a sandbox.

use std::process::Command;
use trillet_sandbox::Sandbox;

/// The `trillet` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_trillet");

/// The binary with no TRILLET_* variables from the caller's environment.
pub fn trillet() -> Command {
    let mut c = Command::new(BIN);
    for var in ["TRILLET_API_KEY", "TRILLET_WORKSPACE_ID", "TRILLET_BASE_URL", "TRILLET_LOG"] {
        c.env_remove(var);
    }
    c
}

/// The binary pointed at a sandbox through the environment.
pub fn against(sandbox: &Sandbox) -> Command {
    let mut c = trillet();
    c.env("TRILLET_BASE_URL", sandbox.url())
        .env("TRILLET_API_KEY", sandbox.api_key())
        .env("TRILLET_WORKSPACE_ID", sandbox.workspace_id());
    c
}
