// Package capi is the only place the Go binding touches C: thin wrappers around the functions
// of include/trillet.h that take and return Go strings.
//
// Rules kept here so that nothing above needs to know them:
//   - every string the library returns is copied into Go memory and freed with
//     trillet_string_free before the wrapper returns;
//   - every C.CString made for an argument is freed (defer) before the wrapper returns;
//   - a call and its error come back from ONE cgo call (trillet_call_ex hands back the status,
//     the result or error JSON and the metadata together), so a goroutine moving to another OS
//     thread between two cgo calls can never pick up someone else's error;
//   - a cancel token (Cancel) is freed by its owner only once nothing can pass it to C any more:
//     the caller guards that (see the package trillet's canceller);
//   - strings holding a NUL byte are refused here: C would silently cut them short.
//
// Linking (see the package trillet documentation and bindings/go/README.md): through pkg-config,
// `pkg-config --static --cflags --libs trillet`, the way cgo wrappers of an installed C library do
// it. `make -C bindings/c install PREFIX=<prefix>` installs the header, libtrillet.so.0 (and
// libtrillet.a) and <prefix>/lib/pkgconfig/trillet.pc; PKG_CONFIG_PATH=<prefix>/lib/pkgconfig
// finds it when the prefix is not one pkg-config searches anyway. The header comes from that
// install, so this module builds when fetched alone. `--static` adds the .pc's Libs.private (what
// the static library needs), so a static-only install (LIBRARY_TYPES=static) links too; with both
// installed, the linker picks the shared library. In this repository, run-tests.sh writes .pc
// files pointing at target/ and sets PKG_CONFIG_PATH.
package capi

/*
#cgo pkg-config: --static trillet
#include <stdlib.h>
#include <string.h>
#include <trillet.h>
*/
import "C"

import (
	"strings"
	"unsafe"
)

// Status codes of include/trillet.h (TrilletStatus).
const (
	StatusOK           = int(C.TRILLET_OK)
	StatusInvalidInput = int(C.TRILLET_ERR_INVALID_INPUT)
	StatusAPI          = int(C.TRILLET_ERR_API)
	StatusTimeout      = int(C.TRILLET_ERR_TIMEOUT)
	StatusConnect      = int(C.TRILLET_ERR_CONNECT)
	StatusIO           = int(C.TRILLET_ERR_IO)
	StatusDecode       = int(C.TRILLET_ERR_DECODE)
	StatusPanic        = int(C.TRILLET_ERR_PANIC)
	StatusCancelled    = int(C.TRILLET_ERR_CANCELLED)
)

// HeaderVersion is the library version include/trillet.h was generated for.
const HeaderVersion = C.TRILLET_HEADER_VERSION

// Handle is a live TrilletClient. It is safe for concurrent use; Free must not run while
// another goroutine still uses it (the caller guards that).
type Handle struct {
	ptr *C.TrilletClient
}

// HasNUL reports whether s holds a NUL byte, which a C string cannot carry.
func HasNUL(s string) bool {
	return strings.IndexByte(s, 0) >= 0
}

// cString copies s into C memory; the caller frees it with C.free.
func cString(s string) *C.char {
	return C.CString(s)
}

// take copies a string returned by the library into Go memory and frees the original.
func take(p *C.char) string {
	if p == nil {
		return ""
	}
	s := C.GoString(p)
	C.trillet_string_free(p)
	return s
}

// NewClient calls trillet_client_new. On failure it returns nil and the error JSON ("" only if
// the library reported nothing). configJSON must not hold a NUL byte.
func NewClient(configJSON string) (*Handle, string) {
	cfg := cString(configJSON)
	defer C.free(unsafe.Pointer(cfg))
	var errJSON *C.char
	ptr := C.trillet_client_new(cfg, &errJSON)
	msg := take(errJSON)
	if ptr == nil {
		return nil, msg
	}
	return &Handle{ptr: ptr}, ""
}

