package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/synth"
)

func runSynth(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("synth", "", stderr)
	seed := fs.Int64("seed", 1, "random seed: the same flags give the same conversations, byte for byte")
	n := fs.Int("n", 100, "number of conversations")
	lang := fs.String("lang", "", "fr, en, or empty for both")
	share := fs.Float64("positive-share", 0.5, "share of positive (sextortion) conversations")
	kinds := fs.String("kinds", "", "comma-separated scripts to use (default all): "+kindNames())
	plain := fs.Bool("no-obfuscation", false, "no SMS spellings, typos, leetspeak or emoji")
	split := fs.String("split", "", "keep only conversations of this split (train, dev, test; see synth.Split)")
	out := fs.String("o", "", "write to this file instead of standard output")
	excerpts := fs.Bool("excerpts", false, "write each grooming and sextortion conversation as its short excerpt (6 to 18 messages around a request or threat, see synth.Excerpt), dropping those without one; benign look-alikes are written whole")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg := synth.Config{Seed: *seed, N: *n, Lang: *lang, PositiveShare: *share, NoObfuscation: *plain}
	if *kinds != "" {
		for _, k := range strings.Split(*kinds, ",") {
			cfg.Kinds = append(cfg.Kinds, synth.Kind(strings.TrimSpace(k)))
		}
	}
	g, err := synth.NewGenerator(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vigie synth: %s\n", oneLine(err))
		return exitError
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "vigie synth: %s\n", oneLine(err))
			return exitError
		}
		defer f.Close()
		w = f
	}
	jw := corpus.NewJSONLWriter(w)
	count := 0
	for c := g.Next(); c != nil; c = g.Next() {
		if *split != "" && synth.Split(c.ID) != *split {
			continue
		}
		if *excerpts && c.Label != corpus.LabelBenign {
			if c = synth.Excerpt(c); c == nil {
				continue
			}
		}
		if err := jw.Write(c); err != nil {
			fmt.Fprintf(stderr, "vigie synth: write: %s\n", oneLine(err))
			return exitError
		}
		count++
	}
	if err := g.Err(); err != nil {
		fmt.Fprintf(stderr, "vigie synth: %s\n", oneLine(err))
		return exitError
	}
	if err := jw.Flush(); err != nil {
		fmt.Fprintf(stderr, "vigie synth: write: %s\n", oneLine(err))
		return exitError
	}
	fmt.Fprintf(stderr, "vigie synth: %d synthetic conversations (seed %d); synthetic data is never a measure of real-world accuracy\n", count, *seed)
	return exitOK
}

func kindNames() string {
	var s []string
	for _, k := range append(append([]synth.Kind{}, synth.PositiveKinds...), synth.BenignKinds...) {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}
