package trillet_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

func TestZeroConfigFallsBackToTheEnvironment(t *testing.T) {
	resetSandbox(t)
	t.Setenv("TRILLET_API_KEY", sandboxKey)
	t.Setenv("TRILLET_WORKSPACE_ID", sandboxWorkspace)
	t.Setenv("TRILLET_BASE_URL", sandboxURL)
	c, err := trillet.NewClient(trillet.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustOK(t)(c.Agents.List(background))
	r := lastRequest(t, "agents.list")
	if r.Headers["x-workspace-id"] != sandboxWorkspace {
		t.Errorf("headers %v", r.Headers)
	}
	if want := " go/" + strings.TrimPrefix(runtime.Version(), "go"); !strings.HasSuffix(r.Headers["user-agent"], want) {
		t.Errorf("user-agent %q, want suffix %q", r.Headers["user-agent"], want)
	}
}

func TestConfigOverridesTheEnvironment(t *testing.T) {
	resetSandbox(t)
	t.Setenv("TRILLET_API_KEY", "sk_from_env_is_wrong")
	t.Setenv("TRILLET_BASE_URL", "http://127.0.0.1:1")
	c := newClient(t, 0, 10*time.Second) // passes the sandbox's key and URL
	mustOK(t)(c.Agents.List(background))
}

func TestIgnoreEnvLeavesTheEnvironmentOut(t *testing.T) {
	resetSandbox(t)
	t.Setenv("TRILLET_WORKSPACE_ID", sandboxWorkspace)
	t.Setenv("TRILLET_BASE_URL", "http://api.example.com") // refused if it were read
	cfg := trillet.Config{APIKey: sandboxKey, BaseURL: sandboxURL, MaxRetries: trillet.Int(0)}
	withEnv, err := trillet.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer withEnv.Close()
	mustOK(t)(withEnv.Agents.List(background)) // the workspace id came from the environment

	cfg.IgnoreEnv = true
	hermetic, err := trillet.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer hermetic.Close()
	_, err = hermetic.Agents.List(background)
	if e := asError(t, err); e.Kind != trillet.KindInvalidInput || e.Code != "missing_workspace_id" {
		t.Errorf("got %#v", e)
	}
	if n := len(requests(t, "agents.list")); n != 1 {
		t.Errorf("the sandbox saw %d requests, want 1 (the refused call is never sent)", n)
	}

	if _, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey}); asError(t, err).Code != "insecure_base_url" {
		t.Errorf("without IgnoreEnv TRILLET_BASE_URL is read: %v", err)
	}
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, IgnoreEnv: true})
	if err != nil {
		t.Fatalf("with IgnoreEnv TRILLET_BASE_URL is not read: %v", err)
	}
	_ = c.Close()
}

func TestConfigNeverPrintsTheKey(t *testing.T) {
	cfg := trillet.Config{APIKey: "sk_live_secret", WorkspaceID: "ws", MaxRetries: trillet.Int(1)}
	for _, text := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v|%+v|%#v|%s", cfg, cfg, cfg, cfg), fmt.Sprint(&cfg)} {
		if strings.Contains(text, "sk_live_secret") || !strings.Contains(text, "<redacted>") || !strings.Contains(text, "MaxRetries:1") {
			t.Errorf("%q", text)
		}
	}
}

