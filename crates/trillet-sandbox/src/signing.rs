//! How the sandbox signs what it sends, in its own code (HMAC-SHA256 of RFC 2104 over the `sha2`
//! digest), from the descriptions alone: the `trillet` scheme as the spec gives it
//! (`echo -n "$PAYLOAD" | openssl sha256 -hmac "$WEBHOOK_SECRET"`: lower-case hex of the HMAC
//! of the raw body, keyed with the secret as issued) and the `standard` scheme as Standard
//! Webhooks specifies it (key: the base64 after `whsec_`; content `{id}.{timestamp}.{body}`;
//! `webhook-signature: v1,<base64>`). The client's verifier checks these signatures in the
//! sandbox's webhook tests, so a verifier and a signer that drift apart are caught.

use crate::WebhookEndpoint;
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};
use trillet::webhooks::Scheme;

/// HMAC-SHA256 (RFC 2104; SHA-256 reads 64-byte blocks).
pub(crate) fn hmac_sha256(key: &[u8], message: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let mut inner = Sha256::new_with_prefix(pad(0x36));
    for part in message {
        inner.update(part);
    }
    let mut outer = Sha256::new_with_prefix(pad(0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Standard base64 (RFC 4648 §4), padding optional; `None` for anything else.
fn unbase64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let data = text.trim_end_matches('=');
    if text.len() - data.len() > 2 || data.len() % 4 == 1 {
        return None;
    }
    let sextets: Vec<u32> =
        data.bytes().map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for group in sextets.chunks(4) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, s)| n | s << (18 - 6 * i));
        out.extend_from_slice(&n.to_be_bytes()[1..group.len()]);
    }
    Some(out)
}

/// The headers that sign message `id` (sent at `timestamp`) for an endpoint, or why the
/// endpoint's secret cannot sign in its scheme.
pub(crate) fn headers(
    to: &WebhookEndpoint,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<Vec<(String, String)>, String> {
    let (scheme, secret) = (to.scheme, to.secret.as_str());
    if secret.is_empty() {
        return Err("`secret` must not be empty".into());
    }
    if scheme == Scheme::Standard {
        let key = unbase64(secret.strip_prefix("whsec_").unwrap_or(secret))
            .filter(|k| !k.is_empty())
            .ok_or("`secret` must be base64 after `whsec_` for the standard scheme")?;
        let signed = hmac_sha256(&key, &[id.as_bytes(), b".", timestamp.to_string().as_bytes(), b".", body]);
        return Ok(vec![
            ("webhook-id".into(), id.into()),
            ("webhook-timestamp".into(), timestamp.to_string()),
            ("webhook-signature".into(), format!("v1,{}", crate::codec::base64(&signed))),
        ]);
    }
    Ok(vec![("X-Trillet-Signature".into(), hex(&hmac_sha256(secret.as_bytes(), &[body])))])
}

/// A fresh `webhook-id`: `msg_` and 24 hex digits.
pub(crate) fn message_id() -> String {
    format!("msg_{:016x}{:08x}", crate::codec::random_seed(), crate::codec::random_seed() as u32)
}

/// Seconds since the Unix epoch.
pub(crate) fn now_unix() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_as_rfc_4231_states_it() {
        // Test cases 1, 2 and 6 (a key longer than a block).
        let case1 = hmac_sha256(&[0x0b; 20], &[b"Hi There"]);
        assert_eq!(hex(&case1), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        let case2 = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(hex(&case2), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        let case6 = hmac_sha256(&[0xaa; 131], &[b"Test Using Larger Than Block-Size Key - Hash Key First"]);
        assert_eq!(hex(&case6), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    #[test]
    fn base64_secrets() {
        assert_eq!(unbase64("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(unbase64("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(unbase64("Zm9vYg").unwrap(), b"foob");
        assert!(unbase64("Zm9v!").is_none());
        assert!(unbase64("Z").is_none());
        assert!(unbase64("Zg===").is_none());
    }

    #[test]
    fn headers_of_both_schemes() {
        let to = |secret: &str, scheme| WebhookEndpoint::new("http://127.0.0.1:1/", secret, scheme);
        let trillet = headers(&to("whsec_x", Scheme::Trillet), "", 0, b"{}").unwrap();
        assert_eq!(trillet, vec![("X-Trillet-Signature".to_string(), hex(&hmac_sha256(b"whsec_x", &[b"{}"])))]);
        let standard = headers(&to("whsec_Zm9vYmFy", Scheme::Standard), "msg_1", 7, b"{}").unwrap();
        let expected = crate::codec::base64(&hmac_sha256(b"foobar", &[b"msg_1.7.{}"]));
        assert_eq!(standard[2], ("webhook-signature".to_string(), format!("v1,{expected}")));
        assert!(headers(&to("whsec_***", Scheme::Standard), "m", 0, b"").is_err());
        assert!(headers(&to("", Scheme::Trillet), "m", 0, b"").is_err());
        assert!(message_id().starts_with("msg_") && message_id().len() == 28);
    }
}
