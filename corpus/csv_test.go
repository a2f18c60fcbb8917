package corpus

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func readCSV(t *testing.T, in string, o Options) ([]*Conversation, Reader) {
	t.Helper()
	o.Format = FormatCSV
	r, err := NewReader("t.csv", strings.NewReader(in), o)
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	return convs, r
}

func TestCSVBadRowsLoseNothingElse(t *testing.T) {
	// Each bad row sits between good rows; every good row must come out, in order.
	in := "conversation_id,message_id,author,time,text\n" +
		"a,1,x,,one\n" +
		"a,2,y,,bare \"quote\n" + // bad: bare quote
		"a,3,x,,two\n" +
		"a,4,y,\n" + // bad: 4 fields
		"a,5,x,,\"three\nlines\nlong\"\n" +
		"a,6,y,,\"unclosed \"quote\" here\"\n" + // bad: quote inside a quoted field
		"a,7,x,,four\n" +
		"b,1,z,,five\n"
	convs, r := readCSV(t, in, Options{})
	require.Len(t, convs, 2)
	var ids []string
	for _, m := range convs[0].Messages {
		ids = append(ids, m.ID+":"+m.Text)
	}
	require.Equal(t, []string{"1:one", "3:two", "5:three\nlines\nlong", "7:four"}, ids)
	require.Equal(t, "five", convs[1].Messages[0].Text)
	var lines []int
	for _, p := range r.Problems() {
		lines = append(lines, p.Line)
		require.Equal(t, FormatCSV, p.Format)
	}
	require.Equal(t, []int{3, 5, 9}, lines, "one problem per bad row, at the row's line")
}

func TestCSVHeader(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  bool
	}{
		{name: "empty", in: "", wantErr: true},
		{name: "no text column", in: "conversation_id,author\na,b\n", wantErr: true},
		{name: "no conversation column", in: "author,text\na,b\n", wantErr: true},
		{name: "reordered, upper case, timestamp alias", in: "TEXT,Timestamp,Conversation_Id\nhello,2024-01-02 03:04,c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("t.csv", strings.NewReader(tt.in), Options{Format: FormatCSV})
			require.NoError(t, err)
			convs, err := ReadAll(r)
			if tt.wantErr {
				var pe *ParseError
				require.True(t, errors.As(err, &pe), "want a *ParseError, got %v", err)
				require.Equal(t, 1, pe.Line)
				return
			}
			require.NoError(t, err)
			require.Len(t, convs, 1)
			require.Equal(t, "c", convs[0].ID)
			require.Equal(t, "hello", convs[0].Messages[0].Text)
			require.Equal(t, "2024-01-02T03:04:00Z", convs[0].Messages[0].Time.Format("2006-01-02T15:04:05Z07:00"))
		})
	}
}

func TestCSVPredators(t *testing.T) {
	in := "conversation_id,author,text\np,hash1,hi\np,hash2,hello\nq,hash3,hey\nq,hash4,yo\n"
	convs, _ := readCSV(t, in, Options{Predators: map[string]bool{"hash2": true}})
	require.Len(t, convs, 2)
	require.Equal(t, LabelGrooming, convs[0].Label)
	require.Equal(t, []string{"hash2"}, convs[0].Suspects)
	require.Equal(t, []Participant{{ID: "hash1"}, {ID: "hash2", Role: "suspect"}}, convs[0].Participants)
	require.Equal(t, LabelBenign, convs[1].Label)
	require.Empty(t, convs[1].Suspects)
}

func TestCSVTextCap(t *testing.T) {
	in := "conversation_id,text\na," + strings.Repeat("é", 10) + "\n"
	convs, r := readCSV(t, in, Options{MaxMessageBytes: 5})
	require.Equal(t, "éé", convs[0].Messages[0].Text, "cut on a rune boundary")
	require.Len(t, r.Problems(), 1)
	require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
}

func TestCSVRunawayQuoteIsCapped(t *testing.T) {
	in := "conversation_id,text\na,ok\nb,\"" + strings.Repeat("x", 1<<20) + "\n"
	r, err := NewReader("t.csv", strings.NewReader(in), Options{Format: FormatCSV, MaxLineBytes: 1 << 16})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.ErrorIs(t, err, ErrTooLarge)
	require.Len(t, convs, 1, "the conversation before the runaway row is kept")
}

func TestDetectCSV(t *testing.T) {
	tests := []struct {
		name, file, head string
		want             Format
		reason           string
	}{
		{name: "misleading name", file: "chat.txt", head: "conversation_id,author,text\na,b,c\n", want: FormatCSV,
			reason: "content decides, the .txt name is only a hint"},
		{name: "quoted header", file: "", head: "\"conversation_id\",\"text\"\n", want: FormatCSV},
		{name: "plain csv", file: "data.csv", head: "id,name,value\n1,a,2\n", want: FormatUnknown,
			reason: "a CSV without conversation_id and text is not a transcript"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Detect(tt.file, []byte(tt.head)), tt.reason)
		})
	}
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, FormatCSV)
	f.Add([]byte("conversation_id,text\n\"a\nb\",\"c"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatCSV, data) })
}

func TestCSVClockWithoutDate(t *testing.T) {
	// The shape of the PAN12 CSV conversions: conversation_id,author,text,timestamp with "HH:MM".
	in := "conversation_id,author,text,timestamp\na,x,hi,03:20\na,y,hello,03:21\nb,z,hey,23:59\n"
	convs, r := readCSV(t, in, Options{})
	require.Len(t, convs, 2)
	for _, c := range convs {
		for _, m := range c.Messages {
			require.True(t, m.Time.IsZero())
		}
	}
	require.Len(t, r.Problems(), 1, "said once, not once per row")
	require.Equal(t, 2, r.Problems()[0].Line)
}
