// Command benchtool writes the benchmark fixtures and runs the in-process peers of
// bench/peers.sh. It is a tool for the benchmarks, not part of Vigie.
//
//	benchtool gen -o DIR [-msgs N] [-size S]   bench.jsonl, messages.txt (one message per line)
//	benchtool big -o FILE -mb N [-size S]      canonical JSONL of about N MB, streamed
//	benchtool fasttext IN.jsonl... > train.txt one fastText line per message, its conversation's label
//	benchtool peer -mode M [-limit N] FILE     run peer M over FILE, print its CPU time as JSON
//
// Peer modes: lower (read FILE line by line and lower-case it: the floor), regexp (the lexicon
// phrases in one regexp alternation, over each line of a messages.txt), hf (sugarme/tokenizer
// WordPiece with features/testdata/tokenizer/wordpiece_tiny.json, over each line), vigie (corpus
// reader + detect.Detector.Analyze over a canonical JSONL file; -model and -backend).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigie/vigie/bench"
	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtool gen|big|fasttext|peer ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "big":
		err = big(os.Args[2:])
	case "fasttext":
		err = fastText(os.Args[2:])
	case "peer":
		err = peer(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtool %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	out := fs.String("o", "", "output folder")
	msgs := fs.Int("msgs", 100000, "messages in all")
	size := fs.Int("size", 100, "messages per conversation")
	fs.Parse(args)
	if *out == "" || *size <= 0 || *msgs < *size {
		return fmt.Errorf("need -o, and -msgs >= -size > 0")
	}
	fx, err := bench.DefaultFixtures()
	if err != nil {
		return err
	}
	cs := fx.Conversations(*msgs / *size, *size)
	data, err := bench.JSONL(cs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "bench.jsonl"), data, 0o644); err != nil {
		return err
	}
	var txt strings.Builder
	for _, c := range cs {
		for i := range c.Messages {
			txt.WriteString(c.Messages[i].Text)
			txt.WriteByte('\n')
		}
	}
	n, b := bench.Count(cs)
	fmt.Fprintf(os.Stderr, "benchtool gen: %d conversations, %d messages, %d text bytes, %d JSONL bytes\n", len(cs), n, b, len(data))
	return os.WriteFile(filepath.Join(*out, "messages.txt"), []byte(txt.String()), 0o644)
}

