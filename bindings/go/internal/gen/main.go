// Command gen writes operations_gen.go (the typed namespaces of package trillet),
// config_gen.go (the Config struct, from the catalog's settings) and models_gen.go (the request
// and response structs, from the catalog's models) from the committed operations catalog,
// bindings/operations.json (`trillet openapi --operations`, checked against the library's
// trillet_operations() for drift). Run it with `go generate` in bindings/go; it needs no Rust
// build and no cgo.
//
//	go run ./internal/gen                       catalog from ../operations.json
//	go run ./internal/gen -catalog ops.json     catalog from another file (- for stdin)
//	go run ./internal/gen -o path/to/file.go    write elsewhere (default operations_gen.go)
//	go run ./internal/gen -config file.go       write the Config struct elsewhere (default config_gen.go)
//	go run ./internal/gen -models file.go       write the models elsewhere (default models_gen.go)
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
	configOut := flag.String("config", "config_gen.go", "the file to write the Config struct to (from the catalog's settings)")
	modelsOut := flag.String("models", "models_gen.go", "the file to write the models to (from the catalog's models)")
	flag.Parse()
	if err := run(*catalogPath, *out, *configOut, *modelsOut); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(catalogPath, out, configOut, modelsOut string) error {
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
	openapi, err := codegen.DocumentFromCatalog(catalog)
	if err != nil {
		return err
	}
	src, err := codegen.Generate(catalog, openapi)
	if err != nil {
		return err
	}
	models, err := codegen.GenerateModels(openapi)
	if err != nil {
		return err
	}
	if err := os.WriteFile(modelsOut, models, 0o644); err != nil {
		return err
	}
	config, err := codegen.GenerateConfig(catalog)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, src, 0o644); err != nil {
		return err
	}
	return os.WriteFile(configOut, config, 0o644)
}
