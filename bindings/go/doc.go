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
// The typed methods return the models of models_gen.go (generated from bindings/openapi.json):
// structs whose Extra keeps the fields they do not name, [Ref] for an id-or-object reference,
// [List] for a list. [Client.Call] and [Client.Do] return the API's JSON, byte for byte
// (json.RawMessage; see [Decode]). Failures are
// *[Error] values carrying the shared error JSON's fields, and match the sentinels
// ([ErrNotFound], [ErrRateLimited], [ErrTimeout], ...) with errors.Is.
//
// The typed namespaces (client.Agents, client.CallHistory, ...) are generated from the library's
// operation table into operations_gen.go; a test fails when that file drifts from the table.
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
