/*
 * A happy path per resource (all 15) through the sandbox: the request goes through trillet_call
 * and what comes back is the body the sandbox sent, byte for byte.
 */
#include "harness.h"
#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* GETs `path` from the sandbox over a plain socket (no trillet code involved) and returns the
 * response body, malloc'd, or NULL: what the library must hand back byte for byte. */
static char *raw_get(const char *path) {
    const char *url = sandbox_url();
    int port = 0;
    if (url == NULL || sscanf(url, "http://127.0.0.1:%d", &port) != 1) return NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return NULL;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "GET %s HTTP/1.1\r\nhost: 127.0.0.1:%d\r\nx-api-key: %s\r\nx-workspace-id: %s\r\n"
                     "accept: application/json\r\nconnection: close\r\n\r\n",
                     path, port, SANDBOX_API_KEY, SANDBOX_WORKSPACE_ID);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || write(fd, head, (size_t)n) != n) {
        close(fd);
        return NULL;
    }
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    ssize_t got;
    while (buf != NULL && (got = read(fd, buf + len, cap - len)) > 0) {
        len += (size_t)got;
        if (len == cap) {
            char *bigger = realloc(buf, cap * 2 + 1);
            if (bigger == NULL) break;
            buf = bigger;
            cap *= 2;
        }
    }
    close(fd);
    if (buf == NULL) return NULL;
    buf[len] = '\0';
    char *body = strstr(buf, "\r\n\r\n");
    char *out = body != NULL ? strdup(body + 4) : NULL;
    free(buf);
    return out;
}


/* Calls `op` with `req`, checks TRILLET_OK and that the body contains `needle` (when given), and
 * returns the "_id" (or `id_key`) of the answer, or NULL. */
static char *ok(const TrilletClient *client, const char *op, const char *req, const char *needle, const char *id_key) {
    struct result r = call(client, op, req);
    CHECK_MSG(r.status == TRILLET_OK, r.json);
    if (needle != NULL) CHECK_MSG(has(r.json, needle), r.json);
    char *id = id_key != NULL && r.status == TRILLET_OK ? string_field(r.json, id_key) : NULL;
    if (id_key != NULL) CHECK_MSG(id != NULL, r.json);
    result_free(&r);
    return id;
}

/* A request JSON with one path parameter. */
static char *path1(const char *name, const char *value, const char *rest) {
    char *out = malloc(512);
    if (out != NULL) snprintf(out, 512, "{\"path\":{\"%s\":\"%s\"}%s}", name, value, rest);
    return out;
}

static void agents(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *id = ok(client, "agents.create", "{\"body\":" AGENT_BODY "}", "\"name\":\"C agent\"", "_id");
    if (id != NULL) {
        char *req = path1("agentId", id, "");
        char *upd = path1("agentId", id, ",\"body\":{\"name\":\"C agent 2\",\"llmModel\":\"gpt-4o\"}");
        free(ok(client, "agents.get", req, id, NULL));
        {
            /* Byte for byte: the body trillet hands back is the body the sandbox sends. */
            struct result got = call(client, "agents.get", req);
            char path[128];
            snprintf(path, sizeof path, "/v1/api/agents/%s", id);
            char *sent = raw_get(path);
            CHECK_MSG(sent != NULL && got.json != NULL && strcmp(sent, got.json) == 0, got.json);
            free(sent);
            result_free(&got);
        }
        free(ok(client, "agents.update", upd, "\"C agent 2\"", NULL));
        free(ok(client, "agents.list", NULL, id, NULL));
        free(ok(client, "agents.delete", req, NULL, NULL));
        struct result r = call(client, "agents.get", req);
        CHECK_MSG(is_error(&r, TRILLET_ERR_API, "api", "not_found"), r.json);
        result_free(&r);
        free(req);
        free(upd);
    }
    free(id);
    trillet_client_free(client);
}

static void omni_flow_agents(void) {
    FRESH_CLIENT(client, 0, 10000);
    free(ok(client, "omni_flow_agents.create", "{\"body\":{\"name\":\"C omni\",\"llmModel\":\"gpt-4o-mini\"}}",
            "\"C omni\"", NULL));
    free(ok(client, "omni_flow_agents.list", NULL, "\"C omni\"", NULL));
    trillet_client_free(client);
}

static void call_flows(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *id = ok(client, "call_flows.create",
                  "{\"body\":{\"name\":\"C flow\",\"direction\":\"inbound\",\"promptType\":\"simple\"}}", "\"C flow\"",
                  "_id");
    if (id != NULL) {
        char *req = path1("id", id, "");
        free(ok(client, "call_flows.get", req, "\"C flow\"", NULL));
        free(req);
    }
    free(id);
    trillet_client_free(client);
}

