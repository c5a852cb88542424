//! The TCP socket under every request: ureq's connector chain with our own socket transport in
//! place of its `TcpConnector`.
//!
//! ureq 3.5's `TcpTransport` costs a pooled request 8 system calls beyond the one write and one
//! read it needs (measured with strace, `scripts/bench`):
//!
//! - a liveness probe when the connection leaves the pool and another when it returns, each
//!   three calls (`ioctl(FIONBIO)` on, `recvfrom`, `ioctl(FIONBIO)` off);
//! - `SO_SNDTIMEO` and `SO_RCVTIMEO` set again on every request, because the time left before
//!   the client's deadline differs by microseconds from one request to the next.
//!
//! This transport probes with one non-blocking `recv(MSG_PEEK)` (Unix; elsewhere it falls back
//! to ureq's way), and re-arms a socket timeout only when the wanted value moved by more than
//! [`slack`] (at most 10 ms, and never more than 1 % of the timeout): the OS timer then differs
//! from the deadline by less than that, in either direction. A pooled request makes 4 calls.
//!
//! Connecting follows ureq: each resolved address in turn, the connect budget shared between
//! them in a geometric series (the first gets half, the next a quarter, …), moving on when an
//! address is refused or unreachable. The socket is registered with the agent's shutdown.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, RustlsConnector,
    ShutdownHandle, Transport,
};
use ureq::{Error, Timeout};

/// The connector chain the agent uses: an HTTP CONNECT tunnel when a proxy is set, else our
/// socket; then TLS for `https`. (SOCKS is refused by the `proxy` setting, and a SOCKS proxy
/// from the environment by the transport before any request: see `proxy::unsupported`.)
pub(crate) fn connector() -> impl Connector {
    ().chain(ConnectProxyConnector::default()).chain(SocketConnector).chain(RustlsConnector::default())
}

/// Opens a [`SocketTransport`] unless an earlier connector in the chain already made one.
#[derive(Debug)]
pub(crate) struct SocketConnector;

impl<In: Transport> Connector<In> for SocketConnector {
    type Out = Either<In, SocketTransport>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        if let Some(tunnel) = chained {
            return Ok(Some(Either::A(tunnel)));
        }
        let budget = details.timeout.not_zero().map(|t| *t);
        let stream = connect_any(&details.addrs, budget, details.timeout.reason)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        let transport = SocketTransport::new(stream, buffers);
        (details.register_shutdown)(Arc::downgrade(&transport.stream) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(transport)))
    }
}

/// Connects to the first address that accepts, sharing `budget` between them.
fn connect_any(addrs: &[SocketAddr], budget: Option<Duration>, reason: Timeout) -> Result<TcpStream, Error> {
    const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);
    let started = Instant::now();
    // Weights 1, 1/2, 1/4, … summing to 2 (1 − 2⁻ⁿ): the shares add up to the whole budget.
    let total_weight = 2.0 * (1.0 - 0.5_f64.powi(addrs.len().min(64) as i32));
    let mut weight = 1.0_f64;
    let mut last_error = None;
    for addr in addrs {
        let share = budget.map(|b| b.mul_f64(weight / total_weight).max(MIN_PER_ADDRESS));
        weight /= 2.0;
        let attempt = match share {
            Some(share) => TcpStream::connect_timeout(addr, share),
            None => TcpStream::connect(addr),
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if is_timeout(&e) => {
                if budget.is_some_and(|b| started.elapsed() >= b) {
                    return Err(Error::Timeout(reason));
                }
                last_error = Some(Error::Timeout(Timeout::Connect));
            }
            Err(e) if is_about_this_address(&e) => last_error = Some(Error::Io(e)),
            Err(e) => return Err(Error::Io(e)),
        }
    }
    Err(last_error
        .unwrap_or_else(|| Error::Io(io::Error::new(io::ErrorKind::ConnectionRefused, "no address to connect to"))))
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock)
}

/// A failure that says nothing about the host's other addresses (an IPv6 address without an
/// IPv6 route, one address refusing): the next one is tried.
fn is_about_this_address(e: &io::Error) -> bool {
    use io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ConnectionRefused | K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown | K::AddrNotAvailable
    )
}

