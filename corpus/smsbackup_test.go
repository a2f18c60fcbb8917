package corpus

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/transform"
)

func smsBackup(records ...string) string {
	return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>` + "\n<smses count=\"" + strconv.Itoa(len(records)) + "\">\n" +
		strings.Join(records, "\n") + "\n</smses>\n"
}

func smsRec(address, date, typ, body, contact string) string {
	return `<sms protocol="0" address="` + address + `" date="` + date + `" type="` + typ + `" subject="null" body="` + body +
		`" read="1" status="-1" contact_name="` + contact + `" />`
}

func TestXMLCharRefs(t *testing.T) {
	tests := []struct {
		name, in, want string
		reason         string
	}{
		{name: "surrogate pair", in: `a &#55357;&#56832; b`, want: `a &#128512; b`, reason: "one reference to U+1F600"},
		{name: "hex pair", in: `&#xD83D;&#xDE00;`, want: `&#128512;`},
		{name: "lone high half", in: `&#55357; x`, want: "\uFFFD x"},
		{name: "lone low half", in: `&#56832;`, want: "\uFFFD"},
		{name: "control reference", in: `a&#1;b`, want: "a\uFFFDb"},
		{name: "raw control byte", in: "a\x01b\tc\r\n", want: "a\uFFFDb\tc\r\n", reason: "tab, CR and LF are allowed"},
		{name: "ordinary references untouched", in: `&amp;#55357; &#233; &lt;`, want: `&amp;#55357; &#233; &lt;`},
		{name: "not a reference", in: `&#; &#x; & #1;`, want: `&#; &#x; & #1;`},
		{name: "beyond unicode", in: `&#1114112;`, want: "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := transform.String(xmlCharRefs{}, tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got, tt.reason)
			// The same one byte at a time: a reference cut between reads is still mended.
			b, err := io.ReadAll(transform.NewReader(iotest.OneByteReader(strings.NewReader(tt.in)), xmlCharRefs{}))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b), "read one byte at a time")
		})
	}
}

func TestSMSThreadKey(t *testing.T) {
	tests := []struct {
		name, in, want string
		reason         string
	}{
		{name: "international", in: "+33 6 12 34 56 78", want: "612345678"},
		{name: "national", in: "06.12.34.56.78", want: "612345678", reason: "meets the international form"},
		{name: "short code", in: "36111", want: "36111"},
		{name: "alphanumeric sender", in: "INFO", want: "info"},
		{name: "group sorted", in: "+33698765432~+33612345678", want: "612345678~698765432"},
		{name: "group with a repeat", in: "0612345678~+33612345678", want: "612345678"},
		{name: "empty", in: " ~ ", want: "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, smsThreadKey(tt.in), tt.reason)
		})
	}
}

func TestSMSTime(t *testing.T) {
	ms, ok := smsTime("1773522180000")
	require.True(t, ok)
	assert.Equal(t, "2026-03-14T21:03:00Z", ms.Format("2006-01-02T15:04:05Z07:00"))
	s, ok := smsTime("1773522180")
	require.True(t, ok, "some MMS carry seconds")
	assert.True(t, s.Equal(ms))
	for _, bad := range []string{"", "null", "-5", "0", "99999999999999999"} {
		_, ok := smsTime(bad)
		assert.False(t, ok, bad)
	}
}