static void message_flows(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *agent = ok(client, "omni_flow_agents.create", "{\"body\":{\"name\":\"C omni\"}}", NULL, "_id");
    if (agent != NULL) {
        char req[512];
        snprintf(req, sizeof req,
                 "{\"body\":{\"name\":\"C messages\",\"direction\":\"outbound\",\"agent\":\"%s\","
                 "\"initiationMessage\":\"Hi\",\"prompt\":\"Be brief\",\"messageChannel\":\"SMS\"}}",
                 agent);
        free(ok(client, "message_flows.create", req, "\"C messages\"", NULL));
        free(ok(client, "message_flows.list", NULL, "\"C messages\"", NULL));
    }
    free(agent);
    trillet_client_free(client);
}

static void folders(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *id = ok(client, "folders.create",
                  "{\"body\":{\"name\":\"C folder\",\"color\":\"#3B82F6\",\"icon\":\"folder\",\"flowType\":\"call\"}}",
                  "\"C folder\"", "_id");
    if (id != NULL) {
        char *req = path1("folderId", id, "");
        free(ok(client, "folders.get", req, "\"C folder\"", NULL));
        free(ok(client, "folders.delete", req, NULL, NULL));
        free(req);
    }
    free(id);
    trillet_client_free(client);
}

static void calls(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *agent = ok(client, "agents.create", "{\"body\":" AGENT_BODY "}", NULL, "_id");
    if (agent != NULL) {
        char req[256];
        snprintf(req, sizeof req, "{\"body\":{\"to\":\"+14155551234\",\"call_agent_id\":\"%s\"}}", agent);
        free(ok(client, "calls.initiate", req, NULL, NULL));
        CHECK(sandbox_count(client, "calls.initiate") == 1);
    }
    free(agent);
    trillet_client_free(client);
}

static void call_history(void) {
    FRESH_CLIENT(client, 0, 10000);
    free(ok(client, "call_history.list", "{\"query\":{\"page\":1,\"limit\":10}}", NULL, NULL));
    /* A text (CSV) response comes back as a JSON string. */
    struct result r = call(client, "call_history.export_csv", "{\"body\":{}}");
    CHECK_MSG(r.status == TRILLET_OK && r.json != NULL && r.json[0] == '"', r.json);
    result_free(&r);
    trillet_client_free(client);
}

/* Places a call with a new agent; returns the room name of the active call, or NULL. */
static char *active_room(const TrilletClient *client) {
    char req[256];
    char *room = NULL;
    char *agent = ok(client, "agents.create", "{\"body\":" AGENT_BODY "}", NULL, "_id");
    if (agent != NULL) {
        snprintf(req, sizeof req, "{\"body\":{\"to\":\"+14155551234\",\"call_agent_id\":\"%s\"}}", agent);
        free(ok(client, "calls.initiate", req, "\"call_id\"", NULL));
        room = ok(client, "active_calls.list", NULL, "\"+14155551234\"", "roomName");
    }
    free(agent);
    return room;
}

/* Starts a recording of an active call; the call's id (malloc'd), or NULL after a failed check. */
static char *recorded_call_id(TrilletClient *client) {
    char *room = active_room(client);
    char *call_id = NULL;
    if (room != NULL) {
        char req[256];
        snprintf(req, sizeof req, "{\"body\":{\"pathwayId\":\"0123456789abcdef01234567\",\"roomName\":\"%s\"}}", room);
        free(ok(client, "recordings.start", req, "\"egressId\"", NULL));
        snprintf(req, sizeof req, "{\"path\":{\"roomName\":\"%s\"}}", room);
        call_id = ok(client, "active_calls.get", req, NULL, "id");
    }
    free(room);
    return call_id;
}

static void recordings(void) {
    FRESH_CLIENT(client, 0, 10000);
    /* The recording is audio: it comes back as {"content_type","filename","size","data_base64"}. */
    char *call_id = recorded_call_id(client);
    if (call_id != NULL) {
        char req[256];
        snprintf(req, sizeof req, "{\"path\":{\"callHistoryId\":\"%s\"}}", call_id);
        free(ok(client, "recordings.get", req, "\"content_type\":\"audio/mp3\"", NULL));
        free(ok(client, "recordings.get", req, "\"data_base64\":\"SUQz", NULL)); /* "ID3" */
    }
    free(call_id);
    trillet_client_free(client);
}

