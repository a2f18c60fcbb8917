package corpus

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sniffBytes is how much of an input [Detect] looks at.
const sniffBytes = 64 << 10

// formatSpec ties a format to its content sniffer and its stream reader.
type formatSpec struct {
	format Format
	// sniff returns a confidence from 0 (not this format) to 100 (certainly this format), from the
	// first bytes of the input (at most sniffBytes, possibly cut mid-record) and the file name as a hint.
	sniff func(name string, head []byte) int
	// open returns a reader over r. name is used in errors only.
	open func(name string, r io.Reader, opts Options) (Reader, error)
}

// specs lists the stream formats. Zip archives and folders are handled by openFS.
func specs() []formatSpec {
	return []formatSpec{
		{FormatJSONL, sniffJSONL, newJSONLReader},
		{FormatCSV, sniffCSV, newCSVReader},
		{FormatWhatsApp, sniffWhatsApp, newWhatsAppReader},
		{FormatDiscord, sniffDiscord, newDiscordReader},
		{FormatTelegram, sniffTelegram, newTelegramReader},
		{FormatMeta, sniffMeta, newMetaReader},
		{FormatSnapchat, sniffSnapchat, newSnapchatReader},
		{FormatSlack, sniffSlack, newSlackReader},
		{FormatPAN12, sniffPAN12, newPAN12Reader},
		{FormatSMS, sniffSMSBackup, newSMSReader},
		{FormatTikTok, sniffTikTok, newTikTokReader},
		{FormatIMessage, sniffIMessage, newIMessageReader},
		{FormatGoogleChat, sniffGoogleChat, newGoogleChatReader},
		{FormatText, sniffText, newTextReader}, // the fallback: any other text
	}
}

func specFor(f Format) (formatSpec, bool) {
	for _, s := range specs() {
		if s.format == f {
			return s, true
		}
	}
	return formatSpec{}, false
}

// ParseFormat returns the Format named s ("whatsapp", "jsonl", ...), or an error listing the names.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if strings.EqualFold(string(f), s) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return FormatUnknown, fmt.Errorf("unknown format %q (want one of %s)", s, strings.Join(names, ", "))
}

// Detect returns the most likely format of an input from its first bytes (up to 64 KiB is enough)
// and its file name, which is only a hint. It returns FormatUnknown when nothing matches.
func Detect(name string, head []byte) Format {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	best, bestScore := FormatUnknown, 0
	for _, s := range specs() {
		if sc := s.sniff(name, head); sc > bestScore {
			best, bestScore = s.format, sc
		}
	}
	return best
}

// NewReader returns a reader over r, detecting the format from its content unless opts.Format is set.
// name is used for format hints and in error positions. NewReader does not close r.
// Zip archives need random access: use [Open] for them.
func NewReader(name string, r io.Reader, opts Options) (Reader, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	f := opts.Format
	if f == FormatUnknown {
		head, err := br.Peek(sniffBytes)
		if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
			if len(head) == 0 {
				return nil, &ParseError{File: name, Offset: 0, Msg: "read", Err: err}
			}
			// A read error within the first bytes: detect the format from what came before it, which
			// the reader then reads before it meets the error (bufio hands an error out only once).
			br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(head)), errReader{err}), sniffBytes)
		}
		if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			return nil, &ParseError{File: name, Offset: 0, Msg: "zip archives must be opened from a file (use Open)", Err: ErrUnknownFormat}
		}
	}
	br = decodeInput(br)
	if f == FormatUnknown {
		head, _ := br.Peek(sniffBytes) // a read error comes back from the reader, after these bytes
		if f = Detect(name, head); f == FormatUnknown {
			msg := "cannot tell the format from the content (use --format)"
			t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
			switch {
			case len(t) == 0:
				msg = "the input is empty: no conversation to read"
			case t[0] == '<':
				msg += htmlHint
			}
			return nil, &ParseError{File: name, Offset: 0, Err: ErrUnknownFormat, Msg: msg}
		}
	}
	s, ok := specFor(f)
	if !ok {
		return nil, fmt.Errorf("%s: %w: %q", name, ErrUnknownFormat, f)
	}
	return s.open(name, stripBOM(br), opts)
}

// stripBOM drops a leading UTF-8 byte order mark.
func stripBOM(br *bufio.Reader) *bufio.Reader {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	return br
}

// startsWithMarkup says whether r's first non-blank byte is '<', and returns a reader that still
// gives every byte.
func startsWithMarkup(r io.Reader) (*bufio.Reader, bool) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	head, _ := br.Peek(min(br.Size(), 4096))
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return br, len(t) > 0 && t[0] == '<'
}

