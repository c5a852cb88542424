package trillet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Kind says what kind of failure an [Error] is: the "kind" of the error JSON every language
// shares.
type Kind string

// The error kinds.
const (
	// KindInvalidInput: refused before anything was sent (unknown operation, missing path
	// parameter, a body that is not JSON, a closed client, ...).
	KindInvalidInput Kind = "invalid_input"
	// KindAPI: the API answered with a non-2xx status (see Status and Code).
	KindAPI Kind = "api"
	// KindTimeout: the request did not complete within its deadline.
	KindTimeout Kind = "timeout"
	// KindConnect: no connection could be made; nothing was sent.
	KindConnect Kind = "connect"
	// KindIO: the connection broke after the request may have been sent.
	KindIO Kind = "io"
	// KindDecode: a 2xx response whose body is not valid JSON.
	KindDecode Kind = "decode"
	// KindPanic: a bug inside the library was caught at the C ABI boundary.
	KindPanic Kind = "panic"
	// KindCancelled: the call was stopped before it completed: its context was cancelled, or
	// the client was closed under it. Code says whether the API can have seen it:
	// [CodeNotSent] (nothing reached the API: safe to send again) or [CodeMaybeSent] (the API
	// may have acted on it: for a POST such as calls.initiate, the phone call may have gone out).
	// Never retried. A context whose deadline passed gives a KindTimeout error instead.
	KindCancelled Kind = "cancelled"
)

// The codes of a KindCancelled [Error].
const (
	// CodeNotSent: no byte of the HTTP request reached the network; the API cannot have acted.
	CodeNotSent = "not_sent"
	// CodeMaybeSent: the request (or part of it) was sent; the API may have acted on it.
	CodeMaybeSent = "maybe_sent"
)

// Error is every failure of a call: the shared error JSON
// {"error":{"kind","code","message","status","request_id","retry_after","body"}} as a Go value.
//
// Match it with errors.As, or with errors.Is against the sentinels ([ErrNotFound],
// [ErrUnauthorized], [ErrRateLimited], [ErrTimeout], [ErrClosed], ...). Its text never holds the
// API key.
type Error struct {
	// Kind says what kind of failure this is.
	Kind Kind
	// Code is the API's error code when it sent one (like "invalid_number"), else a stable code
	// of the library ("not_found", "missing_path_param", "unknown_operation", "timeout", ...).
	Code string
	// Message is a human-readable description.
	Message string
	// Status is the HTTP status for KindAPI, else 0.
	Status int
	// RequestID is the API's request id, when it sent one.
	RequestID string
	// RetryAfter is how long the API asked to wait (Retry-After), else 0.
	RetryAfter time.Duration
	// Body is the API's error body as JSON (a JSON string when it was not JSON), or nil.
	Body json.RawMessage

	// cause is what this error wraps, if anything: context.DeadlineExceeded when the context's
	// deadline ended the call, context.Canceled when its cancellation did.
	cause error
	// closed is set when Client.Close ended the call (or the call started as Close ran).
	closed bool
}

// Error renders the error in one line, like
// "trillet: api error 404 (not_found): Agent not found [request req_1]".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("trillet: ")
	b.WriteString(string(e.Kind))
	b.WriteString(" error")
	if e.Status != 0 {
		fmt.Fprintf(&b, " %d", e.Status)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the error this one wraps: context.DeadlineExceeded when the context's deadline
// ended the call (a KindTimeout error), context.Canceled when the context's cancellation did (a
// KindCancelled error), else nil. So errors.Is(err, context.Canceled) and
// errors.Is(err, context.DeadlineExceeded) hold as they would for ctx.Err().
func (e *Error) Unwrap() error {
	return e.cause
}

// Timeout reports whether the request ran out of time (like net.Error).
func (e *Error) Timeout() bool {
	return e.Kind == KindTimeout
}

// Is matches the sentinel errors of this package: errors.Is(err, trillet.ErrNotFound).
func (e *Error) Is(target error) bool {
	s, ok := target.(*sentinel)
	return ok && s.match(e)
}

// sentinel is an error value that stands for a class of [Error]s.
type sentinel struct {
	text  string
	match func(*Error) bool
}

func (s *sentinel) Error() string { return "trillet: " + s.text }

func apiStatus(status int) func(*Error) bool {
	return func(e *Error) bool { return e.Kind == KindAPI && e.Status == status }
}

func ofKind(kind Kind) func(*Error) bool {
	return func(e *Error) bool { return e.Kind == kind }
}

// Sentinels for errors.Is. Each matches the [Error]s of one class.
var (
	// ErrInvalidInput matches every KindInvalidInput error (nothing was sent).
	ErrInvalidInput error = &sentinel{"invalid input", ofKind(KindInvalidInput)}
	// ErrBadRequest matches API errors with status 400.
	ErrBadRequest error = &sentinel{"bad request", apiStatus(400)}
	// ErrUnauthorized matches API errors with status 401 (missing or wrong API key).
	ErrUnauthorized error = &sentinel{"unauthorized", apiStatus(401)}
	// ErrForbidden matches API errors with status 403.
	ErrForbidden error = &sentinel{"forbidden", apiStatus(403)}
	// ErrNotFound matches API errors with status 404.
	ErrNotFound error = &sentinel{"not found", apiStatus(404)}
	// ErrConflict matches API errors with status 409.
	ErrConflict error = &sentinel{"conflict", apiStatus(409)}
	// ErrRateLimited matches API errors with status 429 (see Error.RetryAfter).
	ErrRateLimited error = &sentinel{"rate limited", apiStatus(429)}
	// ErrServer matches API errors with a 5xx status.
	ErrServer error = &sentinel{"server error", func(e *Error) bool { return e.Kind == KindAPI && e.Status >= 500 }}
	// ErrTimeout matches every KindTimeout error.
	ErrTimeout error = &sentinel{"timeout", ofKind(KindTimeout)}
	// ErrConnect matches every KindConnect error.
	ErrConnect error = &sentinel{"connection failed", ofKind(KindConnect)}
	// ErrCancelled matches every KindCancelled error: a call stopped by its context's
	// cancellation or by Client.Close (see Error.Code for whether it was sent).
	ErrCancelled error = &sentinel{"cancelled", ofKind(KindCancelled)}
	// ErrClosed matches calls on a client that was closed (or never made by NewClient), and the
	// calls Close ended while they were in flight (those are KindCancelled errors).
	ErrClosed error = &sentinel{"client is closed", func(e *Error) bool { return e.Code == codeClientClosed || e.closed }}
	// ErrInvalidSignature matches a webhook that does not verify, whatever check failed
	// (Code: bad_signature, missing_signature, timestamp_too_old, timestamp_in_future,
	// unsupported_scheme, missing_secret, invalid_secret; invalid_signature from VerifyWebhook).
	ErrInvalidSignature error = &sentinel{"invalid webhook signature", func(e *Error) bool {
		switch e.Code {
		case codeInvalidSignature, "bad_signature", "missing_signature", "timestamp_too_old",
			"timestamp_in_future", "unsupported_scheme", "missing_secret", "invalid_secret":
			return e.Kind == KindInvalidInput
		}
		return false
	}}
)

// IsNotFound reports whether err is an API 404.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsRateLimited reports whether err is an API 429.
func IsRateLimited(err error) bool { return errors.Is(err, ErrRateLimited) }

// IsTimeout reports whether err is a timeout: a KindTimeout [Error] or a context deadline.
func IsTimeout(err error) bool {
	return errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded)
}

