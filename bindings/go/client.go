package trillet

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Config configures a [Client]. Zero values mean "from the environment, else the default":
// APIKey falls back to TRILLET_API_KEY, WorkspaceID to TRILLET_WORKSPACE_ID, BaseURL to
// TRILLET_BASE_URL and then https://api.trillet.ai; the other defaults are the library's
// (60 s per request, 10 s to connect, 2 retries, no client-side rate limit). With IgnoreEnv
// those three variables are not read at all.
//
// Printing a Config with fmt never shows the API key.
type Config struct {
	// APIKey is the secret key, sent as x-api-key.
	APIKey string
	// WorkspaceID is sent as x-workspace-id where an operation needs it.
	WorkspaceID string
	// BaseURL is the API root. A plain http:// URL is refused unless the host is loopback or
	// AllowInsecureHTTP is set.
	BaseURL string
	// Timeout is the deadline of a whole request, retries and body included (0: 60 s). A
	// context deadline or Request.Timeout shortens it per call.
	Timeout time.Duration
	// ConnectTimeout is the time allowed to open a connection (0: 10 s).
	ConnectTimeout time.Duration
	// MaxRetries is the number of retries after the first attempt (nil: 2; use Int(0) for none).
	MaxRetries *int
	// RateLimitPerMinute, when above 0, blocks calls so that at most this many start a minute.
	RateLimitPerMinute int
	// AllowInsecureHTTP allows a plain http:// BaseURL on a non-loopback host.
	AllowInsecureHTTP bool
	// IgnoreEnv, when set, makes the client ignore TRILLET_API_KEY, TRILLET_WORKSPACE_ID and
	// TRILLET_BASE_URL: only this Config and the defaults count (for tests and hosts that must
	// not pick up the process environment).
	IgnoreEnv bool
	// UserAgent is appended to the user-agent header, after "go/<Go version>".
	UserAgent string
}

// Int returns a pointer to v, for Config.MaxRetries.
func Int(v int) *int { return &v }

// String renders the config with the API key redacted.
func (c Config) String() string {
	key := ""
	if c.APIKey != "" {
		key = "<redacted>"
	}
	retries := "default"
	if c.MaxRetries != nil {
		retries = fmt.Sprint(*c.MaxRetries)
	}
	return fmt.Sprintf("trillet.Config{APIKey:%q WorkspaceID:%q BaseURL:%q Timeout:%v ConnectTimeout:%v "+
		"MaxRetries:%s RateLimitPerMinute:%d AllowInsecureHTTP:%v IgnoreEnv:%v UserAgent:%q}",
		key, c.WorkspaceID, c.BaseURL, c.Timeout, c.ConnectTimeout, retries, c.RateLimitPerMinute,
		c.AllowInsecureHTTP, c.IgnoreEnv, c.UserAgent)
}

// GoString is String, so that %#v does not show the API key either.
func (c Config) GoString() string { return c.String() }

// wireConfig is the config JSON trillet_client_new takes.
type wireConfig struct {
	APIKey             string `json:"api_key,omitempty"`
	WorkspaceID        string `json:"workspace_id,omitempty"`
	BaseURL            string `json:"base_url,omitempty"`
	TimeoutMS          int64  `json:"timeout_ms,omitempty"`
	ConnectTimeoutMS   int64  `json:"connect_timeout_ms,omitempty"`
	MaxRetries         *int   `json:"max_retries,omitempty"`
	RateLimitPerMinute int    `json:"rate_limit_per_minute,omitempty"`
	AllowInsecureHTTP  bool   `json:"allow_insecure_http,omitempty"`
	IgnoreEnv          bool   `json:"ignore_env,omitempty"`
	UserAgentSuffix    string `json:"user_agent_suffix"`
}

// userAgentSuffix is "go/<version>" (like "go/1.26.8"), then the caller's text.
func userAgentSuffix(extra string) string {
	s := "go/" + strings.TrimPrefix(runtime.Version(), "go")
	if extra = strings.TrimSpace(extra); extra != "" {
		s += " " + extra
	}
	return s
}

