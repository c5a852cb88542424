package trillet

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Request is one call's input, in the shape every language shares (every field optional).
type Request struct {
	// Path fills the path template's parameters, by the names in the template
	// ("agentId", "callHistoryId", ...). Each value is sent percent-encoded as one segment.
	Path map[string]string
	// Query is the query string. Values may be strings, numbers, booleans or slices of those
	// (a repeated parameter); nil values are left out.
	Query map[string]any
	// Body is the JSON body: any value encoding/json accepts. json.RawMessage and []byte are
	// taken as JSON text and sent as they are (they must be valid JSON). For a multipart
	// operation it is an object of form fields.
	Body any
	// Files are the parts of a multipart upload.
	Files []File
	// Timeout, when above 0, shortens the client's deadline for this call. A context deadline
	// shortens it too: the earlier one wins.
	Timeout time.Duration
	// Response, when not nil, receives the exchange's metadata (status, request id, attempts,
	// elapsed time) when Call returns, whether it succeeded, failed or was cancelled (Attempts
	// then counts the attempts whose request was sent). It is left untouched when the context
	// was done before the call started.
	Response *ResponseMeta
}

// ResponseMeta is what one exchange took: what a support ticket or a latency investigation
// needs first.
type ResponseMeta struct {
	// Status is the HTTP status of the last response; 0 when no response arrived.
	Status int `json:"status"`
	// RequestID is the x-request-id of the last response ("" when it had none).
	RequestID string `json:"request_id"`
	// Attempts is the number of attempts sent (0 when the request was refused before sending).
	Attempts int `json:"attempts"`
	// Elapsed is the time from the call's start to its end, retries and their waits included.
	Elapsed time.Duration `json:"-"`
}

// wireMeta is the metadata JSON trillet_call_with_meta hands back.
type wireMeta struct {
	Status    *int    `json:"status"`
	RequestID *string `json:"request_id"`
	Attempts  int     `json:"attempts"`
	ElapsedMS int64   `json:"elapsed_ms"`
}

// decodeMeta reads the metadata JSON into m; text that does not parse leaves m zeroed.
func decodeMeta(text string, m *ResponseMeta) {
	*m = ResponseMeta{}
	var w wireMeta
	if json.Unmarshal([]byte(text), &w) != nil {
		return
	}
	if w.Status != nil {
		m.Status = *w.Status
	}
	if w.RequestID != nil {
		m.RequestID = *w.RequestID
	}
	m.Attempts = w.Attempts
	m.Elapsed = time.Duration(w.ElapsedMS) * time.Millisecond
}

// File is one file of a multipart upload: either Path (read by the library) or Data.
type File struct {
	// Field is the form field; "" means the operation's file field (usually "file").
	Field string
	// Path is a file to read. Leave it empty to send Data.
	Path string
	// Filename is the name sent for the part (default: Path's base name, or "file").
	Filename string
	// ContentType is the part's MIME type (default: guessed from the file name).
	ContentType string
	// Data is the content when Path is empty.
	Data []byte
}

// wireRequest is the request JSON trillet_call takes.
type wireRequest struct {
	Path      map[string]string `json:"path,omitempty"`
	Query     map[string]any    `json:"query,omitempty"`
	Body      json.RawMessage   `json:"body,omitempty"`
	Files     []wireFile        `json:"files,omitempty"`
	TimeoutMS int64             `json:"timeout_ms,omitempty"`
}

type wireFile struct {
	Field       string  `json:"field,omitempty"`
	Path        string  `json:"path,omitempty"`
	Filename    string  `json:"filename,omitempty"`
	ContentType string  `json:"content_type,omitempty"`
	DataBase64  *string `json:"data_base64,omitempty"`
}

// encodeBody turns Request.Body into JSON text (nil for no body).
func encodeBody(body any) (json.RawMessage, error) {
	var raw []byte
	switch b := body.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		raw = b
	case []byte:
		raw = b
	default:
		text, err := json.Marshal(body)
		if err != nil {
			return nil, invalid(codeInvalidBody, "the body cannot be encoded as JSON: %v", err)
		}
		return text, nil
	}
	if raw == nil {
		return nil, nil
	}
	if !json.Valid(raw) {
		return nil, invalid(codeInvalidBody, "the body is not valid JSON text")
	}
	return raw, nil
}