// Open opens a file, a zip archive or an export folder and returns a reader over it: a WhatsApp or
// Slack export, an Instagram or Messenger download or thread (message_N.json or message_N.html
// files), a Telegram Desktop export, an imessage-exporter txt or html export, or an archive or
// folder of other chat files, each read in the format its content shows (see multifile.go). The
// caller must Close the reader.
func Open(path string, opts Options) (Reader, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return openFS(os.DirFS(path), path, nil, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var magic [4]byte
	n, _ := io.ReadFull(f, magic[:])
	if n == 4 && string(magic[:]) == "PK\x03\x04" { // a zip archive, whatever the format asked: its files are read
		_ = f.Close()
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, &ParseError{File: path, Offset: 0, Msg: "open zip", Err: err}
		}
		r, err := openFS(zr, path, zr, opts)
		if err != nil {
			_ = zr.Close()
		}
		return r, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, err
	}
	r, err := NewReader(path, f, opts)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &closingReader{Reader: r, c: f}, nil
}

// openFS picks the reader for an export folder or archive from the names of the files it holds.
// closer, when not nil, is closed with the returned reader.
func openFS(fsys fs.FS, name string, closer io.Closer, opts Options) (Reader, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		if len(names) > 200000 {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return nil, &ParseError{File: name, Offset: -1, Msg: "list files", Err: err}
	}
	sort.Strings(names)
	f := opts.Format
	if f == FormatUnknown {
		f = detectFS(names)
		// imessage-exporter names its files after the chats ("Family Chat - 12.txt", "messages.html"),
		// which the names alone may take for WhatsApp, Telegram or Meta: its files' content tells.
		if (f == FormatUnknown || f == FormatWhatsApp || f == FormatTelegram || f == FormatMeta) && isIMessageFS(fsys, names) {
			f = FormatIMessage
		}
	}
	var r Reader
	if f == FormatDiscord && len(discordPackageChannels(names, false)) == 0 {
		f = FormatUnknown // the exporter's files: read as a folder of files below
	}
	if f == FormatGoogleChat && !isGoogleChatFS(names) {
		f = FormatUnknown // a lone messages.json: read as a stream below
	}
	switch f {
	case FormatDiscord:
		r, err = newDiscordPackageFSReader(fsys, name, names, opts)
	case FormatGoogleChat:
		r, err = newGoogleChatFSReader(fsys, name, names, opts)
	case FormatSlack:
		r, err = newSlackFSReader(fsys, name, opts)
	case FormatWhatsApp:
		r, err = newWhatsAppFSReader(fsys, name, names, opts)
	case FormatMeta:
		r, err = newMetaFSReader(fsys, name, names, opts)
	case FormatTelegram:
		r, err = newTelegramFSReader(fsys, name, names, opts)
	case FormatIMessage:
		r, err = newIMessageFSReader(fsys, name, names, opts)
	default:
		// A folder or archive holding one file of a stream format.
		if len(names) == 1 {
			var rc fs.File
			if rc, err = fsys.Open(names[0]); err != nil {
				return nil, err
			}
			r, err = NewReader(filepath.Join(name, names[0]), rc, opts)
			if err != nil {
				_ = rc.Close()
				return nil, err
			}
			r = &closingReader{Reader: r, c: rc}
			break
		}
		// Several files: each read on its own when its content says it is a chat.
		if opts.Format == FormatUnknown {
			files, skipped, perr := planMultiFS(fsys, names)
			if perr != nil {
				return nil, &ParseError{File: name, Offset: -1, Msg: "read", Err: perr}
			}
			if len(files) > 0 {
				r = newMultiReader(fsys, name, files, skipped, opts)
				break
			}
		}
		msg := "no chat export in this folder or archive"
		if hasHTML(names) {
			msg += htmlHint
		}
		if opts.Format != FormatUnknown {
			msg = fmt.Sprintf("no %s export layout in this folder or archive of several files: pass the files, or leave --format out", opts.Format)
		}
		return nil, &ParseError{File: name, Offset: -1, Err: ErrUnknownFormat, Msg: msg}
	}
	if err != nil {
		return nil, err
	}
	if closer != nil {
		r = &closingReader{Reader: r, c: closer}
	}
	return r, nil
}

