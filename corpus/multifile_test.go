package corpus

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A folder of exports gathered by hand: each chat file is read on its own.
func TestMultiFileFolder(t *testing.T) {
	read := func(p string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", p))
		require.NoError(t, err)
		return b
	}
	dceHTML := read("discord/Chess Club - Text Channels - general [873310256112340100].html")
	dceTXT := read("discord/Direct Messages - river_blue [1104217654023389214].txt")
	snap := read("snapchat/chat_history_2024.json")
	truncated := read("discord/truncated.json")
	tests := []struct {
		name     string
		files    map[string][]byte
		convs    int
		formats  []Format
		problems int
		reason   string
	}{
		{name: "discord channels with their assets",
			files: map[string][]byte{
				"general.html": dceHTML, "river_blue.txt": dceTXT,
				"general.html_Files/style.css": []byte("body{}"), "general.html_Files/avatar.png": {0x89, 'P', 'N', 'G', 0, 0},
				"README.md": []byte("Exports of 14 March\n"),
			},
			convs: 2, formats: []Format{FormatDiscord, FormatDiscord}, problems: 1,
			reason: "the page assets and a note are passed over, in one problem"},
		{name: "mixed apps", files: map[string][]byte{"a/chat_history.json": snap, "b/sam.txt": []byte("Sam: hi\nLéa: hello\nSam: ok\n")},
			convs: 0, formats: []Format{FormatSnapchat, FormatText}, reason: "each file in its own format"},
		{name: "a broken file does not hide the others", files: map[string][]byte{"a.json": truncated, "general.html": dceHTML},
			formats: []Format{FormatDiscord}, problems: 1, reason: "the truncated export is a problem; what it held before the cut is kept"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for n, b := range tt.files {
				fsys[n] = &fstest.MapFile{Data: b}
			}
			r, err := openFS(fsys, "exports", nil, Options{})
			require.NoError(t, err)
			defer r.Close()
			var formats []Format
			var n int
			for r.Next() {
				formats = append(formats, r.Format())
				n++
			}
			require.NoError(t, r.Err())
			if tt.convs > 0 {
				assert.Equal(t, tt.convs, n, tt.reason)
			}
			for _, f := range tt.formats {
				assert.Contains(t, formats, f, tt.reason)
			}
			assert.GreaterOrEqual(t, len(r.Problems()), tt.problems, tt.reason)
			if tt.problems > 0 && tt.convs > 0 {
				assert.Contains(t, r.Problems()[0].Error(), "3 file(s) of no chat format passed over", tt.reason)
			}
		})
	}
}

func TestMultiFileForcedFormat(t *testing.T) {
	fsys := fstest.MapFS{"a.txt": {Data: []byte("Sam: hi\n")}, "b.txt": {Data: []byte("Léa: hello\n")}}
	_, err := openFS(fsys, "exports", nil, Options{Format: FormatCSV})
	require.ErrorIs(t, err, ErrUnknownFormat)
	assert.Contains(t, err.Error(), "leave --format out")
	_, err = openFS(fstest.MapFS{"a.png": {Data: []byte{0x89, 'P'}}, "b.css": {Data: []byte("x")}}, "media", nil, Options{})
	require.ErrorIs(t, err, ErrUnknownFormat, "nothing that is a chat")
}
