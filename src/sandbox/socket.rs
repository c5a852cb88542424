//! Closing connections that tiny_http owns: the `reset` fault and a clean shutdown.
//!
//! tiny_http does not hand out its sockets, and dropping a request without answering makes it
//! send a 500. To close a connection without answering, this module finds the socket among the
//! process's open descriptors by its two addresses and shuts it down (both directions), which
//! the client sees as the connection closing before any response. Unix only; elsewhere the
//! functions do nothing and report `false`.

use std::net::SocketAddr;

/// Shuts down the connection between the sandbox's `local` address and the client's `peer`
/// address. Returns whether a socket was found.
pub(crate) fn shutdown_connection(local: SocketAddr, peer: SocketAddr) -> bool {
    shutdown_matching(|l, p| l == local && p == peer) > 0
}

/// Shuts down every connection accepted on `local` (used when the sandbox stops, so that idle
/// keep-alive connections do not outlive it). Returns how many sockets were shut down.
pub(crate) fn shutdown_all(local: SocketAddr) -> usize {
    shutdown_matching(|l, _| l == local)
}

#[cfg(unix)]
fn shutdown_matching(matches: impl Fn(SocketAddr, SocketAddr) -> bool) -> usize {
    use std::mem::ManuallyDrop;
    use std::net::{Shutdown, TcpStream};
    use std::os::fd::{FromRawFd, RawFd};

    let dir = std::fs::read_dir("/proc/self/fd").or_else(|_| std::fs::read_dir("/dev/fd"));
    let Ok(dir) = dir else { return 0 };
    let fds: Vec<RawFd> =
        dir.filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok()).filter(|fd| *fd > 2).collect();
    let mut count = 0;
    for fd in fds {
        // SAFETY: the stream is never dropped (ManuallyDrop), so the descriptor is never closed
        // here; it is only queried (getsockname/getpeername fail harmlessly on a descriptor that
        // is not a socket or was closed meanwhile) and, when both addresses match one of our
        // connections, shut down.
        let stream = ManuallyDrop::new(unsafe { TcpStream::from_raw_fd(fd) });
        let (Ok(local), Ok(peer)) = (stream.local_addr(), stream.peer_addr()) else { continue };
        if matches(local, peer) && stream.shutdown(Shutdown::Both).is_ok() {
            count += 1;
        }
    }
    count
}

#[cfg(not(unix))]
fn shutdown_matching(_matches: impl Fn(SocketAddr, SocketAddr) -> bool) -> usize {
    0
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn shuts_down_exactly_the_named_connection() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let local = listener.local_addr().unwrap();
        let mut a = TcpStream::connect(local).unwrap();
        let (_sa, peer_a) = listener.accept().unwrap();
        let mut b = TcpStream::connect(local).unwrap();
        let (mut sb, _) = listener.accept().unwrap();
        assert!(shutdown_connection(local, peer_a));
        let mut buf = [0u8; 4];
        assert_eq!(a.read(&mut buf).unwrap(), 0, "a sees end of stream");
        b.write_all(b"ping").unwrap();
        sb.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping", "b is untouched");
        assert!(!shutdown_connection(local, "127.0.0.1:1".parse().unwrap()));
        assert!(shutdown_all(local) >= 1, "at least b's server side");
        assert_eq!(b.read(&mut buf).unwrap(), 0);
    }
}
