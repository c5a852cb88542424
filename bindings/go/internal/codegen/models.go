package codegen

// models.go renders models_gen.go, one Go type per schema of the committed OpenAPI document
// (the catalog's models, through DocumentFromCatalog; or an OpenAPI document's
// components.schemas), and tells the operations generator which type
// each operation answers with. The project's own generator rather than oapi-codegen: the module
// has no dependencies (oapi-codegen's types output needs its runtime package), and the
// document's id-or-object references, envelope-or-array lists and unknown-field keeping need
// code of ours anyway (Ref, List and the per-struct JSON methods, in models.go of package
// trillet).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"sort"
	"strings"
)

// Schema is the part of a JSON Schema (as schemars writes it) the generator reads.
type Schema struct {
	Ref         string             `json:"$ref"`
	Type        json.RawMessage    `json:"type"`
	Description string             `json:"description"`
	Properties  map[string]*Schema `json:"properties"`
	Required    []string           `json:"required"`
	Items       json.RawMessage    `json:"items"`
	AnyOf       []*Schema          `json:"anyOf"`
	OneOf       []*Schema          `json:"oneOf"`
	Const       json.RawMessage    `json:"const"`
	// Aliases are the other spellings the API may send for a property (the document's x-aliases).
	Aliases []string `json:"x-aliases"`
}

