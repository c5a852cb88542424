// Package trillet is the Go client for the Trillet AI Platform API: a cgo binding over the C ABI
// of the trillet Rust library (include/trillet.h), which does all the work (HTTP, retries,
// timeouts, errors, multipart, webhooks). The Go side never parses HTTP.
//
//	client, err := trillet.NewClient(trillet.Config{}) // TRILLET_API_KEY, TRILLET_WORKSPACE_ID, ...
//	if err != nil { ... }
//	defer client.Close()
//	agent, err := client.Agents.Create(ctx, trillet.CreateAgent{Name: "Support", ...}) // or a map
//	got, err := client.Agents.Get(ctx, agentID) // *trillet.Agent: got.ID, got.Name, ...
//	list, err := client.Call(ctx, "agents.list", trillet.Request{Query: map[string]any{"page": 2}})
//	if trillet.IsNotFound(err) { ... }
//
// The typed methods return the models of models_gen.go (generated from the models of bindings/operations.json):
// structs whose Extra keeps the fields they do not name, [Ref] for an id-or-object reference,
// [List] for a list. [Client.Call] and [Client.Do] return the API's JSON, byte for byte
// (json.RawMessage; see [Decode]). Failures are
// *[Error] values carrying the shared error JSON's fields, and match the sentinels
// ([ErrNotFound], [ErrRateLimited], [ErrTimeout], ...) with errors.Is.
//
// The typed namespaces (client.Agents, client.CallHistory, ...) are generated from the library's
// operation table into operations_gen.go; a test fails when that file drifts from the table.
//
// # Cancellation
//
// Every call takes a context. Its deadline becomes the request's deadline. When it is cancelled,
// or its deadline passes, while the call runs, the library stops the request wherever it waits
// (a rate-limit slot, connecting, sending, the answer, the backoff between retries), closes its
// connection (the server sees it closed) and the call returns once the library is done with
// it: no request runs on, nothing is retried, no goroutine or thread is left behind. A cancel
// that comes as the call completes leaves the call's own result.
//
// The error says whether the API can have acted on the request, which matters for a POST
// ("did my phone call go out?"):
//
//	_, err := client.Calls.Initiate(ctx, body)
//	var e *trillet.Error
//	switch {
//	case errors.As(err, &e) && e.Kind == trillet.KindCancelled && e.Code == trillet.CodeNotSent:
//		// nothing reached the API: no call was placed; safe to send again
//	case errors.As(err, &e) && e.Kind == trillet.KindCancelled: // trillet.CodeMaybeSent
//		// the request (or part of it) went out: the API may have placed the call; look before
//		// sending it again
//	}
//
// A cancelled context gives a KindCancelled [Error] that matches context.Canceled and
// [ErrCancelled]; a passed deadline a KindTimeout one that matches context.DeadlineExceeded and
// [ErrTimeout]. A context already done when the call starts gives the same errors with nothing
// sent. [Client.Close] ends the calls in flight the same way (KindCancelled errors matching
// [ErrClosed]). The same holds for [Client.Call], [Client.Do] and every typed method.
// A context.Background call (a nil Done channel) costs nothing extra.
//
// # Linking
//
// The package links the installed C library through pkg-config (`#cgo pkg-config: --static
// trillet`); the header comes from the same install, so the module builds when fetched alone:
//
//	make -C bindings/c install PROFILE=release PREFIX="$PREFIX"   # in a checkout of the repository
//	export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
//	go build ./...
//	LD_LIBRARY_PATH="$PREFIX/lib" ./app                          # unless $PREFIX/lib is a system library directory
//
// Inside the repository, bindings/go/run-tests.sh generates trillet.pc files pointing at target/
// (static library by default, the shared one for a smoke test) and sets PKG_CONFIG_PATH.
package trillet

//go:generate go run ./internal/gen -o operations_gen.go
