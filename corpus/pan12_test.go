package corpus

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const pan12Head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<conversations>\n"

func pan12Conv(id string, msgs ...[2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<conversation id=\"%s\">\n", id)
	for i, m := range msgs {
		fmt.Fprintf(&b, "\t<message line=\"%d\">\n\t\t<author>%s</author>\n\t\t<time>10:%02d</time>\n\t\t<text>%s</text>\n\t</message>\n", i+1, m[0], i%60, m[1])
	}
	b.WriteString("</conversation>\n")
	return b.String()
}

func readPAN12(t *testing.T, in string, o Options) ([]*Conversation, Reader) {
	t.Helper()
	o.Format = FormatPAN12
	r, err := NewReader("t.xml", strings.NewReader(in), o)
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	return convs, r
}

func TestPAN12Predators(t *testing.T) {
	in := pan12Head +
		pan12Conv("c1", [2]string{"aa", "hi"}, [2]string{"pp", "hello"}) +
		pan12Conv("c2", [2]string{"bb", "hey"}, [2]string{"cc", "yo"}) +
		"</conversations>\n"
	convs, _ := readPAN12(t, in, Options{Predators: map[string]bool{"pp": true}})
	require.Len(t, convs, 2)
	require.Equal(t, LabelGrooming, convs[0].Label)
	require.Equal(t, []string{"pp"}, convs[0].Suspects)
	require.Equal(t, []Participant{{ID: "aa"}, {ID: "pp", Role: "suspect"}}, convs[0].Participants)
	require.Equal(t, LabelBenign, convs[1].Label)
	require.Empty(t, convs[1].Suspects)

	convs, _ = readPAN12(t, in, Options{})
	require.Equal(t, LabelNone, convs[0].Label, "no ground truth, no label")
}

func TestPAN12TimeUnknownClockKept(t *testing.T) {
	convs, _ := readPAN12(t, pan12Head+pan12Conv("c", [2]string{"a", "x"}, [2]string{"b", "y"})+"</conversations>", Options{})
	for _, m := range convs[0].Messages {
		require.True(t, m.Time.IsZero(), "a clock without a date is not a time")
	}
	require.JSONEq(t, `["10:00","10:01"]`, string(convs[0].Extra[pan12ClockKey]))
}

func TestPAN12TextCap(t *testing.T) {
	convs, r := readPAN12(t, pan12Head+pan12Conv("c", [2]string{"a", strings.Repeat("ab", 100)})+"</conversations>", Options{MaxMessageBytes: 11})
	require.Equal(t, "ababababab"+"a", convs[0].Messages[0].Text)
	require.Len(t, r.Problems(), 1)
	require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
}

func TestPAN12ConversationCap(t *testing.T) {
	big := pan12Conv("big", [2]string{"a", strings.Repeat("z", 5000)})
	in := pan12Head + pan12Conv("small", [2]string{"a", "ok"}) + big + pan12Conv("after", [2]string{"b", "ok"}) + "</conversations>"
	convs, r := readPAN12(t, in, Options{MaxLineBytes: 1000})
	require.Len(t, convs, 2)
	require.Equal(t, "small", convs[0].ID)
	require.Equal(t, "after", convs[1].ID)
	require.Len(t, r.Problems(), 1)
	require.ErrorIs(t, r.Problems()[0], ErrTooLarge)
	require.Contains(t, r.Problems()[0].Error(), `"big"`)
}

func TestPAN12NotXML(t *testing.T) {
	r, err := NewReader("t.xml", strings.NewReader("just some text\n"), Options{Format: FormatPAN12})
	require.NoError(t, err)
	_, err = ReadAll(r)
	require.ErrorIs(t, err, ErrUnknownFormat)

	r, err = NewReader("t.xml", strings.NewReader(pan12Head+"</conversations>\n"), Options{Format: FormatPAN12})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err, "an empty corpus is not an error")
	require.Empty(t, convs)
}

