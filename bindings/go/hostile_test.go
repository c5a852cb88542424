package trillet_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Hostile and careless inputs are errors before anything is sent, never crashes.
func TestHostileInputs(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	cases := []struct {
		name string
		call func() error
		code string
	}{
		{"empty operation id", func() error { _, err := c.Call(background, "", trillet.Request{}); return err }, "unknown_operation"},
		{"unknown operation id", func() error { _, err := c.Call(background, "agents.fly", trillet.Request{}); return err }, "unknown_operation"},
		{"NUL in the operation id", func() error { _, err := c.Call(background, "agents.list\x00x", trillet.Request{}); return err }, "invalid_argument"},
		{"NUL in a method", func() error { _, err := c.Do(background, "GE\x00T", "/v1/api/agents", trillet.Request{}); return err }, "invalid_argument"},
		{"a body encoding/json refuses (channel)", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: make(chan int)})
			return err
		}, "invalid_body"},
		{"a body encoding/json refuses (NaN)", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: math.NaN()})
			return err
		}, "invalid_body"},
		{"a body encoding/json refuses (func in a map)", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: map[string]any{"f": func() {}}})
			return err
		}, "invalid_body"},
		{"raw JSON that is not JSON", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: json.RawMessage(`{"name":`)})
			return err
		}, "invalid_body"},
		{"raw JSON with invalid UTF-8", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: json.RawMessage("{\"name\":\"\xff\"}")})
			return err
		}, "invalid_utf8"},
		{"[]byte that is not JSON", func() error {
			_, err := c.Call(background, "agents.create", trillet.Request{Body: []byte("name=x")})
			return err
		}, "invalid_body"},
		{"a query value encoding/json refuses", func() error {
			_, err := c.Agents.List(background, trillet.Options{Query: map[string]any{"page": func() {}}})
			return err
		}, "invalid_query"},
		{"a path parameter the template lacks", func() error {
			_, err := c.Call(background, "agents.list", trillet.Request{Path: map[string]string{"agentId": "x"}})
			return err
		}, "unknown_path_param"},
		{"an empty path parameter", func() error { _, err := c.Agents.Get(background, ""); return err }, "invalid_input"},
		{"a file that does not exist", func() error {
			_, err := c.Call(background, "batch_calls.start", trillet.Request{Files: []trillet.File{{Path: "/nonexistent/trillet.csv"}}})
			return err
		}, "file_unreadable"},
		{"a multipart body that is not an object", func() error {
			_, err := c.Call(background, "batch_calls.start", trillet.Request{Files: []trillet.File{{Data: []byte("x")}}, Body: []int{1}})
			return err
		}, "invalid_body"},
		{"a raw path without a slash", func() error { _, err := c.Do(background, "GET", "v1/api/agents", trillet.Request{}); return err }, "invalid_path"},
		{"a raw path with a query", func() error { _, err := c.Do(background, "GET", "/v1/api/agents?x=1", trillet.Request{}); return err }, "invalid_path"},
		{"an unknown method", func() error { _, err := c.Do(background, "BREW", "/v1/api/agents", trillet.Request{}); return err }, "invalid_method"},
	}
	for _, tc := range cases {
		err := tc.call()
		e := asError(t, err)
		if e.Kind != trillet.KindInvalidInput || e.Code != tc.code || e.Message == "" {
			t.Errorf("%s: got %#v, want invalid_input/%s", tc.name, e, tc.code)
		}
	}
	if n := len(requests(t, "")); n != 0 {
		t.Errorf("the sandbox saw %d requests, want none", n)
	}
}

