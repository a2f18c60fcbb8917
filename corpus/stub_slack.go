package corpus

// Stub, replaced by the format's reader.

import (
	"io"
	"io/fs"
)

var _ fs.FS

func sniffSlack(string, []byte) int { return 0 }
func newSlackReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatSlack, name)
}
func newSlackFSReader(fsys fs.FS, name string, o Options) (Reader, error) {
	return nil, stubErr(FormatSlack, name)
}
