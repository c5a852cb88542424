//! Telling a cancelled call that sent nothing (`not_sent`) from one the API may have acted on
//! (`maybe_sent`): the last link of the connector chain marks the call as sent when HTTP request
//! bytes go out.
//!
//! It sits above TLS, so handshake bytes (and the socket's own writes) never count. Through a
//! proxy, the chain also runs for the connection to the proxy ([`Tunnel`] marks that run): the
//! marker made there stays inactive, so neither the CONNECT nor the TLS handshake with the API
//! through the tunnel counts. What counts is a byte of the request for the API (Go net/http's
//! rule for a request that "was not written").

use crate::cancel;
use std::cell::Cell;
use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, Either, NextTimeout, Transport,
};
use ureq::Error;

thread_local! {
    /// Set while the connection to a proxy is being made on this thread.
    static IN_TUNNEL_SETUP: Cell<bool> = const { Cell::new(false) };
}

/// ureq's CONNECT proxy connector, with the tunnel's setup marked as such.
#[derive(Debug, Default)]
pub(crate) struct Tunnel(ConnectProxyConnector);

impl<In: Transport> Connector<In> for Tunnel {
    type Out = Either<In, Box<dyn Transport>>;

    fn connect(&self, details: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        let outer = IN_TUNNEL_SETUP.with(|f| f.replace(true));
        let result = self.0.connect(details, chained);
        IN_TUNNEL_SETUP.with(|f| f.set(outer));
        result
    }
}

/// Wraps the finished transport in [`Marked`]: active for the connection to the API, inactive
/// for the one to a proxy that carries it.
#[derive(Debug)]
pub(crate) struct MarkSent;

impl<In: Transport> Connector<In> for MarkSent {
    type Out = Marked<In>;

    fn connect(&self, _: &ConnectionDetails, chained: Option<In>) -> Result<Option<Self::Out>, Error> {
        let active = !IN_TUNNEL_SETUP.with(Cell::get);
        Ok(chained.map(|inner| Marked { inner, active }))
    }
}

/// A transport whose writes (when active) are the HTTP request: each marks the current call
/// as sent.
#[derive(Debug)]
pub(crate) struct Marked<T> {
    inner: T,
    active: bool,
}

impl<T: Transport> Transport for Marked<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        if self.active {
            // Before the write: a write cut short may still have put bytes on the wire.
            cancel::with_current(|watch| watch.map(cancel::CallWatch::mark_sent));
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn maybe_await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.inner.maybe_await_input(timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        self.inner.await_input(timeout)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
