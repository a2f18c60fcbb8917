package datasets

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/vigie/vigie/corpus"
)

// PJWindow is the number of messages of a Perverted-Justice window: the transcripts run to
// thousands of lines, while the detector must decide on a few dozen messages.
const PJWindow = 24

// Plan says which real sources make up a training or evaluation run. Synthetic data is added by the
// caller (package corpus/synth), so that this package stays about real corpora.
type Plan struct {
	// Root is the corpora folder; "" means DefaultRoot.
	Root string
	// Sources lists the source names; nil means every source.
	Sources []string
	// VTPANDevFold is which fifth of VTPAN's even rows is dev (see VTPANSplit); 0, the default, is
	// the fixed split. Odd rows stay "test" whatever the fold.
	VTPANDevFold int
}

// Each calls fn for every unit of the given split: a window of a long conversation, a segment, or a
// short conversation, with label, language and Extra "dataset" and "split" set.
func (p Plan) Each(split string, fn func(*corpus.Conversation) error) error {
	if p.VTPANDevFold < 0 || p.VTPANDevFold >= VTPANFolds {
		return fmt.Errorf("VTPAN dev fold %d: from 0 to %d", p.VTPANDevFold, VTPANFolds-1)
	}
	names := p.Sources
	if names == nil {
		for _, s := range Sources() {
			names = append(names, s.Name)
		}
	}
	for _, name := range names {
		s, err := Lookup(name)
		if err != nil {
			return err
		}
		err = s.Read(p.Root, func(c *corpus.Conversation) error {
			if s.Name == "vtpan" && p.VTPANDevFold != 0 {
				row, err := strconv.Atoi(extraString(c, "row"))
				if err != nil {
					return fmt.Errorf("dataset vtpan: conversation %s: no row number", c.ID)
				}
				setExtra(c, "split", VTPANSplit(row, p.VTPANDevFold))
			}
			if split != "" && SplitOf(c) != split {
				return nil
			}
			if s.Name == "pj" {
				return Window(c, PJWindow, fn)
			}
			return fn(c)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Window cuts c into conversations of at most n messages (a short tail is merged into the window
// before), keeping its labels, suspects present in the window, and extras; window k has the id
// "<id>-w<k>".
func Window(c *corpus.Conversation, n int, fn func(*corpus.Conversation) error) error {
	if len(c.Messages) <= n {
		return fn(c)
	}
	return windows(*c, c.Messages, n, func(w *corpus.Conversation) error {
		w.Extra = c.Extra
		w.Participants = nil
		authors := map[string]bool{}
		for _, m := range w.Messages {
			authors[m.Author] = true
		}
		w.Suspects = nil
		for _, s := range c.Suspects {
			if authors[s] {
				w.Suspects = append(w.Suspects, s)
			}
		}
		return fn(w)
	})
}

// Checksums returns the SHA-256 of every file the plan's sources read, keyed by path relative to
// the root, for the training record of a model.
func (p Plan) Checksums() (map[string]string, error) {
	root := p.Root
	if root == "" {
		root = DefaultRoot
	}
	out := map[string]string{}
	for _, s := range Sources() {
		if p.Sources != nil && !contains(p.Sources, s.Name) {
			continue
		}
		for _, f := range s.Files {
			if _, ok := out[f]; ok {
				continue
			}
			sum, err := fileSHA256(filepath.Join(root, f))
			if err != nil {
				return nil, fmt.Errorf("dataset %s: %w", s.Name, err)
			}
			out[f] = sum
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
