package corpus

// Stub, replaced by the format's reader.

import (
	"io"
	"io/fs"
)

var _ fs.FS

func sniffTelegram(string, []byte) int { return 0 }
func newTelegramReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatTelegram, name)
}
