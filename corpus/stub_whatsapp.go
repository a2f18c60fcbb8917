package corpus

// Stub, replaced by the format's reader.

import (
	"io"
	"io/fs"
)

var _ fs.FS

func sniffWhatsApp(string, []byte) int { return 0 }
func newWhatsAppReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatWhatsApp, name)
}
func newWhatsAppFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	return nil, stubErr(FormatWhatsApp, name)
}
