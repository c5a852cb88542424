/*
 * The hostile-input matrix: every exported function with NULL pointers, invalid UTF-8, invalid
 * JSON, JSON of the wrong type and unknown operations. Each answers with an error status and
 * error JSON (or its documented failure value) and never crashes; valgrind checks nothing leaks.
 * Nothing here reaches the network: the client points at a closed loopback port.
 */
#include "harness.h"
#include "support.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOT_UTF8 "agents.\xff\xfe"

static TrilletClient *offline_client(void) {
    return trillet_client_new(
        "{\"api_key\":\"sk_test_x\",\"workspace_id\":\"ws_1\",\"base_url\":\"http://127.0.0.1:1\",\"max_retries\":0,"
        "\"ignore_env\":true}",
        NULL);
}

static void expect_config_error(const char *config, const char *code) {
    char *error = (char *)"garbage";
    TrilletClient *client = trillet_client_new(config, &error);
    char want[128];
    strcpy(want, "\"code\":\"");
    strcat(want, code);
    strcat(want, "\"");
    CHECK_MSG(client == NULL, config);
    CHECK_MSG(has(error, "\"kind\":\"invalid_input\"") && has(error, want), error);
    trillet_client_free(client);
    trillet_string_free(error);
}

static void client_new_refuses_bad_config(void) {
    expect_config_error(NOT_UTF8, "invalid_utf8");
    expect_config_error("{\"api_key\":", "invalid_config");
    expect_config_error("not json", "invalid_config");
    expect_config_error("[]", "invalid_config");
    expect_config_error("42", "invalid_config");
    expect_config_error("{\"timeout_ms\":\"soon\"}", "invalid_config");
    expect_config_error("{\"max_retries\":-1}", "invalid_config");
    expect_config_error("{\"api_kee\":\"sk\"}", "invalid_config");
    expect_config_error("{\"ignore_env\":\"yes\"}", "invalid_config");
    /* ignore_env: a TRILLET_BASE_URL in the environment cannot change which error comes first. */
    expect_config_error("{\"api_key\":\"sk\",\"timeout_ms\":0,\"ignore_env\":true}", "invalid_timeout");
    expect_config_error("{\"api_key\":\"sk\",\"base_url\":\"http://api.trillet.ai\"}", "insecure_base_url");
    /* A NULL out_error is allowed: the call still fails cleanly. */
    CHECK(trillet_client_new("{", NULL) == NULL);
}

/* Sets TRILLET_API_KEY to value (NULL: unsets it); returns the previous value (a copy, to free()). */
static char *swap_env_key(const char *value) {
    const char *before = getenv("TRILLET_API_KEY");
    char *saved = before != NULL ? strdup(before) : NULL;
    if (value != NULL) {
        setenv("TRILLET_API_KEY", value, 1);
    } else {
        unsetenv("TRILLET_API_KEY");
    }
    return saved;
}

static void restore_env_key(char *saved) {
    free(swap_env_key(saved));
    free(saved);
}

static void client_new_null_or_empty_config_means_defaults(void) {
    /* The first four read the environment, where the API key is; the last one is the same
     * defaults without the environment, so it names its key itself. */
    const char *configs[] = {NULL, "{}", "", "null", "{\"api_key\":\"sk_test_x\",\"ignore_env\":true}"};
    char *saved = swap_env_key("sk_test_from_env");
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        char *error = (char *)"garbage";
        TrilletClient *client = trillet_client_new(configs[i], &error);
        CHECK_MSG(client != NULL, configs[i] != NULL ? configs[i] : "NULL");
        CHECK_MSG(error == NULL, error);
        trillet_client_free(client);
        if (client == NULL) trillet_string_free(error);
    }
    restore_env_key(saved);
    trillet_client_free(NULL);
}

