package corpus

// A folder or archive that is no known export layout but holds chat files of stream formats: the
// exports a user gathered in one place (several DiscordChatExporter channels, a WhatsApp chat and
// a Snapchat history, chats copied into .txt files). Each file is detected on its own content and
// read in turn; files of no chat format (pictures, style sheets, notes the text reader would take
// for prose) are passed over, and said so in one problem.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
)

// multiSkipExt lists extensions that never hold a chat: media, page assets, archives.
var multiSkipExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".heic": true, ".bmp": true,
	".svg": true, ".ico": true, ".mp4": true, ".mov": true, ".webm": true, ".mp3": true, ".m4a": true,
	".ogg": true, ".opus": true, ".wav": true, ".caf": true, ".pdf": true, ".css": true, ".js": true,
	".woff": true, ".woff2": true, ".ttf": true, ".zip": true, ".vcf": true,
}

// multiFile is one file to read and its detected format.
type multiFile struct {
	path   string
	format Format
}

// planMultiFS detects the format of each file of a folder or archive from its first bytes. Files
// of no chat format are counted in skipped. A plain-text file is taken only when its name says
// text (.txt, .log): in a folder, other text files are notes, licences, style sheets.
func planMultiFS(fsys fs.FS, names []string) (files []multiFile, skipped int, err error) {
	for _, n := range names {
		ext := strings.ToLower(path.Ext(n))
		if multiSkipExt[ext] {
			skipped++
			continue
		}
		head, err := readHead(fsys, n)
		if err != nil {
			return nil, 0, err
		}
		f := Detect(n, head)
		if f == FormatUnknown || (f == FormatText && ext != ".txt" && ext != ".log") {
			skipped++
			continue
		}
		files = append(files, multiFile{path: n, format: f})
	}
	return files, skipped, nil
}

// readHead returns the first sniffBytes of a file, decoded as NewReader decodes it.
func readHead(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, sniffBytes))
	if err != nil {
		return nil, err
	}
	head, _ := decodeInput(bufio.NewReaderSize(bytes.NewReader(b), sniffBytes)).Peek(sniffBytes)
	return head, nil
}

// multiReader reads the planned files one after the other. A file that cannot be opened or read
// is a problem, and the next file is read: one bad export does not hide the others.
type multiReader struct {
	problems
	fsys  fs.FS
	name  string
	opts  Options
	files []multiFile
	cur   Reader
	curF  fs.File
	conv  *Conversation
	last  Format
}

func newMultiReader(fsys fs.FS, name string, files []multiFile, skipped int, opts Options) *multiReader {
	r := &multiReader{fsys: fsys, name: name, opts: opts, files: files}
	if skipped > 0 {
		r.add(&ParseError{File: name, Offset: -1, Msg: fmt.Sprintf("%d file(s) of no chat format passed over", skipped)})
	}
	if len(files) > 0 {
		r.last = files[0].format
	}
	return r
}

func (r *multiReader) Conversation() *Conversation { return r.conv }
func (r *multiReader) Err() error                  { return nil }
func (r *multiReader) Format() Format              { return r.last }

func (r *multiReader) Close() error {
	return r.closeCur()
}

func (r *multiReader) closeCur() error {
	var err error
	if r.cur != nil {
		err = r.cur.Close()
		r.cur = nil
	}
	if r.curF != nil {
		if cerr := r.curF.Close(); err == nil {
			err = cerr
		}
		r.curF = nil
	}
	return err
}

// Next reads the next conversation of the current file, else opens the next file.
func (r *multiReader) Next() bool {
	r.conv = nil
	for {
		if r.cur != nil {
			if r.cur.Next() {
				r.conv = r.cur.Conversation()
				return true
			}
			for _, p := range r.cur.Problems() {
				r.add(p)
			}
			if err := r.cur.Err(); err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					pe = &ParseError{File: r.name, Offset: -1, Msg: "read", Err: err}
				}
				r.add(pe)
			}
			_ = r.closeCur()
		}
		if len(r.files) == 0 {
			return false
		}
		mf := r.files[0]
		r.files = r.files[1:]
		r.last = mf.format
		f, err := r.fsys.Open(mf.path)
		if err != nil {
			r.add(&ParseError{File: joinDisplay(r.name, mf.path), Offset: -1, Msg: "open", Err: err})
			continue
		}
		opts := r.opts
		opts.Format = mf.format
		rd, err := NewReader(filepath.Join(r.name, mf.path), f, opts)
		if err != nil {
			_ = f.Close()
			var pe *ParseError
			if !errors.As(err, &pe) {
				pe = &ParseError{File: joinDisplay(r.name, mf.path), Offset: -1, Msg: "open", Err: err}
			}
			r.add(pe)
			continue
		}
		r.cur, r.curF = rd, f
	}
}
