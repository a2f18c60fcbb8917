package corpus

// Stub, replaced by the format's reader.

import (
	"io"
	"io/fs"
)

var _ fs.FS

func sniffMeta(string, []byte) int { return 0 }
func newMetaReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatMeta, name)
}
func newMetaFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	return nil, stubErr(FormatMeta, name)
}
