// Package datasets reads the public corpora that Vigie is trained and evaluated on (../shared/corpora:
// Perverted-Justice transcripts, VTPAN segments, and English and French ordinary chats) into
// [corpus.Conversation] values with labels, language and a fixed split.
//
// The corpora are not part of the repository: every function takes the folder that holds them
// (DefaultRoot by default). Their files are xz-compressed; the xz command decompresses them as a
// stream, so nothing is unpacked on disk.
//
// # Splits
//
// Every conversation gets a split in Conversation.Extra["split"]: "train", "dev" or "test". VTPAN rows
// follow the project rule exactly: data rows are numbered from 0 after the header, odd rows are the
// test half, even rows are for training (4 in 5) and development (1 in 5: the rows whose half-index
// row/2 is a multiple of 5; [Plan.VTPANDevFold] picks another fifth, for cross-validation). Every other source is split
// by a hash of its conversation id (70% train, 10% dev, 20% test), so the held-out part of each
// negative source is fixed. Never tune on "test".
package datasets

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/vigie/vigie/corpus"
)

// DefaultRoot is where the shared corpora are, relative to the project root.
const DefaultRoot = "../shared/corpora"

// Split names.
const (
	SplitTrain = "train"
	SplitDev   = "dev"
	SplitTest  = "test"
)

// Kind says what a source contributes.
type Kind string

// Kinds of sources.
const (
	KindPositive Kind = "positive" // every conversation is grooming (or sextortion)
	KindNegative Kind = "negative" // assumed benign, unlabeled for grooming
	KindLabeled  Kind = "labeled"  // labels per conversation
)

// Source is one corpus.
type Source struct {
	Name string // short id used on the command line and in reports
	Lang string // "en", "fr", or "en,fr"
	Kind Kind
	// Files are the paths (relative to the root) the source reads; their checksums are recorded by
	// training runs.
	Files []string
	// Hard marks hard negatives: chats that share surface cues with grooming (teen chat rooms,
	// gaming insults, adult banter, personal ads).
	Hard bool
	Desc string
	read func(root string, fn func(*corpus.Conversation) error) error
}

// ErrNoCorpus is returned when a source's files are missing under the root.
var ErrNoCorpus = errors.New("corpus not found")

// Sources lists every source, in a stable order.
func Sources() []Source {
	return []Source{
		{Name: "pj", Lang: "en", Kind: KindPositive, Files: []string{"pj_koutli_2004_2012/pj_cases.jsonl.xz"},
			Desc: "Perverted-Justice transcripts 2004-2012, predator and decoy sides (turn order lost)", read: readPJ},
		{Name: "vtpan", Lang: "en", Kind: KindLabeled, Files: []string{"vtpan_en_val_segments/val_seg.csv.xz"},
			Desc: "VTPAN validation segments from PAN12, one segment per row, labeled", read: readVTPAN},
		{Name: "nps", Lang: "en", Kind: KindNegative, Hard: true, Files: []string{"nltk_chat_corpora/nps_chat.tar.xz"},
			Desc: "NPS chat rooms 2006 (teens, 20s-40s, adults), windows of 40 posts", read: readNPS},
		{Name: "overheard", Lang: "en", Kind: KindNegative, Hard: true, Files: []string{"nltk_chat_corpora/webtext_overheard_singles.tar.xz"},
			Desc: "Overheard in New York exchanges (adult banter)", read: readOverheard},
		{Name: "singles", Lang: "en", Kind: KindNegative, Hard: true, Files: []string{"nltk_chat_corpora/webtext_overheard_singles.tar.xz"},
			Desc: "personal ads with ages (one per conversation)", read: readSingles},
		{Name: "nus_sms", Lang: "en", Kind: KindNegative, Files: []string{"en_nus_sms/smsCorpus_en_2015.03.09_all.xml.xz"},
			Desc: "NUS SMS, threads rebuilt per sender and recipient, windows of 30", read: readNUSSMS},
		{Name: "dailydialog", Lang: "en", Kind: KindNegative, Files: []string{"en_dailydialog_devtest/dailydialog_en_dev_test.tar.xz"},
			Desc: "DailyDialog dev+test dialogues", read: readDailyDialog},
		{Name: "dota2", Lang: "en", Kind: KindNegative, Hard: true, Files: []string{"en_gaming_dota2_conda/conda_dota2.tar.xz"},
			Desc: "CONDA Dota 2 in-game chat (toxic, not grooming)", read: readCONDA},
		{Name: "diabla", Lang: "en,fr", Kind: KindNegative, Files: []string{"fr_en_diabla_dialogues/diabla_dialogues.tar.xz"},
			Desc: "DiaBLa role-play dialogues; one conversation per dialogue and language side", read: readDiaBLa},
		{Name: "xpersona", Lang: "en,fr", Kind: KindNegative, Files: []string{"fr_en_xpersona_personachat/xpersona_fr_en.tar.xz"},
			Desc: "PersonaChat (en) and XPersona (fr, corrected MT) small talk", read: readXPersona},
		{Name: "cyberagressionado", Lang: "fr", Kind: KindNegative, Hard: true, Files: []string{"fr_teen_cyberagressionado/cyberagressionado_v1.tar.xz"},
			Desc: "French teens' role-played bullying group chats, windows of 40", read: readCyberAgressionAdo},
	}
}

