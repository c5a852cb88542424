package trillet_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// agentBody is an agent the sandbox accepts.
var agentBody = map[string]any{
	"name":     "Go agent",
	"ttsModel": map[string]any{"provider": "rime", "voiceId": "mistv2_Wildflower"},
	"llmModel": "gpt-4o-mini",
}

func createAgent(t *testing.T, c *trillet.Client) string {
	t.Helper()
	return str(t, mustOK(t)(c.Agents.Create(background, typed[trillet.CreateAgent](agentBody))), "_id")
}

func TestAgentsCRUDThroughTheTypedNamespace(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	created := mustOK(t)(c.Agents.Create(background, typed[trillet.CreateAgent](agentBody)))
	id := str(t, created, "_id")

	sent := lastRequest(t, "agents.create")
	if sent.Method != "POST" || sent.Path != "/v1/api/agents" {
		t.Errorf("sent %s %s, want POST /v1/api/agents", sent.Method, sent.Path)
	}
	var sentBody map[string]any
	if err := json.Unmarshal(sent.Body, &sentBody); err != nil || sentBody["name"] != "Go agent" || sentBody["llmModel"] != "gpt-4o-mini" {
		t.Errorf("sent body %s", sent.Body)
	}
	if sent.Headers["content-type"] != "application/json" {
		t.Errorf("content-type %q", sent.Headers["content-type"])
	}

	got := mustOK(t)(c.Agents.Get(background, id))
	if str(t, got, "_id") != id || str(t, got, "name") != "Go agent" {
		t.Errorf("get: %s", got)
	}
	if r := lastRequest(t, "agents.get"); r.Method != "GET" || r.Path != "/v1/api/agents/"+id {
		t.Errorf("get sent %s %s", r.Method, r.Path)
	}

	updated := mustOK(t)(c.Agents.Update(background, id, typed[trillet.UpdateAgent](map[string]any{"name": "Go agent 2", "llmModel": "gpt-4o"})))
	if str(t, updated, "name") != "Go agent 2" {
		t.Errorf("update: %s", updated)
	}
	if r := lastRequest(t, "agents.update"); r.Method != "PUT" {
		t.Errorf("update sent %s", r.Method)
	}

	list := mustOK(t)(c.Agents.List(background))
	if !strings.Contains(string(list), id) {
		t.Errorf("list does not hold %s: %s", id, list)
	}

	mustOK(t)(c.Agents.Delete(background, id))
	if r := lastRequest(t, "agents.delete"); r.Method != "DELETE" || r.Path != "/v1/api/agents/"+id {
		t.Errorf("delete sent %s %s", r.Method, r.Path)
	}
	_, err := c.Agents.Get(background, id)
	if !trillet.IsNotFound(err) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestTheBodyIsSentAsGivenAndTheResponseComesBackByteForByte(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	// Key order and unicode are kept: the library passes JSON text through.
	raw := json.RawMessage(`{"name":"Zürich agent","llmModel":"gpt-4o-mini","ttsModel":{"voiceId":"v","provider":"rime"}}`)
	created := mustOK(t)(c.Call(background, "agents.create", trillet.Request{Body: raw}))
	sent := lastRequest(t, "agents.create")
	var want, got any
	_ = json.Unmarshal(raw, &want)
	_ = json.Unmarshal(sent.Body, &got)
	if !jsonEqual(want, got) {
		t.Errorf("sent %s, want %s", sent.Body, raw)
	}
	// The same object read back over plain HTTP is byte-identical to what the binding returned.
	id := str(t, created, "_id")
	viaBinding := mustOK(t)(c.Agents.Get(background, id))
	viaHTTP := plainGet(t, "/v1/api/agents/"+id)
	if string(viaBinding) != string(viaHTTP) {
		t.Errorf("binding returned\n%s\nHTTP returned\n%s", viaBinding, viaHTTP)
	}
}

func TestPathParamsAreOneEncodedSegmentAndQueryIsSent(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	_, err := c.Agents.Get(background, "a/b c?d")
	if !trillet.IsNotFound(err) {
		t.Fatalf("want a 404 for an unknown id, got %v", err)
	}
	if r := lastRequest(t, "agents.get"); r.Path != "/v1/api/agents/a%2Fb%20c%3Fd" {
		t.Errorf("path %q", r.Path)
	}
	mustOK(t)(c.CallHistory.List(background, trillet.Options{Query: map[string]any{"page": 2, "limit": 10, "status": "completed"}}))
	q, err := url.ParseQuery(lastRequest(t, "call_history.list").Query)
	if err != nil || q.Get("page") != "2" || q.Get("limit") != "10" || q.Get("status") != "completed" {
		t.Errorf("query %v (%v)", q, err)
	}
}

func TestSentHeadersCarryKeyWorkspaceAndGoUserAgent(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	mustOK(t)(c.Agents.List(background))
	h := lastRequest(t, "agents.list").Headers
	if h["x-api-key"] != "<redacted>" { // the sandbox redacts it in its log: it was sent
		t.Errorf("x-api-key %q", h["x-api-key"])
	}
	if h["x-workspace-id"] != sandboxWorkspace {
		t.Errorf("x-workspace-id %q", h["x-workspace-id"])
	}
	ua := h["user-agent"]
	if !strings.Contains(ua, "trillet-rust/") || !strings.Contains(ua, " go/1.") || !strings.HasSuffix(ua, " go-tests") {
		t.Errorf("user-agent %q", ua)
	}
}

func TestOmniFlowAgents(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.OmniFlowAgents.Create(background, typed[trillet.CreateOmniFlowAgent](map[string]any{"name": "Go omni", "llmModel": "gpt-4o-mini"}))), "_id")
	if !strings.Contains(string(mustOK(t)(c.OmniFlowAgents.List(background))), id) {
		t.Error("the list does not hold the new agent")
	}
	if str(t, mustOK(t)(c.OmniFlowAgents.Get(background, id)), "name") != "Go omni" {
		t.Error("get returned another agent")
	}
}

