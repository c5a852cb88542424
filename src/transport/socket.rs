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
//!
//! Cancellation (`crate::cancel`): every socket records the call it serves now (its *owner*)
//! and registers with that call's watch — when it is made, and when a call takes it from the
//! pool. A cancel shuts the socket down (`shutdown(2)`), which ends a blocked connect, read or
//! write at once, but only while the socket still serves the cancelled call: one that went back
//! to the pool and now serves another call is left alone. On Unix the connect itself is
//! non-blocking and polled, so that a socket exists (and can be shut down) while the handshake
//! is pending; the poll also wakes every [`CANCEL_POLL`] to look at the call's flag.

use super::sent;
use crate::cancel::{self, CallWatch, Waker};
use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, RustlsConnector, ShutdownHandle, Transport,
};
use ureq::{Error, Timeout};

/// The connector chain the agent uses: an HTTP CONNECT tunnel when a proxy is set, else our
/// socket; then TLS for `https`; last the marker that records when request bytes go out
/// (`transport::sent`). (SOCKS is refused by the `proxy` setting, and a SOCKS proxy
/// from the environment by the transport before any request: see `proxy::unsupported`.)
pub(crate) fn connector() -> impl Connector {
    ().chain(sent::Tunnel::default()).chain(SocketConnector).chain(RustlsConnector::default()).chain(sent::MarkSent)
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
        let watch = cancel::current();
        let socket = connect_any(&details.addrs, budget, details.timeout.reason, watch.as_deref())?;
        if details.config.no_delay() {
            socket.stream.set_nodelay(true)?;
        }
        let buffers = LazyBuffers::new(details.config.input_buffer_size(), details.config.output_buffer_size());
        let transport = SocketTransport::new(socket, buffers, watch.as_ref().map_or(0, |w| w.id()));
        (details.register_shutdown)(Arc::downgrade(&transport.socket) as Weak<dyn ShutdownHandle>)?;
        Ok(Some(Either::B(transport)))
    }
}

