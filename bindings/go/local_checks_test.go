package trillet_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// What the core refuses before anything is sent, seen from Go: a client without an API key
// (refused by NewClient), a body field the spec requires (missing_field) and a phone number that
// is not E.164 (invalid_number). The sandbox's request log is the proof that nothing was sent;
// the escape hatch (Client.Do) is not checked, so the same body reaches the sandbox.

// withoutEnvKey unsets TRILLET_API_KEY for the test (t.Setenv restores it afterwards).
func withoutEnvKey(t *testing.T) {
	t.Helper()
	t.Setenv("TRILLET_API_KEY", "")
	if err := os.Unsetenv("TRILLET_API_KEY"); err != nil {
		t.Fatal(err)
	}
}

func assertRefused(t *testing.T, err error, code string, words ...string) {
	t.Helper()
	e := asError(t, err)
	if e.Kind != trillet.KindInvalidInput || e.Code != code || e.Status != 0 || !errors.Is(err, trillet.ErrInvalidInput) {
		t.Errorf("want invalid_input (%s), got %#v", code, e)
	}
	for _, w := range words {
		if !strings.Contains(e.Message, w) {
			t.Errorf("the message %q does not contain %q", e.Message, w)
		}
	}
}

func TestNewClientWithoutAnAPIKeyFails(t *testing.T) {
	withoutEnvKey(t)
	for _, cfg := range []trillet.Config{
		{IgnoreEnv: true},
		{},
		{WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL},
	} {
		c, err := trillet.NewClient(cfg)
		if c != nil {
			_ = c.Close()
			t.Fatalf("%+v: got a client without an API key", cfg)
		}
		assertRefused(t, err, "missing_api_key")
		// Named as a Go user sets it, not as the C config spells it.
		if got, want := asError(t, err).Message, "no API key: set Config.APIKey or TRILLET_API_KEY"; got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		if m := asError(t, err).Message; strings.Contains(m, "api_key") {
			t.Errorf("the message names the C key: %q", m)
		}
	}
	// The environment's key is read unless IgnoreEnv.
	t.Setenv("TRILLET_API_KEY", sandboxKey)
	c, err := trillet.NewClient(trillet.Config{WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL})
	if err != nil {
		t.Fatalf("with TRILLET_API_KEY: %v", err)
	}
	_ = c.Close()
	_, err = trillet.NewClient(trillet.Config{IgnoreEnv: true})
	assertRefused(t, err, "missing_api_key", "Config.APIKey")
}

func TestAMissingRequiredFieldIsRefusedBeforeSending(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	noVoice := map[string]any{"name": "No voice", "llmModel": "gpt-4o-mini"}
	for _, body := range []any{noVoice, map[string]any{"name": "Null voice", "ttsModel": nil}, json.RawMessage(`{"name":"Blank voice","ttsModel":" "}`)} {
		_, err := c.Call(background, "agents.create", trillet.Request{Body: body})
		assertRefused(t, err, "missing_field", `agents.create needs the body field "ttsModel"`, "nothing was sent")
	}
	// Typed methods: a required string left empty is blank, so refused naming it.
	_, err := c.Agents.Create(background, trillet.CreateAgent{TTSModel: typed[trillet.TTSModel](agentBody["ttsModel"])})
	assertRefused(t, err, "missing_field", `agents.create needs the body field "name"`)
	_, err = c.Calls.Initiate(background, trillet.InitiateCall{To: "+14155550123"})
	assertRefused(t, err, "missing_field", `calls.initiate needs the body field "call_agent_id"`)
	// A required struct left at its zero value is sent as {}: refused as missing too.
	_, err = c.Agents.Create(background, trillet.CreateAgent{Name: "Zero voice"})
	assertRefused(t, err, "missing_field", `agents.create needs the body field "ttsModel"`)
	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("the sandbox saw %d requests, want none", n)
	}

	// The escape hatch is not checked: the same body by method and path is sent.
	_, _ = c.Do(background, "POST", "/v1/api/agents", trillet.Request{Body: noVoice})
	if n := len(requests(t, "agents.create")); n != 1 {
		t.Errorf("Do sent %d agents.create requests, want 1", n)
	}
}

func TestANonE164NumberIsRefusedBeforeSending(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	for _, number := range []string{"12345", "4155550123", "+1 415 555 0123", "+1234567", "+1415555O123"} {
		_, err := c.Calls.Initiate(background, trillet.InitiateCall{To: number, CallAgentID: unknownID})
		assertRefused(t, err, "invalid_number", "to must be an E.164 phone number", number)
		_, err = c.Call(background, "phone_numbers.register_external", trillet.Request{Body: map[string]any{
			"phoneNumber": number, "provider": "twilio", "credentials": map[string]any{"accountSid": "AC1", "authToken": "t"}}})
		assertRefused(t, err, "invalid_number", "phoneNumber")
	}
	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("the sandbox saw %d requests, want none", n)
	}
	// Through the escape hatch the sandbox's own check answers: the request was sent.
	_, err := c.Do(background, "POST", "/v1/api/call", trillet.Request{Body: map[string]any{"to": "12345", "call_agent_id": unknownID}})
	if e := asError(t, err); e.Kind != trillet.KindAPI || e.Status != 400 || e.Code != "invalid_number" {
		t.Errorf("Do: got %#v", e)
	}
	if n := len(requests(t, "calls.initiate")); n != 1 {
		t.Errorf("Do sent %d calls.initiate requests, want 1", n)
	}
}
