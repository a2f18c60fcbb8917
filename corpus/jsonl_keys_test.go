package corpus

import (
	"encoding/json"
	"testing"
)

// onlyKnownKeys lets the reader skip the second decode that collects extra fields; these cases
// check that it never skips one that has an extra field.
func TestOnlyKnownKeys(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       bool
	}{
		{"known keys", `{"id":"c1","messages":[{"id":"1","text":"a } ] \" {"}],"lang":"fr"}`, true},
		{"spaces and nesting", ` { "id" : "c1" , "source" : {"file":"x","a":[1,{"b":null}]}, "synthetic" : true, "messages":[] } `, true},
		{"empty object", `{}`, true},
		{"extra field", `{"id":"c1","messages":[],"note":"x"}`, false},
		{"extra field after nested", `{"id":"c1","messages":[{"id":"1","extra":{"x":"}"}}],"z":1}`, false},
		{"other case is another key", `{"ID":"c1","messages":[]}`, false},
		{"escaped key", `{"\u0069d":"c1","messages":[]}`, false},
		{"number last", `{"messages":[],"id":"c","label":"benign","x":-1.5e3}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := onlyKnownKeys([]byte(tc.line)); got != tc.want {
				t.Fatalf("onlyKnownKeys(%s) = %v, want %v", tc.line, got, tc.want)
			}
		})
	}
}

// FuzzOnlyKnownKeys checks onlyKnownKeys against a full decode: when it says every key is known,
// the decoded object must have no other key.
func FuzzOnlyKnownKeys(f *testing.F) {
	f.Add(`{"id":"c1","messages":[{"id":"1","text":"a"}]}`)
	f.Add(`{"id":"c1","messages":[],"x":{"y":"}"}}`)
	f.Add(`{"id":1,"\"":2}`)
	f.Fuzz(func(t *testing.T, line string) {
		var all map[string]json.RawMessage
		if json.Unmarshal([]byte(line), &all) != nil {
			return // the reader only asks about lines that decoded
		}
		if !onlyKnownKeys([]byte(line)) {
			return
		}
		for k := range all {
			if !knownConversationFields[k] {
				t.Fatalf("onlyKnownKeys(%q) = true, but key %q is extra", line, k)
			}
		}
	})
}
