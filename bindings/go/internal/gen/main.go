// Command gen writes operations_gen.go (the typed namespaces of package trillet) from the
// operations catalog. Run it with `go generate` in bindings/go, after building the Rust library
// and with PKG_CONFIG_PATH finding its trillet.pc (run-tests.sh sets both up; see doc.go).
//
//	go run ./internal/gen                       catalog from the linked library (trillet_operations())
//	go run ./internal/gen -catalog ops.json     catalog from a file (`trillet ops --json > ops.json`; - for stdin)
//	go run ./internal/gen -o path/to/file.go    write elsewhere (default operations_gen.go)
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
	"github.com/trillet-ai/trillet/bindings/go/internal/codegen"
)

func main() {
	catalogPath := flag.String("catalog", "", "read the catalog JSON from this file (- for stdin) instead of the library")
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
	case "":
		text := capi.Operations()
		if text == "" {
			return fmt.Errorf("trillet_operations() returned NULL")
		}
		catalog = []byte(text)
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
