//! Which server certificates are trusted, and how a failed TLS handshake reads.
//!
//! Trusted roots, in this order:
//! 1. the operating system's store, read with `rustls-native-certs` (on Linux the distribution's
//!    bundle and directory; `SSL_CERT_FILE` / `SSL_CERT_DIR` replace them when set; the keychain on
//!    macOS, the certificate store on Windows);
//! 2. when that store yields no certificate (minimal container images), the Mozilla roots
//!    compiled in from `webpki-root-certs`;
//! 3. plus, always, the certificates of the client's `ca_bundle` PEM file.
//!
//! The system store is read once per process, when the first client that can use TLS (an
//! `https://` base URL or proxy) is built.

use crate::error::{Error, Result};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use ureq::tls::{Certificate, PemItem, RootCerts};

/// The extra roots of a `ca_bundle` file, read and checked when the client is built.
#[derive(Clone)]
pub(crate) struct CaBundle {
    path: PathBuf,
    certs: Vec<Certificate<'static>>,
}

impl fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaBundle").field("path", &self.path).field("certificates", &self.certs.len()).finish()
    }
}

impl CaBundle {
    /// Reads a PEM file of root certificates. Fails with `invalid_input` (code
    /// `invalid_ca_bundle`) naming the path when the file cannot be read, holds no certificate,
    /// or holds one that is not a usable X.509 trust anchor.
    pub(crate) fn read(path: &Path) -> Result<CaBundle> {
        let bad = |why: String| Error::invalid("invalid_ca_bundle", format!("ca_bundle {}: {why}", path.display()));
        let pem = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => bad("no such file".into()),
            _ => bad(format!("cannot be read: {e}")),
        })?;
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(PemItem::Certificate(cert)) => certs.push(cert),
                Ok(_) => {}
                Err(e) => return Err(bad(format!("is not valid PEM: {e}"))),
            }
        }
        if certs.is_empty() {
            return Err(bad("holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into()));
        }
        let mut check = rustls::RootCertStore::empty();
        for (n, cert) in certs.iter().enumerate() {
            check
                .add(cert.der().to_vec().into())
                .map_err(|e| bad(format!("certificate {} is not a usable root certificate: {e}", n + 1)))?;
        }
        Ok(CaBundle { path: path.to_path_buf(), certs })
    }

    /// The file the roots came from.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

/// The root set for an agent: the system's (or the bundled Mozilla) roots, plus `extra`.
pub(crate) fn root_certs(extra: Option<&CaBundle>) -> RootCerts {
    let base = default_roots();
    match extra {
        None => RootCerts::Specific(Arc::clone(base)),
        Some(bundle) => {
            let mut all = Vec::with_capacity(base.len() + bundle.certs.len());
            all.extend(base.iter().cloned());
            all.extend(bundle.certs.iter().cloned());
            RootCerts::Specific(Arc::new(all))
        }
    }
}

/// An empty root set, for an agent that never makes a TLS connection (plain `http://` to the
/// base URL, no `https://` proxy): every certificate would be refused.
pub(crate) fn no_roots() -> RootCerts {
    RootCerts::Specific(Arc::new(Vec::new()))
}

/// The operating system's roots, or the bundled Mozilla roots where the system has none.
fn default_roots() -> &'static Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let system = rustls_native_certs::load_native_certs().certs;
        let roots: Vec<Certificate<'static>> = if system.is_empty() {
            webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().map(|c| Certificate::from_der(c).to_owned()).collect()
        } else {
            system.iter().map(|c| Certificate::from_der(c).to_owned()).collect()
        };
        Arc::new(roots)
    })
}

/// When an I/O error is rustls refusing the handshake (the server's certificate, or no common
/// protocol), the message to report: nothing was sent, and no retry can succeed.
pub(crate) fn handshake_failure(io: &std::io::Error) -> Option<String> {
    use rustls::AlertDescription;
    let tls = io.get_ref()?.downcast_ref::<rustls::Error>()?;
    let hint = match tls {
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
            " (the certificate's issuer is not a trusted root: add its CA certificate with ca_bundle or SSL_CERT_FILE)"
        }
        rustls::Error::InvalidCertificate(_) => "",
        rustls::Error::PeerIncompatible(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::UnsupportedNameType
        | rustls::Error::InappropriateHandshakeMessage { .. } => "",
        // The server refusing the handshake; alerts that may come later (close_notify, a record
        // error mid-response) are not in this list.
        rustls::Error::AlertReceived(
            AlertDescription::HandshakeFailure
            | AlertDescription::BadCertificate
            | AlertDescription::UnsupportedCertificate
            | AlertDescription::CertificateRevoked
            | AlertDescription::CertificateExpired
            | AlertDescription::CertificateUnknown
            | AlertDescription::UnknownCA
            | AlertDescription::ProtocolVersion
            | AlertDescription::InsufficientSecurity
            | AlertDescription::CertificateRequired
            | AlertDescription::UnrecognisedName,
        ) => "",
        _ => return None,
    };
    Some(format!("TLS handshake failed: {tls}{hint}"))
}

/// Not API (feature `test-hooks`): how many roots the system store (or its fallback) gave, read
/// as every client reads it — for tests of `SSL_CERT_FILE`, `SSL_CERT_DIR` and the fallback.
#[cfg(feature = "test-hooks")]
pub(crate) fn default_root_count() -> usize {
    default_roots().len()
}
