// Package codegen renders operations_gen.go, the typed namespaces of package trillet, from the
// operations catalog JSON (what trillet_operations() returns). It is pure Go, so the generator
// and the drift test share it.
package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"go/token"
	"strings"
)

// Operation is the part of a catalog row the generator needs.
type Operation struct {
	ID          string   `json:"id"`
	Resource    string   `json:"resource"`
	Action      string   `json:"action"`
	Method      string   `json:"method"`
	Path        string   `json:"path"`
	PathParams  []string `json:"path_params"`
	QueryParams []string `json:"query_params"`
	Body        string   `json:"body"`
	Response    string   `json:"response"`
	Summary     string   `json:"summary"`
	// RequestModel names the body's model (bindings/operations.json only; null without a body).
	RequestModel *string `json:"request_model"`
}

// Catalog is the operations catalog.
type Catalog struct {
	Version    string      `json:"version"`
	Operations []Operation `json:"operations"`
}

// initialisms are written in capitals in Go names.
var initialisms = map[string]string{
	"id": "ID", "ids": "IDs", "csv": "CSV", "url": "URL", "urls": "URLs", "api": "API", "sms": "SMS", "http": "HTTP",
	"ca": "CA", "llm": "LLM", "ai": "AI", "tts": "TTS", "stt": "STT", "sdk": "SDK", "sip": "SIP", "uri": "URI",
	"json": "JSON", "ip": "IP",
}

// reserved are the generated methods' own parameter names; a path parameter must not clash.
var reserved = map[string]bool{"ctx": true, "body": true, "file": true, "fields": true, "opts": true, "s": true}

// words splits snake_case and camelCase into lower-case words.
func words(name string) []string {
	var out []string
	for _, part := range strings.Split(name, "_") {
		start := 0
		for i := 1; i < len(part); i++ {
			if part[i] >= 'A' && part[i] <= 'Z' && !(part[i-1] >= 'A' && part[i-1] <= 'Z') {
				out = append(out, strings.ToLower(part[start:i]))
				start = i
			}
		}
		if start < len(part) {
			out = append(out, strings.ToLower(part[start:]))
		}
	}
	return out
}

func capitalize(w string) string {
	if up, ok := initialisms[w]; ok {
		return up
	}
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// Exported turns "end_call" into "EndCall" and "export_csv" into "ExportCSV".
func Exported(name string) string {
	var b strings.Builder
	for _, w := range words(name) {
		b.WriteString(capitalize(w))
	}
	return b.String()
}

// Param turns a path parameter ("agentId") into a Go parameter name ("agentID").
func Param(name string) string {
	ws := words(name)
	if len(ws) == 0 {
		return "param"
	}
	var b strings.Builder
	b.WriteString(ws[0])
	for _, w := range ws[1:] {
		b.WriteString(capitalize(w))
	}
	p := b.String()
	if token.IsKeyword(p) || reserved[p] || !token.IsIdentifier(p) {
		p += "Param"
	}
	return p
}

// Parse reads the catalog JSON.
func Parse(catalogJSON []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		return nil, fmt.Errorf("codegen: the catalog is not valid: %w", err)
	}
	if len(c.Operations) == 0 {
		return nil, fmt.Errorf("codegen: the catalog has no operations")
	}
	return &c, nil
}

// resource is one namespace: its operations in table order.
type resource struct {
	name string
	ops  []Operation
}

func group(ops []Operation) []resource {
	var out []resource
	index := map[string]int{}
	for _, op := range ops {
		i, ok := index[op.Resource]
		if !ok {
			i = len(out)
			index[op.Resource] = i
			out = append(out, resource{name: op.Resource})
		}
		out[i].ops = append(out[i].ops, op)
	}
	return out
}

