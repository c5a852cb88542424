//! Which server certificates are trusted, and how a failed TLS handshake reads.
//!
//! Trusted roots, in this order:
//! 1. the operating system's store: on Linux and the other Unixes the distribution's bundle file
//!    (`/etc/ssl/certs/ca-certificates.crt`, ...) alone when it holds certificates, its hashed
//!    directory (`/etc/ssl/certs`) only when there is no usable bundle; `SSL_CERT_FILE` /
//!    `SSL_CERT_DIR` replace both when set (read as `rustls-native-certs` reads them); the
//!    keychain on macOS, the certificate store on Windows;
//! 2. when that store yields no certificate (minimal container images), the Mozilla roots
//!    compiled in from `webpki-root-certs` with the `bundled-roots` feature; without it, and
//!    without a `ca_bundle`, building a client that can use TLS fails with `no_trusted_roots`;
//! 3. plus, always, the certificates of the client's `ca_bundle` PEM file.
//!
//! The system store is read once per process, when the first client that can use TLS (an
//! `https://` base URL or proxy) is built; every later client reuses the parsed roots. Reading the
//! bundle and not also the directory's ~150 files of the same certificates is what keeps a new
//! process's first client near a millisecond: on Debian/Ubuntu/Alpine/Fedora the bundle is built
//! from the same sources as the directory (`update-ca-certificates`, `update-ca-trust`). A
//! certificate dropped into the directory alone, without regenerating the bundle, is trusted
//! only with `SSL_CERT_DIR` set (or as a `ca_bundle`).

use crate::error::{Error, Result};
use rustls::pki_types::CertificateDer;
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
            _ => bad(format!("cannot be read: {}", crate::error::plain_io_error(&e))),
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
pub(crate) fn root_certs(extra: Option<&CaBundle>) -> Result<RootCerts> {
    combine_roots(default_roots(), extra)
}

/// `base` plus `extra`; refused when that trusts nothing (no server could ever be reached).
fn combine_roots(base: &Arc<Vec<Certificate<'static>>>, extra: Option<&CaBundle>) -> Result<RootCerts> {
    if base.is_empty() && extra.is_none() {
        return Err(Error::invalid(
            "no_trusted_roots",
            "no trusted root certificates: the system's store is empty or missing; install the ca-certificates \
             package, set SSL_CERT_FILE to a PEM bundle, or pass ca_bundle",
        ));
    }
    Ok(match extra {
        None => RootCerts::Specific(Arc::clone(base)),
        Some(bundle) => {
            let mut all = Vec::with_capacity(base.len() + bundle.certs.len());
            all.extend(base.iter().cloned());
            all.extend(bundle.certs.iter().cloned());
            RootCerts::Specific(Arc::new(all))
        }
    })
}

/// An empty root set, for an agent that never makes a TLS connection (plain `http://` to the
/// base URL, no `https://` proxy): every certificate would be refused.
pub(crate) fn no_roots() -> RootCerts {
    RootCerts::Specific(Arc::new(Vec::new()))
}

/// The operating system's roots, or (feature `bundled-roots`) the Mozilla roots where the system
/// has none: read once per process.
fn default_roots() -> &'static Arc<Vec<Certificate<'static>>> {
    static ROOTS: OnceLock<Arc<Vec<Certificate<'static>>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        #[cfg(test)]
        SYSTEM_STORE_READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let system = system_roots();
        #[cfg(feature = "bundled-roots")]
        if system.is_empty() {
            let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter();
            return Arc::new(mozilla.map(|c| Certificate::from_der(c).to_owned()).collect());
        }
        let roots: Vec<Certificate<'static>> =
            system.into_iter().map(|c| Certificate::from_der(&c).to_owned()).collect();
        Arc::new(roots)
    })
}

