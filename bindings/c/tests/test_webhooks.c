/*
 * Webhooks from C: a receiver function fed the raw bytes of an HTTP request (the example), both
 * signing schemes, rotation, tolerance, the failure codes, and the sandbox delivering a signed
 * event to a socket this test listens on. Everything the library returns is freed (valgrind).
 */
#include "harness.h"
#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define SECRETS "[\"whsec_b2xkIHNlY3JldA==\",\"" SECRET "\"]"
#define EVENT "{\"event\":\"call.completed\",\"data\":{\"callId\":\"c1\",\"duration\":125}}"

/* Appends `text` to `out` as the inside of a JSON string (quotes and backslashes escaped,
 * control characters dropped); returns the new length, or (size_t)-1 when it does not fit. */
static size_t json_append(char *out, size_t len, size_t cap, const char *text, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20) continue;
        if (len + 3 >= cap) return (size_t)-1;
        if (c == '"' || c == '\\') out[len++] = '\\';
        out[len++] = (char)c;
    }
    out[len] = '\0';
    return len;
}

/*
 * The receiver example: the raw bytes of one HTTP request (head and body, as read from the
 * socket) go in; the verified event JSON comes out in *event_json (free with
 * trillet_string_free), or the error JSON whose "code" says which check failed. The headers are
 * handed over as [[name, value], ...]; the body is never parsed before it is verified.
 */
static int handle_webhook(const char *secrets_json, const char *raw, size_t raw_len, char **event_json) {
    const char *end = NULL;
    for (size_t i = 0; i + 3 < raw_len; i++) {
        if (memcmp(raw + i, "\r\n\r\n", 4) == 0) {
            end = raw + i;
            break;
        }
    }
    *event_json = NULL;
    if (end == NULL) return TRILLET_ERR_INVALID_INPUT;
    const char *body = end + 4;
    size_t body_len = raw_len - (size_t)(body - raw);
    char headers[8192] = "[";
    size_t len = 1;
    const char *line = memchr(raw, '\n', (size_t)(end - raw));  /* skip the request line */
    while (line != NULL && line < end) {
        line++;
        const char *eol = memchr(line, '\r', (size_t)(end - line) + 1);
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (colon != NULL) {
            const char *value = colon + 1;
            while (value < eol && *value == ' ') value++;
            if (len > 1) headers[len++] = ',';
            headers[len++] = '[';
            headers[len++] = '"';
            len = json_append(headers, len, sizeof headers, line, (size_t)(colon - line));
            if (len == (size_t)-1) return TRILLET_ERR_INVALID_INPUT;
            memcpy(headers + len, "\",\"", 3);
            len += 3;
            len = json_append(headers, len, sizeof headers, value, (size_t)(eol - value));
            if (len == (size_t)-1 || len + 4 >= sizeof headers) return TRILLET_ERR_INVALID_INPUT;
            headers[len++] = '"';
            headers[len++] = ']';
            headers[len] = '\0';
        }
        line = memchr(eol, '\n', (size_t)(end - eol) + 1);
    }
    headers[len++] = ']';
    headers[len] = '\0';
    return trillet_webhook_construct_event(secrets_json, headers, (const uint8_t *)body, body_len, -1, event_json);
}

/* A raw HTTP request as a receiver reads it: the signed headers of `headers_json` (an object
 * of strings, as trillet_webhook_sign_headers makes it) and the body. */
static char *raw_request(const char *headers_json, const char *body) {
    char *raw = malloc(8192);
    size_t n = (size_t)snprintf(raw, 8192, "POST /webhooks HTTP/1.1\r\nHost: example\r\nContent-Length: %zu\r\n",
                                strlen(body));
    /* {"a":"x","b":"y"} -> "a: x\r\nb: y\r\n" (the values are base64, hex, digits or ids). */
    const char *p = headers_json;
    while ((p = strchr(p, '"')) != NULL) {
        const char *name_end = strchr(p + 1, '"');
        const char *value = strchr(name_end + 1, '"');
        const char *value_end = strchr(value + 1, '"');
        n += (size_t)snprintf(raw + n, 8192 - n, "%.*s: %.*s\r\n", (int)(name_end - p - 1), p + 1,
                              (int)(value_end - value - 1), value + 1);
        p = value_end + 1;
    }
    snprintf(raw + n, 8192 - n, "\r\n%s", body);
    return raw;
}

static char *signed_headers(const char *scheme, const char *secret, long long timestamp, const char *body) {
    char *out = NULL;
    int status = trillet_webhook_sign_headers(secret, scheme, "msg_c", timestamp, (const uint8_t *)body,
                                              strlen(body), &out);
    CHECK_MSG(status == TRILLET_OK, out);
    return out;
}