// openAPI is the part of the OpenAPI document the generator reads.
type openAPI struct {
	Paths map[string]map[string]struct {
		OperationID string `json:"operationId"`
		Responses   map[string]struct {
			Content map[string]struct {
				Schema *Schema `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]*Schema `json:"schemas"`
	} `json:"components"`
}

// renamed are schema names that would clash with hand-written identifiers of package trillet.
var renamed = map[string]string{"Error": "ErrorBody"}

func parseOpenAPI(doc []byte) (*openAPI, error) {
	var d openAPI
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("codegen: the OpenAPI document is not valid: %w", err)
	}
	if len(d.Components.Schemas) == 0 {
		return nil, fmt.Errorf("codegen: the OpenAPI document has no schemas")
	}
	return &d, nil
}

// types returns the schema's "type" as a list ("string" or ["string", "null"]).
func (s *Schema) types() []string {
	if len(s.Type) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(s.Type, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(s.Type, &many)
	return many
}

// nonNull returns the schema's types without "null", and whether "null" was one of them.
func (s *Schema) nonNull() ([]string, bool) {
	var out []string
	null := false
	for _, t := range s.types() {
		if t == "null" {
			null = true
		} else {
			out = append(out, t)
		}
	}
	return out, null
}

func (s *Schema) items() *Schema {
	if len(s.Items) == 0 || string(s.Items) == "true" {
		return nil
	}
	var it Schema
	if json.Unmarshal(s.Items, &it) != nil {
		return nil
	}
	return &it
}

func refName(ref string) string { return strings.TrimPrefix(ref, "#/components/schemas/") }

// models knows every schema's Go type.
type models struct {
	schemas map[string]*Schema
	out     bytes.Buffer
	nested  []nestedStruct
}

type nestedStruct struct {
	name   string
	schema *Schema
}

// TypeName is the Go type of the named schema: List_X is List[X], the others their own type.
func (m *models) TypeName(name string) string {
	if item, ok := strings.CutPrefix(name, "List_"); ok {
		return "List[" + m.TypeName(item) + "]"
	}
	if r, ok := renamed[name]; ok {
		return r
	}
	return Exported(name)
}

// isRaw tells whether the named schema is an alias of json.RawMessage (nil-able, no pointer).
func (m *models) isRaw(name string) bool {
	if strings.HasPrefix(name, "List_") {
		return false
	}
	s := m.schemas[name]
	return s != nil && kind(s) == kindRaw
}

type schemaKind int

const (
	kindStruct schemaKind = iota
	kindEnum
	kindRef
	kindRaw
)

func kind(s *Schema) schemaKind {
	if len(s.Properties) > 0 {
		return kindStruct
	}
	if len(s.OneOf) > 0 {
		for _, o := range s.OneOf {
			if len(o.Const) == 0 || len(o.types()) != 1 || o.types()[0] != "string" {
				return kindRaw
			}
		}
		return kindEnum
	}
	if idOrObject(s) != "" {
		return kindRef
	}
	return kindRaw
}

// idOrObject returns T when the schema is anyOf [string, $ref T] (an id or the populated object).
func idOrObject(s *Schema) string {
	if len(s.AnyOf) != 2 {
		return ""
	}
	a, b := s.AnyOf[0], s.AnyOf[1]
	if t := a.types(); len(t) == 1 && t[0] == "string" && b.Ref != "" {
		return refName(b.Ref)
	}
	return ""
}

// nullable returns the one non-null alternative of anyOf [X, null], or nil.
func nullable(s *Schema) *Schema {
	if len(s.AnyOf) != 2 {
		return nil
	}
	for i, alt := range s.AnyOf {
		if t := alt.types(); len(t) == 1 && t[0] == "null" && alt.Ref == "" && len(alt.AnyOf) == 0 {
			return s.AnyOf[1-i]
		}
	}
	return nil
}

// goType is the Go type of a property, and whether it is nil-able (pointer, slice, map,
// json.RawMessage): a nil-able field is written only when set; the others always.
func (m *models) goType(owner, field string, s *Schema, required bool) (string, bool) {
	if inner := nullable(s); inner != nil {
		t, nilable := m.goType(owner, field, inner, false)
		if !nilable {
			t = "*" + t
		}
		return t, true
	}
	if s.Ref != "" {
		name := refName(s.Ref)
		t := m.TypeName(name)
		if m.isRaw(name) {
			return t, true
		}
		if required {
			return t, false
		}
		return "*" + t, true
	}
	if ref := idOrObject(s); ref != "" {
		t := "Ref[" + m.TypeName(ref) + "]"
		if required {
			return t, false
		}
		return "*" + t, true
	}
	if len(s.AnyOf) > 0 || len(s.OneOf) > 0 {
		return "json.RawMessage", true
	}
	types, null := s.nonNull()
	if len(types) != 1 {
		return "json.RawMessage", true
	}
	scalar := ""
	switch types[0] {
	case "string":
		scalar = "string"
	case "boolean":
		scalar = "bool"
	case "integer":
		scalar = "int64"
	case "number":
		scalar = "float64"
	case "array":
		it := s.items()
		if it == nil {
			return "[]json.RawMessage", true
		}
		t, _ := m.goType(owner, field, it, true)
		return "[]" + t, true
	case "object":
		if len(s.Properties) > 0 {
			name := owner + Exported(field)
			m.nested = append(m.nested, nestedStruct{name: name, schema: s})
			if required && !null {
				return name, false
			}
			return "*" + name, true
		}
		return "map[string]any", true
	default:
		return "json.RawMessage", true
	}
	if required && !null {
		return scalar, false
	}
	if scalar == "string" {
		// A plain string, written when not empty (an empty string the API sent is kept in
		// Extra, so it is written back); bools and numbers are pointers, so that false and 0
		// can be sent.
		return scalar, false
	}
	return "*" + scalar, true
}

// comment writes a doc comment from a description, each line prefixed.
func comment(b *bytes.Buffer, indent, text string) {
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fmt.Fprintf(b, "%s// %s\n", indent, strings.TrimRight(line, " "))
	}
}

type field struct {
	json, goName, goType string
	aliases              []string // other spellings decoded into the same field
	nilable              bool
	optionalText         bool // a plain string written only when not empty
	doc                  string
}

func (m *models) fields(owner string, s *Schema) ([]field, error) {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	taken := map[string]bool{"Extra": true}
	var out []field
	for _, n := range names {
		p := s.Properties[n]
		goName := Exported(n)
		if goName == "" {
			return nil, fmt.Errorf("codegen: %s.%s has no Go name", owner, n)
		}
		if goName[0] >= '0' && goName[0] <= '9' {
			goName = "N" + goName
		}
		if taken[goName] {
			// Two spellings of one field (`callId` and `call_id`, `_id` and `id`): the one
			// sorted first keeps the name, the other says which spelling it is.
			switch {
			case strings.Contains(strings.TrimLeft(n, "_"), "_"):
				goName += "Snake"
			case !strings.HasPrefix(n, "_"):
				goName += "Plain"
			}
		}
		for taken[goName] {
			goName += "Alt"
		}
		taken[goName] = true
		t, nilable := m.goType(owner, n, p, required[n])
		doc := strings.TrimSpace(p.Description)
		if doc == "" {
			doc = fmt.Sprintf("is the %q field.", n)
		} else {
			doc = "is " + lowerFirst(doc)
		}
		doc = fmt.Sprintf("%s %s (JSON %q", goName, doc, n)
		if required[n] {
			doc += ", required"
		}
		doc += ")"
		optionalText := t == "string" && !required[n]
		if len(p.Aliases) > 0 {
			doc += "; also read from " + quoteAll(p.Aliases)
		}
		out = append(out, field{json: n, aliases: p.Aliases, goName: goName, goType: t, nilable: nilable, optionalText: optionalText, doc: doc})
	}
	return out, nil
}

// lowerFirst puts the first word in lower case, unless it is a name or an initialism ("LiveKit",
// "LLM").
func lowerFirst(t string) string {
	word, _, _ := strings.Cut(t, " ")
	if word == "" || strings.ToLower(word[1:]) != word[1:] {
		return t
	}
	return strings.ToLower(t[:1]) + t[1:]
}

// goDoc turns a description into a Go doc comment that starts with the name and a verb:
// "A call agent." becomes "Agent is a call agent.", "Mode of a web call." becomes
// "CallMode is the mode of a web call.".
func goDoc(name, desc string) string {
	desc = strings.TrimSpace(desc)
	lower := lowerFirst
	switch {
	case desc == "":
		return name + " is a model of the API."
	case strings.HasPrefix(desc, "is ") || strings.HasPrefix(desc, "has "):
		return name + " " + desc
	case strings.HasPrefix(desc, "`"):
		return name + " is " + desc
	case strings.HasPrefix(desc, "What ") || strings.HasPrefix(desc, "Which ") || strings.HasPrefix(desc, "How "):
		return name + " says " + lower(desc)
	}
	for _, article := range []string{"A ", "An ", "The ", "One "} {
		if strings.HasPrefix(desc, article) {
			return name + " is " + lower(desc)
		}
	}
	return name + " is the " + lower(desc)
}

// quoteAll renders spellings as "a", "b".
func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

func (m *models) writeStruct(name string, s *Schema) error {
	fs, err := m.fields(name, s)
	if err != nil {
		return err
	}
	b := &m.out
	desc := strings.TrimSpace(s.Description)
	comment(b, "", goDoc(name, desc))
	fmt.Fprintf(b, "//\n// Fields the type does not name are kept in Extra, and written back by MarshalJSON.\n")
	fmt.Fprintf(b, "type %s struct {\n", name)
	for _, f := range fs {
		comment(b, "\t", f.doc)
		// The tag names the JSON field and says whether it is optional: the encoding reads it.
		tag := f.json
		if f.nilable || f.optionalText {
			tag += ",omitempty"
		}
		if len(f.aliases) > 0 {
			// The other spellings the API sends: decodeModel reads them into this field.
			fmt.Fprintf(b, "\t%s %s `json:%q aliases:%q`\n", f.goName, f.goType, tag, strings.Join(f.aliases, ","))
		} else {
			fmt.Fprintf(b, "\t%s %s `json:%q`\n", f.goName, f.goType, tag)
		}
	}
	fmt.Fprintf(b, "\t// Extra holds the fields this type does not name (and named fields sent as null, or as an empty optional string), as sent.\n")
	fmt.Fprintf(b, "\tExtra map[string]json.RawMessage `json:\"-\"`\n}\n\n")

	// The encoding itself is table-driven from the tags above (decodeModel / encodeModel in
	// models.go): a field is optional when its tag says omitempty, plain optional text when it
	// is also a string.
	fmt.Fprintf(b, "// UnmarshalJSON reads the named fields and keeps the others in Extra.\n")
	fmt.Fprintf(b, "func (m *%s) UnmarshalJSON(data []byte) error { return decodeModel(%q, data, m) }\n\n", name, name)
	fmt.Fprintf(b, "// MarshalJSON writes the set fields and Extra (a named field wins over Extra).\n")
	fmt.Fprintf(b, "func (m %s) MarshalJSON() ([]byte, error) { return encodeModel(m) }\n\n", name)
	return nil
}

func (m *models) writeSchema(name string, s *Schema) error {
	b := &m.out
	typeName := m.TypeName(name)
	switch kind(s) {
	case kindStruct:
		return m.writeStruct(typeName, s)
	case kindEnum:
		desc := strings.TrimSpace(s.Description)
		comment(b, "", goDoc(typeName, desc))
		fmt.Fprintf(b, "type %s string\n\n", typeName)
		fmt.Fprintf(b, "// The values of %s the document names.\nconst (\n", typeName)
		for _, o := range s.OneOf {
			var v string
			_ = json.Unmarshal(o.Const, &v)
			d := strings.TrimSpace(o.Description)
			if d == "" {
				d = fmt.Sprintf("is %q.", v)
			}
			comment(b, "\t", goDoc(typeName+Exported(v), d))
			fmt.Fprintf(b, "\t%s%s %s = %q\n", typeName, Exported(v), typeName, v)
		}
		fmt.Fprintf(b, ")\n\n")
	case kindRef:
		desc := strings.TrimSpace(s.Description)
		comment(b, "", goDoc(typeName, desc))
		fmt.Fprintf(b, "type %s = Ref[%s]\n\n", typeName, m.TypeName(idOrObject(s)))
	default:
		desc := strings.TrimSpace(s.Description)
		if desc == "" {
			desc = "has no single shape in the document."
		}
		comment(b, "", goDoc(typeName, desc))
		fmt.Fprintf(b, "//\n// It has no single shape, so it is the raw JSON.\n")
		fmt.Fprintf(b, "type %s = json.RawMessage\n\n", typeName)
	}
	return nil
}

// GenerateModels renders models_gen.go from the OpenAPI document.
func GenerateModels(openapiJSON []byte) ([]byte, error) {
	d, err := parseOpenAPI(openapiJSON)
	if err != nil {
		return nil, err
	}
	m := &models{schemas: d.Components.Schemas}
	names := make([]string, 0, len(d.Components.Schemas))
	for n := range d.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	var listKeys []string
	for _, n := range names {
		s := d.Components.Schemas[n]
		if strings.HasPrefix(n, "List_") {
			if listKeys == nil {
				listKeys, err = envelopeKeys(n, s)
				if err != nil {
					return nil, err
				}
			}
			continue
		}
		if err := m.writeSchema(n, s); err != nil {
			return nil, err
		}
		for len(m.nested) > 0 {
			next := m.nested[0]
			m.nested = m.nested[1:]
			if err := m.writeStruct(next.name, next.schema); err != nil {
				return nil, err
			}
		}
	}
	var head bytes.Buffer
	head.WriteString("// Code generated by \"go run ./internal/gen\" from the models of bindings/operations.json. DO NOT EDIT.\n\n")
	head.WriteString("package trillet\n\nimport \"encoding/json\"\n\n")
	head.WriteString("// listKeys are the envelope fields a list may carry its items under (List).\n")
	fmt.Fprintf(&head, "var listKeys = %#v\n\n", listKeys)
	head.Write(m.out.Bytes())
	src, err := format.Source(head.Bytes())
	if err != nil {
		return nil, fmt.Errorf("codegen: the generated models do not format: %w", err)
	}
	return src, nil
}

// envelopeKeys reads the array-valued properties of a List_ schema's envelope alternative.
func envelopeKeys(name string, s *Schema) ([]string, error) {
	for _, alt := range s.AnyOf {
		if len(alt.Properties) == 0 {
			continue
		}
		var keys []string
		for k, p := range alt.Properties {
			if t, _ := p.nonNull(); len(t) == 1 && t[0] == "array" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		return keys, nil
	}
	return nil, fmt.Errorf("codegen: %s has no envelope alternative", name)
}

// ResponseTypes maps each operation id to the Go type of its JSON answer (from the 200, else
// 201, application/json schema of the document), for the operations generator. An operation
// missing from the map answers json.RawMessage.
func ResponseTypes(openapiJSON []byte) (map[string]string, error) {
	d, err := parseOpenAPI(openapiJSON)
	if err != nil {
		return nil, err
	}
	m := &models{schemas: d.Components.Schemas}
	out := map[string]string{}
	for _, methods := range d.Paths {
		for _, op := range methods {
			for _, code := range []string{"200", "201"} {
				r, ok := op.Responses[code]
				if !ok {
					continue
				}
				c, ok := r.Content["application/json"]
				if !ok || c.Schema == nil {
					break
				}
				s := c.Schema
				if inner := nullable(s); inner != nil {
					s = inner
				}
				if s.Ref != "" && !m.isRaw(refName(s.Ref)) {
					if _, known := d.Components.Schemas[refName(s.Ref)]; !known {
						return nil, fmt.Errorf("codegen: %s answers an unknown schema %s", op.OperationID, s.Ref)
					}
					out[op.OperationID] = m.TypeName(refName(s.Ref))
				}
				break
			}
		}
	}
	return out, nil
}
