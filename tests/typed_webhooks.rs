//! Webhook signatures against HMACs computed outside the crate's own `sign`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use trillet::webhooks::{self, EventType, WebhookError};

const BODY: &[u8] =
    br#"{"event":"call.completed","data":{"callId":"c1","agentId":"a1","duration":125,"status":"completed"}}"#;
/// `printf '%s' "$BODY" | openssl sha256 -hmac "whsec_test_secret"`: the documented recipe, run
/// once by hand; the secret is used as issued, `whsec_` prefix included.
const OPENSSL_SIGNATURE: &str = "1014c3b86fa6bfa6d85bc2ef3c505169710a16dcc5c353bbbaf67a5e810a1b54";

fn independent_hmac(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_documented_openssl_recipe_verifies() {
    assert_eq!(independent_hmac("whsec_test_secret", BODY), OPENSSL_SIGNATURE);
    webhooks::verify("whsec_test_secret", BODY, OPENSSL_SIGNATURE).unwrap();
    webhooks::verify("whsec_test_secret", BODY, &format!("sha256={}", OPENSSL_SIGNATURE.to_uppercase())).unwrap();
    assert_eq!(webhooks::sign("whsec_test_secret", BODY), OPENSSL_SIGNATURE);
    let event = webhooks::construct_event("whsec_test_secret", BODY, OPENSSL_SIGNATURE).unwrap();
    assert_eq!(event.event, EventType::CallCompleted);
    assert_eq!(event.data["callId"], "c1");
}

#[test]
fn every_one_byte_change_is_rejected() {
    for i in 0..BODY.len() {
        let mut changed = BODY.to_vec();
        changed[i] ^= 0x01;
        assert_eq!(
            webhooks::verify("whsec_test_secret", &changed, OPENSSL_SIGNATURE),
            Err(WebhookError::SignatureMismatch),
            "byte {i}"
        );
    }
    // The secret without its prefix is a different key.
    assert_eq!(webhooks::verify("test_secret", BODY, OPENSSL_SIGNATURE), Err(WebhookError::SignatureMismatch));
    // A changed signature digit too.
    let mut sig = OPENSSL_SIGNATURE.to_string();
    sig.replace_range(0..1, "2");
    assert_eq!(webhooks::verify("whsec_test_secret", BODY, &sig), Err(WebhookError::SignatureMismatch));
}

#[test]
fn signatures_match_an_independent_hmac_for_random_bodies() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    for len in [0usize, 1, 63, 64, 65, 1000] {
        let body: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let expected = independent_hmac("whsec_k", &body);
        assert_eq!(webhooks::sign("whsec_k", &body), expected);
        webhooks::verify("whsec_k", &body, &expected).unwrap();
    }
}