// millis rounds a positive duration up to whole milliseconds (0 stays 0).
func millis(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

func (c Config) wire() (string, error) {
	switch {
	case c.Timeout < 0:
		return "", invalid(codeInvalidConfig, "Timeout must not be negative (got %v)", c.Timeout)
	case c.ConnectTimeout < 0:
		return "", invalid(codeInvalidConfig, "ConnectTimeout must not be negative (got %v)", c.ConnectTimeout)
	case c.MaxRetries != nil && *c.MaxRetries < 0:
		return "", invalid(codeInvalidConfig, "MaxRetries must not be negative (got %d)", *c.MaxRetries)
	case c.RateLimitPerMinute < 0:
		return "", invalid(codeInvalidConfig, "RateLimitPerMinute must not be negative (got %d)", c.RateLimitPerMinute)
	}
	w := wireConfig{
		APIKey:             c.APIKey,
		WorkspaceID:        c.WorkspaceID,
		BaseURL:            c.BaseURL,
		TimeoutMS:          millis(c.Timeout),
		ConnectTimeoutMS:   millis(c.ConnectTimeout),
		MaxRetries:         c.MaxRetries,
		RateLimitPerMinute: c.RateLimitPerMinute,
		AllowInsecureHTTP:  c.AllowInsecureHTTP,
		IgnoreEnv:          c.IgnoreEnv,
		UserAgentSuffix:    userAgentSuffix(c.UserAgent),
	}
	text, err := json.Marshal(w)
	if err != nil { // only plain strings, numbers and booleans: cannot happen
		return "", invalid(codeInvalidConfig, "config cannot be encoded: %v", err)
	}
	return string(text), nil
}

// Client is a Trillet API client: settings plus a pool of keep-alive connections, held by the
// Rust library. It is safe for concurrent use by many goroutines; share one rather than making
// one per goroutine.
//
// Call Close when done. A finalizer frees a client that was dropped without Close, but only
// whenever the garbage collector gets to it. After Close every call returns an error matching
// [ErrClosed].
//
// The typed namespaces (client.Agents, client.Calls, ...) come from the embedded [Services].
type Client struct {
	Services
	h *handle
}

// handle owns the C client. It is kept apart from Client (whose services point back at it) so
// that it is not part of a reference cycle and its finalizer reliably runs.
type handle struct {
	mu  sync.RWMutex // read-held by every call in flight, write-held by close
	ptr *capi.Handle // nil once closed
}

// finalized counts handles freed by the finalizer (for tests).
var finalized atomic.Int64

// NewClient creates a client. See [Config] for what zero values mean. It fails with a
// KindInvalidInput [Error] for an invalid setting (a malformed or insecure base URL, a negative
// duration, ...).
func NewClient(cfg Config) (*Client, error) {
	text, err := cfg.wire()
	if err != nil {
		return nil, err
	}
	if capi.HasNUL(text) { // json.Marshal escapes NUL, so this never happens; checked anyway
		return nil, invalid(codeInvalidConfig, "config holds a NUL byte")
	}
	ptr, errJSON := capi.NewClient(text)
	if ptr == nil {
		return nil, parseError(capi.StatusInvalidInput, errJSON)
	}
	h := &handle{ptr: ptr}
	runtime.SetFinalizer(h, func(h *handle) {
		if h.close() {
			finalized.Add(1)
		}
	})
	c := &Client{h: h}
	c.Services = newServices(c)
	return c, nil
}

// Close releases the client. It waits for calls in flight to finish (each is bounded by its
// deadline), is safe to call more than once and from several goroutines, and always returns nil.
func (c *Client) Close() error {
	if c == nil || c.h == nil {
		return nil
	}
	c.h.close()
	runtime.SetFinalizer(c.h, nil)
	return nil
}

// close frees the C client once; it reports whether this call freed it.
func (h *handle) close() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr == nil {
		return false
	}
	h.ptr.Free()
	h.ptr = nil
	return true
}

// with runs f with the live C client, holding the read lock so that Close waits for it.
func (c *Client) with(f func(*capi.Handle) (int, []byte)) (int, []byte, error) {
	if c == nil || c.h == nil {
		return 0, nil, invalid(codeClientClosed, "the client was not made by trillet.NewClient")
	}
	c.h.mu.RLock()
	defer c.h.mu.RUnlock()
	if c.h.ptr == nil {
		return 0, nil, invalid(codeClientClosed, "the client is closed")
	}
	status, text := f(c.h.ptr)
	return status, text, nil
}