func TestAnyJSONBodyShapeIsPassedThrough(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	type voice struct {
		Provider string `json:"provider"`
		VoiceID  string `json:"voiceId"`
	}
	type agent struct {
		Name     string `json:"name"`
		LLMModel string `json:"llmModel"`
		TTSModel voice  `json:"ttsModel"`
	}
	v := voice{"rime", "mistv2_Wildflower"}
	bytesAgent := []byte(`{"name":"Bytes agent","ttsModel":{"provider":"rime","voiceId":"mistv2_Wildflower"}}`)
	for _, body := range []any{agent{"Struct agent", "gpt-4o-mini", v}, &agent{"Pointer agent", "gpt-4o-mini", v}, bytesAgent} {
		mustOK(t)(c.Call(background, "agents.create", trillet.Request{Body: body}))
	}
	names := []string{}
	for _, r := range requests(t, "agents.create") {
		var b struct{ Name string }
		_ = json.Unmarshal(r.Body, &b)
		names = append(names, b.Name)
	}
	if strings.Join(names, ",") != "Struct agent,Pointer agent,Bytes agent" {
		t.Errorf("sent %v", names)
	}
}

func TestANilContextMeansBackground(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	var ctx context.Context // a careless caller
	mustOK(t)(c.Agents.List(ctx))
}

func TestAClosedClientReturnsErrClosed(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
	_, err := c.Agents.List(background)
	e := asError(t, err)
	if !errors.Is(err, trillet.ErrClosed) || e.Kind != trillet.KindInvalidInput || e.Code != "client_closed" {
		t.Errorf("got %#v", e)
	}
	if _, err := c.Do(background, "GET", "/v1/api/agents", trillet.Request{}); !errors.Is(err, trillet.ErrClosed) {
		t.Errorf("Do: %v", err)
	}
	// A client not made by NewClient, and a nil one, fail the same way.
	var zero trillet.Client
	if _, err := zero.Agents.List(background); !errors.Is(err, trillet.ErrClosed) {
		t.Errorf("zero client: %v", err)
	}
	var nilClient *trillet.Client
	if _, err := nilClient.Call(background, "agents.list", trillet.Request{}); !errors.Is(err, trillet.ErrClosed) {
		t.Errorf("nil client: %v", err)
	}
	if err := nilClient.Close(); err != nil {
		t.Error(err)
	}
	if n := len(requests(t, "")); n != 0 {
		t.Errorf("the sandbox saw %d requests, want none", n)
	}
}

func TestInvalidConfigs(t *testing.T) {
	cases := []struct {
		name string
		cfg  trillet.Config
		code string
	}{
		{"negative timeout", trillet.Config{Timeout: -time.Second}, "invalid_config"},
		{"negative connect timeout", trillet.Config{ConnectTimeout: -1}, "invalid_config"},
		{"negative retries", trillet.Config{MaxRetries: trillet.Int(-1)}, "invalid_config"},
		{"negative rate limit", trillet.Config{RateLimitPerMinute: -5}, "invalid_config"},
		{"not a URL", trillet.Config{BaseURL: "not a url"}, "invalid_base_url"},
		{"plain http to a remote host", trillet.Config{BaseURL: "http://api.example.com"}, "insecure_base_url"},
		{"an unknown rate-limit store", trillet.Config{RateLimitPerMinute: 5, RateLimitStore: "memcached://x:1"}, "invalid_rate_limit_store"},
		{"a key with a newline", trillet.Config{APIKey: "sk\nx-evil: 1"}, "invalid_api_key"},
		{"a NUL in the key", trillet.Config{APIKey: "sk\x00rest"}, "invalid_api_key"},
	}
	for _, tc := range cases {
		if tc.cfg.APIKey == "" {
			tc.cfg.APIKey = sandboxKey // a missing key would be refused first
		}
		c, err := trillet.NewClient(tc.cfg)
		if c != nil {
			t.Errorf("%s: got a client", tc.name)
			_ = c.Close()
			continue
		}
		e := asError(t, err)
		if e.Kind != trillet.KindInvalidInput || e.Code != tc.code {
			t.Errorf("%s: got %#v", tc.name, e)
		}
		if strings.Contains(err.Error(), "sk\nx-evil") || strings.Contains(err.Error(), "rest") {
			t.Errorf("%s: the key leaked into %q", tc.name, err)
		}
	}
	// An insecure remote URL is allowed when asked for.
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, BaseURL: "http://api.example.com", AllowInsecureHTTP: true})
	if err != nil {
		t.Fatalf("AllowInsecureHTTP: %v", err)
	}
	_ = c.Close()
}
