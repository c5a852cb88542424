package trillet_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// retryNow503 is a 503 that asks for an immediate retry.
var retryNow503 = map[string]any{
	"type": "status", "status": 503,
	"body":    map[string]any{"error": map[string]any{"code": "service_unavailable", "message": "try later"}},
	"headers": map[string]any{"Retry-After": "0"},
}

func TestAPIErrorForAnUnknownID(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	_, err := c.Agents.Get(background, unknownID)
	e := asError(t, err)
	if e.Kind != trillet.KindAPI || e.Code != "not_found" || e.Status != 404 || e.Message == "" {
		t.Errorf("got %#v", e)
	}
	if !errors.Is(err, trillet.ErrNotFound) || !trillet.IsNotFound(err) || errors.Is(err, trillet.ErrUnauthorized) {
		t.Error("a 404 should match ErrNotFound and only that")
	}
	if !strings.Contains(string(e.Body), `"not_found"`) {
		t.Errorf("body %s", e.Body)
	}
	if want := "trillet: api error 404 (not_found): "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", err.Error(), want)
	}
}

func TestAPIErrorForAWrongKeyNeverShowsTheKey(t *testing.T) {
	resetSandbox(t)
	const secret = "sk_wrong_but_secret_123"
	c, err := trillet.NewClient(trillet.Config{APIKey: secret, WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL, MaxRetries: trillet.Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Agents.List(background)
	e := asError(t, err)
	if e.Kind != trillet.KindAPI || e.Status != 401 || e.Code != "unauthorized" || !errors.Is(err, trillet.ErrUnauthorized) {
		t.Errorf("got %#v", e)
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e), string(e.Body)} {
		if strings.Contains(text, secret) {
			t.Errorf("the key leaked into %q", text)
		}
	}
}

func TestAPIErrorCarriesStatusCodeMessageBodyAndRetryAfter(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "calls.initiate", 1, map[string]any{
		"type": "status", "status": 400,
		"body": map[string]any{"error": map[string]any{"code": "invalid_number", "message": "The provided phone number is invalid"}},
	})
	// A valid number: the request is sent and the injected answer comes back.
	_, err := c.Calls.Initiate(background, typed[trillet.InitiateCall](map[string]any{"to": "+14155551234", "call_agent_id": unknownID}))
	e := asError(t, err)
	if e.Kind != trillet.KindAPI || e.Status != 400 || e.Code != "invalid_number" || e.Message != "The provided phone number is invalid" {
		t.Errorf("got %#v", e)
	}
	var body struct{ Error struct{ Code string } }
	if json.Unmarshal(e.Body, &body) != nil || body.Error.Code != "invalid_number" {
		t.Errorf("body %s", e.Body)
	}
	if !errors.Is(err, trillet.ErrBadRequest) {
		t.Error("a 400 should match ErrBadRequest")
	}
	if n := len(requests(t, "calls.initiate")); n != 1 {
		t.Errorf("sent %d times", n)
	}

	// A 429 with Retry-After and no retries left: RetryAfter is the API's wait.
	fault(t, "agents.list", 1, map[string]any{
		"type": "status", "status": 429,
		"body":    map[string]any{"error": map[string]any{"code": "rate_limit_exceeded", "message": "slow down"}},
		"headers": map[string]any{"Retry-After": "7"},
	})
	_, err = c.Agents.List(background)
	e = asError(t, err)
	if e.Status != 429 || e.RetryAfter != 7*time.Second || !trillet.IsRateLimited(err) {
		t.Errorf("got %#v", e)
	}
	// A 503: matches ErrServer.
	fault(t, "agents.list", 1, retryNow503)
	if _, err = c.Agents.List(background); !errors.Is(err, trillet.ErrServer) {
		t.Errorf("a 503 should match ErrServer: %v", err)
	}
}

