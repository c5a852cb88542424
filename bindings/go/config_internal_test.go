package trillet

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"
)

// Every Config field, once set, reaches the config JSON under its setting's key, and the
// encoding has no key the library's settings table lacks.
func TestEverySetConfigFieldReachesTheConfigJSON(t *testing.T) {
	var cfg Config
	v := reflect.ValueOf(&cfg).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString("http://127.0.0.1:9")
		case time.Duration:
			f.SetInt(int64(1500 * time.Millisecond))
		case int:
			f.SetInt(3)
		case *int:
			f.Set(reflect.ValueOf(Int(0)))
		case bool:
			f.SetBool(true)
		default:
			t.Fatalf("field %s has a type the test does not know", v.Type().Field(i).Name)
		}
	}
	text, err := cfg.wire()
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(text), &got); err != nil {
		t.Fatal(err)
	}
	var catalog struct {
		Settings []struct {
			Key string `json:"key"`
		} `json:"settings"`
	}
	raw, err := CatalogJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &catalog); err != nil {
		t.Fatal(err)
	}
	var want, keys []string
	for _, s := range catalog.Settings {
		want = append(want, s.Key)
	}
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(want)
	sort.Strings(keys)
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("config JSON keys %v, want the settings %v", keys, want)
	}
	if got["timeout_ms"] != float64(1500) || got["max_retries"] != float64(0) || got["ignore_env"] != true {
		t.Errorf("values: %s", text)
	}
}