/// How far a socket timeout may sit from the wanted one before it is set again: 1 % of the
/// timeout, at most 10 ms. Requests a few microseconds apart then share one setting.
fn slack(wanted: Duration) -> Duration {
    (wanted / 100).min(Duration::from_millis(10))
}

/// The timeout a socket currently has for one direction, and when it needs setting again.
#[derive(Debug, Default)]
struct ArmedTimeout(Option<Duration>);

impl ArmedTimeout {
    /// Sets `wanted` through `set` unless the socket's current timeout is within [`slack`] of it.
    fn arm(
        &mut self,
        wanted: Option<Duration>,
        set: impl FnOnce(Option<Duration>) -> io::Result<()>,
    ) -> io::Result<()> {
        let close_enough = match (self.0, wanted) {
            (Some(current), Some(wanted)) => current.abs_diff(wanted) <= slack(wanted),
            (current, wanted) => current == wanted,
        };
        if !close_enough {
            set(wanted)?;
            self.0 = wanted;
        }
        Ok(())
    }
}

/// A plain TCP connection as ureq's [`Transport`].
pub(crate) struct SocketTransport {
    /// Shared (weakly) with the agent's shutdown handle; all I/O goes through `&TcpStream`.
    stream: Arc<TcpStream>,
    buffers: LazyBuffers,
    read_timeout: ArmedTimeout,
    write_timeout: ArmedTimeout,
}

impl SocketTransport {
    fn new(stream: TcpStream, buffers: LazyBuffers) -> SocketTransport {
        SocketTransport {
            stream: Arc::new(stream),
            buffers,
            read_timeout: ArmedTimeout::default(),
            write_timeout: ArmedTimeout::default(),
        }
    }
}

impl fmt::Debug for SocketTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketTransport").field("peer", &self.stream.peer_addr().ok()).finish()
    }
}

/// ureq's error for an I/O failure under `timeout`: a timed-out socket becomes its timeout.
fn io_error(e: io::Error, timeout: &NextTimeout) -> Error {
    if is_timeout(&e) {
        Error::Timeout(timeout.reason)
    } else {
        Error::Io(e)
    }
}

/// The wanted socket timeout, or the timeout error when no time is left.
fn time_left(timeout: &NextTimeout) -> Result<Option<Duration>, Error> {
    if timeout.after.is_zero() {
        return Err(Error::Timeout(timeout.reason));
    }
    Ok(timeout.not_zero().map(|t| *t))
}

impl Transport for SocketTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let timeout = timeout.for_write();
        let wanted = time_left(&timeout)?;
        let stream = &*self.stream;
        self.write_timeout.arm(wanted, |t| stream.set_write_timeout(t))?;
        let output = &self.buffers.output()[..amount];
        (&*self.stream).write_all(output).map_err(|e| io_error(e, &timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let timeout = timeout.for_read();
        let wanted = time_left(&timeout)?;
        let stream = &*self.stream;
        self.read_timeout.arm(wanted, |t| stream.set_read_timeout(t))?;
        let started = Instant::now();
        let amount = loop {
            match (&*self.stream).read(self.buffers.input_append_buf()) {
                // Linux does not restart a socket read with SO_RCVTIMEO after a signal, even
                // with SA_RESTART: read again with the time that is left.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(wanted) = wanted else { return Err(Error::Io(e)) };
                    let left = wanted.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(Error::Timeout(timeout.reason));
                    }
                    self.read_timeout.arm(Some(left), |t| stream.set_read_timeout(t))?;
                }
                result => break result.map_err(|e| io_error(e, &timeout))?,
            }
        };
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        probe::is_open(&self.stream)
    }
}

/// Whether an idle pooled connection can carry another request: the peer has neither closed
/// it nor sent bytes nobody asked for. Never blocks.
mod probe {
    use std::net::TcpStream;

    /// One `recv(MSG_PEEK | MSG_DONTWAIT)`: "would block" is the healthy answer.
    #[cfg(unix)]
    pub(super) fn is_open(stream: &TcpStream) -> bool {
        use std::os::fd::AsRawFd;
        let mut byte = 0u8;
        loop {
            // SAFETY: a valid socket descriptor owned by `stream` for the call's duration, and a
            // one-byte buffer that outlives it.
            let n = unsafe {
                libc::recv(stream.as_raw_fd(), (&mut byte as *mut u8).cast(), 1, libc::MSG_PEEK | libc::MSG_DONTWAIT)
            };
            if n >= 0 {
                // 0: the peer closed; more: unsolicited bytes (a stale or broken exchange).
                return false;
            }
            match std::io::Error::last_os_error().kind() {
                std::io::ErrorKind::WouldBlock => return true,
                std::io::ErrorKind::Interrupted => continue,
                _ => return false,
            }
        }
    }

