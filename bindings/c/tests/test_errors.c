/*
 * Every error status through the sandbox, and the retry rules via its fault injection, with the
 * number of requests the sandbox saw as the proof.
 */
#include "harness.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNKNOWN_ID "0123456789abcdef01234567"
#define RETRY_NOW_503 "{\"type\":\"status\",\"status\":503,\"body\":{\"error\":{\"code\":\"service_unavailable\",\"message\":\"try later\"}},\"headers\":{\"Retry-After\":\"0\"}}"

static void api_error_for_an_unknown_id(void) {
    FRESH_CLIENT(client, 0, 10000);
    struct result r = call(client, "agents.get", "{\"path\":{\"agentId\":\"" UNKNOWN_ID "\"}}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "not_found"), r.json);
    CHECK_MSG(int_field(r.json, "status") == 404, r.json);
    result_free(&r);
    trillet_client_free(client);
}

static void api_error_for_a_wrong_key(void) {
    char config[512];
    char *error = NULL;
    if (sandbox_url() == NULL) {
        CHECK(sandbox_url() != NULL);
        return;
    }
    snprintf(config, sizeof config,
             "{\"api_key\":\"sk_wrong\",\"workspace_id\":\"%s\",\"base_url\":\"%s\",\"ignore_env\":true}",
             SANDBOX_WORKSPACE_ID, sandbox_url());
    TrilletClient *client = trillet_client_new(config, &error);
    CHECK_MSG(client != NULL, error);
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "unauthorized"), r.json);
    CHECK_MSG(int_field(r.json, "status") == 401, r.json);
    CHECK_MSG(!has(r.json, "sk_wrong"), r.json);
    result_free(&r);
    trillet_client_free(client);
    trillet_string_free(error);
}

static void api_error_fields_from_an_injected_fault(void) {
    FRESH_CLIENT(client, 0, 10000);
    CHECK(sandbox_fault(client, "calls.initiate", 1,
                        "{\"type\":\"status\",\"status\":400,\"body\":{\"error\":{\"code\":\"invalid_number\","
                        "\"message\":\"The provided phone number is invalid\"}}}"));
    /* A valid number, so the request is sent and the injected answer comes back. */
    struct result r = call(client, "calls.initiate", "{\"body\":{\"to\":\"+14155551234\",\"call_agent_id\":\"" UNKNOWN_ID "\"}}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "invalid_number"), r.json);
    CHECK_MSG(int_field(r.json, "status") == 400, r.json);
    CHECK_MSG(has(r.json, "\"message\":\"The provided phone number is invalid\""), r.json);
    CHECK_MSG(has(r.json, "\"body\":{\"error\":{"), r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "calls.initiate") == 1);
    trillet_client_free(client);
}

static void invalid_input_is_refused_before_sending(void) {
    char config[512];
    FRESH_CLIENT(control, 0, 10000);
    /* ignore_env: a TRILLET_WORKSPACE_ID in the environment must not fill the gap. */
    snprintf(config, sizeof config, "{\"api_key\":\"%s\",\"base_url\":\"%s\",\"ignore_env\":true}",
             SANDBOX_API_KEY, sandbox_url());
    TrilletClient *client = trillet_client_new(config, NULL);
    CHECK(client != NULL);
    if (client == NULL) {
        trillet_client_free(control);
        return;
    }
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "missing_workspace_id"), r.json);
    CHECK(sandbox_count(control, "agents.list") == 0);
    result_free(&r);
    r = call(control, "agents.create", "{\"body\":" AGENT_BODY ",\"files\":[{\"field\":\"f\"}]}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_file"), r.json);
    result_free(&r);
    CHECK(sandbox_count(control, "agents.create") == 0);
    trillet_client_free(client);
    trillet_client_free(control);
}

