package trillet

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Int returns a pointer to v, for Config.MaxRetries.
func Int(v int) *int { return &v }

// redactURL replaces the user:password of a URL with <redacted>, by the core's rule (an
// optional scheme://, then the authority up to the first '/', '?' or '#'; before its last '@',
// everything is redacted): both are tested against tests/fixtures/redacted_urls.json.
func redactURL(u string) string {
	scheme, rest, found := strings.Cut(u, "://")
	if !found {
		scheme, rest = "", u
	} else {
		scheme += "://"
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		return scheme + "<redacted>@" + rest[at+1:]
	}
	return u
}

// redacted shows whether a secret is set, never the secret.
func redacted(secret string) string {
	if secret == "" {
		return ""
	}
	return "<redacted>"
}

// optionalInt renders an optional count for String ("default" when unset).
func optionalInt(v *int) string {
	if v == nil {
		return "default"
	}
	return fmt.Sprint(*v)
}

// GoString is String, so that %#v does not show the API key either.
func (c Config) GoString() string { return c.String() }

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

// wire is the config JSON trillet_client_new takes: the settings that are set (config_gen.go),
// with the user agent suffix after "go/<version>".
func (c Config) wire() (string, error) {
	m, err := c.settings()
	if err != nil {
		return "", err
	}
	m["user_agent_suffix"] = userAgentSuffix(c.UserAgentSuffix)
	text, err := json.Marshal(m)
	if err != nil { // only plain strings, numbers and booleans: cannot happen
		return "", invalid(codeInvalidConfig, "config cannot be encoded: %v", err)
	}
	return string(text), nil
}

// Client is a Trillet API client: settings plus a pool of keep-alive connections, held by the
// Rust library. It is safe for concurrent use by many goroutines; share one rather than making
// one per goroutine.
//
// Call Close when done: it ends the calls still in flight (they return a KindCancelled error
// matching [ErrClosed]). A finalizer frees a client that was dropped without Close, but only
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
	mu  sync.RWMutex // read-held by every call in flight (and by close while it ends them), write-held by close to free
	ptr *capi.Handle // nil once closed
}

// finalized counts handles freed by the finalizer (for tests).
var finalized atomic.Int64

// NewClient creates a client. See [Config] for what zero values mean. It fails with a
// KindInvalidInput [Error] for an invalid setting (a malformed or insecure base URL, a negative
// duration, ...) or without an API key (code missing_api_key, naming Config.APIKey).
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
		err := parseError(capi.StatusInvalidInput, errJSON)
		var e *Error
		if errors.As(err, &e) && e.Code == "missing_api_key" {
			// The core names the C config key; a Go user sets a Config field.
			e.Message = "no API key: set Config.APIKey or TRILLET_API_KEY"
		}
		return nil, err
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

// Close releases the client. Calls in flight on it end at once with a KindCancelled error that
// also matches [ErrClosed] (Code [CodeNotSent] or [CodeMaybeSent], as for a cancelled context),
// instead of running to their end; Close returns once they have returned. Later calls fail with
// [ErrClosed] without sending anything. Close is safe to call more than once and from several
// goroutines, and always returns nil.
func (c *Client) Close() error {
	if c == nil || c.h == nil {
		return nil
	}
	c.h.close()
	runtime.SetFinalizer(c.h, nil)
	return nil
}

// close ends the calls in flight, then frees the C client once; it reports whether this call
// freed it.
func (h *handle) close() bool {
	// trillet_client_close is safe alongside calls (the read lock only keeps a concurrent
	// close from freeing the client under it): the calls holding the read lock end at once,
	// and those that start before the write lock is taken fail at once.
	h.mu.RLock()
	if h.ptr != nil {
		h.ptr.Close()
	}
	h.mu.RUnlock()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr == nil {
		return false
	}
	h.ptr.Free()
	h.ptr = nil
	return true
}

// with makes the C call for to with the live C client, holding the read lock so that Close
// does not free the client under it.
func (c *Client) with(to target, text string, tok capi.Cancel) (status int, out []byte, meta string, err error) {
	if c == nil || c.h == nil {
		return 0, nil, "", invalid(codeClientClosed, "the client was not made by trillet.NewClient")
	}
	c.h.mu.RLock()
	defer c.h.mu.RUnlock()
	if c.h.ptr == nil {
		return 0, nil, "", invalid(codeClientClosed, "the client is closed")
	}
	status, out, meta = to.send(c.h.ptr, text, tok)
	return status, out, meta, nil
}
