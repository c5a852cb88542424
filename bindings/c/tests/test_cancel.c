/*
 * Cancellation through the C ABI: trillet_cancel_new / trillet_cancel / trillet_cancel_free,
 * trillet_call_ex and trillet_client_close.
 *
 * Each call runs on a worker thread; the main thread cancels once the server saw the connection
 * or the request. The proof is what the server saw: the loopback servers written here (one
 * thread per connection) record when each request arrived, on which connection, and when the
 * client closed each connection (read() returned 0 or failed); the sandbox's fault injection
 * supplies a 503 with Retry-After for the backoff. Bounds on time are generous (seconds: valgrind
 * on a shared 2-core machine); what is asserted exactly is the status, the code, the attempts and
 * what the server saw.
 */
#include "harness.h"
#include "support.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* How long the worker may take to return after the cancel, and the server to see the close. */
#define RETURN_BOUND_S 3.0
#define CLOSE_BOUND_S 1.0
/* How long to wait for the server to see a request (valgrind is slow to start a call). */
#define ARRIVAL_BOUND_S 30.0

#define MAX_CONNS 16
#define MAX_REQUESTS 32

#define UNKNOWN_ID "0123456789abcdef01234567"
/* A POST: a cancelled one that maybe_sent may have placed a phone call. */
#define INITIATE_REQUEST "{\"body\":{\"to\":\"+14155551234\",\"call_agent_id\":\"" UNKNOWN_ID "\"}}"
#define UNAVAILABLE_FOR_30_S                                                                       \
    "{\"type\":\"status\",\"status\":503,\"body\":{\"error\":{\"code\":\"service_unavailable\","     \
    "\"message\":\"come back later\"}},\"headers\":{\"Retry-After\":\"30\"}}"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---------------------------------------------------------------------------------------------
 * A loopback HTTP server on 127.0.0.1, port 0.
 * ------------------------------------------------------------------------------------------- */

/* What the server does with a request. */
enum script {
    ANSWER, /* 200 `[]` at once; the connection stays open (keep-alive) for the next request */
    HANG,   /* read it, never answer */
    LATE,   /* answer after late_ms */
    MUTE,   /* no HTTP at all: read whatever comes (a TLS ClientHello), never write */
};

struct server;

struct conn {
    struct server *server;
    int fd;
    int index;
};

struct server {
    int fd;
    int port;
    pthread_t acceptor;
    pthread_mutex_t mu;
    /* Set at start: the first `special` requests get `first`, the later ones ANSWER. MUTE
     * applies to every connection. */
    enum script first;
    int special;
    long late_ms;
    /* Guarded by mu. */
    int stop;
    int accepted;                      /* connections accepted */
    int requests;                      /* requests read whole (MUTE: connections that sent a byte) */
    int answered;                      /* answers written */
    int request_conn[MAX_REQUESTS];    /* the connection each request came on */
    int closed[MAX_CONNS];             /* the client closed the connection (read 0 or an error) */
    double closed_at[MAX_CONNS];
    struct conn conns[MAX_CONNS];
    pthread_t handlers[MAX_CONNS];
};

