#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct result call(const TrilletClient *client, const char *operation, const char *request_json) {
    struct result r = {0, NULL};
    r.status = trillet_call(client, operation, request_json, &r.json);
    return r;
}

struct result request(const TrilletClient *client, const char *method, const char *path, const char *request_json) {
    struct result r = {0, NULL};
    r.status = trillet_request(client, method, path, request_json, &r.json);
    return r;
}

void result_free(struct result *r) {
    trillet_string_free(r->json);
    r->json = NULL;
}

int has(const char *text, const char *needle) { return text != NULL && strstr(text, needle) != NULL; }

size_t count(const char *text, const char *needle) {
    size_t n = 0, len = strlen(needle);
    if (text == NULL || len == 0) return 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + len, needle)) n++;
    return n;
}

static const char *value_of(const char *json, const char *key) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = json == NULL ? NULL : strstr(json, pattern);
    if (p == NULL) return NULL;
    p += strlen(pattern);
    while (*p == ' ') p++;
    return p;
}

char *string_field(const char *json, const char *key) {
    const char *p = value_of(json, key);
    if (p == NULL || *p != '"') return NULL;
    p++;
    const char *end = strchr(p, '"');
    if (end == NULL) return NULL;
    char *out = malloc((size_t)(end - p) + 1);
    if (out == NULL) return NULL;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return out;
}

long int_field(const char *json, const char *key) {
    const char *p = value_of(json, key);
    if (p == NULL || *p < '0' || *p > '9') return -1;
    return strtol(p, NULL, 10);
}

int is_error(const struct result *r, int status, const char *kind, const char *code) {
    char want[160];
    if (r->status != status || r->json == NULL) return 0;
    if (status == TRILLET_OK) return 1;
    if (!has(r->json, "{\"error\":{") || !has(r->json, "\"message\":\"")) return 0;
    if (kind != NULL) {
        snprintf(want, sizeof want, "\"kind\":\"%s\"", kind);
        if (!has(r->json, want)) return 0;
    }
    if (code != NULL) {
        snprintf(want, sizeof want, "\"code\":\"%s\"", code);
        if (!has(r->json, want)) return 0;
    }
    return 1;
}

const char *sandbox_url(void) {
    const char *url = getenv("TRILLET_SANDBOX_URL");
    return url != NULL && url[0] != '\0' ? url : NULL;
}

TrilletClient *sandbox_client(int max_retries, int timeout_ms) {
    char config[512];
    char *error = NULL;
    if (sandbox_url() == NULL) {
        fprintf(stderr, "TRILLET_SANDBOX_URL is not set: run these tests with bindings/c/run-tests.sh\n");
        return NULL;
    }
    snprintf(config, sizeof config,
             "{\"api_key\":\"%s\",\"workspace_id\":\"%s\",\"base_url\":\"%s\",\"max_retries\":%d,"
             "\"timeout_ms\":%d,\"user_agent_suffix\":\"c-tests\",\"ignore_env\":true}",
             SANDBOX_API_KEY, SANDBOX_WORKSPACE_ID, sandbox_url(), max_retries, timeout_ms);
    TrilletClient *client = trillet_client_new(config, &error);
    if (client == NULL) {
        fprintf(stderr, "trillet_client_new: %s\n", error);
        trillet_string_free(error);
    }
    return client;
}

TrilletClient *sandbox_fresh(int max_retries, int timeout_ms) {
    TrilletClient *client = sandbox_client(max_retries, timeout_ms);
    if (client != NULL && !sandbox_reset(client)) {
        trillet_client_free(client);
        client = NULL;
    }
    return client;
}

int sandbox_reset(const TrilletClient *client) {
    struct result r = request(client, "POST", "/__sandbox/reset", NULL);
    int ok = r.status == TRILLET_OK;
    if (!ok) fprintf(stderr, "sandbox reset failed: %s\n", r.json);
    result_free(&r);
    return ok;
}

int sandbox_fault(const TrilletClient *client, const char *operation, int n, const char *fault_json) {
    char body[1024];
    snprintf(body, sizeof body, "{\"body\":{\"operation\":\"%s\",\"count\":%d,\"fault\":%s}}", operation, n,
             fault_json);
    struct result r = request(client, "POST", "/__sandbox/faults", body);
    int ok = r.status == TRILLET_OK && has(r.json, "\"queued\"");
    if (!ok) fprintf(stderr, "queueing a fault failed: %s\n", r.json);
    result_free(&r);
    return ok;
}

long sandbox_count(const TrilletClient *client, const char *operation) {
    char needle[160];
    struct result r = request(client, "GET", "/__sandbox/requests", NULL);
    long n = -1;
    if (r.status == TRILLET_OK) {
        snprintf(needle, sizeof needle, "\"operation\":\"%s\"", operation);
        n = (long)count(r.json, needle);
    } else {
        fprintf(stderr, "reading the request log failed: %s\n", r.json);
    }
    result_free(&r);
    return n;
}