static void expect(const char *secrets, const char *raw, int want_status, const char *want) {
    char *out = NULL;
    int status = handle_webhook(secrets, raw, strlen(raw), &out);
    CHECK_MSG(status == want_status && has(out, want), out);
    trillet_string_free(out);
}

static void receiver_verifies_both_schemes_from_raw_bytes(void) {
    const char *schemes[] = {"trillet", "standard"};
    for (int i = 0; i < 2; i++) {
        char *headers = signed_headers(schemes[i], SECRET, -1, EVENT);
        char *raw = raw_request(headers, EVENT);
        /* The event comes back byte for byte; a rotation list with the secret second passes. */
        char *out = NULL;
        int status = handle_webhook(SECRETS, raw, strlen(raw), &out);
        CHECK_MSG(status == TRILLET_OK && strcmp(out, EVENT) == 0, out);
        trillet_string_free(out);
        /* One byte of the body changed: bad_signature, with the raw-bytes hint. */
        char *tampered = raw_request(headers, "{\"event\":\"call.completed\",\"data\":{\"callId\":\"c1\",\"duration\":126}}");
        expect(SECRETS, tampered, TRILLET_ERR_INVALID_INPUT, "\"code\":\"bad_signature\"");
        expect(SECRETS, tampered, TRILLET_ERR_INVALID_INPUT, "raw request bytes");
        expect("[\"whsec_b2xkIHNlY3JldA==\"]", raw, TRILLET_ERR_INVALID_INPUT, "\"code\":\"bad_signature\"");
        free(tampered);
        free(raw);
        trillet_string_free(headers);
    }
}

static void receiver_refusals_name_the_check(void) {
    long long now = (long long)time(NULL);
    char *stale = signed_headers("standard", SECRET, now - 1000, EVENT);
    char *raw = raw_request(stale, EVENT);
    expect("\"" SECRET "\"", raw, TRILLET_ERR_INVALID_INPUT, "\"code\":\"timestamp_too_old\"");
    /* A wider tolerance accepts it (the headers JSON may also be an object, as signed). */
    char *out = NULL;
    CHECK(trillet_webhook_construct_event("\"" SECRET "\"", stale, (const uint8_t *)EVENT, strlen(EVENT), 3600,
                                          &out) == TRILLET_OK);
    CHECK_MSG(out != NULL && strcmp(out, EVENT) == 0, out);
    trillet_string_free(out);
    free(raw);
    trillet_string_free(stale);

    char *ahead = signed_headers("standard", SECRET, now + 1000, EVENT);
    raw = raw_request(ahead, EVENT);
    expect("\"" SECRET "\"", raw, TRILLET_ERR_INVALID_INPUT, "\"code\":\"timestamp_in_future\"");
    free(raw);
    trillet_string_free(ahead);

    expect("\"" SECRET "\"", "POST / HTTP/1.1\r\nHost: x\r\n\r\n" EVENT, TRILLET_ERR_INVALID_INPUT,
           "\"code\":\"missing_signature\"");
    expect("\"" SECRET "\"",
           "POST / HTTP/1.1\r\nwebhook-id: m\r\nwebhook-timestamp: 1\r\nwebhook-signature: v1a,c29tZQ==\r\n\r\n" EVENT,
           TRILLET_ERR_INVALID_INPUT, "\"code\":\"unsupported_scheme\"");
    expect("[]", "POST / HTTP/1.1\r\nX-Trillet-Signature: 00\r\n\r\n" EVENT, TRILLET_ERR_INVALID_INPUT,
           "\"code\":\"missing_secret\"");
    char *not_event = signed_headers("trillet", SECRET, -1, "[1]");
    raw = raw_request(not_event, "[1]");
    expect("\"" SECRET "\"", raw, TRILLET_ERR_INVALID_INPUT, "\"code\":\"invalid_payload\"");
    free(raw);
    trillet_string_free(not_event);
}

