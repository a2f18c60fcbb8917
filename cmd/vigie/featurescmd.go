package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
)

// featuresOutput is one line of `vigie features`: the cues of every message and the feature vector.
type featuresOutput struct {
	ID       string             `json:"id"`
	Lang     string             `json:"lang"`
	Schema   string             `json:"schema"`
	Hits     []featureHit       `json:"hits"`
	Features map[string]float32 `json:"features"`
}

type featureHit struct {
	MessageID string  `json:"message_id"`
	Index     int     `json:"message_index"`
	Author    string  `json:"author"`
	Stage     string  `json:"stage"`
	Cue       string  `json:"cue"`
	Lang      string  `json:"lang,omitempty"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Quote     string  `json:"quote"`
	Weight    float32 `json:"weight"`
	Value     float64 `json:"value,omitempty"`
}

func runFeatures(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("features", "FILE... (- for standard input)", stderr)
	var in inputFlags
	in.register(fs)
	author := fs.String("author", "", "write the author block of this author (default: the author with the most cue weight)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "vigie features: no input file (use - for standard input)")
		return exitError
	}
	opts, err := in.options()
	if err != nil {
		fmt.Fprintf(stderr, "vigie features: %s\n", oneLine(err))
		return exitError
	}
	f, err := detect.NewFeaturizer(detect.FeaturizerConfig{}, features.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "vigie features: %s\n", oneLine(err))
		return exitError
	}
	schema := f.Schema()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	st, err := eachConversation(fs.Args(), opts, os.Stdin, stderr, func(c *corpus.Conversation) error {
		a := f.Analyze(c, false)
		o := featuresOutput{ID: c.ID, Lang: a.Lang, Schema: fmt.Sprintf("%s/v%d/%s", schema.Name, schema.Version, schema.Hash[:12]),
			Hits: []featureHit{}, Features: map[string]float32{}}
		for _, h := range a.Hits {
			text := c.Messages[h.Index].Text
			q := ""
			if h.Start >= 0 && h.End <= len(text) && h.Start <= h.End {
				q = text[h.Start:h.End]
			}
			o.Hits = append(o.Hits, featureHit{MessageID: h.ID, Index: h.Index, Author: h.Author, Stage: h.Stage.String(),
				Cue: h.Cue, Lang: h.Lang, Start: h.Start, End: h.End, Quote: q, Weight: h.Weight, Value: h.Value})
		}
		vec := a.Agg.AppendFeatures(nil, *author)
		for i, name := range schema.Names {
			o.Features[name] = vec[i]
		}
		return enc.Encode(o)
	})
	if err != nil {
		fmt.Fprintf(stderr, "vigie features: %s\n", oneLine(err))
		return exitError
	}
	fmt.Fprintf(stderr, "vigie features: %s\n", st)
	if st.failed > 0 {
		return exitError
	}
	return exitOK
}
