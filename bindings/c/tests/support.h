/*
 * Helpers shared by the C tests: results of calls, a few JSON look-ups (by text: the library's
 * JSON is compact), and the sandbox's control endpoints (reached with trillet_request).
 */
#ifndef TRILLET_TEST_SUPPORT_H
#define TRILLET_TEST_SUPPORT_H

#include "trillet.h"

#include <stddef.h>

#define SANDBOX_API_KEY "sk_test_trillet_sandbox"
#define SANDBOX_WORKSPACE_ID "64a1b2c3d4e5f6a7b8c9d0e1"

/* A call agent the sandbox accepts. */
#define AGENT_BODY                                                                                 \
    "{\"name\":\"C agent\",\"ttsModel\":{\"provider\":\"rime\",\"voiceId\":\"mistv2_Wildflower\"},"              \
    "\"llmModel\":\"gpt-4o-mini\"}"

/* What trillet_call / trillet_request handed back. Free with result_free. */
struct result {
    int status;
    char *json;
};

struct result call(const TrilletClient *client, const char *operation, const char *request_json);
struct result request(const TrilletClient *client, const char *method, const char *path, const char *request_json);
void result_free(struct result *r);

/* Whether r has this status and, for errors, this error kind and code (NULL: not checked). */
int is_error(const struct result *r, int status, const char *kind, const char *code);

/* Whether text contains needle. */
int has(const char *text, const char *needle);
/* How many times needle occurs in text. */
size_t count(const char *text, const char *needle);
/* The first string value of "key" (a copy, to free()), or NULL. */
char *string_field(const char *json, const char *key);
/* The first integer value of "key", or -1. */
long int_field(const char *json, const char *key);

/* The sandbox's base URL (TRILLET_SANDBOX_URL), or NULL when the tests run without one. */
const char *sandbox_url(void);
/* A client for the sandbox with these settings; NULL (and a reason on stderr) if impossible. */
TrilletClient *sandbox_client(int max_retries, int timeout_ms);
/* A sandbox client (sandbox_client) after a sandbox reset; NULL on failure. */
TrilletClient *sandbox_fresh(int max_retries, int timeout_ms);
/* Declares `name` as a fresh sandbox client; a failed check and return when there is none. */
#define FRESH_CLIENT(name, max_retries, timeout_ms)                                                \
    TrilletClient *name = sandbox_fresh((max_retries), (timeout_ms));                             \
    CHECK(name != NULL);                                                                           \
    if (name == NULL) return
/* POST /__sandbox/reset: clears state, faults and the request log. */
int sandbox_reset(const TrilletClient *client);
/* POST /__sandbox/faults: queues `fault_json` for the next `n` requests to `operation`. */
int sandbox_fault(const TrilletClient *client, const char *operation, int n, const char *fault_json);
/* How many API requests for `operation` the sandbox has logged since the last reset. */
long sandbox_count(const TrilletClient *client, const char *operation);

#endif