/* A body field the spec requires, missing, null or blank: refused by the core, nothing sent. */
static void a_missing_required_field_is_refused_before_sending(void) {
    FRESH_CLIENT(client, 0, 10000);
    const char *bodies[] = {
        "{\"body\":{\"name\":\"No voice\",\"llmModel\":\"gpt-4o-mini\"}}",
        "{\"body\":{\"name\":\"Null voice\",\"ttsModel\":null}}",
        "{\"body\":{\"name\":\"Blank voice\",\"ttsModel\":\"  \"}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct result r = call(client, "agents.create", bodies[i]);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "missing_field"), r.json);
        CHECK_MSG(has(r.json, "agents.create needs the body field \\\"ttsModel\\\"") && has(r.json, "nothing was sent"),
                  r.json);
        result_free(&r);
    }
    struct result r = call(client, "calls.initiate", "{\"body\":{\"call_agent_id\":\"" UNKNOWN_ID "\"}}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "missing_field") && has(r.json, "\\\"to\\\""),
              r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.create") == 0);
    CHECK(sandbox_count(client, "calls.initiate") == 0);
    /* The escape hatch is not checked: the same body by method and path reaches the server. */
    r = request(client, "POST", "/v1/api/agents", "{\"body\":{\"name\":\"No voice\"}}");
    CHECK_MSG(r.status != TRILLET_ERR_INVALID_INPUT, r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.create") == 1);
    trillet_client_free(client);
}

/* A `to` that is not E.164 is refused through the C ABI as invalid_number, nothing sent. */
static void a_non_e164_number_is_refused_before_sending(void) {
    FRESH_CLIENT(client, 0, 10000);
    const char *numbers[] = {"12345", "4155551234", "+1 415 555 1234", "+1234567"};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        char req[256];
        snprintf(req, sizeof req, "{\"body\":{\"to\":\"%s\",\"call_agent_id\":\"" UNKNOWN_ID "\"}}", numbers[i]);
        struct result r = call(client, "calls.initiate", req);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_number"), r.json);
        CHECK_MSG(has(r.json, "E.164") && has(r.json, numbers[i]), r.json);
        CHECK_MSG(int_field(r.json, "status") == -1, r.json);
        result_free(&r);
    }
    CHECK(sandbox_count(client, "calls.initiate") == 0);
    trillet_client_free(client);
}

static void timeout_when_the_server_is_too_slow(void) {
    FRESH_CLIENT(client, 2, 10000);
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"delay\",\"ms\":1500}"));
    struct result r = call(client, "agents.list", "{\"timeout_ms\":400}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_TIMEOUT, "timeout", "timeout"), r.json);
    result_free(&r);
    /* A timed-out request may have been acted on: it is not retried. Only one answer is slow, so
     * a retry by this layer would be answered at once and succeed. (An attempt's timeout is the
     * call's whole deadline, so the core could not fit a retry after it; tests/clock.rs proves
     * on a fake clock that it would not retry one with time left.) */
    CHECK(sandbox_count(client, "agents.list") == 1);
    trillet_client_free(client);
}

static void connect_error_when_nothing_listens(void) {
    char *error = NULL;
    TrilletClient *client = trillet_client_new(
        "{\"api_key\":\"k\",\"workspace_id\":\"w\",\"base_url\":\"http://127.0.0.1:1\",\"max_retries\":0,"
        "\"ignore_env\":true}",
        &error);
    CHECK_MSG(client != NULL, error);
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_CONNECT, "connect", "connection_failed"), r.json);
    result_free(&r);
    trillet_client_free(client);
    trillet_string_free(error);
}

static void a_missing_ca_bundle_is_invalid_input_naming_the_path(void) {
    char *error = NULL;
    TrilletClient *client = trillet_client_new(
        "{\"api_key\":\"k\",\"ignore_env\":true,\"ca_bundle\":\"/nonexistent/trillet-c-ca.pem\"}", &error);
    CHECK(client == NULL);
    CHECK_MSG(error != NULL && has(error, "\"kind\":\"invalid_input\""), error);
    CHECK_MSG(error != NULL && has(error, "\"code\":\"invalid_ca_bundle\""), error);
    CHECK_MSG(error != NULL && has(error, "/nonexistent/trillet-c-ca.pem"), error);
    trillet_client_free(client);
    trillet_string_free(error);
}