func TestCallFlows(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.CallFlows.Create(background, typed[trillet.CreateCallFlow](map[string]any{"name": "Go flow", "direction": "inbound", "promptType": "simple"}))), "_id")
	if str(t, mustOK(t)(c.CallFlows.Get(background, id)), "name") != "Go flow" {
		t.Error("get returned another flow")
	}
	if r := lastRequest(t, "call_flows.get"); r.Path != "/v1/api/call-flows/"+id {
		t.Errorf("path %q", r.Path)
	}
}

func TestMessageFlows(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	agent := str(t, mustOK(t)(c.OmniFlowAgents.Create(background, typed[trillet.CreateOmniFlowAgent](map[string]any{"name": "Go omni"}))), "_id")
	mustOK(t)(c.MessageFlows.Create(background, typed[trillet.CreateMessageFlow](map[string]any{
		"name": "Go messages", "direction": "outbound", "agent": agent,
		"initiationMessage": "Hi", "prompt": "Be brief", "messageChannel": "SMS",
	})))
	if !strings.Contains(string(mustOK(t)(c.MessageFlows.List(background))), `"Go messages"`) {
		t.Error("the list does not hold the new flow")
	}
}

func TestFolders(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.Folders.Create(background, typed[trillet.CreateFolder](map[string]any{"name": "Go folder", "color": "#3B82F6", "icon": "folder", "flowType": "call"}))), "_id")
	if str(t, mustOK(t)(c.Folders.Get(background, id)), "name") != "Go folder" {
		t.Error("get returned another folder")
	}
	mustOK(t)(c.Folders.Delete(background, id))
	if _, err := c.Folders.Get(background, id); !trillet.IsNotFound(err) {
		t.Errorf("get after delete: %v", err)
	}
}

