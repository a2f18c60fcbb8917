package corpus

// Stub, replaced by the format's reader.

import (
	"io"
	"io/fs"
)

var _ fs.FS

func sniffPAN12(string, []byte) int { return 0 }
func newPAN12Reader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatPAN12, name)
}