static void requests_go_through_the_proxy_setting(void) {
    /* A proxy nothing listens on: the call fails to connect and the sandbox never sees it. */
    char config[512];
    char *error = NULL;
    FRESH_CLIENT(control, 0, 10000);
    snprintf(config, sizeof config,
             "{\"api_key\":\"%s\",\"workspace_id\":\"%s\",\"base_url\":\"%s\",\"max_retries\":0,"
             "\"ignore_env\":true,\"proxy\":\"http://u:pr0xy-pw@127.0.0.1:1\"}",
             SANDBOX_API_KEY, SANDBOX_WORKSPACE_ID, sandbox_url());
    TrilletClient *client = trillet_client_new(config, &error);
    CHECK_MSG(client != NULL, error);
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_CONNECT, "connect", "connection_failed"), r.json);
    CHECK_MSG(!has(r.json, "pr0xy-pw") && !has(r.json, SANDBOX_API_KEY), r.json);
    result_free(&r);
    CHECK(sandbox_count(control, "agents.list") == 0);
    trillet_client_free(client);
    trillet_client_free(control);
    trillet_string_free(error);
    /* An invalid proxy URL is refused when the client is made, without its password. */
    error = NULL;
    client = trillet_client_new("{\"api_key\":\"k\",\"ignore_env\":true,\"proxy\":\"socks5://u:pr0xy-pw@127.0.0.1:1080\"}",
                                &error);
    CHECK(client == NULL);
    CHECK_MSG(error != NULL && has(error, "\"code\":\"invalid_proxy\"") && !has(error, "pr0xy-pw"), error);
    trillet_string_free(error);
}

static void io_error_when_the_connection_is_reset(void) {
    FRESH_CLIENT(client, 2, 10000);
    /* A POST that may have reached the server is never sent again. */
    CHECK(sandbox_fault(client, "agents.create", 1, "{\"type\":\"reset\"}"));
    struct result r = call(client, "agents.create", "{\"body\":" AGENT_BODY "}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_IO, "io", "connection_lost"), r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.create") == 1);
    /* A GET is idempotent: the reset is retried and the second attempt succeeds. */
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"reset\"}"));
    r = call(client, "agents.list", NULL);
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.list") == 2);
    trillet_client_free(client);
}

static void decode_error_for_a_malformed_body(void) {
    FRESH_CLIENT(client, 0, 10000);
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"malformed_json\"}"));
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_DECODE, "decode", "invalid_response"), r.json);
    result_free(&r);
    trillet_client_free(client);
}

static void decode_error_for_a_deeply_nested_body(void) {
    FRESH_CLIENT(client, 0, 10000);
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"deep_json\",\"depth\":200000}"));
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_DECODE, "decode", "invalid_response"), r.json);
    CHECK_MSG(r.json != NULL && strstr(r.json, "nested too deeply") != NULL, r.json);
    result_free(&r);
    /* The same body on an error status is kept as (truncated) text in the error JSON. */
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"deep_json\",\"depth\":200000,\"status\":400}"));
    r = call(client, "agents.list", NULL);
    CHECK_MSG(r.status == TRILLET_ERR_API, r.json);
    CHECK_MSG(r.json != NULL && strstr(r.json, "\"body\":\"[[[[") != NULL && strlen(r.json) < 4096, r.json);
    result_free(&r);
    trillet_client_free(client);
}

static void an_oversized_body_comes_through_whole(void) {
    FRESH_CLIENT(client, 0, 20000);
    CHECK(sandbox_fault(client, "agents.list", 1, "{\"type\":\"oversized\",\"bytes\":300000}"));
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    CHECK(r.json != NULL && strlen(r.json) >= 290000);
    result_free(&r);
    trillet_client_free(client);
}

static void idempotent_get_is_retried_until_it_succeeds(void) {
    FRESH_CLIENT(client, 2, 10000);
    CHECK(sandbox_fault(client, "agents.list", 2, RETRY_NOW_503));
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.list") == 3);
    trillet_client_free(client);
}

static void retries_stop_at_max_retries(void) {
    FRESH_CLIENT(client, 1, 10000);
    CHECK(sandbox_fault(client, "agents.list", 5, RETRY_NOW_503));
    struct result r = call(client, "agents.list", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "service_unavailable"), r.json);
    CHECK_MSG(int_field(r.json, "status") == 503, r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.list") == 2);
    trillet_client_free(client);
}

