package codegen

// catalog.go reads the models of the committed operations catalog (bindings/operations.json:
// its "models", and each operation's "request_model", "response_model" and
// "response_nullable") into the document shape the model and method generators walk, so the Go
// binding is generated from that one file and never re-derives types from the OpenAPI document.

import (
	"encoding/json"
	"fmt"
)

// catalogModel is one entry of the catalog's "models" (see src/openapi/catalog.rs).
type catalogModel struct {
	Kind        string `json:"kind"`
	Description string `json:"description"`
	Fields      []struct {
		Name        string          `json:"name"`
		Aliases     []string        `json:"aliases"`
		Required    bool            `json:"required"`
		Description string          `json:"description"`
		Schema      json.RawMessage `json:"schema"`
	} `json:"fields"`
	Items        string          `json:"items"`
	EnvelopeKeys []string        `json:"envelope_keys"`
	Pagination   string          `json:"pagination"`
	Schema       json.RawMessage `json:"schema"`
}

// catalogWithModels is the part of the catalog file this reading needs.
type catalogWithModels struct {
	Operations []struct {
		ID               string  `json:"id"`
		ResponseModel    *string `json:"response_model"`
		ResponseNullable bool    `json:"response_nullable"`
	} `json:"operations"`
	Models map[string]catalogModel `json:"models"`
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

// DocumentFromCatalog turns the catalog's models into the document shape (components.schemas,
// and each operation's JSON answer under paths) that GenerateModels, Generate and ResponseTypes
// read.
func DocumentFromCatalog(catalogJSON []byte) ([]byte, error) {
	var c catalogWithModels
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		return nil, fmt.Errorf("codegen: the catalog is not valid: %w", err)
	}
	if len(c.Models) == 0 {
		return nil, fmt.Errorf("codegen: the catalog has no models (bindings/operations.json carries them)")
	}
	schemas := map[string]any{}
	for name, m := range c.Models {
		var s map[string]any
		switch m.Kind {
		case "object":
			props := map[string]any{}
			var required []string
			for _, f := range m.Fields {
				var p map[string]any
				if err := json.Unmarshal(f.Schema, &p); err != nil {
					return nil, fmt.Errorf("codegen: model %s field %s: %w", name, f.Name, err)
				}
				if f.Description != "" {
					p["description"] = f.Description
				}
				if len(f.Aliases) > 0 {
					p["x-aliases"] = f.Aliases
				}
				props[f.Name] = p
				if f.Required {
					required = append(required, f.Name)
				}
			}
			s = map[string]any{"type": "object", "properties": props, "required": required}
		case "list":
			array := map[string]any{"type": "array", "items": ref(m.Items)}
			envelope := map[string]any{}
			for _, k := range m.EnvelopeKeys {
				envelope[k] = array
			}
			if m.Pagination != "" {
				envelope["pagination"] = ref(m.Pagination)
			}
			s = map[string]any{"anyOf": []any{array, map[string]any{"type": "object", "properties": envelope}, ref(m.Items), map[string]any{"type": "null"}}}
		case "schema":
			if err := json.Unmarshal(m.Schema, &s); err != nil {
				return nil, fmt.Errorf("codegen: model %s: %w", name, err)
			}
		default:
			return nil, fmt.Errorf("codegen: model %s has an unknown kind %q", name, m.Kind)
		}
		if m.Description != "" {
			s["description"] = m.Description
		}
		schemas[name] = s
	}
	// One pseudo-path per operation: only its operationId and JSON answer are read.
	paths := map[string]any{}
	for _, op := range c.Operations {
		if op.ResponseModel == nil {
			continue
		}
		var schema any = ref(*op.ResponseModel)
		if op.ResponseNullable {
			schema = map[string]any{"anyOf": []any{schema, map[string]any{"type": "null"}}}
		}
		paths["/"+op.ID] = map[string]any{"get": map[string]any{
			"operationId": op.ID,
			"responses":   map[string]any{"200": map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": schema}}}},
		}}
	}
	return json.Marshal(map[string]any{"paths": paths, "components": map[string]any{"schemas": schemas}})
}
