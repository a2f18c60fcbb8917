package corpus

// Temporary stubs: each is replaced by its reader's own file.

import (
	"io"
	"io/fs"
)

func stubErr(f Format, name string) error {
	return &ParseError{File: name, Offset: -1, Format: f, Msg: "reader not implemented yet", Err: ErrUnknownFormat}
}

func sniffCSV(string, []byte) int      { return 0 }
func sniffWhatsApp(string, []byte) int { return 0 }
func sniffDiscord(string, []byte) int  { return 0 }
func sniffTelegram(string, []byte) int { return 0 }
func sniffMeta(string, []byte) int     { return 0 }
func sniffSnapchat(string, []byte) int { return 0 }
func sniffSlack(string, []byte) int    { return 0 }
func sniffPAN12(string, []byte) int    { return 0 }

func newCSVReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatCSV, name)
}
func newWhatsAppReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatWhatsApp, name)
}
func newDiscordReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatDiscord, name)
}
func newTelegramReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatTelegram, name)
}
func newMetaReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatMeta, name)
}
func newSnapchatReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatSnapchat, name)
}
func newSlackReader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatSlack, name)
}
func newPAN12Reader(name string, r io.Reader, o Options) (Reader, error) {
	return nil, stubErr(FormatPAN12, name)
}
func newSlackFSReader(fsys fs.FS, name string, o Options) (Reader, error) {
	return nil, stubErr(FormatSlack, name)
}
func newWhatsAppFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	return nil, stubErr(FormatWhatsApp, name)
}
func newMetaFSReader(fsys fs.FS, name string, names []string, o Options) (Reader, error) {
	return nil, stubErr(FormatMeta, name)
}
