package trillet

// The hand-written half of the typed models (models_gen.go is the generated half): the
// id-or-object reference, the list that is an array or an envelope, and the JSON encoding every
// generated struct's one-line MarshalJSON/UnmarshalJSON hands to (decodeModel, encodeModel: one
// plan per type, read from its `json` tags). Every generated struct keeps the fields it does not name in
// Extra, so decoding then encoding a model loses nothing the API sent.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Ref is a reference the API sends either as an id string or as the populated object
// (`"agent": "665a..."` or `"agent": {"_id": "665a...", "name": ...}`). Exactly one of ID and
// Object is set after decoding; MarshalJSON writes the object when there is one, else the id.
type Ref[T any] struct {
	// ID is the id, when the API sent a string.
	ID string
	// Object is the populated object, when the API sent one.
	Object *T
}

// UnmarshalJSON reads an id string or an object.
func (r *Ref[T]) UnmarshalJSON(data []byte) error {
	*r = Ref[T]{}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		return json.Unmarshal(data, &r.ID)
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	r.Object = &v
	return nil
}

// MarshalJSON writes the object when there is one, else the id string.
func (r Ref[T]) MarshalJSON() ([]byte, error) {
	if r.Object != nil {
		return json.Marshal(r.Object)
	}
	return json.Marshal(r.ID)
}

type listShape uint8

const (
	listArray    listShape = iota // a bare array (also the zero List)
	listEnvelope                  // {"<key>": [...], "pagination": {...}, ...}
	listSingle                    // one object instead of a list
	listNull                      // null
)

// List is a list answer, whatever shape the API gave it: a bare array, an envelope carrying
// the array under one of several keys (data, items, agents, ...) with optional pagination,
// one object, or null. Items holds the elements in every case. MarshalJSON writes the shape
// that was read, so a decoded list re-encodes to what the API sent.
type List[T any] struct {
	// Items are the elements.
	Items []T
	// Pagination is the envelope's page metadata, when it had some.
	Pagination *Pagination
	// Key is the envelope field that carried the items ("" for a bare array).
	Key string
	// Extra holds the envelope's other fields.
	Extra map[string]json.RawMessage
	shape listShape
}

// UnmarshalJSON reads any of the list shapes.
func (l *List[T]) UnmarshalJSON(data []byte) error {
	*l = List[T]{}
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		l.shape = listNull
		return nil
	case len(data) > 0 && data[0] == '[':
		return json.Unmarshal(data, &l.Items)
	}
	fields, err := decodeObject("List", data)
	if err != nil {
		return err
	}
	for _, key := range listKeys {
		if v, ok := fields[key]; ok && len(v) > 0 && v[0] == '[' {
			if err := json.Unmarshal(v, &l.Items); err != nil {
				return err
			}
			delete(fields, key)
			l.Key, l.shape = key, listEnvelope
			if err := take(fields, "pagination", &l.Pagination); err != nil {
				return err
			}
			l.Extra = rest(fields)
			return nil
		}
	}
	var one T
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	l.Items, l.shape = []T{one}, listSingle
	return nil
}

// MarshalJSON writes the shape that was read (a bare array for a List built in code).
func (l List[T]) MarshalJSON() ([]byte, error) {
	switch {
	case l.shape == listNull && len(l.Items) == 0:
		return []byte("null"), nil
	case l.shape == listSingle && len(l.Items) == 1:
		return json.Marshal(l.Items[0])
	case l.shape == listEnvelope || l.Key != "" || l.Pagination != nil || len(l.Extra) > 0:
		fields := withExtra(l.Extra)
		key := l.Key
		if key == "" {
			key = "data"
		}
		items := l.Items
		if items == nil {
			items = []T{}
		}
		if err := put(fields, key, items); err != nil {
			return nil, err
		}
		if l.Pagination != nil {
			if err := put(fields, "pagination", l.Pagination); err != nil {
				return nil, err
			}
		}
		return json.Marshal(fields)
	}
	if l.Items == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(l.Items)
}

// decodeObject splits a JSON object into its fields; null decodes as no fields.
func decodeObject(model string, data []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, fmt.Errorf("trillet: %s: %w", model, err)
	}
	if fields == nil {
		fields = map[string]json.RawMessage{}
	}
	return fields, nil
}

// take decodes fields[key] into dst and removes it. A null value stays in fields (and so in
// Extra), so that it is written back as null.
func take(fields map[string]json.RawMessage, key string, dst any) error {
	v, ok := fields[key]
	if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("trillet: field %q: %w", key, err)
	}
	delete(fields, key)
	return nil
}

