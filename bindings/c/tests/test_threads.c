/*
 * One client shared by many threads at once: every call gets its own result or error, and the
 * sandbox sees every request.
 */
#include "harness.h"
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define THREADS 8
#define CALLS 5

struct worker {
    const TrilletClient *client;
    int index;
    int failures;
    char first_failure[512]; /* what the first failing call returned */
};

static void record_failure(struct worker *w, const struct result *r) {
    if (w->failures++ == 0) snprintf(w->first_failure, sizeof w->first_failure, "status %d: %s", r->status, r->json);
}

static void *work(void *arg) {
    struct worker *w = arg;
    char req[128];
    for (int i = 0; i < CALLS; i++) {
        struct result r;
        /* Odd threads ask for unknown agents: errors must not leak into other threads' calls. */
        if (w->index % 2) {
            snprintf(req, sizeof req, "{\"path\":{\"agentId\":\"0123456789abcdef012345%02d\"}}", w->index * 10 + i);
            r = call(w->client, "agents.get", req);
            if (!is_error(&r, TRILLET_ERR_API, "api", "not_found")) record_failure(w, &r);
        } else {
            r = call(w->client, "agents.list", "{\"query\":{\"page\":1}}");
            if (r.status != TRILLET_OK || r.json == NULL || r.json[0] != '[') record_failure(w, &r);
        }
        result_free(&r);
    }
    return NULL;
}

static void one_client_serves_many_threads(void) {
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    FRESH_CLIENT(client, 0, 30000);
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){client, t, 0, ""};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    int failures = 0;
    for (int t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        failures += workers[t].failures;
        CHECK_MSG(workers[t].failures == 0, workers[t].first_failure);
    }
    CHECK(failures == 0);
    CHECK(sandbox_count(client, "agents.list") == (THREADS / 2) * CALLS);
    CHECK(sandbox_count(client, "agents.get") == (THREADS / 2) * CALLS);
    trillet_client_free(client);
}

const struct test_case thread_tests[] = {
    {"threads: 8 threads share one client (successes and errors do not mix)", one_client_serves_many_threads},
    {NULL, NULL},
};