    /// Elsewhere: ureq's probe (non-blocking for one peek).
    #[cfg(not(unix))]
    pub(super) fn is_open(stream: &TcpStream) -> bool {
        is_open_portable(stream)
    }

    /// The portable probe: three calls (non-blocking on, peek, off). Compiled and tested on Unix
    /// too, so the other platforms' path is not code nobody built.
    #[cfg_attr(unix, allow(dead_code))]
    pub(super) fn is_open_portable(stream: &TcpStream) -> bool {
        if stream.set_nonblocking(true).is_err() {
            return false;
        }
        let open = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
        stream.set_nonblocking(false).is_ok() && open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn the_probe_tells_an_idle_connection_from_a_closed_or_chatty_one() {
        for (name, is_open) in
            [("probe", probe::is_open as fn(&TcpStream) -> bool), ("portable", probe::is_open_portable)]
        {
            let (client, mut server) = pair();
            assert!(is_open(&client), "{name}: idle and healthy");
            // The probe peeks: it neither consumes bytes nor leaves the socket non-blocking.
            server.write_all(b"x").unwrap();
            std::thread::sleep(Duration::from_millis(50));
            assert!(!is_open(&client), "{name}: unsolicited bytes");
            let mut byte = [0u8];
            client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            (&client).read_exact(&mut byte).unwrap();
            assert_eq!(&byte, b"x");
            assert!(is_open(&client), "{name}: idle again");
            // Still blocking: a read waits for its timeout instead of failing at once.
            client.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
            let started = std::time::Instant::now();
            assert!((&client).read(&mut byte).is_err());
            assert!(started.elapsed() >= Duration::from_millis(90), "{name}: left the socket non-blocking");
            drop(server);
            std::thread::sleep(Duration::from_millis(50));
            assert!(!is_open(&client), "{name}: closed by the peer");
        }
    }

    #[test]
    fn a_timeout_is_set_again_only_when_it_moves_by_more_than_the_slack() {
        let mut armed = ArmedTimeout::default();
        let mut sets = Vec::new();
        let mut arm = |armed: &mut ArmedTimeout, t: Option<Duration>| {
            armed
                .arm(t, |t| {
                    sets.push(t);
                    Ok(())
                })
                .unwrap()
        };
        let secs = Duration::from_secs;
        arm(&mut armed, Some(secs(30)));
        arm(&mut armed, Some(secs(30) - Duration::from_micros(40)));
        arm(&mut armed, Some(secs(30) + Duration::from_millis(9)));
        arm(&mut armed, Some(secs(30) - Duration::from_millis(11)));
        arm(&mut armed, Some(Duration::from_millis(300)));
        arm(&mut armed, Some(Duration::from_millis(298)));
        arm(&mut armed, Some(Duration::from_millis(296)));
        arm(&mut armed, None);
        arm(&mut armed, None);
        assert_eq!(
            sets,
            [
                Some(secs(30)),
                Some(secs(30) - Duration::from_millis(11)),
                Some(Duration::from_millis(300)),
                Some(Duration::from_millis(296)),
                None
            ]
        );
    }

    #[test]
    fn connecting_moves_past_a_refusing_address_to_one_that_accepts() {
        let refused = TcpListener::bind("127.0.0.1:0").unwrap();
        let refused_addr = refused.local_addr().unwrap();
        drop(refused);
        let open = TcpListener::bind("127.0.0.1:0").unwrap();
        let addrs = [refused_addr, open.local_addr().unwrap()];
        let stream = connect_any(&addrs, Some(Duration::from_secs(5)), Timeout::Connect).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), open.local_addr().unwrap());
        let err = connect_any(&addrs[..1], Some(Duration::from_secs(5)), Timeout::Connect).unwrap_err();
        assert!(matches!(&err, Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused), "{err:?}");
        assert!(matches!(connect_any(&[], None, Timeout::Connect), Err(Error::Io(_))));
    }
}