// htmlHint ends the error of an HTML page or a folder of pages that no reader recognizes: which
// HTML exports are read, and that the others must be downloaded in JSON (Snapchat's and TikTok's
// HTML pages are not read).
const htmlHint = "; HTML pages are read from Telegram, Instagram and Messenger downloads, " +
	"DiscordChatExporter and imessage-exporter: download Snapchat or TikTok data in JSON"

// hasHTML says whether any of names is an HTML page.
func hasHTML(names []string) bool {
	for _, n := range names {
		if ext := strings.ToLower(filepath.Ext(n)); ext == ".html" || ext == ".htm" {
			return true
		}
	}
	return false
}

// detectFS recognizes an export folder or archive from its file names.
func detectFS(names []string) Format {
	if isDiscordPackageFS(names) {
		return FormatDiscord // channel.json beside messages.json or .csv: no other export writes them
	}
	if isGoogleChatFS(names) {
		// group_info.json beside messages.json, or Groups/<conversation>/messages.json; before the
		// counts below, as a Takeout's other products (Drive) can hold any file.
		return FormatGoogleChat
	}
	if tgFSPages(names) {
		return FormatTelegram // messages*.html: no other export writes them
	}
	var slack, meta, wa int
	for _, n := range names {
		base := filepath.Base(n)
		switch {
		case base == "channels.json" || base == "users.json" || base == "dms.json" || base == "mpims.json" || base == "groups.json":
			slack++
		case metaFileNumber(base) >= 0:
			meta++
		case strings.HasSuffix(base, ".txt") && (base == "_chat.txt" || strings.Contains(strings.ToLower(base), "whatsapp") || strings.Contains(strings.ToLower(base), "chat")):
			wa++
		}
	}
	switch {
	case slack >= 1:
		return FormatSlack
	case meta >= 1:
		return FormatMeta
	case wa >= 1:
		return FormatWhatsApp
	case tgFSJSON(names):
		return FormatTelegram
	}
	return FormatUnknown
}

// closingReader closes an extra resource with the reader.
type closingReader struct {
	Reader
	c io.Closer
}

func (r *closingReader) Close() error {
	err := r.Reader.Close()
	if cerr := r.c.Close(); err == nil {
		err = cerr
	}
	return err
}

// problems collects the non-fatal problems of a reader.
type problems struct {
	list  []*ParseError
	count int
}

func (p *problems) add(e *ParseError) {
	p.count++
	if len(p.list) < MaxProblems {
		p.list = append(p.list, e)
	}
}

// Problems returns the kept problems.
func (p *problems) Problems() []*ParseError { return p.list }

// addReadErr records the error that ended the reading of one file of an export folder: as it is
// when it is a *ParseError, else as a read error of file; kept says that the messages read before
// it are kept.
func (p *problems) addReadErr(err error, file string, f Format, kept bool) {
	var pe *ParseError
	if !errors.As(err, &pe) {
		pe = &ParseError{File: file, Offset: -1, Format: f, Msg: "read", Err: err}
	}
	if kept {
		pe.Msg = strings.TrimSpace(pe.Msg + " (the messages before it are kept)")
	}
	p.add(pe)
}

// sliceReader serves conversations that were read in one pass (formats whose files hold one thread,
// such as a Discord or Snapchat export).
type sliceReader struct {
	problems
	format Format
	convs  []*Conversation
	cur    *Conversation
	err    error
}

func (r *sliceReader) Next() bool {
	if len(r.convs) == 0 {
		r.cur = nil
		return false
	}
	r.cur, r.convs = r.convs[0], r.convs[1:]
	return true
}
func (r *sliceReader) Conversation() *Conversation { return r.cur }
func (r *sliceReader) Err() error                  { return r.err }
func (r *sliceReader) Format() Format              { return r.format }
func (r *sliceReader) Close() error                { return nil }

// ReadAll reads every conversation of r. It returns what it read before the first fatal error along
// with that error.
func ReadAll(r Reader) ([]*Conversation, error) {
	var out []*Conversation
	for r.Next() {
		out = append(out, r.Conversation())
	}
	return out, r.Err()
}

// applyPredators fills Label, Suspects and roles from a predator id set.
func applyPredators(c *Conversation, predators map[string]bool) {
	if predators == nil {
		return
	}
	c.Suspects = c.Suspects[:0]
	for _, a := range c.Authors() {
		if predators[a] {
			c.Suspects = append(c.Suspects, a)
		}
	}
	if len(c.Suspects) > 0 {
		c.Label = LabelGrooming
	} else {
		c.Suspects = nil
		if c.Label == LabelNone {
			c.Label = LabelBenign
		}
	}
	c.EnsureParticipants()
}
