//! What every CLI test file needs: the built `trillet` binary, with a clean environment or
//! pointed at a sandbox.
// Each test file uses some of these.
#![allow(dead_code)]

use std::process::{Child, Command};
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

/// A child process (a `trillet sandbox`) that is killed and reaped when dropped, so a test that
/// fails half-way leaves no server running behind it.
pub struct KillOnDrop(Option<Child>);

impl KillOnDrop {
    /// Takes charge of `child`.
    pub fn new(child: Child) -> KillOnDrop {
        KillOnDrop(Some(child))
    }

    /// The child, still in charge.
    pub fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("a KillOnDrop holds its child until into_inner")
    }

    /// The child, for a test that ends it itself (`wait_with_output`).
    pub fn into_inner(mut self) -> Child {
        self.0.take().expect("a KillOnDrop holds its child until into_inner")
    }
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(child) = self.0.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