// Free calls trillet_client_free. It must be called at most once, with no call in flight.
func (h *Handle) Free() {
	C.trillet_client_free(h.ptr)
	h.ptr = nil
}

// Close calls trillet_client_close: every call in flight on the client ends at once with
// StatusCancelled, and later calls fail at once the same way. It does not free the client, never
// blocks on a call, and may run while other goroutines call (not while Free runs).
func (h *Handle) Close() {
	C.trillet_client_close(h.ptr)
}

// Cancel is a cancel token (TrilletCancel); the zero value is no token (NULL: not cancellable).
// A plain value, so that holding one allocates nothing on the Go side.
type Cancel struct {
	ptr *C.TrilletCancel
}

// NewCancel calls trillet_cancel_new. ok is false when the library could not make one.
func NewCancel() (tok Cancel, ok bool) {
	tok.ptr = C.trillet_cancel_new()
	return tok, tok.ptr != nil
}

// Cancel calls trillet_cancel: every call running with the token ends promptly with
// StatusCancelled. Idempotent, never blocks; the zero Cancel is ignored. It must not run while
// (or after) Free runs.
func (t Cancel) Cancel() {
	C.trillet_cancel(t.ptr)
}

// Free calls trillet_cancel_free, once, when no goroutine can call Cancel any more. A call still
// running with the token is unaffected (the library holds its own reference).
func (t Cancel) Free() {
	C.trillet_cancel_free(t.ptr)
}

// takeBytes copies a string returned by the library into a Go byte slice (the one copy the
// caller keeps: no further string-to-slice copy) and frees the original.
func takeBytes(p *C.char) []byte {
	if p == nil {
		return nil
	}
	b := C.GoBytes(unsafe.Pointer(p), C.int(C.strlen(p)))
	C.trillet_string_free(p)
	return b
}

// cArgs is one C allocation holding a call's arguments: the two slots the library writes its
// result and metadata pointers to, then up to three NUL-terminated strings. One malloc and one
// free per call, and nothing allocated by Go (a Go variable whose address went to C would move
// to the heap).
type cArgs struct {
	base      unsafe.Pointer
	out, meta **C.char
	str       [3]*C.char
}

func newCArgs(a, b, c string) cArgs {
	const slot = unsafe.Sizeof((*C.char)(nil))
	size := 2*int(slot) + len(a) + len(b) + len(c) + 3
	base := C.malloc(C.size_t(size)) // malloc's alignment suits the pointer slots at its start
	buf := unsafe.Slice((*byte)(base), size)
	args := cArgs{base: base, out: (**C.char)(base), meta: (**C.char)(unsafe.Add(base, slot))}
	*args.out = nil
	*args.meta = nil
	at := 2 * int(slot)
	for i, s := range [3]string{a, b, c} {
		args.str[i] = (*C.char)(unsafe.Pointer(&buf[at]))
		at += copy(buf[at:], s)
		buf[at] = 0
		at++
	}
	return args
}

// CallEx calls trillet_call_ex: the status, the response body or error JSON and, when meta is
// true, the exchange's metadata JSON (status, request id, attempts, elapsed ms), all from one cgo
// call. cancel may be the zero Cancel (not cancellable, except by Close); otherwise Cancel on it
// from another goroutine ends the call promptly with StatusCancelled. op and requestJSON must not
// hold a NUL byte.
func (h *Handle) CallEx(op, requestJSON string, cancel Cancel, meta bool) (int, []byte, string) {
	args := newCArgs(op, requestJSON, "")
	defer C.free(args.base)
	outMeta := args.meta
	if !meta {
		outMeta = nil
	}
	status := C.trillet_call_ex(h.ptr, args.str[0], args.str[1], cancel.ptr, args.out, outMeta)
	return int(status), takeBytes(*args.out), take(*args.meta)
}

