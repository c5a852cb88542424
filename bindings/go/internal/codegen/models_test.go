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

// The catalog's models are all the generator needs: a field with aliases becomes one Go field
// that reads every spelling, a list model a List, an operation's body its request struct.
func TestModelsAndMethodsComeFromTheCatalog(t *testing.T) {
	catalog := `{"version":"9","operations":[
 {"id":"things.create","resource":"things","action":"create","method":"POST","path":"/things","path_params":[],
  "query_params":[],"body":"json","response":"json","summary":"Create","request_model":"CreateThing",
  "response_model":"Thing","response_nullable":false},
 {"id":"things.list","resource":"things","action":"list","method":"GET","path":"/things","path_params":[],
  "query_params":[],"body":"none","response":"json","summary":"List","request_model":null,
  "response_model":"List_Thing","response_nullable":true}],
 "models":{
  "Thing":{"kind":"object","description":"A thing.","fields":[
   {"name":"_id","aliases":["thingId","id"],"required":false,"nullable":true,"type":"string","schema":{"type":["string","null"]}},
   {"name":"llmModel","aliases":[],"required":true,"nullable":false,"type":"string","schema":{"type":"string"},"description":"The LLM."}]},
  "CreateThing":{"kind":"object","description":"Body of things.create.","fields":[
   {"name":"name","aliases":[],"required":true,"nullable":false,"type":"string","schema":{"type":"string"}}]},
  "List_Thing":{"kind":"list","items":"Thing","envelope_keys":["things"]}}}`
	doc, err := DocumentFromCatalog([]byte(catalog))
	if err != nil {
		t.Fatal(err)
	}
	models, err := GenerateModels(doc)
	if err != nil {
		t.Fatal(err)
	}
	methods, err := Generate([]byte(catalog), doc)
	if err != nil {
		t.Fatal(err)
	}
	code := string(models) + string(methods)
	for _, want := range []string{
		"// Thing is a thing.",
		"\tID string `json:\"_id,omitempty\" aliases:\"thingId,id\"`",
		"\tLLMModel string `json:\"llmModel\"`",
		"// CreateThing is the body of things.create.",
		"var listKeys = []string{\"things\"}",
		"func (s ThingsService) Create(ctx context.Context, body CreateThing, opts ...Options) (*Thing, error)",
		"func (s ThingsService) List(ctx context.Context, opts ...Options) ([]Thing, error)",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("missing %q in:\n%s", want, code)
		}
	}
	if strings.Contains(code, "IDPlain") || strings.Contains(code, "ThingID ") {
		t.Errorf("a twin field for an alias:\n%s", code)
	}
}