func TestCallsInitiate(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	agent := createAgent(t, c)
	body := mustOK(t)(c.Calls.Initiate(background, typed[trillet.InitiateCall](map[string]any{"to": "+14155551234", "call_agent_id": agent})))
	if !strings.Contains(string(body), `"call_id"`) {
		t.Errorf("initiate: %s", body)
	}
	if n := len(requests(t, "calls.initiate")); n != 1 {
		t.Errorf("the sandbox saw %d calls.initiate requests, want 1", n)
	}
}

func TestCallHistoryAndCSVExportAsText(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	mustOK(t)(c.CallHistory.List(background, trillet.Options{Query: map[string]any{"page": 1, "limit": 10}}))
	csv, err := c.CallHistory.ExportCSV(background, typed[trillet.ExportCSV](map[string]any{}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(csv, `"`) || !strings.Contains(csv, ",") {
		t.Errorf("the CSV export should come back as plain text: %q", csv)
	}
}

// activeRoom places a call with a new agent and returns the room name of the active call.
func activeRoom(t *testing.T, c *trillet.Client) string {
	t.Helper()
	agent := createAgent(t, c)
	mustOK(t)(c.Calls.Initiate(background, typed[trillet.InitiateCall](map[string]any{"to": "+14155551234", "call_agent_id": agent})))
	var calls []map[string]any
	list := mustOK(t)(c.ActiveCalls.List(background))
	if err := json.Unmarshal(list, &calls); err != nil || len(calls) == 0 {
		// Some shapes wrap the list; fall back to a text search for the room name.
		i := strings.Index(string(list), `"roomName":"`)
		if i < 0 {
			t.Fatalf("no active call in %s", list)
		}
		rest := string(list)[i+len(`"roomName":"`):]
		return rest[:strings.IndexByte(rest, '"')]
	}
	room, _ := calls[0]["roomName"].(string)
	if room == "" {
		t.Fatalf("no roomName in %s", list)
	}
	return room
}

func TestRecordingsStartOnALiveCallAndGetTheAudio(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	room := activeRoom(t, c)
	body := mustOK(t)(c.Recordings.Start(background, typed[trillet.RecordingsStartBody](map[string]any{"pathwayId": unknownID, "roomName": room})))
	if !strings.Contains(string(body), `"egressId"`) {
		t.Errorf("start: %s", body)
	}
	var live struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(mustOK(t)(c.ActiveCalls.Get(background, room)), &live); err != nil || live.ID == "" {
		t.Fatalf("no call id for room %s: %v", room, err)
	}
	rec, err := c.Recordings.Get(background, live.ID)
	if err != nil {
		t.Fatalf("recordings.get: %v", err)
	}
	if rec.ContentType != "audio/mp3" || rec.Filename != "recording.mp3" || !strings.HasPrefix(string(rec.Data), "ID3") || rec.JSON != nil {
		t.Errorf("recording: %q %q %q (json %s)", rec.ContentType, rec.Filename, rec.Data[:min(len(rec.Data), 16)], rec.JSON)
	}
}

func TestActiveCalls(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	room := activeRoom(t, c)
	if !strings.Contains(string(mustOK(t)(c.ActiveCalls.Get(background, room))), room) {
		t.Error("get does not name the room")
	}
	mustOK(t)(c.ActiveCalls.EndCall(background, room))
	r := lastRequest(t, "active_calls.end_call")
	if r.Method != "POST" || r.Path != "/v2/api/active-calls/"+url.PathEscape(room)+"/end-call" {
		t.Errorf("end_call sent %s %s", r.Method, r.Path)
	}
	// A body-less POST is framed by content-length: 0, never chunked.
	if te, chunked := r.Headers["transfer-encoding"]; r.Headers["content-length"] != "0" || chunked {
		t.Errorf("end_call framing: content-length %q, transfer-encoding %q", r.Headers["content-length"], te)
	}
}

func TestBatchCallsMultipartUpload(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	agent := createAgent(t, c)
	csv := trillet.File{Filename: "calls.csv", ContentType: "text/csv", Data: []byte("phone_number\n+14155551234\n")}
	started := mustOK(t)(c.BatchCalls.Start(background, csv, typed[trillet.StartBatch](map[string]any{"agentId": agent})))
	if !strings.Contains(string(started), `"totalCalls":1`) {
		t.Errorf("start: %s", started)
	}
	sent := lastRequest(t, "batch_calls.start")
	if !strings.HasPrefix(sent.Headers["content-type"], "multipart/form-data; boundary=") {
		t.Errorf("content-type %q", sent.Headers["content-type"])
	}
	var form string // the sandbox logs a non-JSON body as a string
	if err := json.Unmarshal(sent.Body, &form); err != nil {
		t.Fatalf("body %s", sent.Body)
	}
	for _, want := range []string{`name="agentId"`, agent, `name="file"; filename="calls.csv"`, "Content-Type: text/csv", "+14155551234"} {
		if !strings.Contains(form, want) {
			t.Errorf("the multipart body lacks %q:\n%s", want, form)
		}
	}
	// Extra parts come from Options.Files.
	notes := trillet.File{Field: "notes", Filename: "notes.txt", Data: []byte("call them in the morning")}
	mustOK(t)(c.BatchCalls.Start(background, csv, typed[trillet.StartBatch](map[string]any{"agentId": agent}), trillet.Options{Files: []trillet.File{notes}}))
	_ = json.Unmarshal(lastRequest(t, "batch_calls.start").Body, &form)
	if !strings.Contains(form, `name="notes"; filename="notes.txt"`) || !strings.Contains(form, "call them in the morning") {
		t.Errorf("the extra part is missing:\n%s", form)
	}
	batch := str(t, started, "batchId")
	mustOK(t)(c.BatchCalls.Progress(background, batch))
	if r := lastRequest(t, "batch_calls.progress"); r.Path != "/v1/api/batch-calls/"+batch+"/status" {
		t.Errorf("progress path %q", r.Path)
	}
}

func TestMultipartUploadFromAPath(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	agent := createAgent(t, c)
	path := t.TempDir() + "/numbers.csv"
	if err := writeFile(path, "phone_number\n+14155551234\n+14155551235\n"); err != nil {
		t.Fatal(err)
	}
	started := mustOK(t)(c.BatchCalls.Start(background, trillet.File{Path: path}, typed[trillet.StartBatch](map[string]any{"agentId": agent})))
	if !strings.Contains(string(started), `"totalCalls":2`) {
		t.Errorf("start: %s", started)
	}
}

func TestConversations(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	mustOK(t)(c.Conversations.List(background))
	if r := lastRequest(t, "conversations.list"); r.Method != "GET" || r.Path != "/v1/api/conversations" {
		t.Errorf("sent %s %s", r.Method, r.Path)
	}
}

func TestPhoneNumbers(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	mustOK(t)(c.PhoneNumbers.SearchAvailable(background, trillet.Options{Query: map[string]any{"country": "US", "type": "local"}}))
	if q := lastRequest(t, "phone_numbers.search_available").Query; !strings.Contains(q, "country=US") || !strings.Contains(q, "type=local") {
		t.Errorf("query %q", q)
	}
	mustOK(t)(c.PhoneNumbers.List(background))
}

func TestKnowledgeBase(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.KnowledgeBase.Create(background, typed[trillet.CreateKnowledgeBase](map[string]any{"name": "Go docs"}))), "_id")
	if str(t, mustOK(t)(c.KnowledgeBase.Get(background, id)), "name") != "Go docs" {
		t.Error("get returned another knowledge base")
	}
}

