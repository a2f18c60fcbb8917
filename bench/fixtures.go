package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/synth"
)

// Bounds of a fixture message, in bytes.
const (
	MinMessageBytes = 20
	MaxMessageBytes = 200
)

// FixtureConfig configures [NewFixtures]. The zero value means the defaults.
type FixtureConfig struct {
	// Seed makes the fixtures reproducible: the same config gives the same messages, byte for byte.
	// Default 0.
	Seed uint64
	// SynthConversations is how many synthetic conversations (corpus/synth, French and English,
	// typing styles on) supply message material. Default 400.
	SynthConversations int
	// PositiveShare is the share of grooming or sextortion conversations among them. Default 0.1:
	// real chat traffic is mostly benign, and benign messages are the common case of the hot path.
	PositiveShare float64
	// ExtraLines are more chat lines to draw from (the features benchmark lines, see
	// [ReadLines]), mixed in with the synthetic messages.
	ExtraLines []string
}

// Fixtures is a deterministic pool of realistic chat messages, mixed French and English, 20 to
// 200 bytes each, from which conversations of any size are cut.
type Fixtures struct {
	pool []string
	seed uint64
}

// NewFixtures builds the message pool. Messages shorter than [MinMessageBytes] are joined with the
// next one of the same conversation (chat bursts), longer than [MaxMessageBytes] are cut at a
// word boundary.
func NewFixtures(cfg FixtureConfig) (*Fixtures, error) {
	if cfg.SynthConversations == 0 {
		cfg.SynthConversations = 400
	}
	if cfg.PositiveShare == 0 {
		cfg.PositiveShare = 0.1
	}
	convs, err := synth.Generate(synth.Config{Seed: int64(cfg.Seed), N: cfg.SynthConversations, PositiveShare: cfg.PositiveShare})
	if err != nil {
		return nil, fmt.Errorf("bench fixtures: %w", err)
	}
	var pool []string
	for _, c := range convs {
		var texts []string
		for i := range c.Messages {
			if m := &c.Messages[i]; !m.System && strings.TrimSpace(m.Text) != "" {
				texts = append(texts, m.Text)
			}
		}
		pool = appendSized(pool, texts)
	}
	pool = appendSized(pool, cfg.ExtraLines)
	if len(pool) == 0 {
		return nil, fmt.Errorf("bench fixtures: no message material")
	}
	// Interleave deterministically so that a conversation cut from the pool mixes sources and
	// languages the way a stream of real chats does.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7669676965))
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return &Fixtures{pool: pool, seed: cfg.Seed}, nil
}

// appendSized appends texts to pool within the byte bounds: short ones joined, long ones cut.
func appendSized(pool, texts []string) []string {
	cur := ""
	for _, t := range texts {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" {
			continue
		}
		if cur != "" {
			t = cur + " " + t
			cur = ""
		}
		if len(t) < MinMessageBytes {
			cur = t
			continue
		}
		pool = append(pool, cutAt(t, MaxMessageBytes))
	}
	return pool
}

// cutAt cuts s to at most n bytes, at the last space before n when there is one, never inside a
// UTF-8 sequence.
func cutAt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n], ' '); i >= MinMessageBytes {
		return s[:i]
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Messages returns n message texts, cycling over the pool.
func (f *Fixtures) Messages(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f.pool[i%len(f.pool)]
	}
	return out
}

// Pool returns the distinct messages of the pool.
func (f *Fixtures) Pool() []string { return f.pool }

// Conversations returns count conversations of size messages each, two authors taking turns in
// runs of one to three messages, one message every few seconds to minutes. Message k of the
// whole set is pool message k (cycling), so that every size ladder step reads the same text.
func (f *Fixtures) Conversations(count, size int) []*corpus.Conversation {
	rng := rand.New(rand.NewPCG(f.seed, uint64(size)))
	t0 := time.Date(2025, 3, 1, 18, 0, 0, 0, time.UTC)
	out := make([]*corpus.Conversation, count)
	k := 0
	for ci := range out {
		c := &corpus.Conversation{ID: fmt.Sprintf("bench-%d-%d", size, ci), Platform: "bench",
			Messages: make([]corpus.Message, size)}
		authors := [2]string{fmt.Sprintf("user%d_a", ci), fmt.Sprintf("user%d_b", ci)}
		c.Participants = []corpus.Participant{{ID: authors[0]}, {ID: authors[1]}}
		who, run := 0, 1+rng.IntN(3)
		t := t0.Add(time.Duration(ci) * time.Hour)
		for i := range c.Messages {
			if run == 0 {
				who, run = 1-who, 1+rng.IntN(3)
			}
			run--
			t = t.Add(time.Duration(2+rng.IntN(180)) * time.Second)
			c.Messages[i] = corpus.Message{ID: strconv.Itoa(i + 1), Author: authors[who], Time: t,
				Text: f.pool[k%len(f.pool)]}
			k++
		}
		out[ci] = c
	}
	return out
}

// JSONL returns conversations as canonical JSONL, one per line.
func JSONL(cs []*corpus.Conversation) ([]byte, error) {
	var buf bytes.Buffer
	w := corpus.NewJSONLWriter(&buf)
	for _, c := range cs {
		if err := w.Write(c); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Count returns the messages and text bytes of conversations.
func Count(cs []*corpus.Conversation) (msgs, textBytes int) {
	for _, c := range cs {
		msgs += len(c.Messages)
		for i := range c.Messages {
			textBytes += len(c.Messages[i].Text)
		}
	}
	return msgs, textBytes
}

// ModuleRoot returns the folder holding go.mod, searching up from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// FeaturesBenchLines is the path, relative to the module root, of the chat lines that the
// features benchmarks use (French and English, hand-written).
const FeaturesBenchLines = "features/testdata/engine/bench_lines.txt"

// ReadLines reads the non-empty, non-comment lines of a text file.
func ReadLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// DefaultFixtures returns the fixtures that the benchmarks and the peer comparison use: seed 1,
// the synthetic conversations and the features benchmark lines.
func DefaultFixtures() (*Fixtures, error) {
	root, err := ModuleRoot()
	if err != nil {
		return nil, err
	}
	lines, err := ReadLines(filepath.Join(root, FeaturesBenchLines))
	if err != nil {
		return nil, err
	}
	return NewFixtures(FixtureConfig{Seed: 1, ExtraLines: lines})
}
