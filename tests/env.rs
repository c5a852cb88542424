//! Environment fallbacks. One test in its own binary, because it sets process-wide variables.

mod common;
mod ffi_support;

use ffi_support::*;
use mockito::Server;
use serde_json::json;
use std::ptr;
use trillet::ffi::*;

#[test]
fn settings_fall_back_to_the_environment_and_explicit_values_win() {
    let mut server = Server::new();
    std::env::set_var("TRILLET_API_KEY", "sk_from_env");
    std::env::set_var("TRILLET_WORKSPACE_ID", "64a1b2c3d4e5f6a7b8c9d0ff");
    std::env::set_var("TRILLET_BASE_URL", server.url());
    let from_env = server
        .mock("GET", "/v1/api/agents")
        .match_header("x-api-key", "sk_from_env")
        .match_header("x-workspace-id", "64a1b2c3d4e5f6a7b8c9d0ff")
        .with_body("[]")
        .expect(1)
        .create();
    let c = trillet::Client::from_env().unwrap();
    assert_eq!(c.config().base_url(), server.url());
    c.call("agents.list", json!({})).unwrap();
    from_env.assert();

    let explicit = server
        .mock("GET", "/v1/api/agents")
        .match_header("x-api-key", "sk_explicit")
        .match_header("x-workspace-id", common::WORKSPACE)
        .with_body("[]")
        .expect(1)
        .create();
    let c = trillet::Client::builder().api_key("sk_explicit").workspace_id(common::WORKSPACE).build().unwrap();
    c.call("agents.list", json!({})).unwrap();
    explicit.assert();

    std::env::set_var("TRILLET_BASE_URL", "http://example.com");
    let e = trillet::Client::from_env().unwrap_err();
    assert_eq!(e.code(), "insecure_base_url", "an insecure URL from the environment is refused too");
    // Ignoring the environment ignores its key too: no key is an error when the client is built.
    let e = trillet::Client::builder().ignore_env().build().unwrap_err();
    assert_eq!((e.kind(), e.code()), ("invalid_input", "missing_api_key"));
    let ignored = trillet::Client::builder().ignore_env().api_key("sk_given").build().unwrap();
    assert_eq!(ignored.config().base_url(), "https://api.trillet.ai");

    // The C ABI's config key "ignore_env" does the same for trillet_client_new.
    let insecure_from_env = ffi_support::c("{}");
    let mut err = ptr::null_mut();
    assert!(unsafe { trillet_client_new(insecure_from_env.as_ptr(), &mut err) }.is_null());
    assert_eq!(json(&take(err))["error"]["code"], "insecure_base_url", "without ignore_env the URL is read");
    unsafe { trillet_client_free(client(r#"{"api_key":"k","ignore_env":true}"#)) };

    std::env::set_var("TRILLET_BASE_URL", server.url());
    let config = format!(r#"{{"api_key":"sk_explicit","base_url":"{}","max_retries":0"#, server.url());
    let with_env = client(&format!("{config}}}"));
    let sent_env_workspace = server
        .mock("GET", "/v1/api/agents")
        .match_header("x-workspace-id", "64a1b2c3d4e5f6a7b8c9d0ff")
        .with_body("[]")
        .expect(1)
        .create();
    assert_eq!(call(with_env, "agents.list", None), (OK, "[]".to_string()));
    sent_env_workspace.assert();
    let hermetic = client(&format!(r#"{config},"ignore_env":true}}"#));
    assert_error(call(hermetic, "agents.list", None), INVALID, "invalid_input", "missing_workspace_id");
    unsafe {
        trillet_client_free(with_env);
        trillet_client_free(hermetic);
    }

    for v in ["TRILLET_API_KEY", "TRILLET_WORKSPACE_ID", "TRILLET_BASE_URL"] {
        std::env::remove_var(v);
    }
}
