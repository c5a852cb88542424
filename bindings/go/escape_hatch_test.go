package trillet_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	trillet "github.com/trillet-ai/trillet/bindings/go"
)

// Do reads the answer by its content-type, as the typed operations do: the CSV export comes
// back as a JSON string, a recording as the binary envelope, and bad JSON under
// application/json is still a decode error.
func TestDoReadsTheAnswerByContentType(t *testing.T) {
	c := freshClient(t, 0, 10*time.Second)
	exportCSV := trillet.Request{Body: map[string]any{}}

	raw := mustOK(t)(c.Do(background, "POST", "/v2/api/call-history/export-csv", exportCSV))
	var csv string
	if err := json.Unmarshal(raw, &csv); err != nil || !strings.HasPrefix(csv, "Call ID,") {
		t.Fatalf("the CSV export through Do should be a JSON string of the CSV: %.200s (%v)", raw, err)
	}
	exported, err := c.CallHistory.ExportCSV(background, trillet.ExportCSV{})
	if err != nil || exported != csv {
		t.Errorf("Do answered %q, ExportCSV %q (%v)", csv, exported, err)
	}

	room := activeRoom(t, c)
	mustOK(t)(c.Recordings.Start(background, typed[trillet.RecordingsStartBody](map[string]any{"pathwayId": unknownID, "roomName": room})))
	var live struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(mustOK(t)(c.ActiveCalls.Get(background, room)), &live); err != nil || live.ID == "" {
		t.Fatalf("no call id for room %s: %v", room, err)
	}
	raw = mustOK(t)(c.Do(background, "GET", "/v2/api/recordings/{id}", trillet.Request{Path: map[string]string{"id": live.ID}}))
	var env struct {
		ContentType string `json:"content_type"`
		Filename    string `json:"filename"`
		Size        int    `json:"size"`
		Data        string `json:"data_base64"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		t.Fatalf("the recording through Do is not the envelope: %.200s (%v)", raw, err)
	}
	data, err := base64.StdEncoding.DecodeString(env.Data)
	if err != nil || env.ContentType != "audio/mp3" || env.Filename != "recording.mp3" || len(data) != env.Size || !bytes.HasPrefix(data, []byte("ID3")) {
		t.Errorf("envelope %+v (%v)", env, err)
	}

	fault(t, "call_history.export_csv", 1, map[string]any{"type": "malformed_json"})
	_, err = c.Do(background, "POST", "/v2/api/call-history/export-csv", exportCSV)
	if e := asError(t, err); e.Kind != trillet.KindDecode || e.Code != "invalid_response" {
		t.Errorf("bad JSON under application/json: %+v", e)
	}
}
