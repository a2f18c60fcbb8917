package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// scored is one line of `vigie score --json`: the report plus where its input came from.
type scored struct {
	*detect.Report
	Input      inputInfo `json:"input"`
	AnalyzedAt time.Time `json:"analyzed_at"`
	Vigie      string    `json:"vigie"`
}

type inputInfo struct {
	File string `json:"file"`
	// SHA256 is the hash of the file; for a folder, the hash of its manifest (the lines
	// "<sha256>  <path>" of its files in path order, as sha256sum writes them), listed in Files.
	SHA256 string        `json:"sha256,omitempty"`
	Files  []fileHash    `json:"files,omitempty"`
	Format corpus.Format `json:"format"`
	Reader string        `json:"reader"`
}

// modelFlags are the flags of commands that load a model.
type modelFlags struct {
	model, backend, lib string
}

func (m *modelFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&m.model, "model", "", "model file written by 'vigie train' (default: the embedded model)")
	fs.StringVar(&m.backend, "backend", "auto", "auto (ONNX Runtime when installed, else pure Go), onnx or go")
	fs.StringVar(&m.lib, "onnxruntime", "", "path of libonnxruntime.so (default: $ONNXRUNTIME_LIB, the install cache, system paths)")
}

func (m *modelFlags) detector(lang string) (*detect.Detector, error) {
	return detect.New(detect.Options{ModelPath: m.model, Backend: m.backend, ONNXLibrary: m.lib, Lang: lang})
}

func runScore(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("score", "FILE... (- for standard input)", stderr)
	var in inputFlags
	in.register(fs)
	var mf modelFlags
	mf.register(fs)
	asJSON := fs.Bool("json", false, "write one JSON object per conversation (JSON Lines) instead of the summary")
	lang := fs.String("lang", "", "language of the summary, report and advice: fr or en (default: each conversation's language, else the system locale)")
	failOn := fs.String("fail-on", "any", "exit 1 when this head is flagged: none, grooming, sextortion or any")
	htmlOut := fs.String("html", "", "also write a self-contained HTML evidence report to this file (one section per conversation)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "vigie score: no input file (use - for standard input)")
		fs.Usage()
		return exitError
	}
	switch *failOn {
	case "none", "grooming", "sextortion", "any":
	default:
		fmt.Fprintf(stderr, "vigie score: --fail-on %q: want none, grooming, sextortion or any\n", *failOn)
		return exitError
	}
	switch *lang {
	case "", langFR, langEN:
	default:
		fmt.Fprintf(stderr, "vigie score: --lang %q: want fr or en\n", *lang)
		return exitError
	}
	if *htmlOut != "" {
		if in, same := sameFileAsInput(*htmlOut, fs.Args()); same {
			fmt.Fprintf(stderr, "vigie score: --html %s: would write over or into the input %s; reports never modify inputs\n", *htmlOut, in)
			return exitError
		}
	}
	opts, err := in.options()
	if err != nil {
		fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
		return exitError
	}
	det, err := mf.detector(*lang)
	if err != nil {
		fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
		return exitError
	}
	defer det.Close()
	ctx := context.Background()
	flagged := false
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	hashes := map[string]inputInfo{}
	color := useColor(stdout, os.Getenv)
	var sections []*htmlSection
	var recap []recapItem // summary mode: what the closing recap lists
	prog := newProgress(stderr, "vigie score", 0)
	st, err := eachConversation(fs.Args(), opts, os.Stdin, stderr, func(c *corpus.Conversation) error {
		rep, err := det.Analyze(ctx, c)
		if err != nil {
			return err
		}
		localize(rep, reportLang(*lang, rep.ConvLang))
		nonNilLists(rep)
		g, s := rep.Grooming.Flagged, rep.Sextortion.Flagged
		switch *failOn {
		case "any":
			flagged = flagged || g || s
		case "grooming":
			flagged = flagged || g
		case "sextortion":
			flagged = flagged || s
		}
		file := c.Source.File
		if _, ok := hashes[file]; !ok {
			hashes[file] = hashInput(file)
		}
		now := time.Now().UTC().Truncate(time.Second)
		info := inputInfo{File: file, SHA256: hashes[file].SHA256, Files: hashes[file].Files, Format: c.Source.Format, Reader: c.Source.Reader}
		if *htmlOut != "" {
			sections = append(sections, newHTMLSection(len(sections)+1, c, rep, info, now, vigieVersion()))
		}
		prog.Clear()
		defer prog.Add(1)
		if *asJSON {
			return enc.Encode(scored{Report: rep, AnalyzedAt: now, Vigie: vigieVersion(), Input: info})
		}
		recap = append(recap, newRecapItem(rep, c.Title, file))
		return writeSummary(stdout, c, rep, summaryOptions{color: color, file: file})
	})
	prog.Done()
	if err != nil {
		fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
		return exitError
	}
	if len(recap) > 1 {
		if err := writeRecap(stdout, recap, recapLang(*lang, recap, os.Getenv), color); err != nil {
			fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
			return exitError
		}
	}
	if *htmlOut != "" {
		docLang := *lang
		if docLang == "" && len(sections) > 0 {
			docLang = sections[0].Lang
		}
		if docLang == "" {
			docLang = systemLang(os.Getenv)
		}
		doc := &htmlDoc{Lang: docLang, L: labelsFor(docLang), Generated: time.Now().UTC().Format(time.RFC3339),
			Vigie: vigieVersion(), Sections: sections}
		if err := writeHTMLFile(*htmlOut, doc); err != nil {
			fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
			return exitError
		}
		fmt.Fprintf(stderr, "vigie score: HTML report written to %s\n", *htmlOut)
	}
	fmt.Fprintf(stderr, "vigie score: %s; model %s %s (%s)\n", st, det.Model().Name, det.Model().Version, det.Model().Engine)
	if st.failed > 0 {
		return exitError
	}
	if flagged {
		return exitFlagged
	}
	return exitOK
}

// nonNilLists makes the report's lists empty rather than null in JSON: the contract says evidence
// is a list. (detect leaves Evidence nil when no cue matched.)
func nonNilLists(r *detect.Report) {
	if r.Evidence == nil {
		r.Evidence = []detect.Evidence{}
	}
	if r.Timeline == nil {
		r.Timeline = []detect.StageEvent{}
	}
	if r.Legal == nil {
		r.Legal = []detect.LegalRef{}
	}
	if r.Authors == nil {
		r.Authors = []detect.AuthorScore{}
	}
}

// fileHash is one file of an input folder.
type fileHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// hashInput hashes an input for evidence preservation: a file's SHA-256, or for a folder the
// SHA-256 of its manifest and each file's. Nothing is hashed for standard input.
func hashInput(path string) inputInfo {
	st, err := os.Stat(path)
	if err != nil {
		return inputInfo{}
	}
	if !st.IsDir() {
		return inputInfo{SHA256: fileSHA256(path)}
	}
	var files []fileHash
	_ = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(path, p)
		files = append(files, fileHash{Path: filepath.ToSlash(rel), SHA256: fileSHA256(p)})
		return nil
	})
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s  %s\n", f.SHA256, f.Path)
	}
	return inputInfo{SHA256: hex.EncodeToString(h.Sum(nil)), Files: files}
}

// fileSHA256 returns the hex SHA-256 of a file, "" when it cannot be read (standard input).
func fileSHA256(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || st.IsDir() {
		return ""
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
