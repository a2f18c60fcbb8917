package synth

import (
	"bufio"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed blocks
var blockFiles embed.FS

// Speaker says who utters the variants of a block.
type Speaker string

// Speakers of a block. A dialogue block holds short exchanges whose segments start with "A: " or "B: "
// (or "C: ", a third person of group conversations).
const (
	SpeakerOffender Speaker = "offender"
	SpeakerVictim   Speaker = "victim"
	SpeakerDialogue Speaker = "dialogue"
	SpeakerNone     Speaker = "none" // a list of values (names, cities), not messages
)

// Block is one building block: hand-written variants of one move of a script, in one language.
//
// A block file is plain text. It starts with a header of "# key: value" lines (block, lang, speaker,
// stages, source; other keys are kept as comments), then holds one variant per line. Blank lines and
// lines starting with "#" are ignored. In a variant, " || " splits it into consecutive messages of the
// same speaker (or, in dialogue blocks, of the speaker named by the segment's "A: " or "B: " prefix);
// a segment "{image}" is an image attachment without text; {slot} is filled from the conversation's
// values; {g:feminine|masculine} agrees with the addressee's gender and {s:feminine|masculine} with
// the speaker's.
type Block struct {
	Name     string
	Lang     string
	Speaker  Speaker
	Stages   []string // ground-truth stage tags of every message the block produces for its speaker
	Source   string   // where the variants come from
	File     string   // path inside the embedded file system
	Variants []string

	// seen holds the variants that training conversations draw from, unseen the ones held out for
	// dev and test conversations (see heldOut); both are Variants when the block is too small to split.
	seen, unseen []string
}

// heldOutShare is one in heldOutShare variants of a phrase block: held out from training
// conversations so that dev and test measure phrasings the model never saw, not memorized ones.
const heldOutShare = 5

// minSplitVariants is the size from which a block's variants are split between training and
// held-out conversations.
const minSplitVariants = 4

// heldOut reports whether variant s of block name is held out from training conversations: an
// FNV-1a hash of both, so that the choice is stable and does not depend on the file's order.
func heldOut(name, s string) bool {
	h := fnv.New32a()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write([]byte(s))
	return h.Sum32()%heldOutShare == 0
}

// splitVariants fills b.seen and b.unseen.
func (b *Block) splitVariants() {
	b.seen, b.unseen = b.Variants, b.Variants
	if len(b.Variants) < minSplitVariants {
		return
	}
	var seen, unseen []string
	for _, s := range b.Variants {
		if heldOut(b.Name, s) {
			unseen = append(unseen, s)
		} else {
			seen = append(seen, s)
		}
	}
	if len(seen) > 0 && len(unseen) > 0 {
		b.seen, b.unseen = seen, unseen
	}
}

// blockSet holds the blocks of both languages, by language and name.
type blockSet map[string]map[string]*Block

// LoadBlocks parses every block file under dir of fsys (the embedded blocks when fsys is nil).
// It checks headers and slots and returns the blocks sorted by language and name.
func LoadBlocks(fsys fs.FS) ([]*Block, error) {
	if fsys == nil {
		sub, err := fs.Sub(blockFiles, "blocks")
		if err != nil {
			return nil, err
		}
		fsys = sub
	}
	var out []*Block
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".txt" {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		b, err := parseBlock(p, string(data))
		if err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Lang != out[j].Lang {
			return out[i].Lang < out[j].Lang
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

func parseBlock(file, data string) (*Block, error) {
	b := &Block{File: file}
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	inHeader := true
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), " \t\r")
		if strings.TrimSpace(s) == "" {
			continue
		}
		if strings.HasPrefix(s, "#") {
			if !inHeader {
				continue
			}
			k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(s, "#")), ":")
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "block", "list":
				b.Name = v
			case "lang":
				b.Lang = v
			case "speaker":
				b.Speaker = Speaker(v)
			case "stages":
				for _, st := range strings.Split(v, ",") {
					if st = strings.TrimSpace(st); st != "" {
						b.Stages = append(b.Stages, st)
					}
				}
			case "source":
				b.Source = v
			}
			continue
		}
		inHeader = false
		if err := checkVariant(s); err != nil {
			return nil, fmt.Errorf("block %s:%d: %w", file, line, err)
		}
		if b.Speaker == SpeakerDialogue {
			for _, seg := range strings.Split(s, segSep) {
				if !strings.HasPrefix(seg, "A: ") && !strings.HasPrefix(seg, "B: ") && !strings.HasPrefix(seg, "C: ") {
					return nil, fmt.Errorf("block %s:%d: dialogue segment %q does not start with \"A: \", \"B: \" or \"C: \"", file, line, seg)
				}
			}
		}
		b.Variants = append(b.Variants, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("block %s: %w", file, err)
	}
	switch {
	case b.Name == "":
		return nil, fmt.Errorf("block %s: header has no \"# block:\" line", file)
	case b.Lang != "fr" && b.Lang != "en":
		return nil, fmt.Errorf("block %s: header lang %q is not fr or en", file, b.Lang)
	case b.Source == "":
		return nil, fmt.Errorf("block %s: header has no \"# source:\" line", file)
	case len(b.Variants) == 0:
		return nil, fmt.Errorf("block %s: no variants", file)
	}
	switch b.Speaker {
	case SpeakerOffender, SpeakerVictim, SpeakerDialogue, SpeakerNone:
	default:
		return nil, fmt.Errorf("block %s: unknown speaker %q", file, b.Speaker)
	}
	for _, st := range b.Stages {
		if !knownStage[st] {
			return nil, fmt.Errorf("block %s: unknown stage %q", file, st)
		}
	}
	if want := path.Base(path.Dir(file)); want != "." && want != b.Lang {
		return nil, fmt.Errorf("block %s: header lang %q does not match its folder %q", file, b.Lang, want)
	}
	if want := strings.TrimSuffix(path.Base(file), ".txt"); want != b.Name {
		return nil, fmt.Errorf("block %s: header names block %q, file is %q", file, b.Name, want)
	}
	return b, nil
}

const segSep = " || "

// checkVariant checks that every {slot} of s is known and that braces are balanced.
func checkVariant(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '}':
			return fmt.Errorf("unbalanced '}' in %q", s)
		case '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return fmt.Errorf("unclosed '{' in %q", s)
			}
			name := s[i+1 : i+j]
			if strings.ContainsRune(name, '{') {
				return fmt.Errorf("nested '{' in %q", s)
			}
			if !validSlot(name) {
				return fmt.Errorf("unknown slot {%s}", name)
			}
			i += j
		}
	}
	return nil
}

func validSlot(name string) bool {
	if strings.HasPrefix(name, "g:") || strings.HasPrefix(name, "s:") {
		return strings.Count(name, "|") == 1
	}
	return name == "image" || slotNames[name]
}

func indexBlocks(list []*Block) blockSet {
	set := make(blockSet)
	for _, b := range list {
		b.splitVariants()
		if set[b.Lang] == nil {
			set[b.Lang] = make(map[string]*Block)
		}
		set[b.Lang][b.Name] = b
	}
	return set
}