func TestSanitizeXML(t *testing.T) {
	tests := []struct {
		name, in, want string
		fixed          int
	}{
		{name: "clean", in: "<a>é &amp; ok</a>", want: "<a>é &amp; ok</a>"},
		{name: "control", in: "a\x00b\x1fc\td\ne", want: "a\ufffdb\ufffdc\td\ne", fixed: 2},
		{name: "bad utf8", in: "a\xffb", want: "a\ufffdb", fixed: 1},
		{name: "char refs", in: "&#3;&#x1F;&#xD800;&#65;&#x10FFFF;&#99999999999;", want: "\ufffd\ufffd\ufffd&#65;&#x10FFFF;\ufffd", fixed: 4},
		{name: "noncharacter", in: "a\uFFFEb", want: "a\ufffdb", fixed: 1},
		{name: "cdata end outside cdata", in: "x]]>y", want: "x]]&gt;y", fixed: 1},
		{name: "cdata kept", in: "<![CDATA[x]]>", want: "<![CDATA[x]]>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, n := sanitizeXML([]byte(tt.in))
			require.Equal(t, tt.want, string(got))
			require.Equal(t, tt.fixed, n)
		})
	}
}

func TestDetectPAN12(t *testing.T) {
	head := []byte(pan12Head + pan12Conv("c", [2]string{"a", "x"}))
	require.Equal(t, FormatPAN12, Detect("export.csv", head), "content wins over a misleading .csv name")
	require.Equal(t, FormatPAN12, Detect("", head))
	require.Equal(t, FormatUnknown, Detect("feed.xml", []byte(`<?xml version="1.0"?><rss><channel></channel></rss>`)))
}

// pan12Gen generates a PAN12 corpus of about size bytes on the fly, without holding it in memory.
type pan12Gen struct {
	size, written int
	n             int
	buf           bytes.Buffer
	closed        bool
}

func (g *pan12Gen) Read(p []byte) (int, error) {
	for g.buf.Len() < len(p) && !g.closed {
		if g.written == 0 && g.n == 0 {
			g.buf.WriteString(pan12Head)
		}
		if g.written+g.buf.Len() >= g.size {
			g.buf.WriteString("</conversations>\n")
			g.closed = true
			break
		}
		msgs := make([][2]string, 40)
		for i := range msgs {
			msgs[i] = [2]string{fmt.Sprintf("%032x", (g.n*7+i%2)%997), "how was school today &amp; did the match go well"}
		}
		g.buf.WriteString(pan12Conv(fmt.Sprintf("%032x", g.n), msgs...))
		g.n++
	}
	n, _ := g.buf.Read(p)
	g.written += n
	if n == 0 && g.closed {
		return 0, io.EOF
	}
	return n, nil
}

// TestPAN12StreamsWithBoundedMemory reads a generated 50 MB corpus through an io.Reader and checks
// that the live heap stays far below the input size: the reader holds one conversation at a time.
func TestPAN12StreamsWithBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 50 MB")
	}
	const size = 50 << 20
	gen := &pan12Gen{size: size}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	r, err := NewReader("gen.xml", gen, Options{})
	require.NoError(t, err)
	var peak uint64
	convs, msgs := 0, 0
	for r.Next() {
		c := r.Conversation()
		convs++
		msgs += len(c.Messages)
		if convs%500 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	require.NoError(t, r.Err())
	require.Empty(t, r.Problems())
	require.Equal(t, gen.n, convs, "every generated conversation is read")
	require.Equal(t, 40*gen.n, msgs)
	require.GreaterOrEqual(t, gen.written, size)
	grown := int64(peak) - int64(base)
	t.Logf("read %d bytes, %d conversations; peak heap growth %d KiB", gen.written, convs, grown>>10)
	// Loading the input whole would take more than its size; allow a generous quarter of it
	// (measured: about 3 MiB for 50 MiB).
	require.Less(t, grown, int64(size/4), "heap grew with the input: the reader does not stream")
}

func FuzzPAN12(f *testing.F) {
	addSeeds(f, FormatPAN12)
	f.Add([]byte(pan12Head + "<conversation id=\"a\"><message line=\"1\"><author>x</author><text>&#3;]]></text></message>"))
	f.Add([]byte("<conversation/><conversation id='x'><message><text>a</text></message></conversation>"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatPAN12, data) })
}

func BenchmarkPAN12(b *testing.B) {
	for _, size := range []int{64 << 10, 4 << 20} {
		data, err := io.ReadAll(&pan12Gen{size: size})
		require.NoError(b, err)
		b.Run(fmt.Sprintf("bytes=%dk", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			msgs := 0
			for b.Loop() {
				r, err := NewReader("b.xml", bytes.NewReader(data), Options{Format: FormatPAN12})
				require.NoError(b, err)
				for r.Next() {
					msgs += len(r.Conversation().Messages)
				}
				require.NoError(b, r.Err())
			}
			b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
