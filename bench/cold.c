/*
 * The cold path's C side (bench/cold.py runs it; not part of the tests):
 *
 *     cold URL CAFILE
 *
 * One new process, one call over HTTPS: builds a client trusting the system's roots plus the
 * throw-away CA in CAFILE (ca_bundle), calls agents.get once, and prints
 * {"client_new_us":N,"first_call_us":N}: what building the client (the system store read
 * included) and the first call (connect, TLS handshake, request, answer) took.
 */
#include "trillet.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static long long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: cold URL CAFILE\n");
        return 2;
    }
    char config[4096];
    snprintf(config, sizeof config,
             "{\"api_key\":\"sk_bench_0123456789\",\"workspace_id\":\"64a1b2c3d4e5f6a7b8c9d0e1\","
             "\"base_url\":\"%s\",\"ca_bundle\":\"%s\",\"ignore_env\":true}",
             argv[1], argv[2]);
    char *error = NULL;
    long long t0 = now_us();
    TrilletClient *client = trillet_client_new(config, &error);
    long long t1 = now_us();
    if (client == NULL) {
        fprintf(stderr, "client: %s\n", error != NULL ? error : "?");
        trillet_string_free(error);
        return 1;
    }
    char *out = NULL;
    int status = trillet_call(client, "agents.get", "{\"path\":{\"agentId\":\"665a1b2c3d4e5f6a7b8c9d0e\"}}", &out);
    long long t2 = now_us();
    int ok = status == TRILLET_OK && out != NULL && strstr(out, "665a1b2c3d4e5f6a7b8c9d0e") != NULL;
    if (!ok) fprintf(stderr, "call: %d %s\n", status, out != NULL ? out : "");
    trillet_string_free(out);
    trillet_client_free(client);
    printf("{\"client_new_us\":%lld,\"first_call_us\":%lld}\n", t1 - t0, t2 - t1);
    return ok ? 0 : 1;
}