// takeText is take for a plain optional string: an empty string stays in fields (and so in
// Extra), so that it is written back although the field is empty.
func takeText(fields map[string]json.RawMessage, key string, dst *string) error {
	v, sent := fields[key]
	if err := take(fields, key, dst); err != nil {
		return err
	}
	if sent && *dst == "" {
		fields[key] = v
	}
	return nil
}

// rest is what is left of fields, nil when nothing is.
func rest(fields map[string]json.RawMessage) map[string]json.RawMessage {
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// withExtra starts an object's fields from a copy of Extra.
func withExtra(extra map[string]json.RawMessage) map[string]json.RawMessage {
	fields := make(map[string]json.RawMessage, len(extra)+8)
	for k, v := range extra {
		fields[k] = v
	}
	return fields
}

// put encodes v as fields[key].
func put(fields map[string]json.RawMessage, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("trillet: field %q: %w", key, err)
	}
	fields[key] = data
	return nil
}

// decodeAs decodes a typed namespace method's answer into a *T (what the generated methods
// return). An empty or null answer gives a zero T; an answer that does not fit T is a
// KindDecode error.
func decodeAs[T any](body json.RawMessage, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	v := new(T)
	if len(bytes.TrimSpace(body)) == 0 {
		return v, nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, &Error{Kind: KindDecode, Code: "invalid_response", Message: "the response does not fit the type: " + err.Error()}
	}
	return v, nil
}

// modelPlan is how decodeModel and encodeModel walk one generated model type: its named fields
// in order, by their `json` tags, and where its Extra is. Built once per type.
type modelPlan struct {
	fields []modelField
	extra  int
}

// modelField is one named field of a model.
type modelField struct {
	index int
	key   string
	// omitEmpty: an optional field, written only when set (`,omitempty` in its tag).
	omitEmpty bool
	// text: an optional plain string, read with takeText.
	text bool
	// aliases: the other spellings the API may send (the `aliases` tag), read into the same
	// field when the main spelling is absent or null; never written.
	aliases []string
}

var modelPlans sync.Map // reflect.Type → *modelPlan

var stringType = reflect.TypeOf("")

func planOf(t reflect.Type) *modelPlan {
	if p, ok := modelPlans.Load(t); ok {
		return p.(*modelPlan)
	}
	plan := &modelPlan{extra: -1}
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if sf.Name == "Extra" {
			plan.extra = i
			continue
		}
		if tag == "" || tag == "-" {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		omit := opts == "omitempty"
		var aliases []string
		if a := sf.Tag.Get("aliases"); a != "" {
			aliases = strings.Split(a, ",")
		}
		plan.fields = append(plan.fields, modelField{index: i, key: key, omitEmpty: omit, text: omit && sf.Type == stringType, aliases: aliases})
	}
	if plan.extra < 0 {
		panic("trillet: model " + t.Name() + " has no Extra field")
	}
	p, _ := modelPlans.LoadOrStore(t, plan)
	return p.(*modelPlan)
}

// present says whether fields carries key with a value other than null.
func present(fields map[string]json.RawMessage, key string) bool {
	v, ok := fields[key]
	return ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null"))
}

// decodeModel is every generated model's UnmarshalJSON: it reads the JSON object into *m, each
// named field by its tag (take, or takeText for an optional string), and keeps the others in
// Extra.
func decodeModel[T any](name string, data []byte, m *T) error {
	fields, err := decodeObject(name, data)
	if err != nil {
		return err
	}
	v := reflect.ValueOf(m).Elem()
	v.SetZero()
	plan := planOf(v.Type())
	for _, f := range plan.fields {
		dst := v.Field(f.index).Addr().Interface()
		key := f.key
		// The main spelling wins; an alias sent beside it stays in Extra.
		if !present(fields, key) {
			for _, alias := range f.aliases {
				if present(fields, alias) {
					key = alias
					break
				}
			}
		}
		if f.text {
			err = takeText(fields, key, dst.(*string))
		} else {
			err = take(fields, key, dst)
		}
		if err != nil {
			return err
		}
	}
	v.Field(plan.extra).Set(reflect.ValueOf(rest(fields)))
	return nil
}

// encodeModel is every generated model's MarshalJSON: Extra, then each named field that is
// required or set (a named field wins over Extra).
func encodeModel[T any](m T) ([]byte, error) {
	v := reflect.ValueOf(m)
	plan := planOf(v.Type())
	fields := withExtra(v.Field(plan.extra).Interface().(map[string]json.RawMessage))
	for _, f := range plan.fields {
		fv := v.Field(f.index)
		if f.omitEmpty && fv.IsZero() {
			continue
		}
		if err := put(fields, f.key, fv.Interface()); err != nil {
			return nil, err
		}
	}
	return json.Marshal(fields)
}