static int stopping(struct server *s) {
    pthread_mutex_lock(&s->mu);
    int stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

/* The length of the first whole request in buf (head and Content-Length body), 0 if incomplete. */
static size_t request_length(const char *buf, size_t len) {
    size_t head = 0, body = 0;
    for (size_t i = 0; i + 4 <= len; i++) {
        if (memcmp(buf + i, "\r\n\r\n", 4) == 0) {
            head = i + 4;
            break;
        }
    }
    if (head == 0) return 0;
    for (size_t i = 0; i + 15 < head; i++) {
        if ((i == 0 || buf[i - 1] == '\n') && strncasecmp(buf + i, "content-length:", 15) == 0)
            body = strtoul(buf + i + 15, NULL, 10); /* stops at the header's \r */
    }
    return len >= head + body ? head + body : 0;
}

static void send_answer(struct conn *c) {
    static const char answer[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]";
    size_t off = 0;
    while (off < sizeof answer - 1) {
        ssize_t n = send(c->fd, answer + off, sizeof answer - 1 - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        off += (size_t)n;
    }
    pthread_mutex_lock(&c->server->mu);
    c->server->answered++;
    pthread_mutex_unlock(&c->server->mu);
}

/* Counts a request that arrived on c; returns how to treat it. */
static enum script record_request(struct conn *c) {
    struct server *s = c->server;
    pthread_mutex_lock(&s->mu);
    int r = s->requests++;
    if (r < MAX_REQUESTS) s->request_conn[r] = c->index;
    enum script script = s->first == MUTE ? MUTE : r < s->special ? s->first : ANSWER;
    pthread_mutex_unlock(&s->mu);
    return script;
}

static void *serve_conn(void *arg) {
    struct conn *c = arg;
    struct server *s = c->server;
    char buf[16384], chunk[4096];
    size_t len = 0;
    int waiting = 0;       /* a request read and not answered (HANG, LATE) */
    int spoke = 0;         /* MUTE: the client sent something */
    double answer_at = 0;  /* LATE: when to answer */
    for (;;) {
        if (stopping(s)) break;
        if (waiting && answer_at > 0 && now_s() >= answer_at) {
            send_answer(c);
            waiting = 0;
            answer_at = 0;
        }
        struct pollfd p = {c->fd, POLLIN, 0};
        int ready = poll(&p, 1, 20);
        if (ready <= 0) continue;
        ssize_t n = read(c->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            pthread_mutex_lock(&s->mu);
            s->closed[c->index] = 1;
            s->closed_at[c->index] = now_s();
            pthread_mutex_unlock(&s->mu);
            break;
        }
        if (s->first == MUTE) {
            if (!spoke) record_request(c);
            spoke = 1;
            continue;
        }
        if (waiting) continue; /* nothing more is expected before the answer: discarded */
        if ((size_t)n > sizeof buf - len) break; /* a request larger than any sent here */
        memcpy(buf + len, chunk, (size_t)n);
        len += (size_t)n;
        size_t whole;
        while (!waiting && (whole = request_length(buf, len)) > 0) {
            memmove(buf, buf + whole, len - whole);
            len -= whole;
            enum script script = record_request(c);
            if (script == ANSWER) {
                send_answer(c);
            } else {
                waiting = 1;
                answer_at = script == LATE ? now_s() + (double)s->late_ms / 1000.0 : 0;
            }
        }
    }
    close(c->fd);
    return NULL;
}

static void *accept_loop(void *arg) {
    struct server *s = arg;
    while (!stopping(s)) {
        struct pollfd p = {s->fd, POLLIN, 0};
        if (poll(&p, 1, 20) <= 0) continue;
        int fd = accept(s->fd, NULL, NULL);
        if (fd < 0) continue;
        pthread_mutex_lock(&s->mu);
        if (s->accepted >= MAX_CONNS) {
            pthread_mutex_unlock(&s->mu);
            close(fd);
            continue;
        }
        int i = s->accepted;
        s->conns[i] = (struct conn){s, fd, i};
        if (pthread_create(&s->handlers[i], NULL, serve_conn, &s->conns[i]) == 0) {
            s->accepted++;
        } else {
            close(fd);
        }
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

/* Starts a server on 127.0.0.1 (port 0: the kernel picks); 1 on success. */
static int server_start(struct server *s, enum script first, int special, long late_ms) {
    struct sockaddr_in addr;
    socklen_t addr_len = sizeof addr;
    memset(s, 0, sizeof *s);
    s->first = first;
    s->special = special;
    s->late_ms = late_ms;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->fd < 0) return 0;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (bind(s->fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s->fd, 16) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&addr, &addr_len) != 0) {
        close(s->fd);
        return 0;
    }
    s->port = ntohs(addr.sin_port);
    pthread_mutex_init(&s->mu, NULL);
    if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        close(s->fd);
        return 0;
    }
    return 1;
}

static void server_stop(struct server *s) {
    pthread_mutex_lock(&s->mu);
    s->stop = 1;
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->acceptor, NULL);
    for (int i = 0; i < s->accepted; i++) pthread_join(s->handlers[i], NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
}

/* A snapshot of one of the server's counters. */
static int server_get(struct server *s, const int *field) {
    pthread_mutex_lock(&s->mu);
    int v = *field;
    pthread_mutex_unlock(&s->mu);
    return v;
}

/* Starts server s, or fails the case and returns. */
#define START_SERVER(s, ...)                                                                       \
    do {                                                                                           \
        int started_ = server_start((s), __VA_ARGS__);                                             \
        CHECK(started_);                                                                           \
        if (!started_) return;                                                                     \
    } while (0)

/* Waits until the server has seen n requests; 1 when it has. */
static int wait_requests(struct server *s, int n) {
    for (double end = now_s() + ARRIVAL_BOUND_S; now_s() < end; sleep_ms(10))
        if (server_get(s, &s->requests) >= n) return 1;
    return 0;
}

/* Waits (up to ARRIVAL_BOUND_S) until the server counted n answers written. The client may read
 * the answer before the server thread that wrote it counts it, so a count checked at once races. */
static int wait_answered(struct server *s, int n) {
    for (double end = now_s() + ARRIVAL_BOUND_S; now_s() < end; sleep_ms(10))
        if (server_get(s, &s->answered) >= n) return 1;
    return 0;
}

/* Waits (up to `bound` seconds) until the client closed connection `conn`; when it did, the time
 * the server saw it in *at and 1. */
static int wait_closed(struct server *s, int conn, double bound, double *at) {
    for (double end = now_s() + bound; now_s() < end; sleep_ms(10)) {
        pthread_mutex_lock(&s->mu);
        int closed = s->closed[conn];
        *at = s->closed_at[conn];
        pthread_mutex_unlock(&s->mu);
        if (closed) return 1;
    }
    return 0;
}

/* Checks that the server saw connection `conn` closed within CLOSE_BOUND_S of `cancelled_at`. */
static void check_closed_soon(struct server *s, int conn, double cancelled_at) {
    double at = 0;
    char detail[128];
    int closed = wait_closed(s, conn, CLOSE_BOUND_S + 2.0, &at);
    snprintf(detail, sizeof detail, "connection %d closed=%d, %.3f s after the cancel", conn, closed,
             closed ? at - cancelled_at : -1.0);
    CHECK_MSG(closed && at - cancelled_at < CLOSE_BOUND_S, detail);
}

/* A client for the loopback server (`scheme` http or https). */
static TrilletClient *server_client(const struct server *s, const char *scheme, int max_retries) {
    char config[512];
    char *error = NULL;
    snprintf(config, sizeof config,
             "{\"base_url\":\"%s://127.0.0.1:%d\",\"api_key\":\"k\",\"workspace_id\":\"%s\",\"max_retries\":%d,"
             "\"timeout_ms\":60000,\"ignore_env\":true}",
             scheme, s->port, SANDBOX_WORKSPACE_ID, max_retries);
    TrilletClient *client = trillet_client_new(config, &error);
    if (client == NULL) fprintf(stderr, "trillet_client_new: %s\n", error);
    trillet_string_free(error);
    return client;
}

/* ---------------------------------------------------------------------------------------------
 * A call on a worker thread.
 * ------------------------------------------------------------------------------------------- */

struct job {
    const TrilletClient *client;
    const char *method; /* set: trillet_request_ex(method, path = operation); NULL: trillet_call_ex */
    const char *operation;
    const char *request;
    const TrilletCancel *cancel;
    pthread_t thread;
    int started;
    int status;
    char *json;
    char *meta;
    double ended;
};

static void *run_job(void *arg) {
    struct job *j = arg;
    if (j->method != NULL)
        j->status = trillet_request_ex(j->client, j->method, j->operation, j->request, j->cancel, &j->json, &j->meta);
    else
        j->status = trillet_call_ex(j->client, j->operation, j->request, j->cancel, &j->json, &j->meta);
    j->ended = now_s();
    return NULL;
}

/* Starts trillet_call_ex(operation) on a thread; with `method`, trillet_request_ex(method, path
 * `operation`) instead. */
static int job_start(struct job *j, const TrilletClient *client, const char *method, const char *operation,
                     const char *request, const TrilletCancel *cancel) {
    memset(j, 0, sizeof *j);
    j->client = client;
    j->method = method;
    j->operation = operation;
    j->request = request;
    j->cancel = cancel;
    j->status = -1;
    j->started = pthread_create(&j->thread, NULL, run_job, j) == 0;
    return j->started;
}

static void job_join(struct job *j) {
    if (j->started) pthread_join(j->thread, NULL);
    j->started = 0;
}

static void job_free(struct job *j) {
    trillet_string_free(j->json);
    trillet_string_free(j->meta);
    j->json = j->meta = NULL;
}

/* Checks that the job was cancelled with `code` and returned within RETURN_BOUND_S of `at`. */
static void check_cancelled(const struct job *j, const char *code, double at) {
    struct result r = {j->status, j->json};
    char detail[700];
    snprintf(detail, sizeof detail, "status %d after %.3f s: %s", j->status, j->ended - at, j->json);
    CHECK_MSG(is_error(&r, TRILLET_ERR_CANCELLED, "cancelled", code), detail);
    CHECK_MSG(j->ended - at < RETURN_BOUND_S, detail);
}

/*
 * After a cancel: cancelling the spent token again changes nothing; a later call given it fails
 * at once with not_sent and sends nothing; a new call with a fresh token on the same client
 * succeeds. With a loopback server `s`: cancelling that fresh token after its call returned does
 * not close the connection the call left in the pool, and the next call is served on it.
 */
static void after_a_cancel_the_client_still_works(const TrilletClient *client, TrilletCancel *spent,
                                                  struct server *s) {
    char *out = NULL, *meta = NULL;
    trillet_cancel(spent);
    int before = s ? server_get(s, &s->requests) : 0;

    double t = now_s();
    int status = trillet_call_ex(client, "agents.list", NULL, spent, &out, &meta);
    struct result r = {status, out};
    CHECK_MSG(is_error(&r, TRILLET_ERR_CANCELLED, "cancelled", "not_sent"), out);
    CHECK_MSG(now_s() - t < RETURN_BOUND_S, out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 0, meta);
    trillet_string_free(out);
    trillet_string_free(meta);
    if (s) CHECK(server_get(s, &s->requests) == before);

    TrilletCancel *fresh = trillet_cancel_new();
    CHECK(fresh != NULL);
    status = trillet_call_ex(client, "agents.list", NULL, fresh, &out, &meta);
    CHECK_MSG(status == TRILLET_OK && out != NULL && out[0] == '[', out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 1 && int_field(meta, "status") == 200, meta);
    trillet_cancel(fresh); /* after the call returned: changes nothing */
    CHECK_MSG(status == TRILLET_OK && out != NULL && out[0] == '[', out);
    trillet_string_free(out);
    trillet_string_free(meta);
    trillet_cancel_free(fresh);

    if (s) {
        CHECK(server_get(s, &s->requests) == before + 1);
        int conn = server_get(s, &s->request_conn[before]);
        double at = 0;
        CHECK_MSG(!wait_closed(s, conn, 0.3, &at), "a late cancel closed the pooled connection");
        status = trillet_call_ex(client, "agents.list", NULL, NULL, &out, NULL);
        CHECK_MSG(status == TRILLET_OK && out != NULL && strcmp(out, "[]") == 0, out);
        trillet_string_free(out);
        CHECK(server_get(s, &s->requests) == before + 2);
        CHECK_MSG(server_get(s, &s->request_conn[before + 1]) == conn, "the pooled connection was not reused");
    }
}

/* ---------------------------------------------------------------------------------------------
 * The cases.
 * ------------------------------------------------------------------------------------------- */

/* 1. A server that reads the request and never answers: the POST may have been acted on. */
static void cancel_while_waiting_for_the_answer(void) {
    struct server s;
    struct job j;
    START_SERVER(&s, HANG, 1, 0);
    TrilletClient *client = server_client(&s, "http", 2);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    int running = client != NULL && token != NULL && job_start(&j, client, NULL, "calls.initiate", INITIATE_REQUEST, token);
    CHECK(running);
    if (running) {
        CHECK(wait_requests(&s, 1));
        double t = now_s();
        trillet_cancel(token);
        job_join(&j);
        check_cancelled(&j, "maybe_sent", t);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 1, j.meta);
        check_closed_soon(&s, 0, t);
        CHECK(server_get(&s, &s.requests) == 1); /* never retried */
        job_free(&j);
        after_a_cancel_the_client_still_works(client, token, &s);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 2. A server that would answer after 5 s: the cancel does not wait for it. */
static void cancel_before_a_slow_answer(void) {
    struct server s;
    struct job j;
    START_SERVER(&s, LATE, 1, 5000);
    TrilletClient *client = server_client(&s, "http", 2);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    int running = client != NULL && token != NULL && job_start(&j, client, NULL, "agents.list", NULL, token);
    CHECK(running);
    if (running) {
        CHECK(wait_requests(&s, 1));
        double t = now_s();
        trillet_cancel(token);
        job_join(&j);
        check_cancelled(&j, "maybe_sent", t);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 1, j.meta);
        check_closed_soon(&s, 0, t);
        CHECK(server_get(&s, &s.answered) == 0);
        CHECK(server_get(&s, &s.requests) == 1);
        job_free(&j);
        after_a_cancel_the_client_still_works(client, token, &s);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 3. https:// to a server that accepts TCP and never speaks TLS: cancelled in the handshake,
 * no byte of the HTTP request went out. */
static void cancel_during_the_tls_handshake(void) {
    struct server s;
    struct job j;
    START_SERVER(&s, MUTE, 0, 0);
    TrilletClient *client = server_client(&s, "https", 2);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    int running = client != NULL && token != NULL && job_start(&j, client, NULL, "calls.initiate", INITIATE_REQUEST, token);
    CHECK(running);
    if (running) {
        CHECK(wait_requests(&s, 1)); /* the ClientHello arrived */
        double t = now_s();
        trillet_cancel(token);
        job_join(&j);
        check_cancelled(&j, "not_sent", t);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 0, j.meta);
        check_closed_soon(&s, 0, t);
        CHECK(server_get(&s, &s.accepted) == 1); /* never retried */
        job_free(&j);

        /* A cancel after the return changes nothing; the client is still usable: a call with a
         * fresh token gets the ordinary outcome against a server that never speaks TLS (its
         * deadline), not a cancel. */
        trillet_cancel(token);
        TrilletCancel *fresh = trillet_cancel_new();
        char *out = NULL;
        int status = trillet_call_ex(client, "agents.list", "{\"timeout_ms\":1500}", fresh, &out, NULL);
        CHECK_MSG(status == TRILLET_ERR_TIMEOUT, out);
        CHECK(server_get(&s, &s.accepted) >= 2);
        trillet_string_free(out);
        trillet_cancel_free(fresh);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 4. The sandbox's 503 with Retry-After: 30 on a GET: cancelled in the backoff, before any retry. */
static void cancel_during_the_retry_backoff(void) {
    struct job j;
    FRESH_CLIENT(client, 2, 60000);
    TrilletClient *control = sandbox_client(0, 10000);
    CHECK(control != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    CHECK(sandbox_fault(client, "agents.list", 1, UNAVAILABLE_FOR_30_S));
    double started = now_s();
    int running = control != NULL && token != NULL && job_start(&j, client, NULL, "agents.list", NULL, token);
    CHECK(running);
    if (running) {
        int seen = 0;
        for (double end = now_s() + ARRIVAL_BOUND_S; !seen && now_s() < end; sleep_ms(50))
            seen = sandbox_count(control, "agents.list") >= 1;
        CHECK(seen);
        /* The sandbox logs a request before it answers: give the 503 time to reach the client,
         * which then waits 30 s (meta's status 503 below shows the answer had arrived). */
        sleep_ms(2000);
        double t = now_s();
        trillet_cancel(token);
        job_join(&j);
        check_cancelled(&j, "maybe_sent", t);
        CHECK_MSG(j.ended - started < 15.0, j.json);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 1, j.meta);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "status") == 503, j.meta);
        CHECK(sandbox_count(control, "agents.list") == 1); /* never retried */
        job_free(&j);
        after_a_cancel_the_client_still_works(client, token, NULL);
        CHECK(sandbox_count(control, "agents.list") == 2);
    }
    trillet_cancel_free(token);
    trillet_client_free(control);
    trillet_client_free(client);
}

/* trillet_request_ex (the escape hatch) is cancellable the same way. */
static void cancel_a_raw_request(void) {
    struct server s;
    struct job j;
    START_SERVER(&s, HANG, 1, 0);
    TrilletClient *client = server_client(&s, "http", 2);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    int running = client != NULL && token != NULL &&
        job_start(&j, client, "POST", "/v1/api/new/{id}", "{\"path\":{\"id\":\"x1\"},\"body\":{\"a\":1}}", token);
    CHECK(running);
    if (running) {
        CHECK(wait_requests(&s, 1));
        double t = now_s();
        trillet_cancel(token);
        job_join(&j);
        check_cancelled(&j, "maybe_sent", t);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 1, j.meta);
        check_closed_soon(&s, 0, t);
        job_free(&j);
        /* The same client, no token: answered, with metadata. */
        char *out = NULL, *meta = NULL;
        int status = trillet_request_ex(client, "GET", "/v1/api/agents", NULL, NULL, &out, &meta);
        CHECK_MSG(status == TRILLET_OK && out != NULL && strcmp(out, "[]") == 0, out);
        CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 1 && int_field(meta, "status") == 200, meta);
        trillet_string_free(out);
        trillet_string_free(meta);
        CHECK(server_get(&s, &s.requests) == 2);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 6. A token cancelled before the call: not_sent at once, and the server sees no connection. */
static void a_token_cancelled_before_the_call_sends_nothing(void) {
    struct server s;
    START_SERVER(&s, ANSWER, 0, 0);
    TrilletClient *client = server_client(&s, "http", 2);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    if (client != NULL && token != NULL) {
        char *out = NULL, *meta = NULL;
        trillet_cancel(token);
        double t = now_s();
        int status = trillet_call_ex(client, "calls.initiate", INITIATE_REQUEST, token, &out, &meta);
        double took = now_s() - t;
        struct result r = {status, out};
        CHECK_MSG(is_error(&r, TRILLET_ERR_CANCELLED, "cancelled", "not_sent"), out);
        CHECK_MSG(took < 2.0, out);
        CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 0 && has(meta, "\"status\":null"), meta);
        trillet_string_free(out);
        trillet_string_free(meta);
        sleep_ms(300);
        CHECK(server_get(&s, &s.accepted) == 0);
        after_a_cancel_the_client_still_works(client, token, &s);
        CHECK(server_get(&s, &s.accepted) == 1);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 7. The token freed while the call holds it: the call completes normally (valgrind: no invalid
 * read when it ends and lets go of the token). */
static void a_token_freed_during_the_call_is_still_held_by_it(void) {
    struct server s;
    struct job j;
    START_SERVER(&s, LATE, 1, 1500);
    TrilletClient *client = server_client(&s, "http", 0);
    CHECK(client != NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    int running = client != NULL && token != NULL && job_start(&j, client, NULL, "agents.list", NULL, token);
    CHECK(running);
    if (running) {
        CHECK(wait_requests(&s, 1));
        trillet_cancel_free(token);
        token = NULL;
        job_join(&j);
        CHECK_MSG(j.status == TRILLET_OK && j.json != NULL && strcmp(j.json, "[]") == 0, j.json);
        CHECK_MSG(j.meta != NULL && int_field(j.meta, "attempts") == 1 && int_field(j.meta, "status") == 200, j.meta);
        CHECK(wait_answered(&s, 1) && server_get(&s, &s.answered) == 1);
        job_free(&j);
    }
    trillet_cancel_free(token);
    trillet_client_free(client);
    server_stop(&s);
}

/* 8. trillet_client_close with calls in flight on several threads (with a token, a token they
 * share, none): each ends cancelled, the server sees every connection closed; later calls fail at
 * once with not_sent and send nothing; then trillet_client_free. */
#define CLOSE_THREADS 3
static void client_close_ends_every_call_in_flight(void) {
    struct server s;
    struct job jobs[CLOSE_THREADS];
    int started = 0;
    START_SERVER(&s, HANG, CLOSE_THREADS, 0);
    TrilletClient *client = server_client(&s, "http", 2);
    CHECK(client != NULL);
    TrilletCancel *shared = trillet_cancel_new();
    CHECK(shared != NULL);
    if (client != NULL && shared != NULL) {
        const TrilletCancel *tokens[CLOSE_THREADS] = {NULL, shared, shared};
        for (int i = 0; i < CLOSE_THREADS; i++) started += job_start(&jobs[i], client, NULL, "agents.list", NULL, tokens[i]);
        CHECK(started == CLOSE_THREADS);
        CHECK(wait_requests(&s, CLOSE_THREADS));
        double t = now_s();
        trillet_client_close(client);
        for (int i = 0; i < CLOSE_THREADS; i++) {
            job_join(&jobs[i]);
            check_cancelled(&jobs[i], "maybe_sent", t);
            job_free(&jobs[i]);
        }
        CHECK(server_get(&s, &s.accepted) == CLOSE_THREADS);
        for (int c = 0; c < CLOSE_THREADS; c++) check_closed_soon(&s, c, t);

        /* Later calls: cancelled at once, nothing sent, whichever function. */
        char *out = NULL, *meta = NULL;
        t = now_s();
        int status = trillet_call_ex(client, "calls.initiate", INITIATE_REQUEST, NULL, &out, &meta);
        struct result r = {status, out};
        CHECK_MSG(is_error(&r, TRILLET_ERR_CANCELLED, "cancelled", "not_sent"), out);
        CHECK_MSG(now_s() - t < 2.0, out);
        CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 0, meta);
        trillet_string_free(out);
        trillet_string_free(meta);
        r = call(client, "agents.list", NULL);
        CHECK_MSG(is_error(&r, TRILLET_ERR_CANCELLED, "cancelled", "not_sent"), r.json);
        result_free(&r);
        trillet_client_close(client); /* idempotent */
        sleep_ms(200);
        CHECK(server_get(&s, &s.accepted) == CLOSE_THREADS);
        CHECK(server_get(&s, &s.requests) == CLOSE_THREADS);
    }
    trillet_cancel_free(shared);
    trillet_client_free(client);
    server_stop(&s);
}

/* 9. A NULL token: trillet_call_ex is trillet_call_with_meta. */
static void a_null_token_is_call_with_meta(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *out = NULL, *meta = NULL;
    int status = trillet_call_ex(client, "agents.list", NULL, NULL, &out, &meta);
    CHECK_MSG(status == TRILLET_OK && out != NULL && out[0] == '[', out);
    CHECK_MSG(meta != NULL && int_field(meta, "attempts") == 1 && int_field(meta, "status") == 200, meta);
    char *id = meta ? string_field(meta, "request_id") : NULL;
    CHECK_MSG(id != NULL && strncmp(id, "req_", 4) == 0, meta);
    free(id);
    trillet_string_free(out);
    trillet_string_free(meta);
    /* And with a NULL out_meta too: trillet_call. */
    status = trillet_call_ex(client, "agents.get", "{\"path\":{\"agentId\":\"" UNKNOWN_ID "\"}}", NULL, &out, NULL);
    struct result r = {status, out};
    CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "not_found"), out);
    trillet_string_free(out);
    CHECK(sandbox_count(client, "agents.list") == 1);
    trillet_client_free(client);
}

/* NULL arguments: trillet_cancel and trillet_cancel_free accept NULL; trillet_call_ex refuses a
 * NULL client like trillet_call. */
static void cancel_functions_accept_null(void) {
    char *out = NULL, *meta = NULL;
    trillet_cancel(NULL);
    trillet_cancel_free(NULL);
    trillet_client_close(NULL);
    TrilletCancel *token = trillet_cancel_new();
    CHECK(token != NULL);
    trillet_cancel(token);
    trillet_cancel(token); /* idempotent */
    int status = trillet_call_ex(NULL, "agents.list", NULL, token, &out, &meta);
    struct result r = {status, out};
    CHECK_MSG(is_error(&r, TRILLET_ERR_INVALID_INPUT, "invalid_input", "null_argument"), out);
    trillet_string_free(out);
    trillet_string_free(meta);
    CHECK(trillet_call_ex(NULL, "agents.list", NULL, token, NULL, NULL) == TRILLET_ERR_INVALID_INPUT);
    trillet_cancel_free(token);
}

const struct test_case cancel_tests[] = {
    {"cancel: waiting for the answer (POST): maybe_sent, server sees the close", cancel_while_waiting_for_the_answer},
    {"cancel: before an answer due in 5 s: maybe_sent, server sees the close", cancel_before_a_slow_answer},
    {"cancel: in the TLS handshake: not_sent, server sees the close", cancel_during_the_tls_handshake},
    {"cancel: in a Retry-After: 30 backoff: maybe_sent, 1 attempt, not retried", cancel_during_the_retry_backoff},
    {"cancel: trillet_request_ex (raw path) waiting for the answer: maybe_sent", cancel_a_raw_request},
    {"cancel: a token cancelled before the call: not_sent, no connection", a_token_cancelled_before_the_call_sends_nothing},
    {"cancel: a token freed while a call holds it: the call completes", a_token_freed_during_the_call_is_still_held_by_it},
    {"cancel: trillet_client_close ends calls on 3 threads; later calls not_sent", client_close_ends_every_call_in_flight},
    {"cancel: a NULL token is trillet_call_with_meta", a_null_token_is_call_with_meta},
    {"cancel: NULL tokens and clients are accepted or refused cleanly", cancel_functions_accept_null},
    {NULL, NULL},
};
