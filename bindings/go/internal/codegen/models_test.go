package codegen

import (
	"strings"
	"testing"
)

const sampleDoc = `{"paths":{"/v1/things/{id}":{"get":{"operationId":"things.get","responses":{
   "200":{"content":{"application/json":{"schema":{"anyOf":[{"$ref":"#/components/schemas/Thing"},{"type":"null"}]}}}}}}},
  "/v1/things":{"get":{"operationId":"things.list","responses":{
   "200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/List_Thing"}}}}}}}},
 "components":{"schemas":{
  "Thing":{"type":"object","description":"A thing.","additionalProperties":true,"required":["name"],"properties":{
   "_id":{"type":["string","null"]},"id":{"type":["string","null"]},"name":{"type":"string","description":"Its name."},
   "count":{"type":["integer","null"]},"on":{"type":["boolean","null"]},"tags":{"type":["array","null"],"items":{"type":"string"}},
   "owner":{"anyOf":[{"anyOf":[{"type":"string"},{"$ref":"#/components/schemas/Thing"}]},{"type":"null"}]},
   "cost":{"anyOf":[{"$ref":"#/components/schemas/Cost"},{"type":"null"}]},"blob":{},
   "mode":{"anyOf":[{"$ref":"#/components/schemas/Mode"},{"type":"null"}]},
   "limits":{"type":"object","properties":{"max":{"type":"number"}}}}},
  "Cost":{"anyOf":[{"type":"number"},{"type":"object"}]},
  "Mode":{"oneOf":[{"const":"fast","type":"string"},{"const":"slow","type":"string"}]},
  "Error":{"anyOf":[{"$ref":"#/components/schemas/Thing"}]},
  "List_Thing":{"anyOf":[{"type":"array","items":{"$ref":"#/components/schemas/Thing"}},
   {"type":"object","properties":{"things":{"type":"array","items":{"$ref":"#/components/schemas/Thing"}},
    "data":{"type":"array","items":{"$ref":"#/components/schemas/Thing"}},"pagination":{"$ref":"#/components/schemas/Cost"}}}]}}}}`

func TestGenerateModelsMapsEveryShape(t *testing.T) {
	src, err := GenerateModels([]byte(sampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	code := string(src)
	for _, want := range []string{
		"type Thing struct",
		"\tID string `json:\"_id,omitempty\"`",      // nullable string: plain, omitted when empty
		"\tIDPlain string `json:\"id,omitempty\"`",  // the other spelling
		"\tName string `json:\"name\"`",             // required: always written
		"\tCount *int64 `json:\"count,omitempty\"`", // optional number: a pointer
		"\tOn *bool `json:\"on,omitempty\"`",
		"\tTags []string `json:\"tags,omitempty\"`",
		"\tOwner *Ref[Thing] `json:\"owner,omitempty\"`", // id or object
		"\tCost Cost `json:\"cost,omitempty\"`",          // raw alias: no pointer
		"\tBlob json.RawMessage `json:\"blob,omitempty\"`",
		"\tMode *Mode `json:\"mode,omitempty\"`",
		"\tLimits *ThingLimits `json:\"limits,omitempty\"`", // inline object: a nested struct
		"type ThingLimits struct",
		"\tExtra map[string]json.RawMessage `json:\"-\"`",
		"type Cost = json.RawMessage",
		"type Mode string",
		"ModeFast Mode = \"fast\"",
		"type ErrorBody = json.RawMessage", // renamed: trillet.Error is the SDK's error
		"var listKeys = []string{\"data\", \"things\"}",
		"func (m *Thing) UnmarshalJSON(data []byte) error",
		"func (m Thing) MarshalJSON() ([]byte, error)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("missing %q in:\n%s", want, code)
		}
	}
	if strings.Contains(code, "type ListThing") || strings.Contains(code, "type List_Thing") {
		t.Error("List_ schemas are List[T], not types of their own")
	}
	types, err := ResponseTypes([]byte(sampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	if types["things.get"] != "Thing" || types["things.list"] != "List[Thing]" {
		t.Errorf("result types: %v", types)
	}
	ops, err := Generate([]byte(`{"operations":[{"id":"things.get","resource":"things","action":"get","method":"GET","path":"/v1/things/{id}",
	 "path_params":["id"],"query_params":[],"body":"none","response":"json","summary":"Get"}]}`), []byte(sampleDoc))
	if err != nil {
		t.Fatal(err)
	}
	if want := "(*Thing, error) {\n\treturn decodeAs[Thing]("; !strings.Contains(string(ops), want) {
		t.Errorf("missing %q in:\n%s", want, ops)
	}
}

func TestGenerateModelsRefusesWhatItCannotRead(t *testing.T) {
	for _, bad := range []string{`not json`, `{"components":{"schemas":{}}}`,
		`{"components":{"schemas":{"List_X":{"anyOf":[{"type":"array"}]}}}}`} {
		if _, err := GenerateModels([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	unknown := `{"paths":{"/x":{"get":{"operationId":"x.get","responses":{"200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}},"components":{"schemas":{"A":{"type":"object","properties":{"a":{"type":"string"}}}}}}`
	if _, err := ResponseTypes([]byte(unknown)); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Errorf("an answer of an unknown schema: %v", err)
	}
}
