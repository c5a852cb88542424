package trillet_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
	"github.com/trillet-ai/trillet/bindings/go/internal/codegen"
)

// generic decodes JSON into plain Go values, for comparing two documents regardless of key order.
func generic(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return v
}

// resultType is the model a typed method returns (*T → T), found by reflection on Services.
func resultType(t *testing.T, op trillet.Operation) (reflect.Type, bool) {
	t.Helper()
	svc := reflect.ValueOf(trillet.Services{}).FieldByName(codegen.Exported(op.Resource))
	if !svc.IsValid() {
		t.Fatalf("%s: no namespace", op.ID)
	}
	m, ok := svc.Type().MethodByName(codegen.Exported(op.Action))
	if !ok {
		t.Fatalf("%s: no method", op.ID)
	}
	out := m.Type.Out(0)
	if out.Kind() != reflect.Pointer || out.Elem().Kind() != reflect.Struct || out.Elem() == reflect.TypeOf(trillet.Binary{}) {
		return nil, false
	}
	return out.Elem(), true
}

// misplaced lists the Extra keys of v (the top level is enough to catch
// a field the model misnames) that are also the JSON name of one of its fields: a value there
// means the field did not take it.
func misplaced(v reflect.Value) []string {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	extra, ok := v.FieldByName("Extra").Interface().(map[string]json.RawMessage)
	if !ok {
		return nil
	}
	var out []string
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if raw, ok := extra[name]; ok && name != "-" && string(raw) != "null" && string(raw) != `""` {
			out = append(out, name)
		}
	}
	return out
}

