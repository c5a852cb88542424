/*
 * quickstart: create a client, create an agent, list agents, print them, tell a missing agent (404)
 * from a bad request (400), free everything.
 *
 * The client reads TRILLET_API_KEY, TRILLET_WORKSPACE_ID and TRILLET_BASE_URL from the
 * environment (config NULL). Build with `make` in bindings/c; run against the local sandbox:
 *
 *   trillet sandbox --port 8787 &
 *   TRILLET_API_KEY=sk_test_trillet_sandbox TRILLET_WORKSPACE_ID=64a1b2c3d4e5f6a7b8c9d0e1 \
 *   TRILLET_BASE_URL=http://127.0.0.1:8787 ./build/static/quickstart
 */
#include "trillet.h"

#include <stdio.h>

int main(void) {
    char *error = NULL;
    char *out = NULL;
    int status;

    printf("trillet %s\n", trillet_version());

    TrilletClient *client = trillet_client_new(NULL, &error);
    if (client == NULL) {
        fprintf(stderr, "cannot create a client: %s\n", error);
        trillet_string_free(error);
        return 1;
    }

    /* Create an agent: the request JSON carries the body; the answer is the API's JSON. */
    status = trillet_call(client, "agents.create",
                          "{\"body\":{\"name\":\"Quickstart agent\",\"llmModel\":\"gpt-4o-mini\","
                          "\"ttsModel\":{\"provider\":\"rime\",\"voiceId\":\"mistv2_Wildflower\"}}}",
                          &out);
    if (status != TRILLET_OK) {
        /* out holds {"error":{"kind","code","message","status","request_id",...}} */
        fprintf(stderr, "agents.create failed (status %d): %s\n", status, out);
        trillet_string_free(out);
        trillet_client_free(client);
        return 1;
    }
    printf("created: %s\n", out);
    trillet_string_free(out);

    /* List agents. NULL request JSON means {}. */
    status = trillet_call(client, "agents.list", NULL, &out);
    if (status != TRILLET_OK) {
        fprintf(stderr, "agents.list failed (status %d): %s\n", status, out);
        trillet_string_free(out);
        trillet_client_free(client);
        return 1;
    }
    printf("agents: %s\n", out);
    trillet_string_free(out);

    /* Get an agent that does not exist. The error JSON's fields are read with the accessors:
     * a 404 (no such agent) is told from a 400 (a malformed request) without a JSON parser. */
    status = trillet_call(client, "agents.get", "{\"path\":{\"agentId\":\"0123456789abcdef01234567\"}}", &out);
    if (status == TRILLET_ERR_API && trillet_error_status(out) == 404) {
        char *code = trillet_error_code(out); /* "not_found" */
        printf("missing: %s (404)\n", code != NULL ? code : "?");
        trillet_string_free(code);
    } else if (status == TRILLET_ERR_API && trillet_error_status(out) == 400) {
        char *message = trillet_error_message(out);
        fprintf(stderr, "agents.get: bad request: %s\n", message != NULL ? message : "?");
        trillet_string_free(message);
    } else if (status != TRILLET_OK) {
        fprintf(stderr, "agents.get failed (status %d): %s\n", status, out);
        trillet_string_free(out);
        trillet_client_free(client);
        return 1;
    }
    trillet_string_free(out);

    trillet_client_free(client);
    return 0;
}
