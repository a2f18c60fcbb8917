package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEmptyInputSaysSo(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\xef\xbb\xbf  \r\n"} {
		_, err := NewReader("empty.txt", strings.NewReader(in), Options{})
		require.ErrorIs(t, err, ErrUnknownFormat)
		require.Contains(t, err.Error(), "empty.txt")
		require.Contains(t, err.Error(), "the input is empty", "%q", in)
	}
}

func TestUnknownHTMLSaysWhichHTMLIsRead(t *testing.T) {
	_, err := NewReader("chat_history.html", strings.NewReader("<html><body><h1>Chat History</h1></body></html>"), Options{})
	require.ErrorIs(t, err, ErrUnknownFormat)
	require.Contains(t, err.Error(), "download Snapchat or TikTok data in JSON")

	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "html"), 0o755))
	for _, n := range []string{"html/chat_history.html", "html/friends.html"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), []byte("<html><body><p>x</p></body></html>"), 0o644))
	}
	_, err = Open(dir, Options{})
	require.ErrorIs(t, err, ErrUnknownFormat)
	require.Contains(t, err.Error(), "no chat export in this folder")
	require.Contains(t, err.Error(), "download Snapchat or TikTok data in JSON")

	// Text that is not HTML gets no such hint.
	_, err = NewReader("x.bin", strings.NewReader("\x00\x01\x02"), Options{})
	require.NotContains(t, err.Error(), "Snapchat")
}
