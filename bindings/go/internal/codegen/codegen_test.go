package codegen

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	exported := map[string]string{
		"agents": "Agents", "omni_flow_agents": "OmniFlowAgents", "end_call": "EndCall",
		"export_csv": "ExportCSV", "get": "Get", "start_public_web_call": "StartPublicWebCall",
		"llmModel": "LLMModel", "aiAgentName": "AIAgentName", "_id": "ID", "callbackUrl": "CallbackURL",
		"TtsModel": "TTSModel",
	}
	for in, want := range exported {
		if got := Exported(in); got != want {
			t.Errorf("Exported(%q) = %q, want %q", in, got, want)
		}
	}
	params := map[string]string{
		"agentId": "agentID", "id": "id", "callHistoryId": "callHistoryID", "fileKey": "fileKey",
		"roomName": "roomName", "type": "typeParam", "body": "bodyParam", "ctx": "ctxParam", "phone_number_id": "phoneNumberID",
	}
	for in, want := range params {
		if got := Param(in); got != want {
			t.Errorf("Param(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDocCommentsStartWithTheNameAndAVerb(t *testing.T) {
	docs := map[[2]string]string{
		{"Agent", "A call agent."}:          "Agent is a call agent.",
		{"ActiveCall", "An active call."}:   "ActiveCall is an active call.",
		{"CallMode", "Mode of a web call."}: "CallMode is the mode of a web call.",
		{"Thing", ""}:                       "Thing is a model of the API.",
		{"Ack", "The acknowledgement."}:     "Ack is the acknowledgement.",
		{"Flat", "`{\"error\": \"...\"}`."}: "Flat is `{\"error\": \"...\"}`.",
	}
	for in, want := range docs {
		if got := goDoc(in[0], in[1]); got != want {
			t.Errorf("goDoc(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
	}
}

const sample = `{"version":"9.9.9","operations":[
 {"id":"things.get","resource":"things","action":"get","method":"GET","path":"/v1/things/{thingId}/parts/{partId}",
  "path_params":["thingId","partId"],"query_params":["page"],"body":"none","response":"json","summary":"Get a thing"},
 {"id":"things.upload","resource":"things","action":"upload","method":"POST","path":"/v1/things/{id}/files",
  "path_params":["id"],"query_params":[],"body":"multipart","response":"json","summary":"Upload"},
 {"id":"things.export_csv","resource":"things","action":"export_csv","method":"POST","path":"/v1/things/export",
  "path_params":[],"query_params":[],"body":"json","response":"text","summary":"Export"},
 {"id":"things.audio","resource":"things","action":"audio","method":"GET","path":"/things/{id}/audio",
  "path_params":["id"],"query_params":[],"body":"none","response":"binary","summary":"Audio"}]}`

func TestGenerateRendersOneMethodPerOperation(t *testing.T) {
	src, err := Generate([]byte(sample), nil)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for _, want := range []string{
		"DO NOT EDIT",
		"Things ThingsService",
		"func (s ThingsService) Get(ctx context.Context, thingID string, partID string, opts ...Options) (json.RawMessage, error) {",
		`s.c.op(ctx, "things.get", map[string]string{"thingId": thingID, "partId": partID}, nil, nil, opts)`,
		"// Query parameters (opts.Query): page.",
		"func (s ThingsService) Upload(ctx context.Context, id string, file File, fields any, opts ...Options) (json.RawMessage, error) {",
		`s.c.op(ctx, "things.upload", map[string]string{"id": id}, fields, []File{file}, opts)`,
		"func (s ThingsService) ExportCSV(ctx context.Context, body any, opts ...Options) (string, error) {",
		`return text(s.c.op(ctx, "things.export_csv", nil, body, nil, opts))`,
		"func (s ThingsService) Audio(ctx context.Context, id string, opts ...Options) (*Binary, error) {",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "9.9.9") {
		t.Error("the version must not be in the generated file (a version bump is not an API change)")
	}
}

func TestGenerateRefusesWhatItCannotRender(t *testing.T) {
	for _, bad := range []string{
		`not json`,
		`{"operations":[]}`,
		`{"operations":[{"id":"a.b","resource":"a","action":"b","body":"xml","response":"json"}]}`,
		`{"operations":[{"id":"a.b","resource":"a","action":"b","body":"none","response":"pdf"}]}`,
		`{"operations":[{"id":"a.b","resource":"a","action":"b","body":"none","response":"json","path_params":["x_id","xId"]}]}`,
	} {
		if _, err := Generate([]byte(bad), nil); err == nil {
			t.Errorf("no error for %s", bad)
		}
	}
}