static void active_calls(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *room = active_room(client);
    if (room != NULL) {
        char *req = path1("roomName", room, "");
        free(ok(client, "active_calls.get", req, room, NULL));
        free(ok(client, "active_calls.end_call", req, NULL, NULL));
        free(req);
        /* The body-less POST went out with content-length: 0, never chunked (the only request
           of this test with an empty body: the others carry JSON or are GETs). */
        struct result log = request(client, "GET", "/__sandbox/requests", NULL);
        CHECK_MSG(log.status == TRILLET_OK, log.json);
        CHECK_MSG(log.json != NULL && count(log.json, "\"content-length\":\"0\"") == 1, log.json);
        CHECK_MSG(log.json != NULL && !has(log.json, "transfer-encoding"), log.json);
        result_free(&log);
    }
    free(room);
    trillet_client_free(client);
}

static void batch_calls(void) {
    FRESH_CLIENT(client, 0, 10000);
    char req[512];
    char *agent = ok(client, "agents.create", "{\"body\":" AGENT_BODY "}", NULL, "_id");
    /* A multipart upload: the CSV travels as data_base64 ("phone_number\n+14155551234\n"). */
    snprintf(req, sizeof req,
             "{\"body\":{\"agentId\":\"%s\"},\"files\":[{\"field\":\"file\",\"filename\":\"calls.csv\","
             "\"content_type\":\"text/csv\",\"data_base64\":\"cGhvbmVfbnVtYmVyCisxNDE1NTU1MTIzNAo=\"}]}",
             agent != NULL ? agent : "none");
    char *batch = ok(client, "batch_calls.start", req, "\"totalCalls\":1", "batchId");
    free(agent);
    if (batch != NULL) {
        char *req = path1("batchId", batch, "");
        free(ok(client, "batch_calls.progress", req, NULL, NULL));
        free(req);
    }
    free(batch);
    trillet_client_free(client);
}

static void conversations(void) {
    FRESH_CLIENT(client, 0, 10000);
    free(ok(client, "conversations.list", NULL, NULL, NULL));
    trillet_client_free(client);
}

static void phone_numbers(void) {
    FRESH_CLIENT(client, 0, 10000);
    free(ok(client, "phone_numbers.search_available", "{\"query\":{\"country\":\"US\",\"type\":\"local\"}}", NULL,
            NULL));
    free(ok(client, "phone_numbers.list", NULL, NULL, NULL));
    trillet_client_free(client);
}

static void knowledge_base(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *id = ok(client, "knowledge_base.create", "{\"body\":{\"name\":\"C docs\"}}", "\"C docs\"", "_id");
    if (id != NULL) {
        char *req = path1("id", id, "");
        free(ok(client, "knowledge_base.get", req, "\"C docs\"", NULL));
        free(req);
    }
    free(id);
    trillet_client_free(client);
}

static void voices(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *id = ok(client, "voices.create", "{\"body\":{\"name\":\"C voice\",\"embedding\":{\"data\":\"AAAA\",\"format\":\"float32\"}}}",
                  "\"C voice\"", "_id");
    if (id != NULL) {
        char *req = path1("id", id, "");
        free(ok(client, "voices.get", req, "\"C voice\"", NULL));
        free(req);
    }
    free(id);
    trillet_client_free(client);
}

static void workspaces(void) {
    FRESH_CLIENT(client, 0, 10000);
    free(ok(client, "workspaces.list", NULL, NULL, NULL));
    char *req = path1("workspaceId", SANDBOX_WORKSPACE_ID, "");
    free(ok(client, "workspaces.get", req, SANDBOX_WORKSPACE_ID, NULL));
    free(req);
    trillet_client_free(client);
}

/* workspaces.pending_invitations: the sandbox user's invitation, from a client with no workspace id
   (the workspace header is optional for this operation). */
static void pending_invitations_without_a_workspace(void) {
    FRESH_CLIENT(client, 0, 10000);
    char *invite = path1("workspaceId", SANDBOX_WORKSPACE_ID,
                         ",\"body\":{\"email\":\"owner@sandbox.trillet.test\",\"role\":\"viewer\"}");
    free(ok(client, "workspaces.invite", invite, NULL, NULL));
    free(invite);
    char config[512];
    char *error = NULL;
    snprintf(config, sizeof config, "{\"api_key\":\"%s\",\"base_url\":\"%s\",\"max_retries\":0,\"ignore_env\":true}",
             SANDBOX_API_KEY, sandbox_url());
    TrilletClient *key_only = trillet_client_new(config, &error);
    CHECK_MSG(key_only != NULL, error);
    trillet_string_free(error);
    if (key_only != NULL) {
        free(ok(key_only, "workspaces.pending_invitations", NULL, "\"role\":\"viewer\"", NULL));
        struct result log = request(client, "GET", "/__sandbox/requests", NULL);
        /* Only the invite carried the workspace header (it names the workspace in its path). */
        CHECK_MSG(log.json != NULL && count(log.json, "\"x-workspace-id\"") == 1, log.json);
        CHECK(sandbox_count(client, "workspaces.pending_invitations") == 1);
        result_free(&log);
        trillet_client_free(key_only);
    }
    trillet_client_free(client);
}

