package trillet_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// The sandbox's default credentials (see the sandbox contract).
const (
	sandboxKey       = "sk_test_trillet_sandbox"
	sandboxWorkspace = "64a1b2c3d4e5f6a7b8c9d0e1"
	unknownID        = "0123456789abcdef01234567"
)

// sandboxURL is the base URL of the sandbox every test talks to.
var sandboxURL string

// TestMain starts `trillet sandbox --port 0` (the binary from TRILLET_SANDBOX_BIN, else
// ../../target/debug/trillet), reads its base URL from the first line it prints, runs the tests
// and stops it. With TRILLET_SANDBOX_URL set it uses that sandbox instead.
func TestMain(m *testing.M) {
	trillet.ObserveErrors(plainWords.record)
	code := runWithSandbox(m)
	if code == 0 {
		code = plainWords.check()
	}
	os.Exit(code)
}

func runWithSandbox(m *testing.M) int {
	if url := os.Getenv("TRILLET_SANDBOX_URL"); url != "" {
		sandboxURL = strings.TrimRight(url, "/")
		return m.Run()
	}
	bin := os.Getenv("TRILLET_SANDBOX_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "target", "debug", "trillet")
	}
	if _, err := os.Stat(bin); err != nil {
		fmt.Fprintf(os.Stderr, "no sandbox binary at %s (%v): build it with `cargo build -p trillet-cli` "+
			"at the repository root, set TRILLET_SANDBOX_BIN, or run bindings/go/run-tests.sh\n", bin, err)
		return 1
	}
	cmd := exec.Command(bin, "sandbox", "--port", "0")
	var stderr bytes.Buffer // shown only when the sandbox does not start
	cmd.Stderr = &stderr
	stopWithParent(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		return 1
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lines <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, r) // keep draining so the sandbox never blocks on stdout
	}()
	select {
	case line := <-lines:
		if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`).MatchString(line) {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			fmt.Fprintf(os.Stderr, "the sandbox printed %q instead of its base URL; its stderr:\n%s\n", line, stderr.String())
			return 1
		}
		sandboxURL = line
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "the sandbox did not print its base URL within 30 s")
		return 1
	}
	return m.Run()
}

// control sends a request to the sandbox's control endpoints with net/http (not through the
// binding under test) and decodes the answer into out (when not nil).
func control(t testing.TB, method, path string, body any, out any) {
	t.Helper()
	var payload io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		payload = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, sandboxURL+path, payload)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("content-type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("sandbox %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("sandbox %s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("sandbox %s %s: %v in %s", method, path, err, data)
		}
	}
}

// resetSandbox clears the sandbox's state, queued faults and request log.
func resetSandbox(t testing.TB) {
	t.Helper()
	control(t, "POST", "/__sandbox/reset", nil, nil)
}

// fault queues a fault for the next n requests to op.
func fault(t testing.TB, op string, n int, f map[string]any) {
	t.Helper()
	var got struct{ Queued int }
	control(t, "POST", "/__sandbox/faults", map[string]any{"operation": op, "count": n, "fault": f}, &got)
	if got.Queued != n {
		t.Fatalf("queued %d faults, want %d", got.Queued, n)
	}
}

// logged is one request as the sandbox saw it.
type logged struct {
	Operation *string           `json:"operation"`
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Query     string            `json:"query"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
}

// requests returns the sandbox's request log (oldest first), only those of op when op != "".
func requests(t testing.TB, op string) []logged {
	t.Helper()
	var all []logged
	control(t, "GET", "/__sandbox/requests", nil, &all)
	if op == "" {
		return all
	}
	var out []logged
	for _, r := range all {
		if r.Operation != nil && *r.Operation == op {
			out = append(out, r)
		}
	}
	return out
}

// lastRequest returns the last request the sandbox saw for op.
func lastRequest(t testing.TB, op string) logged {
	t.Helper()
	rs := requests(t, op)
	if len(rs) == 0 {
		t.Fatalf("the sandbox saw no %s request", op)
	}
	return rs[len(rs)-1]
}

// newClient makes a client for the sandbox with maxRetries retries and a timeout.
func newClient(t testing.TB, maxRetries int, timeout time.Duration) *trillet.Client {
	t.Helper()
	c, err := trillet.NewClient(trillet.Config{
		APIKey:          sandboxKey,
		WorkspaceID:     sandboxWorkspace,
		BaseURL:         sandboxURL,
		MaxRetries:      trillet.Int(maxRetries),
		Timeout:         timeout,
		UserAgentSuffix: "go-tests",
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// freshClient resets the sandbox and makes a client for it.
func freshClient(t testing.TB, maxRetries int, timeout time.Duration) *trillet.Client {
	t.Helper()
	resetSandbox(t)
	return newClient(t, maxRetries, timeout)
}

// object decodes a JSON object.
func object(t testing.TB, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, raw)
	}
	return m
}

// str returns the string field key of a JSON object, failing the test when it is missing.
func str(t testing.TB, raw json.RawMessage, key string) string {
	t.Helper()
	v, ok := object(t, raw)[key].(string)
	if !ok || v == "" {
		t.Fatalf("no string %q in %s", key, raw)
	}
	return v
}

// mustOK returns a function that fails the test on an error and returns the result as JSON,
// so that a call's two results can be passed straight in: mustOK(t)(c.Agents.List(ctx)). A
// typed result (*trillet.Agent, ...) is encoded with its MarshalJSON, so the JSON the tests
// read is what the model kept of the answer; a json.RawMessage (Call, Do) is passed through.
func mustOK(t testing.TB) func(any, error) json.RawMessage {
	t.Helper()
	return func(result any, err error) json.RawMessage {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		body, ok := result.(json.RawMessage)
		if !ok {
			if body, err = json.Marshal(result); err != nil {
				t.Fatalf("the result %T does not encode: %v", result, err)
			}
		}
		if !json.Valid(body) {
			t.Fatalf("not JSON: %s", body)
		}
		return body
	}
}

// plainGet sends an authenticated GET to the sandbox with net/http and returns the body.
func plainGet(t testing.TB, path string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", sandboxURL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("x-api-key", sandboxKey)
	req.Header.Set("x-workspace-id", sandboxWorkspace)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return data
}

// jsonEqual compares two decoded JSON values.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func writeFile(path, content string) error {
	return os.WriteFile(path, []byte(content), 0o600)
}

// asError unwraps a *trillet.Error, failing the test when err is not one.
func asError(t testing.TB, err error) *trillet.Error {
	t.Helper()
	var e *trillet.Error
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	if !errors.As(err, &e) {
		t.Fatalf("expected a *trillet.Error, got %T: %v", err, err)
	}
	return e
}

var background = context.Background()

// typed converts a loosely written body (a map, raw JSON) into the request struct a typed method
// takes, through its JSON: every spelling lands in the struct's fields or its Extra.
func typed[T any](body any) T {
	var out T
	raw, err := json.Marshal(body)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		panic(fmt.Sprintf("typed: %v", err))
	}
	return out
}
