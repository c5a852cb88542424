/*
 * quickstart: create a client, create an agent, list agents, print them, free everything.
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

    trillet_client_free(client);
    return 0;
}
