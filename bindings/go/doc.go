// Package trillet is the Go client for the Trillet AI Platform API: a cgo binding over the C ABI
// of the trillet Rust library (include/trillet.h), which does all the work (HTTP, retries,
// timeouts, errors, multipart, webhooks). The Go side never parses HTTP.
//
//	client, err := trillet.NewClient(trillet.Config{}) // TRILLET_API_KEY, TRILLET_WORKSPACE_ID, ...
//	if err != nil { ... }
//	defer client.Close()
//	agent, err := client.Agents.Create(ctx, map[string]any{"name": "Support"})
//	got, err := client.Agents.Get(ctx, agentID)
//	list, err := client.Call(ctx, "agents.list", trillet.Request{Query: map[string]any{"page": 2}})
//	if trillet.IsNotFound(err) { ... }
//
// Results are the API's JSON, byte for byte (json.RawMessage; see [Decode]). Failures are
// *[Error] values carrying the shared error JSON's fields, and match the sentinels
// ([ErrNotFound], [ErrRateLimited], [ErrTimeout], ...) with errors.Is.
//
// The typed namespaces (client.Agents, client.CallHistory, ...) are generated from the library's
// operation table into operations_gen.go; a test fails when that file drifts from the table.
//
// # Linking
//
// The Rust library is built first: `cargo build --release` at the repository root makes
// target/release/libtrillet.a, which this package links statically by default (on Linux with
// -lm -ldl -lpthread -lrt -lutil). To link another build, put its directory first with
// CGO_LDFLAGS=-L<dir> (a debug build, or a CARGO_TARGET_DIR elsewhere). Build with
// -tags trillet_shared to link libtrillet.so instead (an rpath to target/release is set).
package trillet

//go:generate go run ./internal/gen -o operations_gen.go