func TestVoices(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := str(t, mustOK(t)(c.Voices.Create(background, typed[trillet.CreateVoice](map[string]any{"name": "Go voice", "embedding": map[string]any{"data": "AAAA", "format": "float32"}}))), "_id")
	if str(t, mustOK(t)(c.Voices.Get(background, id)), "name") != "Go voice" {
		t.Error("get returned another voice")
	}
}

func TestWorkspaces(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	if !strings.Contains(string(mustOK(t)(c.Workspaces.List(background))), sandboxWorkspace) {
		t.Error("the list does not hold the sandbox workspace")
	}
	if !strings.Contains(string(mustOK(t)(c.Workspaces.Get(background, sandboxWorkspace))), sandboxWorkspace) {
		t.Error("get does not name the workspace")
	}
}

func TestCallByIDAndDoByMethodAndPath(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	id := createAgent(t, c)
	byID := mustOK(t)(c.Call(background, "agents.get", trillet.Request{Path: map[string]string{"agentId": id}}))
	byPath := mustOK(t)(c.Do(background, "GET", "/v1/api/agents/{agentId}", trillet.Request{Path: map[string]string{"agentId": id}}))
	if string(byID) != string(byPath) {
		t.Errorf("Call returned %s, Do returned %s", byID, byPath)
	}
	gets := requests(t, "agents.get")
	if len(gets) != 2 || gets[1].Headers["x-workspace-id"] != sandboxWorkspace || !strings.HasSuffix(gets[1].Headers["user-agent"], "go-tests") {
		t.Errorf("Do should send what Call sends: %+v", gets)
	}
	// Decode turns a result into a Go value.
	type agent struct {
		ID   string `json:"_id"`
		Name string `json:"name"`
	}
	get := func(id string) (json.RawMessage, error) {
		return c.Call(background, "agents.get", trillet.Request{Path: map[string]string{"agentId": id}})
	}
	a, err := trillet.Decode[agent](get(id))
	if err != nil || a.ID != id || a.Name != "Go agent" {
		t.Errorf("Decode: %+v, %v", a, err)
	}
	if _, err := trillet.Decode[agent](get(unknownID)); !trillet.IsNotFound(err) {
		t.Errorf("Decode passes errors through: %v", err)
	}
	if _, err := trillet.Decode[int](get(id)); trillet.KindOf(err) != trillet.KindDecode {
		t.Errorf("Decode into a wrong type: %v", err)
	}
}