// Every response example of the spec (tests/fixtures/endpoints.json, matched to its operation by
// method and path) decodes into the operation's model and re-encodes to the same JSON (key
// order aside): nothing is lost, and the fields the model names are the ones it reads.
func TestEverySpecResponseExampleRoundTripsThroughItsModel(t *testing.T) {
	fixture, err := os.ReadFile("../../tests/fixtures/endpoints.json")
	if os.IsNotExist(err) {
		t.Skip("tests/fixtures/endpoints.json is not here (module fetched alone)")
	}
	if err != nil {
		t.Fatal(err)
	}
	var endpoints []struct {
		Method  *string         `json:"method"`
		Path    *string         `json:"path"`
		Example json.RawMessage `json:"response_example"`
	}
	if err := json.Unmarshal(fixture, &endpoints); err != nil {
		t.Fatal(err)
	}
	ops, err := trillet.Operations()
	if err != nil {
		t.Fatal(err)
	}
	byRoute := map[string]trillet.Operation{}
	for _, op := range ops {
		byRoute[op.Method+" "+op.Path] = op
	}
	checked := 0
	for _, e := range endpoints {
		if e.Method == nil || e.Path == nil || len(e.Example) == 0 || string(e.Example) == "null" {
			continue
		}
		op, ok := byRoute[strings.ToUpper(*e.Method)+" "+*e.Path]
		if !ok {
			continue // an endpoint of the older build the operation table does not carry
		}
		typ, ok := resultType(t, op)
		if !ok {
			continue // text or bytes
		}
		v := reflect.New(typ)
		if err := json.Unmarshal(e.Example, v.Interface()); err != nil {
			t.Errorf("%s: the example does not decode into %s: %v", op.ID, typ, err)
			continue
		}
		again, err := json.Marshal(v.Interface())
		if err != nil {
			t.Errorf("%s: %s does not encode: %v", op.ID, typ, err)
			continue
		}
		if !reflect.DeepEqual(generic(t, e.Example), generic(t, again)) {
			t.Errorf("%s: %s re-encodes differently:\n got %s\nwant %s", op.ID, typ, again, e.Example)
		}
		if bad := misplaced(v); len(bad) > 0 {
			t.Errorf("%s: %s left named fields in Extra: %v", op.ID, typ, bad)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("only %d examples checked; the fixture or the matching broke", checked)
	}
}

// Fields the model does not name survive a decode and re-encode, as do nulls and empty strings
// of named fields; a field set in code wins over Extra.
func TestUnknownFieldsNullsAndEmptyStringsAreKept(t *testing.T) {
	in := `{"_id":"a1","name":"","llmModel":null,"smartCallback":false,"brandNew":{"x":[1,2]},"variables":{"k":"v"}}`
	var a trillet.Agent
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != "a1" || a.Name != "" || a.LLMModel != "" || a.SmartCallback == nil || *a.SmartCallback || a.Variables["k"] != "v" {
		t.Errorf("typed fields: %+v", a)
	}
	if string(a.Extra["brandNew"]) != `{"x":[1,2]}` {
		t.Errorf("unknown field: %s", a.Extra["brandNew"])
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(generic(t, []byte(in)), generic(t, out)) {
		t.Errorf("re-encoded %s, want %s", out, in)
	}
	a.Name, a.LLMModel = "Set", "gpt-4o"
	out, _ = json.Marshal(a)
	got := generic(t, out).(map[string]any)
	if got["name"] != "Set" || got["llmModel"] != "gpt-4o" {
		t.Errorf("fields set in code must win over Extra: %s", out)
	}
	var wrong trillet.Agent
	if err := json.Unmarshal([]byte(`{"name":42}`), &wrong); err == nil || !strings.Contains(err.Error(), `"name"`) {
		t.Errorf("a field of the wrong type is an error naming it: %v", err)
	}
}

// A request struct writes its required fields always and its optional ones only when set.
func TestRequestStructsWriteRequiredAndSetFields(t *testing.T) {
	out, err := json.Marshal(trillet.CreateAgent{Name: "Support", LLMModel: "gpt-4o-mini"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"llmModel":"gpt-4o-mini","name":"Support","ttsModel":{}}`
	if string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

// Ref reads an id string or the populated object, and writes back what it read.
func TestRefIsAnIDOrThePopulatedObject(t *testing.T) {
	var byID, byObject trillet.CallHistory
	if err := json.Unmarshal([]byte(`{"agentId":"665a"}`), &byID); err != nil {
		t.Fatal(err)
	}
	if byID.AgentID == nil || byID.AgentID.ID != "665a" || byID.AgentID.Object != nil {
		t.Errorf("id: %+v", byID.AgentID)
	}
	in := `{"agentId":{"_id":"665a","name":"Support","extra":1}}`
	if err := json.Unmarshal([]byte(in), &byObject); err != nil {
		t.Fatal(err)
	}
	if r := byObject.AgentID; r == nil || r.ID != "" || r.Object == nil || r.Object.ID != "665a" || r.Object.Name != "Support" {
		t.Errorf("object: %+v", r)
	}
	for _, c := range []struct {
		v    trillet.CallHistory
		want string
	}{{byID, `{"agentId":"665a"}`}, {byObject, in}} {
		out, _ := json.Marshal(c.v)
		if !reflect.DeepEqual(generic(t, out), generic(t, []byte(c.want))) {
			t.Errorf("re-encoded %s, want %s", out, c.want)
		}
	}
	if err := json.Unmarshal([]byte(`{"agentId":[1]}`), &byID); err == nil {
		t.Error("neither an id nor an object must be an error")
	}
}

// List reads every shape a list answer comes in and writes back the one it read.
func TestListReadsEveryShapeAndWritesBackTheOneItRead(t *testing.T) {
	for _, c := range []struct {
		name, in string
		ids      []string
		key      string
		total    uint64
	}{
		{"bare array", `[{"_id":"a"},{"_id":"b"}]`, []string{"a", "b"}, "", 0},
		{"envelope", `{"agents":[{"_id":"a"}],"pagination":{"total":7,"page":1},"note":"x"}`, []string{"a"}, "agents", 7},
		{"data envelope", `{"data":[],"success":true}`, nil, "data", 0},
		{"one object", `{"_id":"solo","name":"n"}`, []string{"solo"}, "", 0},
		{"null", `null`, nil, "", 0},
	} {
		var l trillet.List[trillet.Agent]
		if err := json.Unmarshal([]byte(c.in), &l); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var ids []string
		for _, a := range l.Items {
			ids = append(ids, a.ID)
		}
		if !reflect.DeepEqual(ids, c.ids) || l.Key != c.key {
			t.Errorf("%s: items %v key %q, want %v %q", c.name, ids, l.Key, c.ids, c.key)
		}
		if c.total != 0 && (l.Pagination == nil || l.Pagination.Total == nil || uint64(*l.Pagination.Total) != c.total) {
			t.Errorf("%s: pagination %+v", c.name, l.Pagination)
		}
		out, err := json.Marshal(l)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(generic(t, out), generic(t, []byte(c.in))) {
			t.Errorf("%s: re-encoded %s, want %s", c.name, out, c.in)
		}
	}
	if out, _ := json.Marshal(trillet.List[trillet.Agent]{}); string(out) != "[]" {
		t.Errorf("a List built in code is a bare array: %s", out)
	}
}

// Through the sandbox: a typed body goes out as its JSON, and the typed results carry the
// fields (agent.ID, agent.Name, list items, the request id through Options.Response).
func TestTypedAgentsThroughTheSandbox(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	smart := false
	var meta trillet.ResponseMeta
	created, err := c.Agents.Create(background, trillet.CreateAgent{
		Name:          "Typed agent",
		LLMModel:      "gpt-4o-mini",
		TTSModel:      trillet.TTSModel{Provider: "rime", VoiceID: "mistv2_Wildflower"},
		SmartCallback: &smart,
	}, trillet.Options{Response: &meta})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Name != "Typed agent" || created.LLMModel != "gpt-4o-mini" || meta.RequestID == "" {
		t.Errorf("created %+v, meta %+v", created, meta)
	}
	var sent map[string]any
	if err := json.Unmarshal(lastRequest(t, "agents.create").Body, &sent); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "Typed agent", "llmModel": "gpt-4o-mini", "smartCallback": false,
		"ttsModel": map[string]any{"provider": "rime", "voiceId": "mistv2_Wildflower"}}
	if !reflect.DeepEqual(sent, want) {
		t.Errorf("sent %v, want %v", sent, want)
	}
	got, err := c.Agents.Get(background, created.ID)
	if err != nil || got.ID != created.ID || got.Name != "Typed agent" || got.TTSModel == nil || got.TTSModel.VoiceID != "mistv2_Wildflower" {
		t.Errorf("get: %+v %v", got, err)
	}
	list, err := c.Agents.List(background)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range list {
		found = found || a.ID == created.ID
	}
	if !found {
		t.Errorf("the list %+v does not hold %s", list, created.ID)
	}
	if _, err := c.Agents.Get(background, unknownID); !trillet.IsNotFound(err) {
		t.Errorf("errors pass through the typed methods: %v", err)
	}
}

// A program outside the package compiles against the typed fields (go vet and go build in a
// temporary module that requires this one through a replace), and a misspelled field does not.
func TestAConsumerProgramCompilesAgainstTheTypedFields(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	program := func(body string) string {
		return `package main

import (
	"context"
	"fmt"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

func main() {
	client, err := trillet.NewClient(trillet.Config{})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	ctx := context.Background()
	var meta trillet.ResponseMeta
	agent, err := client.Agents.Get(ctx, "665a", trillet.Options{Response: &meta})
	if err != nil {
		panic(err)
	}
` + body + `
}
`
	}
	build := func(dir, source string) (string, error) {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module consumer\n\ngo 1.23\n\nrequire github.com/trillet-ai/trillet/bindings/go v0.0.0\n\nreplace github.com/trillet-ai/trillet/bindings/go => "+here+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(source), 0o600); err != nil {
			t.Fatal(err)
		}
		var log strings.Builder
		for _, args := range [][]string{{"vet", "."}, {"build", "-o", filepath.Join(dir, "consumer"), "."}} {
			cmd := exec.Command("go", args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
			out, err := cmd.CombinedOutput()
			log.Write(out)
			if err != nil {
				return log.String(), err
			}
		}
		return log.String(), nil
	}
	good := program(`	var name string = agent.Name
	var id string = agent.ID
	var tts *trillet.TTSModel = agent.TTSModel
	var pathway *trillet.Ref[trillet.ObjectRef] = agent.Pathway
	var first []trillet.Agent
	first, _ = client.Agents.List(ctx)
	for _, a := range first {
		fmt.Println(a.Name)
	}
	var info trillet.PageInfo
	history, _ := client.CallHistory.List(ctx, trillet.Options{Query: map[string]any{"page": 2}, Page: &info})
	var records []trillet.CallHistory = history
	var more *bool = info.HasNext
	for record, err := range client.CallHistory.ListAll(ctx, 50, trillet.Options{Query: map[string]any{"status": "completed"}}) {
		if err != nil {
			break
		}
		var r trillet.CallHistory = record
		fmt.Println(r.ID)
	}
	for call, err := range client.BatchCalls.ListAllCalls(ctx, "b1", 50) {
		fmt.Println(call, err)
	}
	fmt.Println(id, name, tts, pathway, first, records, more, meta.RequestID, agent.Extra["brandNew"])`)
	if out, err := build(t.TempDir(), good); err != nil {
		t.Fatalf("the consumer does not build: %v\n%s", err, out)
	}
	out, err := build(t.TempDir(), program(`	fmt.Println(agent.Nmae)`))
	if err == nil || !strings.Contains(out, "agent.Nmae undefined") {
		t.Fatalf("a misspelled field must not compile: %v\n%s", err, out)
	}
}

// On the wire: a field the model does not name reaches Extra; an answer that does not fit the
// model is a KindDecode error naming the field (the raw answer stays reachable through Call).
func TestTypedMethodsKeepUnknownFieldsAndRefuseMisfits(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.get", 1, map[string]any{"type": "status", "status": 200,
		"body": map[string]any{"_id": "a1", "name": "Wire", "brandNew": map[string]any{"on": true}}})
	a, err := c.Agents.Get(background, unknownID)
	if err != nil || a.ID != "a1" || a.Name != "Wire" || string(a.Extra["brandNew"]) != `{"on":true}` {
		t.Errorf("got %+v, %v", a, err)
	}
	fault(t, "agents.get", 1, map[string]any{"type": "status", "status": 200, "body": map[string]any{"_id": 42}})
	_, err = c.Agents.Get(background, unknownID)
	if e := asError(t, err); e.Kind != trillet.KindDecode || e.Code != "invalid_response" || !strings.Contains(e.Message, `"_id"`) {
		t.Errorf("got %#v", e)
	}
	fault(t, "agents.get", 1, map[string]any{"type": "status", "status": 200, "body": map[string]any{"_id": 42}})
	raw := mustOK(t)(c.Call(background, "agents.get", trillet.Request{Path: map[string]string{"agentId": unknownID}}))
	if string(raw) != `{"_id":42}` {
		t.Errorf("Call returns the answer as sent: %s", raw)
	}
}

// Every spelling the API sends for a field is read into the one field (no twin fields), and only
// the main spelling is written back.
func TestAliasesDecodeIntoOneField(t *testing.T) {
	var a trillet.Agent
	if err := json.Unmarshal([]byte(`{"agentId":"665a","name":"Support"}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != "665a" || len(a.Extra) != 0 {
		t.Errorf("agentId: ID %q, Extra %v", a.ID, a.Extra)
	}
	out, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"_id":"665a","name":"Support"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	// The main spelling wins over an alias sent beside it, which stays in Extra.
	var both trillet.Agent
	if err := json.Unmarshal([]byte(`{"_id":"main","agentId":"other"}`), &both); err != nil {
		t.Fatal(err)
	}
	if both.ID != "main" || string(both.Extra["agentId"]) != `"other"` {
		t.Errorf("both: ID %q, Extra %v", both.ID, both.Extra)
	}
	// One value per concept: CallStarted.CallID is filled whichever spelling the answer uses
	// (the docs' `call_id`, what the sandbox sends, or `callId`), and no spelling is left in Extra.
	for _, answer := range []string{`{"call_id":"c1"}`, `{"callId":"c1"}`} {
		var started trillet.CallStarted
		if err := json.Unmarshal([]byte(answer), &started); err != nil {
			t.Fatal(err)
		}
		if started.CallID != "c1" || len(started.Extra) != 0 {
			t.Errorf("%s: CallID %q, Extra %v", answer, started.CallID, started.Extra)
		}
	}
}