func TestClientSideRateLimit(t *testing.T) {
	resetSandbox(t)
	c, err := trillet.NewClient(trillet.Config{APIKey: sandboxKey, WorkspaceID: sandboxWorkspace, BaseURL: sandboxURL, RateLimitPerMinute: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// None of the first 120 waits (a throttled call would wait for the first to leave the
	// minute, a full minute: 10 s per call is far from both that and a loaded machine).
	for i := range 120 {
		call := time.Now()
		mustOK(t)(c.Agents.List(background))
		if elapsed := time.Since(call); elapsed >= 10*time.Second {
			t.Errorf("call %d of the burst took %v: it waited for a slot", i, elapsed)
		}
	}
	// The 121st of the minute waits for a slot: still waiting after a second, when its context
	// is cancelled, which ends the wait before anything is sent.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(time.Second, cancel)
	started := time.Now()
	_, err = c.Agents.List(ctx)
	if elapsed := time.Since(started); elapsed < 900*time.Millisecond {
		t.Errorf("the 121st call returned after %v: it did not wait for a slot", elapsed)
	}
	var e *trillet.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &e) || e.Code != trillet.CodeNotSent {
		t.Errorf("got %v, want a cancelled not_sent error", err)
	}
	if n := len(requests(t, "agents.list")); n != 120 {
		t.Errorf("the sandbox saw %d requests, want 120", n)
	}
}

func TestADroppedClientIsFreedByTheFinalizer(t *testing.T) {
	before := trillet.Finalized.Load()
	for range 5 {
		c, err := trillet.NewClient(trillet.Config{APIKey: "k", WorkspaceID: "w", BaseURL: sandboxURL})
		if err != nil {
			t.Fatal(err)
		}
		_ = c // dropped without Close
	}
	deadline := time.Now().Add(5 * time.Second)
	for trillet.Finalized.Load()-before < 5 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := trillet.Finalized.Load() - before; n < 5 {
		t.Errorf("the finalizer freed %d of 5 dropped clients", n)
	}
	// A closed client is not freed again by its finalizer. A witness dropped unclosed at the
	// same time shows when the finalizers have run (otherwise this could pass by waiting too
	// little): then the count went up by the witness alone.
	c, _ := trillet.NewClient(trillet.Config{APIKey: "k", WorkspaceID: "w", BaseURL: sandboxURL})
	_ = c.Close()
	mid := trillet.Finalized.Load()
	if _, err := trillet.NewClient(trillet.Config{APIKey: "k", WorkspaceID: "w", BaseURL: sandboxURL}); err != nil {
		t.Fatal(err) // the witness, dropped at once
	}
	c = nil
	deadline = time.Now().Add(5 * time.Second)
	for trillet.Finalized.Load() == mid && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	for range 5 { // a moment more for a wrong second free to show
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := trillet.Finalized.Load() - mid; n != 1 {
		t.Errorf("the finalizers freed %d clients, want 1: the witness, not the closed client", n)
	}
}

func TestParseErrorReadsTheSharedShape(t *testing.T) {
	e := trillet.ParseError(2, `{"error":{"kind":"api","code":"invalid_number","message":"bad","status":400,"request_id":"req_1","retry_after":1.5,"body":{"error":{"code":"invalid_number"}}}}`)
	if e.Kind != trillet.KindAPI || e.Code != "invalid_number" || e.Status != 400 || e.RequestID != "req_1" ||
		e.RetryAfter != 1500*time.Millisecond || string(e.Body) != `{"error":{"code":"invalid_number"}}` {
		t.Errorf("%#v", e)
	}
	if got := e.Error(); got != "trillet: api error 400 (invalid_number): bad [request req_1]" {
		t.Errorf("Error() = %q", got)
	}
	p := trillet.ParseError(7, `{"error":{"kind":"panic","code":"panic","message":"internal error","status":null,"request_id":null,"retry_after":null,"body":null}}`)
	if p.Kind != trillet.KindPanic || p.Body != nil || p.Status != 0 {
		t.Errorf("%#v", p)
	}
	// Not the shared shape (a library bug): the status still decides the kind.
	for status, kind := range map[int]trillet.Kind{3: trillet.KindTimeout, 4: trillet.KindConnect, 5: trillet.KindIO, 6: trillet.KindDecode, 7: trillet.KindPanic, 1: trillet.KindInvalidInput, 2: trillet.KindAPI, 8: trillet.KindCancelled} {
		if e := trillet.ParseError(status, "oops"); e.Kind != kind || e.Code != "invalid_error_json" {
			t.Errorf("status %d: %#v", status, e)
		}
	}
	// A cancelled call: kind cancelled, the code saying whether it was sent; ErrCancelled
	// matches it, the context's errors do not (the binding adds those when the context did it).
	for _, code := range []string{trillet.CodeNotSent, trillet.CodeMaybeSent} {
		err := error(trillet.ParseError(8, `{"error":{"kind":"cancelled","code":"`+code+`","message":"agents.list: cancelled","status":null,"request_id":null,"retry_after":null,"body":null}}`))
		e := asError(t, err)
		if e.Kind != trillet.KindCancelled || e.Code != code || !errors.Is(err, trillet.ErrCancelled) ||
			errors.Is(err, trillet.ErrTimeout) || errors.Is(err, trillet.ErrClosed) || errors.Is(err, context.Canceled) {
			t.Errorf("%#v", e)
		}
		if got := e.Error(); got != "trillet: cancelled error ("+code+"): agents.list: cancelled" {
			t.Errorf("Error() = %q", got)
		}
	}
	var _ json.RawMessage = e.Body
}