static void webhook_exports_refuse_hostile_arguments(void) {
    char *out = (char *)"garbage";
    const uint8_t *b = (const uint8_t *)EVENT;
    size_t n = strlen(EVENT);
    CHECK(trillet_webhook_construct_event(NULL, "{}", b, n, -1, &out) == TRILLET_ERR_INVALID_INPUT);
    CHECK_MSG(has(out, "\"code\":\"null_argument\""), out);
    trillet_string_free(out);
    CHECK(trillet_webhook_verify_headers("\"k\"", NULL, b, n, -1, &out) == TRILLET_ERR_INVALID_INPUT);
    trillet_string_free(out);
    CHECK(trillet_webhook_verify_headers("\"k\"", "{}", NULL, 5, -1, &out) == TRILLET_ERR_INVALID_INPUT);
    trillet_string_free(out);
    CHECK(trillet_webhook_verify_headers("\"k\"", "not json", b, n, -1, &out) == TRILLET_ERR_INVALID_INPUT);
    CHECK_MSG(has(out, "\"code\":\"invalid_argument\""), out);
    trillet_string_free(out);
    CHECK(trillet_webhook_verify_headers("\"k\"", "{}", b, n, -1, NULL) == TRILLET_ERR_INVALID_INPUT);
    CHECK(trillet_webhook_sign_headers(NULL, NULL, NULL, 0, b, n, &out) == TRILLET_ERR_INVALID_INPUT);
    trillet_string_free(out);
    CHECK(trillet_webhook_sign_headers("whsec_!!", "standard", NULL, 0, b, n, &out) == TRILLET_ERR_INVALID_INPUT);
    CHECK_MSG(has(out, "\"code\":\"invalid_secret\""), out);
    trillet_string_free(out);
    CHECK(trillet_webhook_sign_headers("k", "svix", NULL, 0, b, n, &out) == TRILLET_ERR_INVALID_INPUT);
    CHECK_MSG(has(out, "\"code\":\"unsupported_scheme\""), out);
    trillet_string_free(out);
    /* verify_headers says which scheme it checked. */
    char *headers = signed_headers("standard", SECRET, -1, EVENT);
    CHECK(trillet_webhook_verify_headers(SECRETS, headers, b, n, -1, &out) == TRILLET_OK);
    CHECK_MSG(has(out, "\"scheme\":\"standard\"") && has(out, "\"id\":\"msg_c\""), out);
    trillet_string_free(out);
    trillet_string_free(headers);
}

/* Accepts one connection within `ms` and reads one request (head and Content-Length body). */
static size_t accept_one_request(int listener, char *buf, size_t cap, int ms) {
    struct pollfd p = {.fd = listener, .events = POLLIN};
    if (poll(&p, 1, ms) != 1) return 0;
    int conn = accept(listener, NULL, NULL);
    if (conn < 0) return 0;
    size_t len = 0;
    for (;;) {
        ssize_t got = recv(conn, buf + len, cap - 1 - len, 0);
        if (got <= 0) break;
        len += (size_t)got;
        buf[len] = '\0';
        const char *end = strstr(buf, "\r\n\r\n");
        const char *cl = strstr(buf, "Content-Length: ");
        if (end != NULL && cl != NULL && len >= (size_t)(end + 4 - buf) + (size_t)atol(cl + 16)) break;
    }
    const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)send(conn, ok, strlen(ok), 0);
    close(conn);
    return len;
}

static void the_sandbox_delivers_a_signed_event_to_a_c_receiver(void) {
    FRESH_CLIENT(client, 0, 10000);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t addr_len = sizeof addr;
    CHECK(bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 4) == 0);
    CHECK(getsockname(listener, (struct sockaddr *)&addr, &addr_len) == 0);
    char body[512];
    snprintf(body, sizeof body,
             "{\"body\":{\"url\":\"http://127.0.0.1:%d/webhooks\",\"secret\":\"" SECRET
             "\",\"scheme\":\"standard\",\"events\":[\"agent.created\"]}}",
             ntohs(addr.sin_port));
    struct result r = request(client, "POST", "/__sandbox/webhooks", body);
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    result_free(&r);
    r = call(client, "agents.create", "{\"body\":" AGENT_BODY "}");
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    char *agent_id = string_field(r.json, "_id");
    result_free(&r);

    static char raw[65536];
    size_t len = accept_one_request(listener, raw, sizeof raw, 30000); /* a bound on a hang only */
    CHECK(len > 0);
    char *event = NULL;
    int status = handle_webhook("\"" SECRET "\"", raw, len, &event);
    CHECK_MSG(status == TRILLET_OK && has(event, "\"event\":\"agent.created\""), event);
    CHECK_MSG(agent_id != NULL && has(event, agent_id), event);
    trillet_string_free(event);
    free(agent_id);
    close(listener);
    sandbox_reset(client);
    trillet_client_free(client);
}

const struct test_case webhook_tests[] = {
    {"webhooks: a receiver fed raw bytes verifies both schemes (rotation, tampering)",
     receiver_verifies_both_schemes_from_raw_bytes},
    {"webhooks: refusals name the check (timestamps, headers, scheme, secret, payload)",
     receiver_refusals_name_the_check},
    {"webhooks: the JSON exports refuse NULL and malformed arguments", webhook_exports_refuse_hostile_arguments},
    {"webhooks: the sandbox delivers a signed agent.created to a C receiver",
     the_sandbox_delivers_a_signed_event_to_a_c_receiver},
    {NULL, NULL},
};