// KindOf returns the Kind of err when it is (or wraps) an [Error], else "".
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// Codes of errors made on the Go side.
const (
	codeClientClosed     = "client_closed"
	codeInvalidSignature = "invalid_signature"
	codeInvalidArgument  = "invalid_argument"
	codeInvalidBody      = "invalid_body"
	codeInvalidQuery     = "invalid_query"
	codeInvalidConfig    = "invalid_config"
)

// observeError, when set (only by this package's tests, export_test.go), sees every error that
// invalid and parseError make: the suite checks that none of their messages names a Rust type.
var observeError func(*Error)

func observed(e *Error) *Error {
	if observeError != nil {
		observeError(e)
	}
	return e
}

// invalid makes a KindInvalidInput error.
func invalid(code, format string, args ...any) *Error {
	return observed(&Error{Kind: KindInvalidInput, Code: code, Message: fmt.Sprintf(format, args...)})
}

// kindOfStatus is the error kind for a status code of the C ABI.
func kindOfStatus(status int) Kind {
	switch status {
	case capi.StatusAPI:
		return KindAPI
	case capi.StatusTimeout:
		return KindTimeout
	case capi.StatusConnect:
		return KindConnect
	case capi.StatusIO:
		return KindIO
	case capi.StatusDecode:
		return KindDecode
	case capi.StatusPanic:
		return KindPanic
	case capi.StatusCancelled:
		return KindCancelled
	default:
		return KindInvalidInput
	}
}

// wireError is the shared error JSON.
type wireError struct {
	Error *struct {
		Kind       Kind            `json:"kind"`
		Code       string          `json:"code"`
		Message    string          `json:"message"`
		Status     *int            `json:"status"`
		RequestID  *string         `json:"request_id"`
		RetryAfter *float64        `json:"retry_after"`
		Body       json.RawMessage `json:"body"`
	} `json:"error"`
}

// parseError turns the error JSON the library handed back with a non-zero status into an
// *Error. Should the text not be the shared shape (a library bug), the status still decides the
// kind and the text becomes the message.
func parseError(status int, text string) *Error {
	return observed(parseErrorJSON(status, text))
}

func parseErrorJSON(status int, text string) *Error {
	var w wireError
	if err := json.Unmarshal([]byte(text), &w); err != nil || w.Error == nil {
		return &Error{
			Kind:    kindOfStatus(status),
			Code:    "invalid_error_json",
			Message: fmt.Sprintf("the library returned status %d with an unreadable error: %q", status, truncate(text, 200)),
		}
	}
	in := w.Error
	e := &Error{Kind: in.Kind, Code: in.Code, Message: in.Message}
	if e.Kind == "" {
		e.Kind = kindOfStatus(status)
	}
	if in.Status != nil {
		e.Status = *in.Status
	}
	if in.RequestID != nil {
		e.RequestID = *in.RequestID
	}
	if in.RetryAfter != nil && *in.RetryAfter > 0 {
		e.RetryAfter = time.Duration(*in.RetryAfter * float64(time.Second))
	}
	if len(in.Body) > 0 && string(in.Body) != "null" {
		e.Body = in.Body
	}
	return e
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
