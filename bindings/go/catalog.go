package trillet

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/trillet-ai/trillet/bindings/go/internal/capi"
)

// Operation is one row of the operation table (the catalog every binding is built from).
type Operation struct {
	// ID is "<resource>.<action>", like "agents.get".
	ID string `json:"id"`
	// Resource is the resource, like "agents".
	Resource string `json:"resource"`
	// Action is the action, like "get".
	Action string `json:"action"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the path template, like "/v1/api/agents/{agentId}".
	Path string `json:"path"`
	// PathParams are the template's parameters, in order.
	PathParams []string `json:"path_params"`
	// QueryParams are the query parameters the API documents.
	QueryParams []string `json:"query_params"`
	// Body is "none", "json" or "multipart".
	Body string `json:"body"`
	// Response is "json" or "text".
	Response string `json:"response"`
	// WorkspaceHeader says whether x-workspace-id is sent (where it is optional: when a
	// workspace id is configured).
	WorkspaceHeader bool `json:"workspace_header"`
	// WorkspaceRequired says whether x-workspace-id must be sent: false where it is optional
	// (workspaces.pending_invitations, calls.web_connect) or never sent.
	WorkspaceRequired bool `json:"workspace_required"`
	// Idempotent says whether a failed attempt may be retried after a server error.
	Idempotent bool `json:"idempotent"`
	// Summary is a one-line description.
	Summary string `json:"summary"`
}

// catalog is the parsed operations catalog.
type catalog struct {
	Version    string      `json:"version"`
	Operations []Operation `json:"operations"`
}

// CatalogJSON returns the operations catalog exactly as the library renders it
// (trillet_operations()): {"version":"0.1.0","operations":[...],"settings":[...]}.
func CatalogJSON() (string, error) {
	text := capi.Operations()
	if text == "" {
		return "", &Error{Kind: KindPanic, Code: "panic", Message: "trillet_operations returned NULL"}
	}
	return text, nil
}

var loadCatalog = sync.OnceValues(func() (catalog, error) {
	text, err := CatalogJSON()
	if err != nil {
		return catalog{}, err
	}
	var c catalog
	if err := json.Unmarshal([]byte(text), &c); err != nil {
		return catalog{}, &Error{Kind: KindDecode, Code: "invalid_catalog", Message: fmt.Sprintf("catalog: %v", err)}
	}
	return c, nil
})

// Operations returns every operation the library knows, in table order. The slice is a copy:
// callers may change it.
func Operations() ([]Operation, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	out := make([]Operation, len(c.Operations))
	for i, op := range c.Operations {
		op.PathParams = append([]string(nil), op.PathParams...)
		op.QueryParams = append([]string(nil), op.QueryParams...)
		out[i] = op
	}
	return out, nil
}

// Version returns the version of the linked trillet library (like "0.1.0").
func Version() string {
	return capi.Version()
}

// HeaderVersion is the library version the C header this package was compiled against was
// generated for. It equals Version() unless the header and the linked library disagree.
const HeaderVersion = capi.HeaderVersion
