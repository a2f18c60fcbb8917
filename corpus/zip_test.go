package corpus

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeZip writes an archive of the given files (name → content) and returns its path.
func writeZip(t *testing.T, name string, files map[string][]byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	f, err := os.Create(p)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for n, b := range files {
		w, err := zw.Create(n)
		require.NoError(t, err)
		_, err = w.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return p
}

// folderFiles returns the files under dir, by slash-separated path.
func folderFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	require.NoError(t, fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		files[p] = b
		return err
	}))
	return files
}

// checkZipFixture keeps the committed zip zipPath equal to the folder fixture dir (its files at the
// zip's root): with -update it rewrites the zip deterministically (sorted names, the given time);
// otherwise it checks that the zip holds exactly the folder's files. test names the test to rerun.
func checkZipFixture(t *testing.T, dir, zipPath string, modified time.Time, test string) {
	t.Helper()
	files := folderFiles(t, dir)
	if *update {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: modified})
			require.NoError(t, err)
			_, err = w.Write(files[n])
			require.NoError(t, err)
		}
		require.NoError(t, zw.Close())
		require.NoError(t, os.WriteFile(zipPath, buf.Bytes(), 0o644))
	}
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err, "run go test ./corpus -run %s -update", test)
	defer zr.Close()
	got := make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		got[f.Name] = b
		_ = rc.Close()
	}
	require.Equal(t, files, got, "%s differs from %s: rerun %s with -update", zipPath, dir, test)
}

// A zip is opened as an archive whatever format is asked: the format then applies to its files.
func TestOpenZipAnyFormat(t *testing.T) {
	page1, err := os.ReadFile(filepath.Join("testdata", "telegram", "ChatExport_2026-03-14", "messages.html"))
	require.NoError(t, err)
	page2, err := os.ReadFile(filepath.Join("testdata", "telegram", "ChatExport_2026-03-14", "messages2.html"))
	require.NoError(t, err)
	tiktok, err := os.ReadFile(filepath.Join("testdata", "tiktok", "user_data_tiktok.json"))
	require.NoError(t, err)
	telegramZip := writeZip(t, "ChatExport_2026-03-14.zip", map[string][]byte{
		"ChatExport_2026-03-14/messages.html":  page1,
		"ChatExport_2026-03-14/messages2.html": page2,
		"ChatExport_2026-03-14/css/style.css":  []byte("body{}"),
	})
	tiktokZip := writeZip(t, "TikTok_Data_1773522180.zip", map[string][]byte{"user_data_tiktok.json": tiktok})
	tests := []struct {
		name, path string
		format     Format
		want       Format
		convs      int
	}{
		{name: "telegram export detected", path: telegramZip, want: FormatTelegram, convs: 1},
		{name: "telegram export forced", path: telegramZip, format: FormatTelegram, want: FormatTelegram, convs: 1},
		{name: "tiktok download detected", path: tiktokZip, want: FormatTikTok, convs: 3},
		{name: "tiktok download forced", path: tiktokZip, format: FormatTikTok, want: FormatTikTok, convs: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, Options{Format: tt.format})
			require.NoError(t, err)
			defer r.Close()
			assert.Equal(t, tt.want, r.Format())
			cs, err := ReadAll(r)
			require.NoError(t, err)
			assert.Len(t, cs, tt.convs)
		})
	}
}