// encode renders the request JSON, with the deadline in milliseconds (0: none).
func (r *Request) encode(timeoutMS int64) (string, error) {
	if r.Query == nil && r.Body == nil && len(r.Files) == 0 {
		if text, ok := encodePathOnly(r.Path, timeoutMS); ok {
			return text, nil
		}
	}
	body, err := encodeBody(r.Body)
	if err != nil {
		return "", err
	}
	w := wireRequest{Path: r.Path, Query: r.Query, Body: body, TimeoutMS: timeoutMS}
	for _, f := range r.Files {
		wf := wireFile{Field: f.Field, Path: f.Path, Filename: f.Filename, ContentType: f.ContentType}
		if f.Path == "" {
			data := base64.StdEncoding.EncodeToString(f.Data)
			wf.DataBase64 = &data
		}
		w.Files = append(w.Files, wf)
	}
	text, err := json.Marshal(w)
	if err != nil {
		// The body is already JSON and paths and files are strings: only the query can fail.
		return "", invalid(codeInvalidQuery, "the query cannot be encoded as JSON: %v", err)
	}
	return string(text), nil
}

// encodePathOnly renders the request JSON of the commonest call (path parameters only, as in
// client.Agents.Get) with one allocation instead of json.Marshal's reflection. ok is false when
// a value is not valid UTF-8 (json.Marshal's replacement rules then apply).
func encodePathOnly(path map[string]string, timeoutMS int64) (text string, ok bool) {
	size := 32
	for k, v := range path {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return "", false
		}
		size += len(k) + len(v) + 8
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteByte('{')
	if len(path) > 0 {
		b.WriteString(`"path":{`)
		first := true
		for k, v := range path {
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeJSONString(&b, k)
			b.WriteByte(':')
			writeJSONString(&b, v)
		}
		b.WriteByte('}')
	}
	if timeoutMS != 0 {
		if len(path) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"timeout_ms":`)
		b.WriteString(strconv.FormatInt(timeoutMS, 10))
	}
	b.WriteByte('}')
	return b.String(), true
}

// writeJSONString writes s (valid UTF-8) as a JSON string: quotes, backslashes and control
// characters escaped, everything else as it is.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// deadline is the timeout to send for this call, in milliseconds (0: the client's), and whether
// the context's deadline is the one that applies.
func deadline(ctx context.Context, timeout time.Duration) (ms int64, fromContext bool, err error) {
	d, has := ctx.Deadline()
	if !has {
		return millis(timeout), false, nil
	}
	left := time.Until(d)
	if left <= 0 {
		return 0, true, context.DeadlineExceeded
	}
	if timeout > 0 && timeout < left {
		return millis(timeout), false, nil
	}
	return millis(left), true, nil
}

// Call calls an operation of the table by id ("agents.create"; see [Operations]) and returns
// the response body: the API's JSON, byte for byte (a text response such as CSV comes back as a
// JSON string).
//
// The context's deadline becomes the request's deadline (retries and the wait for a rate-limit
// slot included). When the context is cancelled, or its deadline passes, during the call, the
// library stops the request wherever it is (waiting for a rate-limit slot, connecting, sending,
// waiting for the answer, between retries), closes its connection, and Call returns once the
// library is done with it: no request runs on behind the caller's back, nothing is retried.
// A cancellation gives a KindCancelled *[Error] that matches context.Canceled (and
// [ErrCancelled]), whose Code says whether the API can have seen the request: [CodeNotSent]
// (nothing reached it: safe to send again) or [CodeMaybeSent] (the API may have acted on it:
// for a POST such as calls.initiate, the phone call may have gone out; check before sending it
// again). A deadline gives a KindTimeout *[Error] that matches context.DeadlineExceeded. A
// context already done when Call starts gives the same errors without sending anything
// (CodeNotSent). A cancel that comes as the call completes leaves the call's own result.
//
// Errors are *[Error] values.
func (c *Client) Call(ctx context.Context, opID string, req Request) (json.RawMessage, error) {
	if capi.HasNUL(opID) {
		return nil, invalid(codeInvalidArgument, "the operation id holds a NUL byte")
	}
	return c.run(ctx, req, target{op: opID, meta: req.Response != nil})
}

// Do sends a request to any method and path: the escape hatch for endpoints the table does not
// know yet. path starts with "/" and may be a template ("/v1/api/new/{id}") filled from
// req.Path; the query goes in req.Query. Same headers, retries, errors, metadata and context
// rules (cancellation included) as [Client.Call].
//
// The answer's content-type decides what comes back, as for the typed operations: JSON passed
// through, text/* (a CSV export) as a JSON string (decode it into a string), anything else
// (audio) as the envelope {"content_type","filename","size","data_base64"} that
// [RecordingsService.Get] decodes into a [Binary].
func (c *Client) Do(ctx context.Context, method, path string, req Request) (json.RawMessage, error) {
	if capi.HasNUL(method) || capi.HasNUL(path) {
		return nil, invalid(codeInvalidArgument, "the method or path holds a NUL byte")
	}
	return c.run(ctx, req, target{raw: true, method: method, path: path, meta: req.Response != nil})
}

// target is what a call goes to: an operation of the table (op), or, when raw, a method and
// path. A plain value rather than a closure, so that a call does not allocate one.
type target struct {
	raw, meta        bool
	op, method, path string
}

// send makes the one C call for t: the status, the result or error JSON, and the metadata JSON
// when asked for (meta). tok is the call's cancel token (the zero Cancel: none).
func (t target) send(h *capi.Handle, text string, tok capi.Cancel) (int, []byte, string) {
	if t.raw {
		return h.RequestEx(t.method, t.path, text, tok, t.meta)
	}
	return h.CallEx(t.op, text, tok, t.meta)
}

// invoke makes the C call and turns its answer into a body or an *Error.
func (c *Client) invoke(to target, text string, fromContext bool, tok capi.Cancel) outcome {
	status, out, meta, err := c.with(to, text, tok)
	switch {
	case err != nil:
		return outcome{err: err}
	case status == capi.StatusOK:
		return outcome{body: json.RawMessage(out), meta: meta}
	default:
		e := parseError(status, string(out))
		switch {
		case fromContext && e.Kind == KindTimeout:
			e.cause = context.DeadlineExceeded
		case e.Kind == KindCancelled:
			// Client.Close did it, unless the context did (the call's token fires only with
			// its context): run then puts the context's error in its place.
			e.closed = true
		}
		return outcome{err: e, meta: meta}
	}
}

// outcome is what one C call handed back.
type outcome struct {
	body json.RawMessage
	err  error
	meta string
}

// deliver hands the outcome to the caller: the metadata into req.Response when asked for.
func (o outcome) deliver(req *Request) (json.RawMessage, error) {
	if req.Response != nil && o.meta != "" {
		decodeMeta(o.meta, req.Response)
	}
	return o.body, o.err
}

// contextError is the error of a call that the context ended (err: ctx.Err(), or
// context.DeadlineExceeded when the deadline has passed but ctx.Err() may not say so yet): a
// KindTimeout error wrapping context.DeadlineExceeded when its deadline passed, else a
// KindCancelled one wrapping context.Canceled. code and detail are what the library said.
func contextError(ctx context.Context, err error, code, detail string) *Error {
	if errors.Is(err, context.DeadlineExceeded) {
		msg := "the context's deadline passed"
		if detail != "" {
			msg += ": " + detail
		}
		return &Error{Kind: KindTimeout, Code: "timeout", Message: msg, cause: context.DeadlineExceeded}
	}
	msg := "the context was cancelled"
	if cause := context.Cause(ctx); cause != nil && cause != err {
		msg += " (" + cause.Error() + ")"
	}
	if detail != "" {
		msg += ": " + detail
	}
	if err == nil {
		err = context.Canceled
	}
	return &Error{Kind: KindCancelled, Code: code, Message: msg, cause: err}
}

// canceller ties a call's cancel token to its context: context.AfterFunc cancels the token when
// the context is done, and release frees the token once the call has returned. The mutex makes
// sure the token is never cancelled while (or after) it is freed.
type canceller struct {
	mu   sync.Mutex
	tok  capi.Cancel
	live bool
	stop func() bool
}

func newCanceller(ctx context.Context) (*canceller, error) {
	tok, ok := capi.NewCancel()
	if !ok {
		return nil, &Error{Kind: KindPanic, Code: "cancel_token", Message: "the library could not create a cancel token"}
	}
	k := &canceller{tok: tok, live: true}
	k.stop = context.AfterFunc(ctx, k.fire)
	return k, nil
}

func (k *canceller) fire() {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.live {
		k.tok.Cancel()
	}
}

func (k *canceller) release() {
	k.stop() // when fire already started, the mutex waits for it
	k.mu.Lock()
	defer k.mu.Unlock()
	k.live = false
	k.tok.Free()
}

func (c *Client) run(ctx context.Context, req Request, to target) (json.RawMessage, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(ctx, err, CodeNotSent, "done before the call started: nothing was sent")
	}
	ms, fromContext, err := deadline(ctx, req.Timeout)
	if err != nil {
		return nil, contextError(ctx, err, CodeNotSent, "done before the call started: nothing was sent")
	}
	text, err := req.encode(ms)
	if err != nil {
		return nil, err
	}
	if ctx.Done() == nil { // never cancelled: no token, nothing allocated
		return c.invoke(to, text, fromContext, capi.Cancel{}).deliver(&req)
	}
	k, err := newCanceller(ctx)
	if err != nil {
		return nil, err
	}
	o := c.invoke(to, text, fromContext, k.tok)
	k.release()
	if e, ok := o.err.(*Error); ok && e.Kind == KindCancelled {
		if err := ctx.Err(); err != nil { // the token fired: the context ended the call
			o.err = contextError(ctx, err, e.Code, e.Message)
		}
	}
	return o.deliver(&req)
}

// Options are the optional parts of a call through a typed namespace method
// (client.Agents.List(ctx, trillet.Options{Query: ...})).
type Options struct {
	// Query is the query string (see Request.Query). Each method's documentation lists the
	// parameters the API knows.
	Query map[string]any
	// Files are extra parts of a multipart upload (after the method's file argument).
	Files []File
	// Timeout, when above 0, shortens the deadline of this call.
	Timeout time.Duration
	// Response, when not nil, receives the call's metadata (see Request.Response).
	Response *ResponseMeta
	// Page, when not nil, receives what a typed List method's answer said about paging (its
	// pagination, hasNext, envelope key): the method itself returns only the items.
	Page *PageInfo
}

// merge applies opts to req: later options win field by field.
func (r *Request) merge(opts []Options) {
	for _, o := range opts {
		if o.Query != nil {
			r.Query = o.Query
		}
		r.Files = append(r.Files, o.Files...)
		if o.Timeout > 0 {
			r.Timeout = o.Timeout
		}
		if o.Response != nil {
			r.Response = o.Response
		}
	}
}

// Decode unmarshals a raw result ([Client.Call], [Client.Do]) into a T of yours, passing an
// error through (the typed namespace methods already return their model):
//
//	mine, err := trillet.Decode[MyAgent](client.Call(ctx, "agents.get", req))
func Decode[T any](body json.RawMessage, err error) (T, error) {
	var v T
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return v, &Error{Kind: KindDecode, Code: "invalid_response", Message: "the response does not fit the type: " + err.Error()}
	}
	return v, nil
}

// op is what every typed namespace method calls.
func (c *Client) op(ctx context.Context, id string, path map[string]string, body any, files []File, opts []Options) (json.RawMessage, error) {
	req := Request{Path: path, Body: body, Files: files}
	req.merge(opts)
	return c.Call(ctx, id, req)
}

// text unwraps a text response (which the library hands back as a JSON string).
func text(body json.RawMessage, err error) (string, error) {
	if err != nil {
		return "", err
	}
	var s string
	if err := json.Unmarshal(body, &s); err != nil {
		return "", &Error{Kind: KindDecode, Code: "invalid_response", Message: "a text response did not come back as a JSON string"}
	}
	return s, nil
}

// Binary is a bytes answer (a call recording): the library hands it over as
// {"content_type","filename","size","data_base64"}, decoded here. When the API
// answered JSON instead of bytes, JSON holds it and Data is empty.
type Binary struct {
	// ContentType is the MIME type of the bytes (audio/mp3, video/mp4, ...).
	ContentType string
	// Filename comes from Content-Disposition, when the API sent one.
	Filename string
	// Data is the content.
	Data []byte
	// JSON is the API's answer when it was JSON rather than bytes.
	JSON json.RawMessage
}

func binary(body json.RawMessage, err error) (*Binary, error) {
	if err != nil {
		return nil, err
	}
	var env struct {
		ContentType *string `json:"content_type"`
		Filename    *string `json:"filename"`
		Data        *string `json:"data_base64"`
	}
	if json.Unmarshal(body, &env) != nil || env.ContentType == nil || env.Data == nil {
		return &Binary{JSON: body}, nil
	}
	data, decodeErr := base64.StdEncoding.DecodeString(*env.Data)
	if decodeErr != nil {
		return nil, &Error{Kind: KindDecode, Code: "invalid_response", Message: "a binary response is not valid base64"}
	}
	out := &Binary{ContentType: *env.ContentType, Data: data}
	if env.Filename != nil {
		out.Filename = *env.Filename
	}
	return out, nil
}