// Lookup returns the source named name.
func Lookup(name string) (Source, error) {
	for _, s := range Sources() {
		if s.Name == name {
			return s, nil
		}
	}
	return Source{}, fmt.Errorf("unknown dataset %q", name)
}

// Read calls fn for every conversation of the source, in a stable order. It stops at fn's first error.
func (s Source) Read(root string, fn func(*corpus.Conversation) error) error {
	if root == "" {
		root = DefaultRoot
	}
	for _, f := range s.Files {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return fmt.Errorf("dataset %s: %w: %s", s.Name, ErrNoCorpus, filepath.Join(root, f))
		}
	}
	return s.read(root, func(c *corpus.Conversation) error {
		c.Source = corpus.Source{File: s.Files[0], Reader: "datasets/" + s.Name + "/1"}
		setExtra(c, "dataset", s.Name)
		if SplitOf(c) == "" {
			setExtra(c, "split", hashSplit(s.Name+"/"+c.ID))
		}
		if c.Label == corpus.LabelNone && s.Kind == KindNegative {
			c.Label = corpus.LabelBenign
		}
		return fn(c)
	})
}

// SplitOf returns the split recorded on c, or "".
func SplitOf(c *corpus.Conversation) string { return extraString(c, "split") }

// DatasetOf returns the dataset name recorded on c, or "".
func DatasetOf(c *corpus.Conversation) string { return extraString(c, "dataset") }

func extraString(c *corpus.Conversation, key string) string {
	raw, ok := c.Extra[key]
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func setExtra(c *corpus.Conversation, key, value string) {
	if c.Extra == nil {
		c.Extra = make(map[string][]byte)
	}
	c.Extra[key] = []byte(strconv.Quote(value))
}

// hashSplit gives 70% train, 10% dev, 20% test from a hash of key.
func hashSplit(key string) string {
	h := fnv.New32a()
	_, _ = io.WriteString(h, key)
	switch v := h.Sum32() % 100; {
	case v < 70:
		return SplitTrain
	case v < 80:
		return SplitDev
	default:
		return SplitTest
	}
}

// xzReader returns a stream of the decompressed content of an .xz file, using the xz command.
type xzReader struct {
	io.ReadCloser
	cmd  *exec.Cmd
	path string
}

func openXZ(path string) (*xzReader, error) {
	if _, err := exec.LookPath("xz"); err != nil {
		return nil, fmt.Errorf("reading %s needs the xz command (Debian: apt-get install xz-utils): %w", path, err)
	}
	cmd := exec.Command("xz", "-dc", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = nil
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("xz %s: %w", path, err)
	}
	return &xzReader{ReadCloser: out, cmd: cmd, path: path}, nil
}

// Close waits for xz; an early close (the caller stopped reading) is not an error.
func (x *xzReader) Close() error {
	_, _ = io.Copy(io.Discard, x.ReadCloser)
	if err := x.cmd.Wait(); err != nil {
		return fmt.Errorf("xz %s: %w", x.path, err)
	}
	return nil
}