static void raw_request_and_sent_headers(void) {
    FRESH_CLIENT(client, 0, 10000);
    /* The escape hatch reaches a table path by method and path, with the same headers. */
    free(ok(client, "agents.create", "{\"body\":" AGENT_BODY "}", NULL, NULL));
    struct result r = request(client, "GET", "/v1/api/agents", NULL);
    CHECK_MSG(r.status == TRILLET_OK && has(r.json, "\"C agent\""), r.json);
    result_free(&r);
    r = request(client, "GET", "/__sandbox/requests", NULL);
    CHECK_MSG(has(r.json, "\"x-workspace-id\":\"" SANDBOX_WORKSPACE_ID "\""), r.json);
    CHECK_MSG(has(r.json, "\"x-api-key\":\"<redacted>\""), r.json);
    CHECK_MSG(has(r.json, "c-tests"), r.json);
    result_free(&r);
    trillet_client_free(client);
}

/* The escape hatch reads the answer by its content-type, as the typed operations do: the CSV
   export as a JSON string, a recording as the binary envelope, bad JSON under application/json a
   decode error. */
static void raw_request_answers_by_content_type(void) {
    FRESH_CLIENT(client, 0, 10000);
    struct result typed = call(client, "call_history.export_csv", "{\"body\":{}}");
    struct result r = request(client, "POST", "/v2/api/call-history/export-csv", "{\"body\":{}}");
    CHECK_MSG(r.status == TRILLET_OK && r.json != NULL && r.json[0] == '"', r.json);
    CHECK_MSG(r.json != NULL && typed.json != NULL && strcmp(r.json, typed.json) == 0, r.json);
    result_free(&r);
    result_free(&typed);

    char *call_id = recorded_call_id(client);
    if (call_id != NULL) {
        char req[256];
        snprintf(req, sizeof req, "{\"path\":{\"id\":\"%s\"}}", call_id);
        r = request(client, "GET", "/v2/api/recordings/{id}", req);
        CHECK_MSG(r.status == TRILLET_OK && has(r.json, "\"content_type\":\"audio/mp3\""), r.json);
        CHECK_MSG(has(r.json, "\"filename\":\"recording.mp3\"") && has(r.json, "\"data_base64\":\"SUQz"), r.json);
        result_free(&r);
    }
    free(call_id);

    CHECK(sandbox_fault(client, "call_history.export_csv", 1, "{\"type\":\"malformed_json\"}"));
    r = request(client, "POST", "/v2/api/call-history/export-csv", "{\"body\":{}}");
    CHECK_MSG(is_error(&r, TRILLET_ERR_DECODE, "decode", "invalid_response"), r.json);
    result_free(&r);
    trillet_client_free(client);
}

const struct test_case resource_tests[] = {
    {"resource: agents (create, get, update, list, delete, 404 after)", agents},
    {"resource: omni_flow_agents (create, list)", omni_flow_agents},
    {"resource: call_flows (create, get)", call_flows},
    {"resource: message_flows (create, list)", message_flows},
    {"resource: folders (create, get, delete)", folders},
    {"resource: calls (initiate)", calls},
    {"resource: call_history (list, CSV export as a JSON string)", call_history},
    {"resource: recordings (start on a live call, get the audio)", recordings},
    {"resource: active_calls (list, get, end_call with content-length: 0)", active_calls},
    {"resource: batch_calls (multipart start, progress)", batch_calls},
    {"resource: conversations (list)", conversations},
    {"resource: phone_numbers (search available, list)", phone_numbers},
    {"resource: knowledge_base (create, get)", knowledge_base},
    {"resource: voices (create, get)", voices},
    {"resource: workspaces (list, get)", workspaces},
    {"resource: workspaces.pending_invitations with no workspace id", pending_invitations_without_a_workspace},
    {"request: raw method and path, same headers as the table", raw_request_and_sent_headers},
    {"request: raw answers read by content-type (CSV text, audio envelope, bad JSON)", raw_request_answers_by_content_type},
    {NULL, NULL},
};
