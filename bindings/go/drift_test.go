package trillet_test

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	trillet "github.com/trillet-ai/trillet/bindings/go"
	"github.com/trillet-ai/trillet/bindings/go/internal/codegen"
)

// committedCatalog reads bindings/operations.json, the file the generator reads (skips the test
// when the module was fetched without the rest of the repository).
func committedCatalog(t *testing.T) []byte {
	t.Helper()
	catalog, err := os.ReadFile("../operations.json")
	if os.IsNotExist(err) {
		t.Skip("../operations.json is not here (module fetched alone)")
	}
	if err != nil {
		t.Fatal(err)
	}
	return catalog
}

// committedModels is the catalog's models in the document shape the generators read.
func committedModels(t *testing.T) []byte {
	t.Helper()
	doc, err := codegen.DocumentFromCatalog(committedCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// operations_gen.go must be exactly what the generator makes from bindings/operations.json
// (its operations and models): run `go generate` in bindings/go after it changes.
func TestGeneratedNamespacesMatchTheCommittedCatalog(t *testing.T) {
	want, err := codegen.Generate(committedCatalog(t), committedModels(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("operations_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("operations_gen.go is out of date with bindings/operations.json: run `go generate` in bindings/go")
	}
}

// models_gen.go must be exactly what the generator makes from bindings/operations.json's models.
func TestGeneratedModelsMatchTheCommittedDocument(t *testing.T) {
	want, err := codegen.GenerateModels(committedModels(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("models_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("models_gen.go is out of date with bindings/operations.json: run `go generate` in bindings/go")
	}
}

// bindings/operations.json must be the linked library's catalog (trillet_operations()), plus
// the models (the top-level "models" and each operation's request_model, response_model and
// response_nullable, which only the committed file carries).
func TestCommittedCatalogIsTheLibraryCatalog(t *testing.T) {
	var file map[string]any
	var library any
	if err := json.Unmarshal(committedCatalog(t), &file); err != nil {
		t.Fatal(err)
	}
	if _, ok := file["models"]; !ok {
		t.Fatal("bindings/operations.json has no models")
	}
	delete(file, "models")
	for _, op := range file["operations"].([]any) {
		for _, key := range []string{"request_model", "response_model", "response_nullable"} {
			if _, ok := op.(map[string]any)[key]; !ok {
				t.Fatalf("%v has no %s", op.(map[string]any)["id"], key)
			}
			delete(op.(map[string]any), key)
		}
	}
	text, err := trillet.CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(text), &library); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(any(file), library) {
		t.Fatal("bindings/operations.json differs from trillet_operations(): run scripts/check-contract --write")
	}
}

// config_gen.go must be exactly what the generator makes from the catalog's settings.
func TestGeneratedConfigMatchesTheLibrarySettings(t *testing.T) {
	catalog, err := trillet.CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	want, err := codegen.GenerateConfig([]byte(catalog))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("config_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("config_gen.go is out of date with the library's settings table: run `go generate` in bindings/go")
	}
}

// Every setting of the catalog is a Config field, and each set field reaches the config JSON
// under its key.
func TestEverySettingIsAConfigField(t *testing.T) {
	catalog, err := trillet.CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Settings []codegen.Setting `json:"settings"`
	}
	if err := json.Unmarshal([]byte(catalog), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Settings) < 12 {
		t.Fatalf("%d settings", len(c.Settings))
	}
	cfg := reflect.TypeOf(trillet.Config{})
	if cfg.NumField() != len(c.Settings) {
		t.Errorf("Config has %d fields, the catalog %d settings", cfg.NumField(), len(c.Settings))
	}
	for i, s := range c.Settings {
		if f := cfg.Field(i); f.Name != codegen.FieldName(s) {
			t.Errorf("field %d is %s, want %s (%s)", i, f.Name, codegen.FieldName(s), s.Key)
		}
	}
}

// Every operation of the catalog is a method of its namespace, taking the context, one string
// per path parameter, the body (JSON) or file and fields (multipart), then options.
func TestEveryOperationHasATypedMethod(t *testing.T) {
	ops, err := trillet.Operations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) != 78 {
		t.Errorf("%d operations, want 78", len(ops))
	}
	// The request model each operation names (the committed catalog carries them).
	var file struct {
		Operations []struct {
			ID            string  `json:"id"`
			RequestModel  *string `json:"request_model"`
			ResponseModel *string `json:"response_model"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(committedCatalog(t), &file); err != nil {
		t.Fatal(err)
	}
	requestModel, responseModel := map[string]string{}, map[string]string{}
	for _, op := range file.Operations {
		if op.RequestModel != nil {
			requestModel[op.ID] = *op.RequestModel
		}
		if op.ResponseModel != nil {
			responseModel[op.ID] = *op.ResponseModel
		}
	}
	services := reflect.ValueOf(trillet.Services{})
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	anyType := reflect.TypeOf((*any)(nil)).Elem()
	for _, op := range ops {
		svc := services.FieldByName(codegen.Exported(op.Resource))
		if !svc.IsValid() {
			t.Errorf("%s: no namespace %s", op.ID, codegen.Exported(op.Resource))
			continue
		}
		m, ok := svc.Type().MethodByName(codegen.Exported(op.Action))
		if !ok {
			t.Errorf("%s: no method %s.%s", op.ID, svc.Type().Name(), codegen.Exported(op.Action))
			continue
		}
		in := []reflect.Type{svc.Type(), ctxType}
		for range op.PathParams {
			in = append(in, reflect.TypeOf(""))
		}
		// The body is the request struct the catalog names (any only where it names none).
		body := anyType
		if model, ok := requestModel[op.ID]; ok {
			i := len(in)
			if op.Body == "multipart" {
				i++
			}
			if i < m.Type.NumIn() {
				if got := m.Type.In(i); got.Kind() == reflect.Struct && got.Name() == codegen.Exported(model) {
					body = got
				} else {
					t.Errorf("%s: the body is %v, want the struct %s", op.ID, got, codegen.Exported(model))
				}
			}
		}
		switch op.Body {
		case "json":
			in = append(in, body)
		case "multipart":
			in = append(in, reflect.TypeOf(trillet.File{}), body)
		}
		in = append(in, reflect.TypeOf([]trillet.Options{}))
		if m.Type.NumIn() != len(in) {
			t.Errorf("%s: %d parameters, want %d", op.ID, m.Type.NumIn(), len(in))
			continue
		}
		for i, typ := range in {
			if m.Type.In(i) != typ {
				t.Errorf("%s: parameter %d is %v, want %v", op.ID, i, m.Type.In(i), typ)
			}
		}
		// The result: a model for JSON (a pointer to a generated struct, never json.RawMessage:
		// every JSON operation has a schema; a list answer is a slice of its item model, whatever
		// the envelope), string for text, *Binary for bytes; then error.
		out := m.Type.Out(0)
		item, isList := strings.CutPrefix(responseModel[op.ID], "List_")
		switch {
		case op.Response == "json" && isList:
			if out.Kind() != reflect.Slice || out.Elem().Kind() != reflect.Struct || out.Elem().Name() != codegen.Exported(item) {
				t.Errorf("%s: returns %v, want []%s", op.ID, out, codegen.Exported(item))
			}
			// A paged list (page and limit) has its pager: ListAll (list_calls: ListAllCalls).
			if slices.Contains(op.QueryParams, "page") && slices.Contains(op.QueryParams, "limit") {
				name := "ListAll" + codegen.Exported(strings.TrimPrefix(strings.TrimPrefix(op.Action, "list"), "_"))
				all, ok := svc.Type().MethodByName(name)
				// iter.Seq2[T, error] is func(yield func(T, error) bool).
				yield := reflect.FuncOf([]reflect.Type{out.Elem(), reflect.TypeOf((*error)(nil)).Elem()}, []reflect.Type{reflect.TypeOf(true)}, false)
				if !ok || all.Type.NumOut() != 1 || !strings.HasPrefix(all.Type.Out(0).Name(), "Seq2[") ||
					all.Type.Out(0).Kind() != reflect.Func || all.Type.Out(0).NumIn() != 1 || all.Type.Out(0).In(0) != yield {
					t.Errorf("%s: no pager %s returning iter.Seq2[%v, error]", op.ID, name, out.Elem())
				}
			}
		case op.Response == "json":
			if out.Kind() != reflect.Pointer || out.Elem().Kind() != reflect.Struct || out.Elem().PkgPath() != reflect.TypeOf(trillet.Agent{}).PkgPath() {
				t.Errorf("%s: returns %v, want a pointer to a model", op.ID, out)
			}
		case op.Response == "text":
			if out != reflect.TypeOf("") {
				t.Errorf("%s: returns %v, want string", op.ID, out)
			}
		case op.Response == "binary":
			if out != reflect.TypeOf(&trillet.Binary{}) {
				t.Errorf("%s: returns %v, want *Binary", op.ID, out)
			}
		}
		if m.Type.NumOut() != 2 || m.Type.Out(1) != reflect.TypeOf((*error)(nil)).Elem() {
			t.Errorf("%s: the last result must be error", op.ID)
		}
	}
}

func TestOperationsCatalog(t *testing.T) {
	ops, err := trillet.Operations()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]trillet.Operation{}
	resources := map[string]bool{}
	for _, op := range ops {
		byID[op.ID] = op
		resources[op.Resource] = true
		if op.ID != op.Resource+"."+op.Action {
			t.Errorf("id %q is not resource.action", op.ID)
		}
	}
	if len(resources) != 15 {
		t.Errorf("%d resources, want 15", len(resources))
	}
	get := byID["agents.get"]
	if get.Method != "GET" || get.Path != "/v1/api/agents/{agentId}" || !reflect.DeepEqual(get.PathParams, []string{"agentId"}) ||
		get.Body != "none" || get.Response != "json" || !get.WorkspaceHeader || !get.Idempotent || get.Summary == "" {
		t.Errorf("agents.get: %+v", get)
	}
	if byID["calls.initiate"].Idempotent {
		t.Error("calls.initiate must not be idempotent")
	}
	// The slice is a copy.
	ops[0].PathParams = append(ops[0].PathParams, "x")
	ops[0].ID = "changed"
	again, _ := trillet.Operations()
	if again[0].ID == "changed" || len(again[0].PathParams) != len(byID[again[0].ID].PathParams) {
		t.Error("Operations hands out shared state")
	}
}

func TestVersion(t *testing.T) {
	if v := trillet.Version(); v == "" || v != trillet.HeaderVersion {
		t.Errorf("library %q, header %q", v, trillet.HeaderVersion)
	}
	catalog, _ := trillet.CatalogJSON()
	c, _ := codegen.Parse([]byte(catalog))
	if c.Version != trillet.Version() {
		t.Errorf("catalog version %q, library %q", c.Version, trillet.Version())
	}
}