func TestInvalidInputIsRefusedBeforeSending(t *testing.T) {
	resetSandbox(t)
	// IgnoreEnv: a TRILLET_WORKSPACE_ID in the environment must not fill the gap.
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, BaseURL: sandboxURL, IgnoreEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Agents.List(background)
	e := asError(t, err)
	if e.Kind != trillet.KindInvalidInput || e.Code != "missing_workspace_id" || !errors.Is(err, trillet.ErrInvalidInput) {
		t.Errorf("got %#v", e)
	}
	control := newClient(t, 0, 10*time.Second)
	_, err = control.Call(background, "agents.create", trillet.Request{Body: agentBody, Files: []trillet.File{{Data: []byte("x")}}})
	if e := asError(t, err); e.Code != "unexpected_files" {
		t.Errorf("files on a JSON operation: %#v", e)
	}
	_, err = control.Call(background, "agents.get", trillet.Request{})
	if e := asError(t, err); e.Code != "missing_path_param" {
		t.Errorf("missing path param: %#v", e)
	}
	_, err = control.Call(background, "agents.list", trillet.Request{Body: map[string]any{"x": 1}})
	if e := asError(t, err); e.Code != "unexpected_body" {
		t.Errorf("a body on a GET: %#v", e)
	}
	if n := len(requests(t, "")); n != 0 {
		t.Errorf("the sandbox saw %d requests, want none", n)
	}
}

func TestTimeoutWhenTheServerIsTooSlowIsNotRetried(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "delay", "ms": 5000})
	started := time.Now()
	_, err := c.Agents.List(background, trillet.Options{Timeout: 300 * time.Millisecond})
	elapsed := time.Since(started)
	e := asError(t, err)
	if e.Kind != trillet.KindTimeout || e.Code != "timeout" || !e.Timeout() || !trillet.IsTimeout(err) || !errors.Is(err, trillet.ErrTimeout) {
		t.Errorf("got %#v", e)
	}
	if errors.Is(err, errContextDeadline) {
		t.Error("a Request.Timeout is not a context deadline")
	}
	// The answer was 5 s away: a bound a loaded machine meets that still shows the 300 ms
	// timeout ended the call.
	if elapsed < 300*time.Millisecond || elapsed >= 5*time.Second {
		t.Errorf("took %v with a 300ms timeout and a 5 s answer", elapsed)
	}
	// Only one answer is slow: a retry by the binding would be answered at once and succeed. (An
	// attempt's timeout is the call's whole deadline, so the core could not fit a retry after it;
	// tests/clock.rs proves on a fake clock that it would not retry one with time left.)
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("sent %d times, want 1 (a timeout is not retried)", n)
	}
}

