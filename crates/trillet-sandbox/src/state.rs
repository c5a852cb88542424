//! What every request thread of one sandbox shares: its settings, the store, the fault queue,
//! the request log and the rate-limit window.

use super::faults::FaultQueue;
use super::rate_limit::RateWindow;
use super::store::Store;
use super::webhooks::Deliveries;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// The shared state of one running sandbox.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The accepted API key.
    pub api_key: String,
    /// The default workspace id.
    pub workspace_id: String,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The listening address.
    pub local_addr: SocketAddr,
    /// All documents.
    pub store: Mutex<Store>,
    /// Queued faults.
    pub faults: Mutex<FaultQueue>,
    /// Every API request received, oldest first.
    pub log: Mutex<Vec<Value>>,
    /// The rate limit, when emulated.
    pub limiter: Option<Mutex<RateWindow>>,
    /// Webhook endpoints, deliveries in flight and their log.
    pub webhooks: Arc<Deliveries>,
    request_counter: AtomicU64,
}

impl Shared {
    /// Fresh state for a sandbox.
    pub fn new(
        api_key: String,
        workspace_id: String,
        local_addr: SocketAddr,
        rate_limit_per_minute: Option<u32>,
        webhooks: Deliveries,
    ) -> Shared {
        Shared {
            store: Mutex::new(Store::new(&workspace_id)),
            base_url: format!("http://{local_addr}"),
            api_key,
            workspace_id,
            local_addr,
            faults: Mutex::new(FaultQueue::default()),
            log: Mutex::new(Vec::new()),
            limiter: rate_limit_per_minute.map(|n| Mutex::new(RateWindow::new(n))),
            request_counter: AtomicU64::new(0),
            webhooks: Arc::new(webhooks),
        }
    }

    /// A new id for the `x-request-id` header.
    pub fn next_request_id(&self) -> String {
        let n = self.request_counter.fetch_add(1, Ordering::Relaxed) + 1;
        format!("sandbox{:016x}", n)
    }

    /// Clears every document, queued fault, logged request and the rate-limit window; webhook
    /// endpoints go back to the startup ones, with an empty delivery log.
    pub fn reset(&self) {
        self.webhooks.restore();
        *lock(&self.store) = Store::new(&self.workspace_id);
        lock(&self.faults).clear();
        lock(&self.log).clear();
        if let Some(limiter) = &self.limiter {
            lock(limiter).reset();
        }
    }
}

/// Locks a mutex, ignoring poisoning (a panicking request must not take the sandbox down).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