/* No api_key and no TRILLET_API_KEY: the client is refused when it is made, not at the first call. */
static void client_new_without_an_api_key_is_refused(void) {
    const char *configs[] = {NULL, "{}", "{\"workspace_id\":\"ws_1\"}", "{\"api_key\":\"\"}",
                             "{\"ignore_env\":true}"};
    char *saved = swap_env_key(NULL);
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        char *error = NULL;
        TrilletClient *client = trillet_client_new(configs[i], &error);
        const char *label = configs[i] != NULL ? configs[i] : "NULL";
        CHECK_MSG(client == NULL, label);
        CHECK_MSG(error != NULL && has(error, "\"kind\":\"invalid_input\"") &&
                      has(error, "\"code\":\"missing_api_key\""),
                  error != NULL ? error : label);
        /* The message names the setting as C spells it, and the variable. */
        CHECK_MSG(error != NULL && has(error, "api_key") && has(error, "TRILLET_API_KEY"), error);
        trillet_client_free(client);
        trillet_string_free(error);
    }
    /* The environment's key is not read under ignore_env. */
    free(swap_env_key("sk_test_from_env"));
    char *error = NULL;
    TrilletClient *client = trillet_client_new("{\"ignore_env\":true}", &error);
    CHECK(client == NULL);
    CHECK_MSG(error != NULL && has(error, "\"code\":\"missing_api_key\""), error);
    trillet_client_free(client);
    trillet_string_free(error);
    restore_env_key(saved);
}

static void call_refuses_hostile_arguments(void) {
    TrilletClient *client = offline_client();
    const char *req = "{\"path\":{\"agentId\":\"a1\"}}";
    struct result r;
    CHECK(client != NULL);

    r = call(NULL, "agents.get", req);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument") && has(r.json, "`client`"), r.json);
    result_free(&r);
    r = call(client, NULL, req);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument") && has(r.json, "`operation`"), r.json);
    result_free(&r);
    r = call(client, NOT_UTF8, req);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_utf8"), r.json);
    result_free(&r);
    r = call(client, "agents.get", "{\"body\":\"\xc3\x28\"}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_utf8"), r.json);
    result_free(&r);

    const char *bad_json[] = {"{", "{\"path\":", "nope", "{\"path\":{}}}"};
    for (size_t i = 0; i < sizeof bad_json / sizeof bad_json[0]; i++) {
        r = call(client, "agents.get", bad_json[i]);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_request_json"), r.json);
        result_free(&r);
    }
    const char *wrong_type[] = {"[]", "5", "\"agents\"", "true", "{\"path\":5}", "{\"query\":[1]}",
                                "{\"timeout_ms\":\"x\"}", "{\"pth\":{}}"};
    for (size_t i = 0; i < sizeof wrong_type / sizeof wrong_type[0]; i++) {
        r = call(client, "agents.get", wrong_type[i]);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_request_json"), r.json);
        result_free(&r);
    }
    const char *unknown[] = {"", "agents", "agents.nope", "AGENTS.LIST", "../agents.list"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        r = call(client, unknown[i], NULL);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "unknown_operation"), r.json);
        result_free(&r);
    }
    /* NULL request means {}: agents.get then lacks its path parameter. */
    r = call(client, "agents.get", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "missing_path_param"), r.json);
    result_free(&r);
    /* NULL out pointer: nothing can be handed back; the status still says so. */
    CHECK(trillet_call(client, "agents.get", req, NULL) == TRILLET_ERR_INVALID_INPUT);
    trillet_client_free(client);
}

