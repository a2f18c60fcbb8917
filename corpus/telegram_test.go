package corpus

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTelegramText(t *testing.T) {
	tests := []struct {
		name, raw, want string
		wantErr         bool
	}{
		{name: "plain string", raw: `"bonjour"`, want: "bonjour"},
		{name: "absent", raw: ``, want: ""},
		{name: "null", raw: `null`, want: ""},
		{name: "strings and entities", raw: `["c'était ",{"type":"bold","text":"génial"},", voir ",{"type":"link","text":"https://example.org"}]`,
			want: "c'était génial, voir https://example.org"},
		{name: "text_link keeps the text, not the href", raw: `[{"type":"text_link","text":"ici","href":"https://example.org/x"}]`, want: "ici"},
		{name: "entity objects only (text_entities)", raw: `[{"type":"plain","text":"a "},{"type":"mention","text":"@b"}]`, want: "a @b"},
		{name: "custom emoji and numbers ignored", raw: `[{"type":"custom_emoji","text":"🙂","document_id":"x"},42,null]`, want: "🙂"},
		{name: "object is an error", raw: `{"type":"bold"}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := telegramText(json.RawMessage(tt.raw))
			if tt.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}

func TestTelegramLocalDate(t *testing.T) {
	doc := `{"name":"A","type":"personal_chat","id":1,"messages":[
	 {"id":1,"type":"message","date":"2020-11-20T16:45:10","from":"A","from_id":"user1","text":"x"}]}`
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	r, err := NewReader("result.json", strings.NewReader(doc), Options{Location: paris})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, time.Date(2020, 11, 20, 15, 45, 10, 0, time.UTC), convs[0].Messages[0].Time.UTC())
}

func TestTelegramTextCap(t *testing.T) {
	long := strings.Repeat("é", 100) // 200 bytes
	doc := `{"name":"A","type":"personal_chat","id":1,"messages":[
	 {"id":1,"type":"message","date_unixtime":"1700000000","from":"A","from_id":"user1","text":["` + long + `",{"type":"bold","text":"!"}]}]}`
	r, err := NewReader("result.json", strings.NewReader(doc), Options{MaxMessageBytes: 51})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, strings.Repeat("é", 25), convs[0].Messages[0].Text, "cut on a rune boundary")
	require.Len(t, r.Problems(), 1)
	require.True(t, errors.Is(r.Problems()[0], ErrTooLarge))
	require.Equal(t, 2, r.Problems()[0].Line)
}

// telegramAccount writes a full-account export with chats chats of msgs messages each.
func telegramAccount(w io.Writer, chats, msgs int) error {
	if _, err := io.WriteString(w, `{"about":"x","personal_information":{"user_id":1,"first_name":"A"},`+
		`"contacts":{"about":"x","list":[]},"chats":{"about":"x","list":[`); err != nil {
		return err
	}
	for c := 0; c < chats; c++ {
		if c > 0 {
			io.WriteString(w, ",")
		}
		fmt.Fprintf(w, "\n {\n  \"name\": \"chat %d\",\n  \"type\": \"personal_chat\",\n  \"id\": %d,\n  \"messages\": [", c, 1000+c)
		for m := 0; m < msgs; m++ {
			if m > 0 {
				io.WriteString(w, ",")
			}
			fmt.Fprintf(w, "\n   {\n    \"id\": %d,\n    \"type\": \"message\",\n    \"date\": \"2024-01-01T10:00:00\",\n    \"date_unixtime\": \"%d\",\n"+
				"    \"from\": \"user %d\",\n    \"from_id\": \"user%d\",\n    \"text\": [\"hello \", {\"type\": \"bold\", \"text\": \"there\"}, \" number %d\"]\n   }",
				m+1, 1704103200+m, m%2, m%2, m)
		}
		if _, err := io.WriteString(w, "\n  ]\n }"); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]},\"left_chats\":{\"about\":\"x\",\"list\":[]}}\n")
	return err
}

// TestTelegramStreamsChats reads a full-account export produced on the fly through a pipe, so that
// it never exists whole in memory, and checks that chats come one by one with exact lines, and that
// the reader holds a bounded amount of input.
func TestTelegramStreamsChats(t *testing.T) {
	const chats, msgs = 100, 200
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(telegramAccount(pw, chats, msgs)) }()
	r, err := newTelegramReader("big.json", pr, Options{})
	require.NoError(t, err)
	tr := r.(*telegramReader)
	n, maxHeld := 0, 0
	for r.Next() {
		c := r.Conversation()
		require.Equal(t, fmt.Sprint(1000+n), c.ID)
		require.Len(t, c.Messages, msgs)
		require.Equal(t, "hello there number 7", c.Messages[7].Text)
		// Chat n starts on line 2+n*(7+9*msgs); its header has 5 lines and each message 9.
		require.Equal(t, 2+n*(7+9*msgs)+5+7*9, c.Messages[7].Line, "chat %d", n)
		maxHeld = max(maxHeld, tr.s.lines.held)
		n++
	}
	require.NoError(t, r.Err())
	require.Empty(t, r.Problems())
	require.Equal(t, chats, n)
	require.Less(t, maxHeld, 1<<20, "input bytes held by the line tracker")
}

func BenchmarkTelegramReader(b *testing.B) {
	for _, size := range []struct {
		name        string
		chats, msgs int
	}{{"msgs=1k", 1, 1000}, {"msgs=100k", 100, 1000}} {
		var sb strings.Builder
		require.NoError(b, telegramAccount(&sb, size.chats, size.msgs))
		data := sb.String()
		b.Run(size.name+"/stream", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				r, _ := newTelegramReader("b.json", strings.NewReader(data), Options{})
				for r.Next() {
				}
				if r.Err() != nil {
					b.Fatal(r.Err())
				}
			}
			b.ReportMetric(float64(size.chats*size.msgs*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
		// Naive baseline: unmarshal the whole document at once.
		b.Run(size.name+"/unmarshal-all", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v struct {
					Chats struct {
						List []struct {
							Messages []telegramMessage `json:"messages"`
						} `json:"list"`
					} `json:"chats"`
				}
				if err := json.Unmarshal([]byte(data), &v); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(size.chats*size.msgs*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
	runtime.GC()
}

func FuzzTelegram(f *testing.F) {
	addSeeds(f, FormatTelegram)
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatTelegram, data) })
}

// A Telegram Desktop export is detected from its content; entity arrays become plain text and
// service messages become system messages with a readable text.
func ExampleNewReader_telegram() {
	export := `{
 "name": "Camille",
 "type": "personal_chat",
 "id": 5512340099,
 "messages": [
  {"id": 1, "type": "service", "date": "2024-03-09T18:40:00", "date_unixtime": "1710006000",
   "actor": "Jules", "actor_id": "user7700112233", "action": "phone_call", "duration_seconds": 42, "text": ""},
  {"id": 2, "type": "message", "date": "2024-03-09T18:41:00", "date_unixtime": "1710006060",
   "from": "Jules", "from_id": "user7700112233", "text": ["c'était ", {"type": "bold", "text": "génial"}]}
 ]
}`
	r, err := NewReader("result.json", strings.NewReader(export), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for r.Next() {
		c := r.Conversation()
		fmt.Println(r.Format(), c.ID, c.Title)
		for _, m := range c.Messages {
			fmt.Println(m.Time.Format(time.RFC3339), m.Author, m.System, m.Text)
		}
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// telegram 5512340099 Camille
	// 2024-03-09T17:40:00Z Jules true Jules made a phone call (42 s)
	// 2024-03-09T17:41:00Z Jules false c'était génial
}
