package corpus

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadPredatorIDs(t *testing.T) {
	// The real files are LF-terminated 32-hex ids; CRLF, blanks and comments are tolerated.
	in := "\ufeff# predators\r\n00851429b21722a4d62f63a328c601ca\r\n\r\n  02800e11fdb1b43595303709f2b38f8c  \n00851429b21722a4d62f63a328c601ca\n"
	ids, err := ReadPredatorIDs(strings.NewReader(in))
	require.NoError(t, err)
	require.Equal(t, map[string]bool{"00851429b21722a4d62f63a328c601ca": true, "02800e11fdb1b43595303709f2b38f8c": true}, ids)

	_, err = ReadPredatorIDs(strings.NewReader("abc\n0af080e9433ebd6802551f2e6a4c1bee\t1\n"))
	require.ErrorContains(t, err, "line 2", "the diff file's shape is refused with its line")

	ids, err = ReadPredatorIDs(strings.NewReader(""))
	require.NoError(t, err)
	require.Empty(t, ids)
}

func TestReadPredatorLines(t *testing.T) {
	in := "0af080e9433ebd6802551f2e6a4c1bee\t1\n0af080e9433ebd6802551f2e6a4c1bee\t3\r\n\nffff\t12\n"
	got, err := ReadPredatorLines(strings.NewReader(in))
	require.NoError(t, err)
	require.Equal(t, map[string]map[int]bool{
		"0af080e9433ebd6802551f2e6a4c1bee": {1: true, 3: true},
		"ffff":                             {12: true},
	}, got)

	for _, bad := range []string{"abc\n", "abc\tx\n", "abc\t0\n", "abc\t1\t2\n"} {
		_, err := ReadPredatorLines(strings.NewReader(bad))
		require.ErrorContains(t, err, "line 1", "input %q", bad)
	}
}

// FuzzLabels: the ground-truth readers never panic, every error names its line, and what they
// accept survives a write and a re-read unchanged.
func FuzzLabels(f *testing.F) {
	f.Add("a1b2c3\n\n# comment\r\nd4e5f6\n")
	f.Add("\ufeffid1\n")
	f.Add("conv1\t12\nconv1 13\n  conv2\t1  \n")
	f.Add("x y z\n")
	f.Add("conv1\t-3\n")
	f.Add("conv1\t99999999999999999999\n")
	f.Fuzz(func(t *testing.T, in string) {
		ids, err := ReadPredatorIDs(strings.NewReader(in))
		if err != nil {
			require.Contains(t, err.Error(), "line ")
		} else {
			var b strings.Builder
			b.WriteString("\n") // no id on line 1, where a byte-order mark is dropped
			for id := range ids {
				require.NotEmpty(t, id)
				require.Len(t, strings.Fields(id), 1, "id %q", id)
				b.WriteString(id + "\n")
			}
			again, err := ReadPredatorIDs(strings.NewReader(b.String()))
			require.NoError(t, err)
			require.Equal(t, ids, again)
		}
		lines, err := ReadPredatorLines(strings.NewReader(in))
		if err != nil {
			require.Contains(t, err.Error(), "line ")
			return
		}
		var b strings.Builder
		b.WriteString("\n")
		for conv, set := range lines {
			for n := range set {
				require.Positive(t, n)
				fmt.Fprintf(&b, "%s\t%d\n", conv, n)
			}
		}
		again, err := ReadPredatorLines(strings.NewReader(b.String()))
		require.NoError(t, err)
		require.Equal(t, lines, again)
	})
}
