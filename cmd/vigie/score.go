package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
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
	File   string        `json:"file"`
	SHA256 string        `json:"sha256,omitempty"`
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
	lang := fs.String("lang", "", "language of the summary and advice: fr or en (default: each conversation's)")
	failOn := fs.String("fail-on", "any", "exit 1 when this head is flagged: none, grooming, sextortion or any")
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
	hashes := map[string]string{}
	var werr error
	st, err := eachConversation(fs.Args(), opts, os.Stdin, stderr, func(c *corpus.Conversation) error {
		rep, err := det.Analyze(ctx, c)
		if err != nil {
			return err
		}
		g, s := rep.Grooming.Flagged, rep.Sextortion.Flagged
		switch *failOn {
		case "any":
			flagged = flagged || g || s
		case "grooming":
			flagged = flagged || g
		case "sextortion":
			flagged = flagged || s
		}
		if *asJSON {
			file := c.Source.File
			if _, ok := hashes[file]; !ok {
				hashes[file] = fileSHA256(file)
			}
			return enc.Encode(scored{Report: rep, AnalyzedAt: time.Now().UTC().Truncate(time.Second), Vigie: vigieVersion(),
				Input: inputInfo{File: file, SHA256: hashes[file], Format: c.Source.Format, Reader: c.Source.Reader}})
		}
		werr = writeSummary(stdout, c, rep)
		return werr
	})
	if err != nil {
		fmt.Fprintf(stderr, "vigie score: %s\n", oneLine(err))
		return exitError
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

// writeSummary writes the plain-text verdict of one conversation.
func writeSummary(w io.Writer, c *corpus.Conversation, r *detect.Report) error {
	fr := r.Lang == "fr"
	t := func(en, f string) string {
		if fr {
			return f
		}
		return en
	}
	var b strings.Builder
	fmt.Fprintf(&b, "== %s (%s, %d messages)\n", r.ID, nonEmpty(r.Platform, "?"), r.Messages)
	verdict := t("nothing flagged", "aucune alerte")
	switch {
	case r.Sextortion.Flagged && r.Grooming.Flagged:
		verdict = t("FLAGGED: grooming and sextortion", "ALERTE : pédopiégeage et sextorsion")
	case r.Sextortion.Flagged:
		verdict = t("FLAGGED: sextortion", "ALERTE : sextorsion")
	case r.Grooming.Flagged:
		verdict = t("FLAGGED: grooming", "ALERTE : pédopiégeage")
	}
	fmt.Fprintf(&b, "%s: %s\n", t("Verdict", "Verdict"), verdict)
	for _, h := range []struct {
		name string
		s    detect.HeadScore
	}{{t("grooming", "pédopiégeage"), r.Grooming}, {t("sextortion", "sextorsion"), r.Sextortion}} {
		fmt.Fprintf(&b, "  %-13s %s %.2f (%s %.2f)\n", h.name, bar(h.s.Score, 20), h.s.Score, t("threshold", "seuil"), h.s.Threshold)
	}
	if r.Suspect != nil {
		fmt.Fprintf(&b, "%s: %s\n", t("Suspect", "Auteur suspecté"), *r.Suspect)
	}
	if len(r.Timeline) > 0 {
		fmt.Fprintf(&b, "%s:\n", t("Stages", "Étapes"))
		for _, e := range r.Timeline {
			off := e.Offset
			if off == "" {
				off = "#" + e.MessageID
			}
			fmt.Fprintf(&b, "  %-9s %-20s %s (%d)\n", off, e.Stage, e.Author, e.Count)
		}
	}
	if ev := strongest(r.Evidence, 5); len(ev) > 0 {
		fmt.Fprintf(&b, "%s:\n", t("Strongest evidence", "Éléments les plus forts"))
		for _, e := range ev {
			fmt.Fprintf(&b, "  [%s] #%s %s: %q (%s)\n", e.Stage, e.MessageID, e.Author, e.Quote, timeOr(e.Time))
		}
	}
	if len(r.Legal) > 0 && (r.Grooming.Flagged || r.Sextortion.Flagged) {
		fmt.Fprintf(&b, "%s:\n", t("Legal elements the evidence is relevant to", "Éléments juridiques concernés"))
		for _, l := range r.Legal {
			fmt.Fprintf(&b, "  %s — %s\n", l.Ref, l.Name)
		}
	}
	fmt.Fprintf(&b, "%s\n", r.Advice.Title)
	for _, s := range r.Advice.Steps {
		fmt.Fprintf(&b, "  - %s\n", s)
	}
	fmt.Fprintf(&b, "%s\n\n", r.Disclaimer)
	_, err := io.WriteString(w, b.String())
	return err
}

func bar(v float64, n int) string {
	k := int(v*float64(n) + 0.5)
	k = max(0, min(n, k))
	return "[" + strings.Repeat("#", k) + strings.Repeat(".", n-k) + "]"
}

func strongest(ev []detect.Evidence, n int) []detect.Evidence {
	out := append([]detect.Evidence(nil), ev...)
	// stable selection of the n heaviest, in conversation order
	for i := 0; i < len(out); i++ {
		for j := i + 1; j < len(out); j++ {
			if out[j].Weight > out[i].Weight {
				out[i], out[j] = out[j], out[i]
			}
		}
		if i+1 == n {
			out = out[:n]
			break
		}
	}
	return out
}

func timeOr(t *time.Time) string {
	if t == nil {
		return "time unknown"
	}
	return t.Format("2006-01-02 15:04")
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