// RequestEx calls trillet_request_ex (any method and path), like CallEx.
func (h *Handle) RequestEx(method, path, requestJSON string, cancel Cancel, meta bool) (int, []byte, string) {
	args := newCArgs(method, path, requestJSON)
	defer C.free(args.base)
	outMeta := args.meta
	if !meta {
		outMeta = nil
	}
	status := C.trillet_request_ex(h.ptr, args.str[0], args.str[1], args.str[2], cancel.ptr, args.out, outMeta)
	return int(status), takeBytes(*args.out), take(*args.meta)
}

// Operations returns the operations catalog JSON ("" if the library hit an internal error).
func Operations() string {
	return take(C.trillet_operations())
}

// Version returns the library version (a static string: not freed).
func Version() string {
	return C.GoString(C.trillet_version())
}

// bytesArg passes a Go byte slice to C without copying: cgo allows a Go pointer to memory that
// holds no Go pointers for the duration of the call.
func bytesArg(body []byte) (*C.uint8_t, C.size_t) {
	if len(body) == 0 {
		return nil, 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&body[0])), C.size_t(len(body))
}

// WebhookSign calls trillet_webhook_sign; ok is false when the library refused (empty secret).
// secret must not hold a NUL byte.
func WebhookSign(secret string, body []byte) (signature string, ok bool) {
	csecret := cString(secret)
	defer C.free(unsafe.Pointer(csecret))
	ptr, n := bytesArg(body)
	sig := C.trillet_webhook_sign(csecret, ptr, n)
	if sig == nil {
		return "", false
	}
	return take(sig), true
}

// WebhookVerify calls trillet_webhook_verify and returns its status. secret and signature must
// not hold a NUL byte.
func WebhookVerify(secret string, body []byte, signature string) int {
	csecret := cString(secret)
	defer C.free(unsafe.Pointer(csecret))
	csig := cString(signature)
	defer C.free(unsafe.Pointer(csig))
	ptr, n := bytesArg(body)
	return int(C.trillet_webhook_verify(csecret, ptr, n, csig))
}

// WebhookCheck calls trillet_webhook_construct_event (construct) or
// trillet_webhook_verify_headers and returns the status and the event (or verification) JSON or
// the error JSON, from one cgo call. secretsJSON and headersJSON must not hold a NUL byte;
// toleranceSecs < 0 means the library's default.
func WebhookCheck(construct bool, secretsJSON, headersJSON string, body []byte, toleranceSecs int64) (int, string) {
	csecrets := cString(secretsJSON)
	defer C.free(unsafe.Pointer(csecrets))
	cheaders := cString(headersJSON)
	defer C.free(unsafe.Pointer(cheaders))
	ptr, n := bytesArg(body)
	var out *C.char
	var status C.int
	if construct {
		status = C.trillet_webhook_construct_event(csecrets, cheaders, ptr, n, C.int64_t(toleranceSecs), &out)
	} else {
		status = C.trillet_webhook_verify_headers(csecrets, cheaders, ptr, n, C.int64_t(toleranceSecs), &out)
	}
	return int(status), take(out)
}

// WebhookSignHeaders calls trillet_webhook_sign_headers: the status and the headers JSON or the
// error JSON. id "" asks for a fresh message id, timestamp < 0 for now. No argument may hold a
// NUL byte.
func WebhookSignHeaders(secret, scheme, id string, timestamp int64, body []byte) (int, string) {
	csecret := cString(secret)
	defer C.free(unsafe.Pointer(csecret))
	cscheme := cString(scheme)
	defer C.free(unsafe.Pointer(cscheme))
	var cid *C.char
	if id != "" {
		cid = cString(id)
		defer C.free(unsafe.Pointer(cid))
	}
	ptr, n := bytesArg(body)
	var out *C.char
	status := C.trillet_webhook_sign_headers(csecret, cscheme, cid, C.int64_t(timestamp), ptr, n, &out)
	return int(status), take(out)
}