/// Connects to the first address that accepts, sharing `budget` between them. Each socket is
/// registered with `watch` (the call's) before it connects, so a cancel ends the connect.
fn connect_any(
    addrs: &[SocketAddr],
    budget: Option<Duration>,
    reason: Timeout,
    watch: Option<&CallWatch>,
) -> Result<Arc<SharedSocket>, Error> {
    const MIN_PER_ADDRESS: Duration = Duration::from_millis(10);
    let started = Instant::now();
    // Weights 1, 1/2, 1/4, … summing to 2 (1 − 2⁻ⁿ): the shares add up to the whole budget.
    let total_weight = 2.0 * (1.0 - 0.5_f64.powi(addrs.len().min(64) as i32));
    let mut weight = 1.0_f64;
    let mut last_error = None;
    for addr in addrs {
        let share = budget.map(|b| b.mul_f64(weight / total_weight).max(MIN_PER_ADDRESS));
        weight /= 2.0;
        if watch.is_some_and(CallWatch::is_cancelled) {
            return Err(Error::Io(cancelled_error()));
        }
        match connect::connect(addr, share, watch) {
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

/// A connected socket shared between its transport, the agent's shutdown and the cancel of the
/// call it serves.
#[derive(Debug)]
pub(crate) struct SharedSocket {
    stream: TcpStream,
    /// The id of the call the socket serves now (0: none): a cancel shuts the socket down only
    /// while it still serves the cancelled call.
    owner: Mutex<u64>,
}

impl SharedSocket {
    fn new(stream: TcpStream, owner: u64) -> Arc<SharedSocket> {
        Arc::new(SharedSocket { stream, owner: Mutex::new(owner) })
    }

    fn set_owner(&self, call: u64) {
        *self.owner.lock().unwrap_or_else(PoisonError::into_inner) = call;
    }
}

impl ShutdownHandle for SharedSocket {
    fn shutdown(&self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

impl Waker for SharedSocket {
    fn wake(&self, call: u64) {
        // Under the owner lock: a call taking the socket from the pool sets itself as owner
        // before probing it, so it either sees this shutdown (and drops the socket) or is not shut.
        let owner = self.owner.lock().unwrap_or_else(PoisonError::into_inner);
        if *owner == call {
            let _ = self.stream.shutdown(Shutdown::Both);
        }
    }
}

/// The error a connect or lookup ends with when its call was cancelled (the pipeline, seeing
/// the call's flag, reports the cancel itself).
pub(crate) fn cancelled_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "the call was cancelled")
}

/// A plain TCP connection as ureq's [`Transport`].
pub(crate) struct SocketTransport {
    /// Shared (weakly) with the agent's shutdown handle and the cancel of the call it serves.
    socket: Arc<SharedSocket>,
    /// The call this transport last registered with (0: none).
    attached: u64,
    buffers: LazyBuffers,
    read_timeout: ArmedTimeout,
    write_timeout: ArmedTimeout,
}

impl SocketTransport {
    fn new(socket: Arc<SharedSocket>, buffers: LazyBuffers, attached: u64) -> SocketTransport {
        SocketTransport {
            socket,
            attached,
            buffers,
            read_timeout: ArmedTimeout::default(),
            write_timeout: ArmedTimeout::default(),
        }
    }

    /// Makes the call running on this thread the socket's owner, registered to shut it down on
    /// cancel, unless it already is. Costs nothing while the same call goes on using it.
    fn attach(&mut self) {
        cancel::with_current(|watch| {
            let call = watch.map_or(0, CallWatch::id);
            if call == self.attached {
                return;
            }
            self.socket.set_owner(call);
            self.attached = call;
            if let Some(watch) = watch {
                watch.add_waker(Arc::downgrade(&self.socket) as Weak<dyn Waker>);
            }
        });
    }
}

impl fmt::Debug for SocketTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SocketTransport").field("peer", &self.socket.stream.peer_addr().ok()).finish()
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
        self.attach();
        let timeout = timeout.for_write();
        let wanted = time_left(&timeout)?;
        let stream = &self.socket.stream;
        self.write_timeout.arm(wanted, |t| stream.set_write_timeout(t))?;
        let output = &self.buffers.output()[..amount];
        (&self.socket.stream).write_all(output).map_err(|e| io_error(e, &timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.attach();
        let timeout = timeout.for_read();
        let wanted = time_left(&timeout)?;
        let stream = &self.socket.stream;
        self.read_timeout.arm(wanted, |t| stream.set_read_timeout(t))?;
        let started = Instant::now();
        let amount = loop {
            match (&self.socket.stream).read(self.buffers.input_append_buf()) {
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
        // Called as a call takes the connection from the pool (and as one returns it): the owner
        // is set before the probe, so a late cancel of the previous call that shut the socket
        // down is seen here, and one that comes after leaves the socket alone.
        self.attach();
        probe::is_open(&self.socket.stream)
    }
}

/// How often a pending connect looks at its call's cancel flag, at most (a cancel also shuts
/// the socket down, which on Linux ends the wait at once).
const CANCEL_POLL: Duration = Duration::from_millis(20);

/// Opening one connection, registered with the call's watch before the handshake starts.
mod connect {
    use super::{cancelled_error, SharedSocket, CANCEL_POLL};
    use crate::cancel::{CallWatch, Waker};
    use std::io;
    use std::net::{SocketAddr, TcpStream};
    use std::sync::{Arc, Weak};
    use std::time::Duration;
    #[cfg(unix)]
    use std::time::Instant;

    /// Connects to `addr` within `timeout` (`None`: the system's limit); a cancel of `watch`
    /// ends the attempt with [`cancelled_error`].
    #[cfg(unix)]
    pub(super) fn connect(
        addr: &SocketAddr,
        timeout: Option<Duration>,
        watch: Option<&CallWatch>,
    ) -> io::Result<Arc<SharedSocket>> {
        use std::os::fd::{AsRawFd, FromRawFd};
        let domain = if addr.is_ipv4() { libc::AF_INET } else { libc::AF_INET6 };
        // SAFETY: plain socket(2); the descriptor is owned by the TcpStream right after.
        let fd = unsafe { libc::socket(domain, libc::SOCK_STREAM, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh socket nobody else owns.
        let stream = unsafe { TcpStream::from_raw_fd(fd) };
        // SAFETY: fcntl on a descriptor we own.
        if unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) } < 0 {
            return Err(io::Error::last_os_error());
        }
        stream.set_nonblocking(true)?;
        let socket = SharedSocket::new(stream, watch.map_or(0, CallWatch::id));
        if let Some(watch) = watch {
            watch.add_waker(Arc::downgrade(&socket) as Weak<dyn Waker>);
        }
        let (storage, len) = raw_address(addr);
        // SAFETY: `storage` holds a sockaddr of `len` bytes for `addr`'s family.
        let rc = unsafe { libc::connect(fd, (&storage as *const libc::sockaddr_storage).cast(), len) };
        if rc < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EINPROGRESS) {
                return Err(e);
            }
            wait_connected(socket.stream.as_raw_fd(), timeout, watch)?;
        }
        socket.stream.set_nonblocking(false)?;
        Ok(socket)
    }

    /// Polls a pending non-blocking connect until it completes, fails, times out or is cancelled.
    #[cfg(unix)]
    fn wait_connected(fd: i32, timeout: Option<Duration>, watch: Option<&CallWatch>) -> io::Result<()> {
        let started = Instant::now();
        loop {
            if watch.is_some_and(CallWatch::is_cancelled) {
                return Err(cancelled_error());
            }
            let mut slice = CANCEL_POLL;
            if let Some(limit) = timeout {
                let left = limit.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "connection timed out"));
                }
                slice = slice.min(left);
            }
            let mut pfd = libc::pollfd { fd, events: libc::POLLOUT, revents: 0 };
            let ms = slice.as_millis().clamp(1, i32::MAX as u128) as i32;
            // SAFETY: one valid pollfd for the duration of the call.
            let n = unsafe { libc::poll(&mut pfd, 1, ms) };
            if n < 0 {
                let e = io::Error::last_os_error();
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            if n == 0 {
                continue;
            }
            if watch.is_some_and(CallWatch::is_cancelled) {
                return Err(cancelled_error());
            }
            let mut err: libc::c_int = 0;
            let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
            // SAFETY: SO_ERROR writes one int into `err`, whose size is in `len`.
            let rc = unsafe {
                libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ERROR, (&mut err as *mut libc::c_int).cast(), &mut len)
            };
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
            return if err == 0 { Ok(()) } else { Err(io::Error::from_raw_os_error(err)) };
        }
    }

    /// `addr` as the sockaddr connect(2) takes.
    #[cfg(unix)]
    fn raw_address(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
        // SAFETY: all-zero bytes are a valid sockaddr_storage.
        let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
        let len = match addr {
            SocketAddr::V4(a) => {
                // SAFETY: sockaddr_storage is large and aligned enough for any sockaddr.
                let sin = unsafe { &mut *(&mut storage as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in>() };
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = a.port().to_be();
                sin.sin_addr = libc::in_addr { s_addr: u32::from_ne_bytes(a.ip().octets()) };
                std::mem::size_of::<libc::sockaddr_in>()
            }
            SocketAddr::V6(a) => {
                // SAFETY: as above.
                let sin6 = unsafe { &mut *(&mut storage as *mut libc::sockaddr_storage).cast::<libc::sockaddr_in6>() };
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = a.port().to_be();
                sin6.sin6_addr = libc::in6_addr { s6_addr: a.ip().octets() };
                sin6.sin6_flowinfo = a.flowinfo();
                sin6.sin6_scope_id = a.scope_id();
                std::mem::size_of::<libc::sockaddr_in6>()
            }
        };
        (storage, len as libc::socklen_t)
    }

    /// Elsewhere: std's blocking connect; a cancel is seen once it returns.
    #[cfg(not(unix))]
    pub(super) fn connect(
        addr: &SocketAddr,
        timeout: Option<Duration>,
        watch: Option<&CallWatch>,
    ) -> io::Result<Arc<SharedSocket>> {
        let stream = match timeout {
            Some(t) => TcpStream::connect_timeout(addr, t)?,
            None => TcpStream::connect(addr)?,
        };
        let socket = SharedSocket::new(stream, watch.map_or(0, CallWatch::id));
        if let Some(watch) = watch {
            watch.add_waker(Arc::downgrade(&socket) as Weak<dyn Waker>);
        }
        if watch.is_some_and(CallWatch::is_cancelled) {
            return Err(cancelled_error());
        }
        Ok(socket)
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
    fn a_cancel_shuts_a_socket_only_while_it_serves_the_cancelled_call() {
        let (client, _server) = pair();
        let mut transport = SocketTransport::new(SharedSocket::new(client, 0), LazyBuffers::new(1024, 1024), 0);
        let first = crate::CancelToken::new();
        let guard = cancel::CallGuard::start([Some(&first), None], None);
        let first_id = guard.watch().id();
        // The first call takes the connection (the pool's probe attaches it), then returns.
        assert!(transport.is_open());
        assert_eq!(*transport.socket.owner.lock().unwrap(), first_id);
        drop(guard);
        // A second call takes it from the pool: its probe makes it the owner.
        let second = cancel::CallGuard::start([None, None], None);
        assert!(transport.is_open());
        assert_eq!(*transport.socket.owner.lock().unwrap(), second.watch().id());
        // A cancel that still reaches the first call (its wakers) leaves the socket alone...
        transport.socket.wake(first_id);
        assert!(probe::is_open(&transport.socket.stream), "shut down under another call");
        // ...and one of the call it serves shuts it down.
        transport.socket.wake(second.watch().id());
        assert!(!probe::is_open(&transport.socket.stream));
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
        let socket = connect_any(&addrs, Some(Duration::from_secs(5)), Timeout::Connect, None).unwrap();
        assert_eq!(socket.stream.peer_addr().unwrap(), open.local_addr().unwrap());
        let err = connect_any(&addrs[..1], Some(Duration::from_secs(5)), Timeout::Connect, None).unwrap_err();
        assert!(matches!(&err, Error::Io(e) if e.kind() == io::ErrorKind::ConnectionRefused), "{err:?}");
        assert!(matches!(connect_any(&[], None, Timeout::Connect, None), Err(Error::Io(_))));
    }
}