func TestSMSReader(t *testing.T) {
	read := func(t *testing.T, in string, o Options) ([]*Conversation, Reader) {
		t.Helper()
		r, err := NewReader("sms.xml", strings.NewReader(in), o)
		require.NoError(t, err)
		require.Equal(t, FormatSMS, r.Format())
		var cs []*Conversation
		for r.Next() {
			cs = append(cs, r.Conversation())
		}
		return cs, r
	}
	t.Run("threads in time order", func(t *testing.T) {
		cs, r := read(t, smsBackup(
			smsRec("+33612345678", "1773522240000", "2", "Oui", "Sam"),
			smsRec("+33698765432", "1773522100000", "1", "Coucou", "Noa"),
			smsRec("06 12 34 56 78", "1773522180000", "1", "Tu viens ?", "Sam"),
		), Options{})
		require.NoError(t, r.Err())
		require.Len(t, cs, 2)
		assert.Equal(t, "sms-+33612345678", cs[0].ID, "threads in the order their first message was read")
		require.Len(t, cs[0].Messages, 2)
		assert.Equal(t, []string{"Sam", "me"}, []string{cs[0].Messages[0].Author, cs[0].Messages[1].Author})
		assert.Equal(t, "Tu viens ?", cs[0].Messages[0].Text)
		assert.Equal(t, "1", cs[0].Messages[0].ID)
	})
	t.Run("syntax error keeps what was read", func(t *testing.T) {
		in := smsBackup(smsRec("+33612345678", "1773522180000", "1", "Salut", "Sam")) + ""
		in = strings.Replace(in, "</smses>", `<sms address="x" body="unclosed </smses>`, 1)
		cs, r := read(t, in, Options{})
		require.Len(t, cs, 1)
		assert.Equal(t, "Salut", cs[0].Messages[0].Text)
		var pe *ParseError
		require.ErrorAs(t, r.Err(), &pe)
		assert.Positive(t, pe.Line)
		assert.Equal(t, "sms.xml", pe.File)
		assert.NotContains(t, pe.Error(), "Salut", "errors never quote message text")
	})
	t.Run("read error keeps what was read", func(t *testing.T) {
		head := smsBackup(smsRec("+33612345678", "1773522180000", "1", "Salut", "Sam"))
		head = head[:strings.Index(head, "</smses>")]
		r, err := NewReader("sms.xml", io.MultiReader(strings.NewReader(head), iotest.ErrReader(errors.New("disk gone"))), Options{})
		require.NoError(t, err)
		require.True(t, r.Next())
		assert.Equal(t, "Salut", r.Conversation().Messages[0].Text)
		assert.False(t, r.Next())
		assert.ErrorContains(t, r.Err(), "disk gone")
	})
	t.Run("text cut at the cap", func(t *testing.T) {
		cs, r := read(t, smsBackup(smsRec("+33612345678", "1773522180000", "1", strings.Repeat("é", 40), "Sam")), Options{MaxMessageBytes: 21})
		require.Len(t, cs, 1)
		assert.Equal(t, strings.Repeat("é", 10), cs[0].Messages[0].Text)
		require.NotEmpty(t, r.Problems())
		assert.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	})
	t.Run("not a backup", func(t *testing.T) {
		r, err := NewReader("x.xml", strings.NewReader(`<calls count="1"><call number="1" /></calls>`), Options{Format: FormatSMS})
		require.NoError(t, err)
		assert.False(t, r.Next())
		assert.ErrorIs(t, r.Err(), ErrUnknownFormat)
	})
}

func TestSMSDetect(t *testing.T) {
	backup := smsBackup(smsRec("+33612345678", "1773522180000", "1", "Salut", "Sam"))
	assert.Equal(t, FormatSMS, Detect("sms-20260315093000.xml", []byte(backup)))
	assert.Equal(t, FormatSMS, Detect("backup.txt", []byte(backup)), "the content decides, not the name")
	assert.Equal(t, FormatUnknown, Detect("calls-20260315.xml", []byte(`<?xml version='1.0' ?><calls count="1"><call number="+33612345678" duration="5" /></calls>`)),
		"the call log of the same app is not a chat")
	assert.Equal(t, FormatPAN12, Detect("pan.xml", []byte(`<conversations><conversation id="a"><message line="1"><author>x</author></message></conversation></conversations>`)))
}

// FuzzSMS: no panic, texts within the cap and valid UTF-8, every message numbered.
func FuzzSMS(f *testing.F) {
	addSeeds(f, FormatSMS)
	f.Add([]byte(smsBackup(smsRec("+1", "1", "1", "&#55357;&#56832;&#1;", "(Unknown)"))))
	f.Add([]byte(`<smses><mms msg_box="1" date="5"><parts><part ct="text/plain" text="x"/></parts><addrs><addr type="137" address="a"/></addrs></mms></smses>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FormatSMS, data)
		r, err := NewReader("fuzz.xml", bytes.NewReader(data), Options{Format: FormatSMS, MaxMessageBytes: 64})
		if err != nil {
			return
		}
		for r.Next() {
			for i, m := range r.Conversation().Messages {
				if m.ID == "" || m.Author == "" || !utf8.ValidString(m.Text) || len(m.Text) > 64 {
					t.Fatalf("message %d: id %q, author %q, text %q", i, m.ID, m.Author, m.Text)
				}
			}
		}
	})
}

func TestSMSFixtureHasDraft(t *testing.T) {
	// The golden fixture holds a draft: it must stay out of the threads.
	b, err := os.ReadFile(filepath.Join("testdata", "sms", "sms-20260315093000.xml"))
	require.NoError(t, err)
	require.Contains(t, string(b), `type="3"`)
	cs := readConvs(t, "sms.xml", b)
	for _, c := range cs {
		for _, m := range c.Messages {
			assert.NotContains(t, m.Text, "brouillon")
		}
	}
}

// BenchmarkSMSBackup reads a backup of 10,000 SMS over 50 threads, one in ten an emoji pair.
func BenchmarkSMSBackup(b *testing.B) {
	var recs []string
	for i := range 10000 {
		body := "Tu as fini le devoir de français ? On se voit demain à 18 h"
		if i%10 == 0 {
			body += " &#55357;&#56832;"
		}
		recs = append(recs, smsRec("+336123456"+strconv.Itoa(10+i%50), strconv.Itoa(1773522180000+i*1000), strconv.Itoa(1+i%2), body, "Contact "+strconv.Itoa(i%50)))
	}
	data := []byte(smsBackup(recs...))
	benchRead(b, "sms.xml", data, Options{}, 0)
}
