package corpus

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestGolden reads every fixture under testdata/<format>/ (a file, a zip or a folder) with format
// detection, checks that the detected format is the folder's, and compares the canonical JSONL and
// the problems reported with <fixture>.golden. Run with -update to rewrite the golden files, then
// review the diff by eye: a golden file is only as right as the review it got.
func TestGolden(t *testing.T) {
	for _, f := range Formats {
		dir := filepath.Join("testdata", string(f))
		entries, err := os.ReadDir(dir)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for _, e := range entries {
			name := e.Name()
			if strings.HasSuffix(name, ".golden") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".md") {
				continue
			}
			path := filepath.Join(dir, name)
			t.Run(string(f)+"/"+name, func(t *testing.T) {
				got := renderGolden(t, path, f)
				gpath := path + ".golden"
				if *update {
					require.NoError(t, os.WriteFile(gpath, got, 0o644))
					return
				}
				want, err := os.ReadFile(gpath)
				require.NoError(t, err, "no golden file: run go test ./corpus -run TestGolden -update and review it")
				require.Equal(t, string(want), string(got))
			})
		}
	}
}

// renderGolden reads path and renders what was read as canonical JSONL plus "# problem:" and
// "# error:" lines.
func renderGolden(t *testing.T, path string, want Format) []byte {
	t.Helper()
	r, err := Open(path, Options{Location: time.UTC})
	var buf bytes.Buffer
	if err != nil {
		buf.WriteString("# open error: " + err.Error() + "\n")
		return buf.Bytes()
	}
	defer r.Close()
	require.Equal(t, want, r.Format(), "detected format")
	for r.Next() {
		b, err := MarshalConversation(r.Conversation())
		require.NoError(t, err)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	for _, p := range r.Problems() {
		buf.WriteString("# problem: " + p.Error() + "\n")
	}
	if err := r.Err(); err != nil {
		buf.WriteString("# error: " + err.Error() + "\n")
	}
	return buf.Bytes()
}