/// How many times this process read the system store (unit tests only).
#[cfg(test)]
static SYSTEM_STORE_READS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The system's certificates (DER). Off Linux and the other OpenSSL-layout Unixes, and where
/// `SSL_CERT_FILE` / `SSL_CERT_DIR` name anything but a bundle inside the named directory,
/// exactly what `rustls-native-certs` reads (the file and every directory).
fn system_roots() -> Vec<CertificateDer<'static>> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
        let dirs: Vec<PathBuf> = std::env::var_os("SSL_CERT_DIR")
            .map(|d| std::env::split_paths(&d).filter(|p| !p.as_os_str().is_empty()).collect())
            .unwrap_or_default();
        if file.is_none() && dirs.is_empty() {
            let found = openssl_probe::probe();
            return bundle_or_directories(found.cert_file.as_deref(), &found.cert_dir);
        }
        // The system's own layout spelled out in the environment (many images set
        // SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt and SSL_CERT_DIR=/etc/ssl/certs).
        if let Some(file) = file.as_deref().filter(|f| bundle_is_in(f, &dirs)) {
            return bundle_or_directories(Some(file), &dirs);
        }
    }
    rustls_native_certs::load_native_certs().certs
}

/// Whether `file` lies in one of `dirs`: the layout of `update-ca-certificates` (and
/// `update-ca-trust`), where the bundle is the directory's certificates in one file.
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn bundle_is_in(file: &Path, dirs: &[PathBuf]) -> bool {
    file.parent().is_some_and(|parent| dirs.iter().any(|d| d == parent))
}

/// The bundle file's certificates when it has any; the directories' only otherwise (the bundle
/// is the directory's certificates in one file: reading both reads every root twice, and the
/// directory costs one open per certificate).
#[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
fn bundle_or_directories(file: Option<&Path>, dirs: &[PathBuf]) -> Vec<CertificateDer<'static>> {
    if let Some(file) = file {
        let bundle = rustls_native_certs::load_certs_from_paths(Some(file), None).certs;
        if !bundle.is_empty() {
            return bundle;
        }
    }
    let mut certs: Vec<CertificateDer<'static>> =
        dirs.iter().flat_map(|dir| rustls_native_certs::load_certs_from_paths(None, Some(dir)).certs).collect();
    certs.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
    certs.dedup();
    certs
}

/// Fails with `invalid_input` (code `missing_ssl_cert_path`) when `SSL_CERT_FILE` or an entry of
/// `SSL_CERT_DIR` names a path that does not exist: the roots they replace the system's with
/// would silently be none, and every TLS connection refused for a reason far from its cause.
pub(crate) fn check_env_paths() -> Result<()> {
    let missing = |var: &str, path: &Path| {
        Error::invalid(
            "missing_ssl_cert_path",
            format!(
                "{var} names {}, which does not exist: point it at the trusted root certificates \
                 (a PEM file for SSL_CERT_FILE, a directory for SSL_CERT_DIR) or unset it",
                path.display()
            ),
        )
    };
    if let Some(file) = std::env::var_os("SSL_CERT_FILE").filter(|f| !f.is_empty()) {
        let file = PathBuf::from(file);
        if !file.exists() {
            return Err(missing("SSL_CERT_FILE", &file));
        }
    }
    if let Some(dirs) = std::env::var_os("SSL_CERT_DIR") {
        if let Some(dir) = std::env::split_paths(&dirs).find(|d| !d.as_os_str().is_empty() && !d.exists()) {
            return Err(missing("SSL_CERT_DIR", &dir));
        }
    }
    Ok(())
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
    Some(format!("TLS handshake failed: {}{hint}", camel_to_words(&tls.to_string())))
}

/// rustls names some problems by their Rust variant (`invalid peer certificate: UnknownIssuer`,
/// `received fatal alert: HandshakeFailure`): each CamelCase word becomes lowercase words
/// (`unknown issuer`). Acronyms (`TLS`) and ordinary words are left as they are.
fn camel_to_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, token) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let word = token.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        let camel = word.len() > 1
            && word.starts_with(|c: char| c.is_ascii_uppercase())
            && word.chars().all(|c| c.is_ascii_alphanumeric())
            && word.as_bytes().windows(2).any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
        if !camel {
            out.push_str(token);
            continue;
        }
        for (j, c) in word.chars().enumerate() {
            if c.is_ascii_uppercase() && j > 0 {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        }
        out.push_str(&token[word.len()..]);
    }
    out
}

