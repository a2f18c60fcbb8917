// Command linfolds measures Vigie's linear part on the baseline's units, fold by fold, as
// bench/seeds/svm_folds.py measures the TF-IDF + SVM baseline. It is a tool for an offline
// measurement of issue 4 (see detect/testdata/devset/README.md, tenth session), not part of Vigie.
//
//	linfolds normalize DATA_DIR OUT_DIR   copy the units with each message's text passed through
//	                                      Vigie's normalizer (for svm_folds.py fit)
//	linfolds fit [-max-ids N] DATA_DIR OUT_DIR
//	                                      per fold k, train.FitLinear (the wide part's solver) on
//	                                      one row per training unit (Vigie's normalizer and
//	                                      hasher, the unit's ids capped at N), and OUT_DIR/svm-fold{k}.tsv
//	                                      the grooming decision value of fold k's VTPAN rows, for
//	                                      svm_folds.py rank
//
// DATA_DIR holds real_{train,dev,test}.jsonl and synth_{train,dev}.jsonl as bench/baselines/run.sh
// exports them. The folds are those of `vigie train --dev-fold k`: the VTPAN even rows whose
// (row/2) mod 5 is k are held out, the other even rows are trained on; odd rows (the test half)
// are never read past their id. No message text is printed.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/train"
)

const folds = 5

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "normalize":
		if len(os.Args) != 4 {
			usage()
		}
		err = normalize(os.Args[2], os.Args[3])
	case "fit":
		fs := flag.NewFlagSet("fit", flag.ExitOnError)
		maxIDs := fs.Int("max-ids", 4096, "ids kept per unit (Vigie's row cap)")
		_ = fs.Parse(os.Args[2:])
		if fs.NArg() != 2 {
			usage()
		}
		err = fit(fs.Arg(0), fs.Arg(1), *maxIDs)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "linfolds:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: linfolds normalize DATA_DIR OUT_DIR | linfolds fit [-max-ids N] DATA_DIR OUT_DIR")
	os.Exit(2)
}

// eachUnit calls fn with every JSON object of a JSONL file.
func eachUnit(path string, fn func(u map[string]any) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		var u map[string]any
		if err := json.Unmarshal(sc.Bytes(), &u); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if err := fn(u); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	return sc.Err()
}

// texts returns the message texts of a unit.
func texts(u map[string]any) []map[string]any {
	var out []map[string]any
	msgs, _ := u["messages"].([]any)
	for _, m := range msgs {
		if mm, ok := m.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}

func normalize(in, out string) error {
	nz, err := features.NewNormalizer(0)
	if err != nil {
		return err
	}
	var n features.Normalized
	files, err := filepath.Glob(filepath.Join(in, "*.jsonl"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no .jsonl file in %s", in)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, file := range files {
		w, err := os.Create(filepath.Join(out, filepath.Base(file)))
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 1<<20)
		err = eachUnit(file, func(u map[string]any) error {
			for _, m := range texts(u) {
				t, _ := m["text"].(string)
				nz.Normalize(&n, t)
				m["text"] = string(n.Text)
			}
			b, err := json.Marshal(u)
			if err != nil {
				return err
			}
			bw.Write(b)
			return bw.WriteByte('\n')
		})
		if err == nil {
			err = bw.Flush()
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// unit is one unit's label and ids; row is its VTPAN row, -1 for other sources.
type unit struct {
	id, label string
	row       int
	ids       []int64
}

func (u unit) example() train.Example {
	e := train.Example{IDs: u.ids, Labels: []float32{0, 0}}
	if u.label == "grooming" {
		e.Labels[0] = 1
	}
	if u.label == "sextortion" {
		e.Labels[1] = 1
	}
	return e
}

func fit(in, out string, maxIDs int) error {
	nz, err := features.NewNormalizer(0)
	if err != nil {
		return err
	}
	h := features.Hasher{Buckets: 1 << 17, MaxIDs: maxIDs}
	var n features.Normalized
	load := func(file string) ([]unit, error) {
		var us []unit
		err := eachUnit(filepath.Join(in, file), func(m map[string]any) error {
			u := unit{row: -1}
			u.id, _ = m["id"].(string)
			u.label, _ = m["label"].(string)
			if r, ok := strings.CutPrefix(u.id, "vtpan-"); ok {
				row, err := strconv.Atoi(r)
				if err != nil {
					return fmt.Errorf("VTPAN id %q without a row", u.id)
				}
				if row%2 == 1 {
					return nil // the test half: never read
				}
				u.row = row
			}
			for _, msg := range texts(m) {
				t, _ := msg["text"].(string)
				nz.Normalize(&n, t)
				u.ids = h.AppendIDs(u.ids, n.Text)
				if len(u.ids) >= maxIDs {
					u.ids = u.ids[:maxIDs]
					break
				}
			}
			us = append(us, u)
			return nil
		})
		return us, err
	}
	var all []unit
	for _, f := range []string{"real_train.jsonl", "synth_train.jsonl", "real_dev.jsonl"} {
		us, err := load(f)
		if err != nil {
			return err
		}
		if f == "real_dev.jsonl" {
			// Of the dev split, only VTPAN's even rows: fold k's are measured, the others trained on.
			var vt []unit
			for _, u := range us {
				if u.row >= 0 {
					vt = append(vt, u)
				}
			}
			us = vt
		}
		all = append(all, us...)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	d := models.Dims{V: 1<<17 + 1, K: 2}
	for k := range folds {
		var tr, held []train.Example
		var heldUnits []unit
		for _, u := range all {
			if u.row >= 0 && (u.row/2)%folds == k {
				held = append(held, u.example())
				heldUnits = append(heldUnits, u)
				continue
			}
			tr = append(tr, u.example())
		}
		l, err := train.FitLinear(context.Background(), d, tr, train.LinearConfig{})
		if err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(out, fmt.Sprintf("svm-fold%d.tsv", k)))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		for i, s := range l.Scores(held) {
			lab := 0
			if heldUnits[i].label == "grooming" {
				lab = 1
			}
			fmt.Fprintf(w, "%s\t%d\t%.6f\n", heldUnits[i].id, lab, s[0])
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "fold %d: %d training rows, %d held-out VTPAN rows; passes %v, converged %v\n",
			k, len(tr), len(held), l.Info.Passes, l.Info.Converged)
	}
	return nil
}