// Generate renders operations_gen.go from the catalog JSON and the OpenAPI document (which
// gives each JSON operation its result type, see ResponseTypes, and each body its request struct;
// the binding passes DocumentFromCatalog of the same catalog; nil openapiJSON makes every
// JSON result json.RawMessage).
func Generate(catalogJSON, openapiJSON []byte) ([]byte, error) {
	c, err := Parse(catalogJSON)
	if err != nil {
		return nil, err
	}
	results := map[string]string{}
	requests := map[string]string{}
	if openapiJSON != nil {
		if results, err = ResponseTypes(openapiJSON); err != nil {
			return nil, err
		}
		if requests, err = requestTypes(c, openapiJSON); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	resources := group(c.Operations)
	p("// Services are the typed namespaces of a [Client], one per resource of the operation table:\n")
	p("// client.Agents.Create(ctx, body), client.Agents.Get(ctx, agentID), ...\n")
	p("type Services struct {\n")
	for _, r := range resources {
		p("\t// %s calls the %s operations.\n", Exported(r.name), r.name)
		p("\t%s %sService\n", Exported(r.name), Exported(r.name))
	}
	p("}\n\n")
	p("func newServices(c *Client) Services {\n\treturn Services{\n")
	for _, r := range resources {
		p("\t\t%s: %sService{c: c},\n", Exported(r.name), Exported(r.name))
	}
	p("\t}\n}\n\n")

	for _, r := range resources {
		actions := make([]string, len(r.ops))
		for i, op := range r.ops {
			actions[i] = op.Action
		}
		svc := Exported(r.name) + "Service"
		p("// %s calls the %s operations (%s).\n", svc, r.name, strings.Join(actions, ", "))
		p("type %s struct{ c *Client }\n\n", svc)
		for _, op := range r.ops {
			if err := method(&b, svc, op, requests[op.ID], results[op.ID]); err != nil {
				return nil, err
			}
		}
	}
	var head bytes.Buffer
	head.WriteString("// Code generated by \"go run ./internal/gen\" from the trillet operations catalog. DO NOT EDIT.\n\n")
	head.WriteString("package trillet\n\nimport (\n\t\"context\"\n")
	if bytes.Contains(b.Bytes(), []byte("(json.RawMessage, error)")) {
		head.WriteString("\t\"encoding/json\"\n")
	}
	if bytes.Contains(b.Bytes(), []byte("iter.Seq2[")) {
		head.WriteString("\t\"iter\"\n")
	}
	head.WriteString(")\n\n")
	head.Write(b.Bytes())
	src, err := format.Source(head.Bytes())
	if err != nil {
		return nil, fmt.Errorf("codegen: the generated code does not format: %w", err)
	}
	return src, nil
}

// requestTypes maps each operation whose body names a model the document renders as a struct
// to that struct's Go name.
func requestTypes(c *Catalog, openapiJSON []byte) (map[string]string, error) {
	d, err := parseOpenAPI(openapiJSON)
	if err != nil {
		return nil, err
	}
	m := &models{schemas: d.Components.Schemas}
	out := map[string]string{}
	for _, op := range c.Operations {
		if op.RequestModel == nil {
			continue
		}
		s, ok := d.Components.Schemas[*op.RequestModel]
		if !ok {
			return nil, fmt.Errorf("codegen: %s sends an unknown model %s", op.ID, *op.RequestModel)
		}
		if kind(s) == kindStruct {
			out[op.ID] = m.TypeName(*op.RequestModel)
		}
	}
	return out, nil
}

func method(b *bytes.Buffer, svc string, op Operation, request, result string) error {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	name := Exported(op.Action)
	if name == "" {
		return fmt.Errorf("codegen: operation %q has no action", op.ID)
	}
	summary := strings.TrimSpace(op.Summary)
	if summary != "" && !strings.HasSuffix(summary, ".") {
		summary += "."
	}
	p("// %s calls %s (%s %s). %s\n", name, op.ID, op.Method, op.Path, summary)

	params := []string{"ctx context.Context"}
	var pathEntries []string
	seen := map[string]bool{}
	for _, pp := range op.PathParams {
		arg := Param(pp)
		if seen[arg] {
			return fmt.Errorf("codegen: operation %q: path parameters clash as %q", op.ID, arg)
		}
		seen[arg] = true
		params = append(params, arg+" string")
		pathEntries = append(pathEntries, fmt.Sprintf("%q: %s", pp, arg))
	}
	body, files := "nil", "nil"
	switch op.Body {
	case "none":
	case "json":
		body = "body"
		if request != "" {
			params = append(params, "body "+request)
			p("//\n// body is the JSON request body (fields it does not name go in its Extra).\n")
		} else {
			params = append(params, "body any")
			p("//\n// body is the JSON request body (any value encoding/json accepts, or json.RawMessage).\n")
		}
	case "multipart":
		body, files = "fields", "[]File{file}"
		if request != "" {
			params = append(params, "file File", "fields "+request)
			p("//\n// It is a multipart upload: file is the file, fields the other form fields.\n")
		} else {
			params = append(params, "file File", "fields any")
			p("//\n// It is a multipart upload: file is the file, fields the other form fields (an object, or nil).\n")
		}
	default:
		return fmt.Errorf("codegen: operation %q has an unknown body kind %q", op.ID, op.Body)
	}
	if len(op.QueryParams) > 0 {
		p("//\n// Query parameters (opts.Query): %s.\n", strings.Join(op.QueryParams, ", "))
	}
	params = append(params, "opts ...Options")
	path := "nil"
	if len(pathEntries) > 0 {
		path = "map[string]string{" + strings.Join(pathEntries, ", ") + "}"
	}
	call := fmt.Sprintf("s.c.op(ctx, %q, %s, %s, %s, opts)", op.ID, path, body, files)
	switch op.Response {
	case "json":
		if result == "" {
			p("func (s %s) %s(%s) (json.RawMessage, error) {\n\treturn %s\n}\n\n", svc, name, strings.Join(params, ", "), call)
			break
		}
		if item, ok := listItem(result); ok {
			p("//\n// It returns the answer's items, whatever envelope the API used (a bare array, {\"data\": [...]}, ...);\n")
			p("// pass Options{Page: &info} to read what the answer said about paging.\n")
			p("func (s %s) %s(%s) ([]%s, error) {\n\tbody, err := %s\n\treturn listItems[%s](body, err, opts)\n}\n\n", svc, name, strings.Join(params, ", "), item, call, item)
			if all, ok := listAllName(op); ok {
				listAllMethod(b, svc, all, op, params, path, item)
			}
			break
		}
		p("//\n// The answer is decoded into a %s (fields it does not name are kept in its Extra).\n", result)
		p("func (s %s) %s(%s) (*%s, error) {\n\treturn decodeAs[%s](%s)\n}\n\n", svc, name, strings.Join(params, ", "), result, result, call)
	case "text":
		p("//\n// The API answers with text (not JSON): it is returned as a string.\n")
		p("func (s %s) %s(%s) (string, error) {\n\treturn text(%s)\n}\n\n", svc, name, strings.Join(params, ", "), call)
	case "binary":
		p("//\n// The API answers with bytes (audio): they come back decoded in a Binary.\n")
		p("func (s %s) %s(%s) (*Binary, error) {\n\treturn binary(%s)\n}\n\n", svc, name, strings.Join(params, ", "), call)
	default:
		return fmt.Errorf("codegen: operation %q has an unknown response kind %q", op.ID, op.Response)
	}
	return nil
}

// listItem is T of a "List[T]" result type.
func listItem(result string) (string, bool) {
	item, ok := strings.CutPrefix(result, "List[")
	if !ok || !strings.HasSuffix(item, "]") {
		return "", false
	}
	return strings.TrimSuffix(item, "]"), true
}

// listAllName is the pager of a paged list (page and limit query parameters): list -> ListAll,
// list_calls -> ListAllCalls.
func listAllName(op Operation) (string, bool) {
	q := map[string]bool{}
	for _, p := range op.QueryParams {
		q[p] = true
	}
	if !q["page"] || !q["limit"] {
		return "", false
	}
	if op.Action == "list" {
		return "ListAll", true
	}
	if rest, ok := strings.CutPrefix(op.Action, "list_"); ok {
		return "ListAll" + Exported(rest), true
	}
	return "", false
}

// listAllMethod writes the iterator over every item of a paged list.
func listAllMethod(b *bytes.Buffer, svc, name string, op Operation, params []string, path, item string) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("// %s iterates every item of %s, fetching one page of limit items at a time as the loop\n", name, op.ID)
	p("// reaches it (opts.Query's other parameters are sent with every page):\n//\n")
	p("//\tfor item, err := range s.%s(ctx, 100) {\n//\t\tif err != nil {\n//\t\t\treturn err\n//\t\t}\n//\t\t...\n//\t}\n//\n", name)
	p("// It stops after a page whose hasNext is false, a page shorter than limit that does not say\n")
	p("// hasNext, an empty page, or an error (yielded once). A limit below 1 yields an invalid_input error.\n")
	sig := append(append([]string{}, params[:len(params)-1]...), "limit int", "opts ...Options")
	p("func (s %s) %s(%s) iter.Seq2[%s, error] {\n\treturn listAll[%s](ctx, s.c, %q, %s, limit, opts)\n}\n\n", svc, name, strings.Join(sig, ", "), item, item, op.ID, path)
}