// sandboxUserEmail is the sandbox user's address (trillet_sandbox::USER_EMAIL): invitations
// sent to it are its pending invitations.
const sandboxUserEmail = "owner@sandbox.trillet.test"

// keyOnlyClient is a client for the sandbox with an API key and no workspace id.
func keyOnlyClient(t *testing.T) *trillet.Client {
	t.Helper()
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, BaseURL: sandboxURL, MaxRetries: trillet.Int(0), IgnoreEnv: true})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestWorkspacesPendingInvitationsWithAndWithoutAWorkspace(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	mustOK(t)(c.Workspaces.Invite(background, sandboxWorkspace, typed[trillet.WorkspacesInviteBody](map[string]any{"email": sandboxUserEmail, "role": "editor"})))
	var got struct {
		Success     bool
		Invitations []struct {
			Email, Role, Status string
			Workspace           struct {
				ID string `json:"_id"`
			}
		}
	}
	if err := json.Unmarshal(mustOK(t)(c.Workspaces.PendingInvitations(background)), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Success || len(got.Invitations) != 1 || got.Invitations[0].Role != "editor" ||
		got.Invitations[0].Email != sandboxUserEmail || got.Invitations[0].Workspace.ID != sandboxWorkspace {
		t.Errorf("got %+v", got)
	}
	if ws := lastRequest(t, "workspaces.pending_invitations").Headers["x-workspace-id"]; ws != sandboxWorkspace {
		t.Errorf("a configured workspace is sent: got %q", ws)
	}
	// Without a workspace id the call is still made, with no workspace header.
	mustOK(t)(keyOnlyClient(t).Workspaces.PendingInvitations(background))
	if ws, sent := lastRequest(t, "workspaces.pending_invitations").Headers["x-workspace-id"]; sent {
		t.Errorf("no workspace configured, yet x-workspace-id %q was sent", ws)
	}
	ops, err := trillet.Operations()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		optional := op.ID == "workspaces.pending_invitations" || op.ID == "calls.web_connect"
		if optional && (!op.WorkspaceHeader || op.WorkspaceRequired) {
			t.Errorf("%s: the workspace header is optional: %+v", op.ID, op)
		}
		if op.ID == "agents.get" && !op.WorkspaceRequired {
			t.Errorf("agents.get requires the workspace header: %+v", op)
		}
	}
}