static void a_post_is_never_sent_twice_after_a_server_error(void) {
    FRESH_CLIENT(client, 3, 10000);
    CHECK(sandbox_fault(client, "calls.initiate", 1, RETRY_NOW_503));
    struct result r = call(client, "calls.initiate", "{\"body\":{\"to\":\"+14155551234\",\"call_agent_id\":\"" UNKNOWN_ID "\"}}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "service_unavailable"), r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "calls.initiate") == 1);
    trillet_client_free(client);
}

static void rate_limited_requests_are_retried_after_retry_after(void) {
    FRESH_CLIENT(client, 2, 10000);
    CHECK(sandbox_fault(client, "agents.create", 1,
                        "{\"type\":\"status\",\"status\":429,\"body\":{\"error\":{\"code\":\"rate_limit_exceeded\","
                        "\"message\":\"slow down\"}},\"headers\":{\"Retry-After\":\"0\"}}"));
    struct result r = call(client, "agents.create",
                           "{\"body\":{\"name\":\"Retry agent\",\"llmModel\":\"gpt-4o-mini\","
                           "\"ttsModel\":{\"provider\":\"rime\",\"voiceId\":\"mistv2_Wildflower\"}}}");
    CHECK_MSG(r.status == TRILLET_OK && has(r.json, "\"Retry agent\""), r.json);
    result_free(&r);
    CHECK(sandbox_count(client, "agents.create") == 2);
    trillet_client_free(client);
}

/* trillet_call_with_meta: the attempts, last status and request id of a call, success or failure. */
static void metadata_counts_attempts_and_names_the_request(void) {
    FRESH_CLIENT(client, 2, 10000);
    CHECK(sandbox_fault(client, "agents.list", 2, RETRY_NOW_503));
    char *out = NULL;
    char *meta = NULL;
    int status = trillet_call_with_meta(client, "agents.list", NULL, &out, &meta);
    CHECK_MSG(status == TRILLET_OK, out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 3, meta);
    CHECK_MSG(meta != NULL && int_field(meta, "status") == 200, meta);
    CHECK_MSG(meta != NULL && int_field(meta, "elapsed_ms") >= 0, meta);
    char *id = meta ? string_field(meta, "request_id") : NULL;
    CHECK_MSG(id != NULL && strncmp(id, "req_", 4) == 0, meta);
    free(id);
    trillet_string_free(out);
    trillet_string_free(meta);

    /* A failure after the last retry: its status, and every attempt counted. */
    CHECK(sandbox_fault(client, "agents.list", 3, RETRY_NOW_503));
    status = trillet_call_with_meta(client, "agents.list", "{}", &out, &meta);
    CHECK_MSG(status == TRILLET_ERR_API, out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 3 && int_field(meta, "status") == 503, meta);
    trillet_string_free(out);
    trillet_string_free(meta);

    /* Refused before sending: nothing sent, no status. */
    status = trillet_call_with_meta(client, "agents.get", "{}", &out, &meta);
    CHECK_MSG(status == TRILLET_ERR_INVALID_INPUT, out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 0 && has(meta, "\"status\":null"), meta);
    trillet_string_free(out);
    trillet_string_free(meta);

    /* NULL out_meta: the same as trillet_call. */
    status = trillet_call_with_meta(client, "agents.list", NULL, &out, NULL);
    CHECK_MSG(status == TRILLET_OK && has(out, "["), out);
    trillet_string_free(out);
    CHECK(sandbox_count(client, "agents.list") == 7);
    trillet_client_free(client);
}

/* The accessors read an error JSON without a parser: 404 told from 400 by status and code. */
static void error_accessors_tell_a_404_from_a_400(void) {
    FRESH_CLIENT(client, 0, 10000);
    struct result missing = call(client, "agents.get", "{\"path\":{\"agentId\":\"" UNKNOWN_ID "\"}}");
    CHECK_MSG(missing.status == TRILLET_ERR_API, missing.json);
    CHECK(trillet_error_status(missing.json) == 404);
    char *code = trillet_error_code(missing.json);
    char *kind = trillet_error_kind(missing.json);
    char *message = trillet_error_message(missing.json);
    CHECK_MSG(code != NULL && strcmp(code, "not_found") == 0, code);
    CHECK_MSG(kind != NULL && strcmp(kind, "api") == 0, kind);
    CHECK_MSG(message != NULL && strlen(message) > 0, missing.json);
    trillet_string_free(code);
    trillet_string_free(kind);
    trillet_string_free(message);
    result_free(&missing);

    CHECK(sandbox_fault(client, "agents.get", 1,
                        "{\"type\":\"status\",\"status\":400,\"body\":{\"error\":{\"code\":\"invalid_id\","
                        "\"message\":\"bad id\"}}}"));
    struct result bad = call(client, "agents.get", "{\"path\":{\"agentId\":\"" UNKNOWN_ID "\"}}");
    CHECK(trillet_error_status(bad.json) == 400);
    code = trillet_error_code(bad.json);
    CHECK_MSG(code != NULL && strcmp(code, "invalid_id") == 0, code);
    trillet_string_free(code);
    result_free(&bad);

    /* Not an API answer: status 0, the kind and code still there. */
    struct result refused = call(client, "agents.no_such_action", NULL);
    CHECK_MSG(refused.status == TRILLET_ERR_INVALID_INPUT, refused.json);
    CHECK(trillet_error_status(refused.json) == 0);
    kind = trillet_error_kind(refused.json);
    CHECK_MSG(kind != NULL && strcmp(kind, "invalid_input") == 0, kind);
    trillet_string_free(kind);
    result_free(&refused);
    trillet_client_free(client);

    /* NULL, not JSON, not an error object: 0 and NULL, never a crash. */
    const char *junk[] = {NULL, "", "not json", "[1]", "{\"error\":\"x\"}", "{\"error\":{\"status\":\"404\"}}"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        CHECK(trillet_error_status(junk[i]) == 0);
        CHECK(trillet_error_code(junk[i]) == NULL);
        CHECK(trillet_error_kind(junk[i]) == NULL);
        CHECK(trillet_error_message(junk[i]) == NULL);
    }
}

const struct test_case error_tests[] = {
    {"errors: accessors tell a 404 from a 400; NULL and junk give 0/NULL", error_accessors_tell_a_404_from_a_400},
    {"errors: api (404) for an unknown id", api_error_for_an_unknown_id},
    {"errors: api (401) for a wrong key, key not echoed", api_error_for_a_wrong_key},
    {"errors: api error JSON carries status, code, message, body", api_error_fields_from_an_injected_fault},
    {"errors: invalid_input is refused before sending", invalid_input_is_refused_before_sending},
    {"errors: a missing required body field is missing_field, nothing sent (escape hatch unchecked)",
     a_missing_required_field_is_refused_before_sending},
    {"errors: a non-E.164 `to` is invalid_number, nothing sent", a_non_e164_number_is_refused_before_sending},
    {"errors: timeout when the server is too slow (not retried)", timeout_when_the_server_is_too_slow},
    {"errors: connect when nothing listens", connect_error_when_nothing_listens},
    {"config: a missing ca_bundle is invalid_input naming the path", a_missing_ca_bundle_is_invalid_input_naming_the_path},
    {"config: the proxy setting carries the request (a dead proxy: connect, nothing sent)",
     requests_go_through_the_proxy_setting},
    {"errors: io when the connection is reset (POST not resent, GET retried)", io_error_when_the_connection_is_reset},
    {"errors: decode for a malformed body", decode_error_for_a_malformed_body},
    {"errors: decode for a body nested past 127 levels; kept as text in an error", decode_error_for_a_deeply_nested_body},
    {"errors: an oversized body comes through whole", an_oversized_body_comes_through_whole},
    {"retries: GET retried after 503 until it succeeds (3 requests)", idempotent_get_is_retried_until_it_succeeds},
    {"retries: stop at max_retries (2 requests)", retries_stop_at_max_retries},
    {"retries: a POST is never sent twice after a 503", a_post_is_never_sent_twice_after_a_server_error},
    {"retries: 429 retried after Retry-After, even for a POST", rate_limited_requests_are_retried_after_retry_after},
    {"metadata: attempts, status and request id, on success and failure", metadata_counts_attempts_and_names_the_request},
    {NULL, NULL},
};
