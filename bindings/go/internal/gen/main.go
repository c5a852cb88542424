// Command gen writes operations_gen.go (the typed namespaces of package trillet) from the
// committed operations catalog, bindings/operations.json (`trillet openapi --operations`, checked
// against the library's trillet_operations() for drift). Run it with `go generate` in bindings/go;
// it needs no Rust build and no cgo.
//
//	go run ./internal/gen                       catalog from ../operations.json
//	go run ./internal/gen -catalog ops.json     catalog from another file (- for stdin)
//	go run ./internal/gen -o path/to/file.go    write elsewhere (default operations_gen.go)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trillet-ai/trillet/bindings/go/internal/codegen"
)

func main() {
	catalogPath := flag.String("catalog", "../operations.json", "the catalog JSON file (- for stdin)")
	out := flag.String("o", "operations_gen.go", "the file to write")
	flag.Parse()
	if err := run(*catalogPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(catalogPath, out string) error {
	var catalog []byte
	var err error
	switch catalogPath {
	case "-":
		catalog, err = io.ReadAll(os.Stdin)
	default:
		catalog, err = os.ReadFile(catalogPath)
	}
	if err != nil {
		return err
	}
	src, err := codegen.Generate(catalog)
	if err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