func TestConnectErrorWhenNothingListens(t *testing.T) {
	c, err := trillet.NewClient(trillet.Config{APIKey: "k", WorkspaceID: "w", BaseURL: "http://127.0.0.1:1", MaxRetries: trillet.Int(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Agents.List(background)
	e := asError(t, err)
	if e.Kind != trillet.KindConnect || e.Code != "connection_failed" || !errors.Is(err, trillet.ErrConnect) {
		t.Errorf("got %#v", e)
	}
}

func TestIOErrorWhenTheConnectionIsResetPostIsNotResentGetIsRetried(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.create", 1, map[string]any{"type": "reset"})
	_, err := c.Agents.Create(background, typed[trillet.CreateAgent](map[string]any{"name": "x", "ttsModel": map[string]any{"provider": "rime", "voiceId": "mistv2_Brook"}}))
	if e := asError(t, err); e.Kind != trillet.KindIO || e.Code != "connection_lost" {
		t.Errorf("got %#v", e)
	}
	if n := len(requests(t, "agents.create")); n != 1 {
		t.Errorf("a POST that may have reached the server was sent %d times, want 1", n)
	}
	fault(t, "agents.list", 1, map[string]any{"type": "reset"})
	if _, err := c.Agents.List(background); err != nil {
		t.Errorf("a GET is idempotent and should succeed on retry: %v", err)
	}
	if n := len(requests(t, "agents.list")); n != 2 {
		t.Errorf("GET sent %d times, want 2", n)
	}
}

func TestDecodeErrorForAMalformedBody(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "malformed_json"})
	_, err := c.Agents.List(background)
	if e := asError(t, err); e.Kind != trillet.KindDecode || e.Code != "invalid_response" {
		t.Errorf("got %#v", e)
	}
}

func TestADeeplyNestedBodyIsADecodeError(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.get", 1, map[string]any{"type": "deep_json", "depth": 200000})
	_, err := c.Agents.Get(background, unknownID)
	e := asError(t, err)
	if e.Kind != trillet.KindDecode || e.Code != "invalid_response" || !strings.Contains(e.Message, "nested too deeply") {
		t.Errorf("got %#v", e)
	}
	// serde_json's bound: 127 levels still come through (Call: the raw answer) and decode.
	fault(t, "agents.list", 1, map[string]any{"type": "deep_json", "depth": 127})
	body := mustOK(t)(c.Call(background, "agents.list", trillet.Request{}))
	if want := strings.Repeat("[", 127) + strings.Repeat("]", 127); string(body) != want {
		t.Errorf("got %d bytes, want the 127-deep body", len(body))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Errorf("the passed body does not decode: %v", err)
	}
}

func TestADeeplyNestedErrorBodyIsKeptAsText(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	fault(t, "agents.get", 1, map[string]any{"type": "deep_json", "depth": 200000, "status": 400})
	_, err := c.Agents.Get(background, unknownID)
	e := asError(t, err)
	var text string
	if e.Kind != trillet.KindAPI || e.Status != 400 || json.Unmarshal(e.Body, &text) != nil {
		t.Fatalf("want an API error with a string body, got %#v", e)
	}
	if !strings.HasPrefix(text, "[[[[") || len(text) > 2051 {
		t.Errorf("body kept as truncated text: %d bytes", len(text))
	}
}

func TestAnOversizedBodyComesThroughWhole(t *testing.T) {
	c := freshClient(t, 0, 20*time.Second)
	fault(t, "agents.list", 1, map[string]any{"type": "oversized", "bytes": 300000})
	body := mustOK(t)(c.Agents.List(background))
	if len(body) < 290000 {
		t.Errorf("got %d bytes", len(body))
	}
}

func TestAGetIsRetriedAfter503UntilItSucceeds(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.list", 2, retryNow503)
	mustOK(t)(c.Agents.List(background))
	if n := len(requests(t, "agents.list")); n != 3 {
		t.Errorf("sent %d times, want 3", n)
	}
}

func TestRetriesStopAtMaxRetries(t *testing.T) {
	c := freshClient(t, 1, 10*time.Second)
	fault(t, "agents.list", 5, retryNow503)
	_, err := c.Agents.List(background)
	if e := asError(t, err); e.Status != 503 || e.Code != "service_unavailable" {
		t.Errorf("got %#v", e)
	}
	if n := len(requests(t, "agents.list")); n != 2 {
		t.Errorf("sent %d times, want 2", n)
	}
}

func TestAPostIsNeverSentTwiceAfterAServerError(t *testing.T) {
	c := freshClient(t, 3, 10*time.Second)
	fault(t, "calls.initiate", 1, retryNow503)
	_, err := c.Calls.Initiate(background, typed[trillet.InitiateCall](map[string]any{"to": "+14155551234", "call_agent_id": unknownID}))
	if e := asError(t, err); e.Status != 503 {
		t.Errorf("got %#v", e)
	}
	if n := len(requests(t, "calls.initiate")); n != 1 {
		t.Errorf("sent %d times, want 1", n)
	}
}

func TestRateLimitedRequestsAreRetriedAfterRetryAfterEvenForAPost(t *testing.T) {
	c := freshClient(t, 2, 10*time.Second)
	fault(t, "agents.create", 1, map[string]any{
		"type": "status", "status": 429,
		"body":    map[string]any{"error": map[string]any{"code": "rate_limit_exceeded", "message": "slow down"}},
		"headers": map[string]any{"Retry-After": "0"},
	})
	body := mustOK(t)(c.Agents.Create(background, typed[trillet.CreateAgent](map[string]any{"name": "Retry agent", "llmModel": "gpt-4o-mini", "ttsModel": map[string]any{"provider": "rime", "voiceId": "mistv2_Wildflower"}})))
	if str(t, body, "name") != "Retry agent" {
		t.Errorf("got %s", body)
	}
	if n := len(requests(t, "agents.create")); n != 2 {
		t.Errorf("sent %d times, want 2", n)
	}
}
