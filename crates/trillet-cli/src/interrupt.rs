//! Ctrl-C during a call: the call is cancelled (its connection closed, so the API stops waiting
//! for us), its `cancelled` error JSON is printed, and the tool exits with 130 (128 + SIGINT).
//!
//! The signal handler only writes a byte to a pipe (async-signal-safe); a watcher thread reads it
//! and cancels the token every API call of this process carries, then restores the default
//! action, so a second Ctrl-C ends the process at once even if something still hangs. Only the
//! commands that call the API install it: `trillet sandbox` keeps the default Ctrl-C.

use std::sync::OnceLock;
use trillet::CancelToken;

/// The token every API call of this process carries; the first call installs the Ctrl-C
/// handler that cancels it.
pub fn token() -> CancelToken {
    static TOKEN: OnceLock<CancelToken> = OnceLock::new();
    TOKEN
        .get_or_init(|| {
            let token = CancelToken::new();
            install(token.clone());
            token
        })
        .clone()
}

#[cfg(unix)]
fn install(token: CancelToken) {
    use std::sync::atomic::{AtomicI32, Ordering};

    static WAKE: AtomicI32 = AtomicI32::new(-1);

    extern "C" fn on_interrupt(_: libc::c_int) {
        let fd = WAKE.load(Ordering::Relaxed);
        if fd >= 0 {
            // SAFETY: write(2) is async-signal-safe; one byte from a static buffer.
            unsafe { libc::write(fd, b"!".as_ptr().cast(), 1) };
        }
    }

    let mut fds = [-1; 2];
    // SAFETY: pipe(2) fills the two-element array.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return; // without the pipe, Ctrl-C keeps its default action
    }
    let [read_end, write_end] = fds;
    WAKE.store(write_end, Ordering::Relaxed);
    let watcher = std::thread::Builder::new().name("trillet-ctrl-c".into()).spawn(move || {
        let mut byte = 0u8;
        loop {
            // SAFETY: read(2) of one byte into a local.
            let n = unsafe { libc::read(read_end, (&mut byte as *mut u8).cast(), 1) };
            if n == 1 {
                break;
            }
            if n < 0 && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return;
        }
        token.cancel();
        // SAFETY: restoring the default action of SIGINT.
        unsafe { libc::signal(libc::SIGINT, libc::SIG_DFL) };
    });
    if watcher.is_err() {
        return;
    }
    // SAFETY: a zeroed sigaction with our handler; SA_RESTART keeps other system calls going.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
    }
}

/// Elsewhere Ctrl-C keeps its default action (the process ends).
#[cfg(not(unix))]
fn install(_token: CancelToken) {}