static void request_refuses_hostile_arguments(void) {
    TrilletClient *client = offline_client();
    struct result r;
    CHECK(client != NULL);

    r = request(NULL, "GET", "/v1/api/agents", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument"), r.json);
    result_free(&r);
    r = request(client, NULL, "/v1/api/agents", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument"), r.json);
    result_free(&r);
    r = request(client, "GET", NULL, NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument"), r.json);
    result_free(&r);
    r = request(client, NOT_UTF8, "/v1/api/agents", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_utf8"), r.json);
    result_free(&r);
    r = request(client, "GET", "/v1/\xff", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_utf8"), r.json);
    result_free(&r);
    r = request(client, "GET", "/v1/api/agents", NOT_UTF8);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_utf8"), r.json);
    result_free(&r);
    r = request(client, "GET", "/v1/api/agents", "{\"query\":");
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_request_json"), r.json);
    result_free(&r);
    r = request(client, "GET", "/v1/api/agents", "[1,2]");
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_request_json"), r.json);
    result_free(&r);
    r = request(client, "FETCH", "/v1/api/agents", NULL);
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_method"), r.json);
    result_free(&r);
    const char *bad_paths[] = {"v1/api/agents", "//evil.example/x", "/x?y=1", "http://evil.example/", "/a b", ""};
    for (size_t i = 0; i < sizeof bad_paths / sizeof bad_paths[0]; i++) {
        r = request(client, "GET", bad_paths[i], NULL);
        CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "invalid_path"), r.json);
        result_free(&r);
    }
    CHECK(trillet_request(client, "GET", "/v1/api/agents", NULL, NULL) == TRILLET_ERR_INVALID_INPUT);
    trillet_client_free(client);
}

static void webhook_functions_refuse_hostile_arguments(void) {
    const char *secret = "whsec_test";
    const char *body = "{\"event\":\"call.ended\",\"data\":{}}";
    const uint8_t *bytes = (const uint8_t *)body;
    size_t len = strlen(body);
    char *sig = trillet_webhook_sign(secret, bytes, len);
    CHECK(sig != NULL && strlen(sig) == 64);
    CHECK(trillet_webhook_verify(secret, bytes, len, sig) == TRILLET_OK);

    CHECK(trillet_webhook_verify(NULL, bytes, len, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, NULL, len, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, bytes, len, NULL) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(NOT_UTF8, bytes, len, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, bytes, len, NOT_UTF8) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify("", bytes, len, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify("other", bytes, len, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, bytes, len - 1, sig) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, bytes, len, "zz") == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_verify(secret, bytes, len, "") == TRILLET_ERR_INVALID_INPUT);

    CHECK(trillet_webhook_sign(NULL, bytes, len) == NULL);
    CHECK(trillet_webhook_sign(NOT_UTF8, bytes, len) == NULL);
    CHECK(trillet_webhook_sign("", bytes, len) == NULL);
    CHECK(trillet_webhook_sign(secret, NULL, 3) == NULL);
    char *empty = trillet_webhook_sign(secret, NULL, 0);
    CHECK(empty != NULL && trillet_webhook_verify(secret, NULL, 0, empty) == TRILLET_OK);
    trillet_string_free(empty);
    trillet_string_free(sig);
}

static void argument_free_functions(void) {
    const char *version = trillet_version();
    CHECK(version != NULL && strcmp(version, TRILLET_HEADER_VERSION) == 0);
    CHECK(trillet_version() == version);
    char *ops = trillet_operations();
    CHECK(ops != NULL);
    CHECK(count(ops, "\"id\":") == 78);
    CHECK(has(ops, "\"agents.create\"") && has(ops, "\"workspaces.invite\""));
    CHECK(has(ops, "\"/v1/api/agents/{agentId}\""));
    trillet_string_free(ops);
    trillet_string_free(NULL);
}

const struct test_case hostile_tests[] = {
    {"hostile: client_new refuses bad config with error JSON", client_new_refuses_bad_config},
    {"hostile: client_new with NULL or empty config uses defaults", client_new_null_or_empty_config_means_defaults},
    {"hostile: client_new without an API key is refused with missing_api_key", client_new_without_an_api_key_is_refused},
    {"hostile: call refuses NULL, non-UTF-8, bad JSON, wrong types, unknown ops", call_refuses_hostile_arguments},
    {"hostile: request refuses NULL, non-UTF-8, bad JSON, bad methods and paths", request_refuses_hostile_arguments},
    {"hostile: webhook verify/sign refuse NULL, non-UTF-8 and bad signatures", webhook_functions_refuse_hostile_arguments},
    {"hostile: version, operations and frees", argument_free_functions},
    {NULL, NULL},
};