// big streams conversations to a file until it holds about mb megabytes, never holding more than
// one batch of conversations.
func big(args []string) error {
	fs := flag.NewFlagSet("big", flag.ExitOnError)
	out := fs.String("o", "", "output file")
	mb := fs.Int("mb", 100, "size in MB (10^6 bytes)")
	size := fs.Int("size", 100, "messages per conversation")
	fs.Parse(args)
	fx, err := bench.DefaultFixtures()
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	cs := fx.Conversations(1000, *size)
	var written int64
	msgs := 0
	for k := 0; written < int64(*mb)*1e6; k++ {
		for _, c := range cs {
			c.ID = fmt.Sprintf("big-%d-%s", k, c.Messages[0].Author)
			b, err := corpus.MarshalConversation(c)
			if err != nil {
				return err
			}
			w.Write(b)
			w.WriteByte('\n')
			written += int64(len(b) + 1)
			msgs += len(c.Messages)
			if written >= int64(*mb)*1e6 {
				break
			}
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchtool big: %d messages, %d bytes\n", msgs, written)
	return f.Close()
}

// fastText writes one training line per message of the labeled conversations of canonical JSONL
// files: "__label__<label> <text on one line>". Conversations without a label are skipped.
func fastText(args []string) error {
	w := bufio.NewWriter(os.Stdout)
	for _, p := range args {
		r, err := corpus.Open(p, corpus.Options{Format: corpus.FormatJSONL})
		if err != nil {
			return err
		}
		for r.Next() {
			c := r.Conversation()
			if c.Label == corpus.LabelNone {
				continue
			}
			for i := range c.Messages {
				t := strings.Join(strings.Fields(c.Messages[i].Text), " ")
				if t != "" && !c.Messages[i].System {
					fmt.Fprintf(w, "__label__%s %s\n", c.Label, t)
				}
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		r.Close()
	}
	return w.Flush()
}

type result struct {
	Mode     string  `json:"mode"`
	Messages int     `json:"messages"`
	Bytes    int64   `json:"bytes"`
	CPUSec   float64 `json:"cpu_s"`  // getrusage user+system over the measured loop, setup excluded
	WallSec  float64 `json:"wall_s"` // wall clock over the same loop
	MaxRSSMB float64 `json:"max_rss_mb"`
	Note     string  `json:"note,omitempty"`
}

func peer(args []string) error {
	fs := flag.NewFlagSet("peer", flag.ExitOnError)
	mode := fs.String("mode", "", "lower, regexp, hf or vigie")
	limit := fs.Int("limit", 0, "read at most this many lines (0: all)")
	model := fs.String("model", "", "model file for -mode vigie (default: the embedded model)")
	backend := fs.String("backend", "go", "backend for -mode vigie")
	fs.Parse(args)
	if fs.NArg() != 1 {
		return fmt.Errorf("need one input file")
	}
	path := fs.Arg(0)
	res := result{Mode: *mode}
	var run func() error
	switch *mode {
	case "lower":
		run = func() error {
			f, err := os.Open(path)
			if err != nil {
				return err
			}
			defer f.Close()
			bench.LowerLines(nil, f, func(l []byte) { res.Messages++; res.Bytes += int64(len(l)) })
			return nil
		}
	case "regexp", "hf":
		lines, err := readLines(path, *limit)
		if err != nil {
			return err
		}
		var each func(string) error
		if *mode == "regexp" {
			x, err := features.New(features.Options{})
			if err != nil {
				return err
			}
			re, err := bench.NaiveCueRegexp(x.Matcher().Entries())
			if err != nil {
				return err
			}
			each = func(s string) error { re.FindAllStringIndex(s, -1); return nil }
		} else {
			root, err := bench.ModuleRoot()
			if err != nil {
				return err
			}
			f, err := os.Open(filepath.Join(root, "features/testdata/tokenizer/wordpiece_tiny.json"))
			if err != nil {
				return err
			}
			tk, err := features.LoadHFTokenizer(f, features.HFOptions{Instances: 1})
			f.Close()
			if err != nil {
				return err
			}
			res.Note = "60-token test vocabulary"
			dst := make([]int64, 0, 1024)
			each = func(s string) error {
				var err error
				dst, err = tk.Encode(s, dst[:0])
				return err
			}
		}
		run = func() error {
			for _, l := range lines {
				if err := each(l); err != nil {
					return err
				}
				res.Messages++
				res.Bytes += int64(len(l))
			}
			return nil
		}
	case "vigie":
		d, err := detect.New(detect.Options{ModelPath: *model, Backend: *backend})
		if err != nil {
			return err
		}
		defer d.Close()
		res.Note = d.Model().Engine
		run = func() error {
			r, err := corpus.Open(path, corpus.Options{Format: corpus.FormatJSONL})
			if err != nil {
				return err
			}
			defer r.Close()
			ctx := context.Background()
			for r.Next() {
				c := r.Conversation()
				if _, err := d.Analyze(ctx, c); err != nil {
					return err
				}
				res.Messages += len(c.Messages)
				for i := range c.Messages {
					res.Bytes += int64(len(c.Messages[i].Text))
				}
			}
			return r.Err()
		}
	default:
		return fmt.Errorf("unknown mode %q", *mode)
	}
	cpu0, t0 := bench.CPUTime(), time.Now()
	if err := run(); err != nil {
		return err
	}
	res.CPUSec = (bench.CPUTime() - cpu0).Seconds()
	res.WallSec = time.Since(t0).Seconds()
	res.MaxRSSMB = float64(bench.MaxRSS()) / 1e6
	return json.NewEncoder(os.Stdout).Encode(res)
}

func readLines(path string, limit int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && (limit == 0 || len(out) < limit) {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}