func TestWebConnectAsTheWebSDKSendsIt(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	agent := createAgent(t, c)
	body := map[string]any{"agentId": agent, "mode": "voice", "dynamic_variables": map[string]any{"customer": "Ada"},
		"callback_url": "https://example.com/cb"}
	session := mustOK(t)(keyOnlyClient(t).Calls.WebConnect(background, typed[trillet.WebConnect](body)))
	if token, room := str(t, session, "token"), str(t, session, "roomName"); token == "" || !strings.HasPrefix(room, "web-") {
		t.Errorf("got %s", session)
	}
	seen := lastRequest(t, "calls.web_connect")
	if _, sent := seen.Headers["x-workspace-id"]; sent {
		t.Errorf("no workspace configured, yet x-workspace-id was sent: %v", seen.Headers)
	}
	want := `{"agentId":"` + agent + `","callback_url":"https://example.com/cb","dynamic_variables":{"customer":"Ada"},"mode":"voice"}`
	if string(seen.Body) != want {
		t.Errorf("body sent:\n%s\nwant\n%s", seen.Body, want)
	}
}

// The 20 MiB batch CSV limit, at its edge: exactly 20 MiB is sent, one byte more is refused
// before anything is sent (sparse files: the size comes from metadata). A plain server that
// reads and counts the bodies (the sandbox would parse 20 MiB of CSV in a debug build).
func TestBatchUploadLimitAtItsEdge(t *testing.T) {
	var mu sync.Mutex
	var bodies []int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		mu.Lock()
		bodies = append(bodies, n)
		mu.Unlock()
		w.Header().Set("content-type", "application/json")
		_, _ = w.Write([]byte(`{"batchId":"b1"}`))
	}))
	defer srv.Close()
	c, err := trillet.NewClient(trillet.Config{APIKey: "k", WorkspaceID: "w", BaseURL: srv.URL, MaxRetries: trillet.Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const limit = 20 * 1024 * 1024
	dir := t.TempDir()
	for _, tc := range []struct {
		size int64
		sent bool
	}{{limit, true}, {limit + 1, false}} {
		path := filepath.Join(dir, fmt.Sprintf("calls-%d.csv", tc.size))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(tc.size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		mu.Lock()
		before := len(bodies)
		mu.Unlock()
		_, err = c.BatchCalls.Start(background, trillet.File{Path: path}, typed[trillet.StartBatch](map[string]any{"agentId": "ag1"}))
		var e *trillet.Error
		refused := errors.As(err, &e) && e.Kind == trillet.KindInvalidInput && e.Code == "file_too_large"
		mu.Lock()
		sent := bodies[before:]
		mu.Unlock()
		if tc.sent && (err != nil || len(sent) != 1 || sent[0] <= limit) {
			t.Errorf("%d bytes: err %v, bodies %v: want one body holding the whole file", tc.size, err, sent)
		}
		if !tc.sent && (!refused || len(sent) != 0) {
			t.Errorf("%d bytes: got %v and %d request(s), want file_too_large and nothing sent", tc.size, err, len(sent))
		}
	}
}