/// Not API (feature `test-hooks`): how many roots the system store (or its fallback) gave, read
/// as every client reads it — for tests of `SSL_CERT_FILE`, `SSL_CERT_DIR` and the fallback.
#[cfg(feature = "test-hooks")]
pub(crate) fn default_root_count() -> usize {
    default_roots().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_root_set_without_a_ca_bundle_is_refused_naming_the_fixes() {
        let none = Arc::new(Vec::new());
        let e = combine_roots(&none, None).expect_err("an empty set is refused");
        assert_eq!((e.kind(), e.code()), ("invalid_input", "no_trusted_roots"));
        for fix in ["ca-certificates", "SSL_CERT_FILE", "ca_bundle"] {
            assert!(e.message().contains(fix), "{}", e.message());
        }
        let dir = std::env::temp_dir().join(format!("trillet-empty-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ca.pem");
        std::fs::write(&path, ca_pem("only-bundle").0).unwrap();
        let bundle = CaBundle::read(&path).unwrap();
        assert!(matches!(combine_roots(&none, Some(&bundle)), Ok(RootCerts::Specific(r)) if r.len() == 1));
    }

    fn ca_pem(name: &str) -> (String, Vec<u8>) {
        let ca = rcgen::generate_simple_self_signed(vec![name.to_string()]).unwrap();
        (ca.cert.pem(), ca.cert.der().to_vec())
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("trillet-tls-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_bundle_alone_is_read_when_it_holds_certificates() {
        let root = temp_dir("bundle");
        let (bundle_pem, bundle_der) = ca_pem("bundle.test");
        let (dir_pem, dir_der) = ca_pem("directory.test");
        let bundle = root.join("ca-certificates.crt");
        std::fs::write(&bundle, &bundle_pem).unwrap();
        let dir = root.join("certs");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("0123abcd.0"), &dir_pem).unwrap();
        let ders = |certs: Vec<CertificateDer<'static>>| certs.iter().map(|c| c.to_vec()).collect::<Vec<_>>();
        let (only_bundle, only_dir) = (vec![bundle_der], vec![dir_der]);

        let dirs = [dir.clone()];
        assert_eq!(ders(bundle_or_directories(Some(&bundle), &dirs)), only_bundle, "the directory is not read");
        assert_eq!(ders(bundle_or_directories(None, &dirs)), only_dir, "no bundle: the directory");
        let empty = root.join("empty.crt");
        std::fs::write(&empty, "no certificates here\n").unwrap();
        assert_eq!(ders(bundle_or_directories(Some(&empty), &dirs)), only_dir, "an empty bundle");
        assert_eq!(ders(bundle_or_directories(Some(&root.join("missing.crt")), &dirs)), only_dir, "no such file");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_bundle_counts_as_the_directory_only_when_it_lies_in_it() {
        let dirs = [PathBuf::from("/etc/ssl/certs/")];
        assert!(bundle_is_in(Path::new("/etc/ssl/certs/ca-certificates.crt"), &dirs));
        assert!(!bundle_is_in(Path::new("/opt/corp/roots.pem"), &dirs), "a bundle of one's own: both are read");
        assert!(!bundle_is_in(Path::new("/etc/ssl/certs/ca-certificates.crt"), &[]));
    }

    #[test]
    fn rust_variant_names_read_as_words() {
        assert_eq!(
            camel_to_words("invalid peer certificate: UnknownIssuer"),
            "invalid peer certificate: unknown issuer"
        );
        assert_eq!(
            camel_to_words("received fatal alert: HandshakeFailure."),
            "received fatal alert: handshake failure."
        );
        assert_eq!(camel_to_words("TLS Expired not valid for name"), "TLS Expired not valid for name");
    }

    #[test]
    fn the_system_store_is_read_once_per_process() {
        for _ in 0..3 {
            let client = crate::Client::builder().ignore_env().api_key("k").build().unwrap();
            assert!(client.config().base_url().starts_with("https://"));
        }
        assert_eq!(SYSTEM_STORE_READS.load(std::sync::atomic::Ordering::Relaxed), 1);
    }
}
