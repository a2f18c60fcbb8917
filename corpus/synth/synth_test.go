package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func jsonl(t *testing.T, cs []*corpus.Conversation) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, c := range cs {
		b, err := corpus.MarshalConversation(c)
		require.NoError(t, err)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func gen(t *testing.T, cfg Config) []*corpus.Conversation {
	t.Helper()
	cs, err := Generate(cfg)
	require.NoError(t, err)
	return cs
}

func TestDeterminism(t *testing.T) {
	cfg := Config{Seed: 42, N: 300}
	a, b := jsonl(t, gen(t, cfg)), jsonl(t, gen(t, cfg))
	require.True(t, bytes.Equal(a, b), "same seed, different bytes")

	// The streaming generator gives the same conversations as Generate.
	g, err := NewGenerator(cfg)
	require.NoError(t, err)
	var streamed []*corpus.Conversation
	for c := g.Next(); c != nil; c = g.Next() {
		streamed = append(streamed, c)
	}
	require.NoError(t, g.Err())
	require.True(t, bytes.Equal(a, jsonl(t, streamed)))

	// Conversation i depends on the seed and i only, not on N.
	short := jsonl(t, gen(t, Config{Seed: 42, N: 10}))
	require.True(t, bytes.HasPrefix(a, short))

	other := jsonl(t, gen(t, Config{Seed: 43, N: 300}))
	require.False(t, bytes.Equal(a, other), "different seeds, same bytes")
}

func TestGolden(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			got := jsonl(t, gen(t, Config{Seed: 1, N: 3, Lang: lang}))
			path := filepath.Join("testdata", lang+".golden")
			if *update {
				require.NoError(t, os.WriteFile(path, got, 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "no golden file: run go test ./corpus/synth -run TestGolden -update and read it")
			require.Equal(t, string(want), string(got))
		})
	}
}

func TestLabelBalance(t *testing.T) {
	for _, share := range []float64{0.5, 0.2, 0.9} {
		cs := gen(t, Config{Seed: 7, N: 3000, PositiveShare: share})
		pos, groom := 0, 0
		for _, c := range cs {
			switch c.Label {
			case corpus.LabelSextortion:
				pos++
			case corpus.LabelGrooming:
				pos++
				groom++
			}
		}
		got := float64(pos) / float64(len(cs))
		require.InDelta(t, share, got, 0.03, "share %v", share)
		// Positives are half grooming, half sextortion (weights 8 and 8 of 16).
		require.InDelta(t, 0.5, float64(groom)/float64(pos), 0.05, "share %v: grooming %d of %d positives", share, groom, pos)
	}
	// Restricted to sextortion kinds: financial three times out of four.
	fin, all := 0, 0
	for _, c := range gen(t, Config{Seed: 7, N: 2000, Kinds: SextortionKinds}) {
		require.Equal(t, corpus.LabelSextortion, c.Label)
		all++
		if kindOf(t, c) == KindFinancial {
			fin++
		}
	}
	require.InDelta(t, 0.75, float64(fin)/float64(all), 0.03)
	// Only benign kinds: no positives whatever the share.
	for _, c := range gen(t, Config{Seed: 7, N: 300, PositiveShare: 1, Kinds: BenignKinds}) {
		require.Equal(t, corpus.LabelBenign, c.Label)
	}
	// Both languages about half and half.
	fr := 0
	cs := gen(t, Config{Seed: 8, N: 2000})
	for _, c := range cs {
		if c.Lang == "fr" {
			fr++
		}
	}
	require.InDelta(t, 0.5, float64(fr)/float64(len(cs)), 0.04)
}

const minVariants = 25

func TestBlocks(t *testing.T) {
	list, err := LoadBlocks(nil)
	require.NoError(t, err)
	names := map[string]map[string]bool{"fr": {}, "en": {}}
	for _, b := range list {
		raw, err := blockFiles.ReadFile("blocks/" + b.File)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(string(raw), "# block: "+b.Name+"\n# lang: "+b.Lang+"\n"), "%s: header", b.File)
		require.NotEmpty(t, b.Source, b.File)
		require.GreaterOrEqual(t, len(b.Variants), minVariants, "%s has too few variants", b.File)
		seen := map[string]bool{}
		for _, v := range b.Variants {
			require.False(t, seen[v], "%s: duplicate variant %q", b.File, v)
			seen[v] = true
		}
		names[b.Lang][b.Name] = true
	}
	require.Equal(t, names["fr"], names["en"], "fr and en must have the same blocks")
	for k := range benignBlock {
		require.True(t, names["fr"][benignBlock[k]], "kind %s has no block", k)
	}

	// Malformed headers and slots are rejected with the file named.
	for _, bad := range []struct{ name, text string }{
		{"no header", "salut\n"},
		{"unknown slot", "# block: x\n# lang: fr\n# speaker: offender\n# source: test\nsalut {nope}\n"},
		{"unclosed slot", "# block: x\n# lang: fr\n# speaker: offender\n# source: test\nsalut {victim\n"},
		{"bad dialogue", "# block: x\n# lang: fr\n# speaker: dialogue\n# source: test\nsalut || B: ok\n"},
		{"unknown stage", "# block: x\n# lang: fr\n# speaker: offender\n# stages: nope\n# source: test\nsalut\n"},
		{"no source", "# block: x\n# lang: fr\n# speaker: offender\nsalut\n"},
	} {
		_, err := parseBlock("fr/x.txt", bad.text)
		require.Error(t, err, bad.name)
		require.Contains(t, err.Error(), "fr/x.txt", bad.name)
	}
}

func stagesOf(t *testing.T, c *corpus.Conversation) map[string][]string {
	t.Helper()
	var m map[string][]string
	require.NoError(t, json.Unmarshal(c.Extra["synthetic_stages"], &m), c.ID)
	return m
}

func kindOf(t *testing.T, c *corpus.Conversation) Kind {
	t.Helper()
	var k string
	require.NoError(t, json.Unmarshal(c.Extra["synthetic_kind"], &k), c.ID)
	return Kind(k)
}

func hasAny(xs []string, x ...string) bool {
	for _, a := range xs {
		for _, b := range x {
			if a == b {
				return true
			}
		}
	}
	return false
}

// TestPositiveScript checks every positive: a bait or the victim's image, then a threat, then a
// demand, with the time from the image to the first demand inside the scripted bounds.
func TestPositiveScript(t *testing.T) {
	cs := gen(t, Config{Seed: 3, N: 1500, Kinds: SextortionKinds})
	var fin, groom []time.Duration
	for _, c := range cs {
		require.Equal(t, corpus.LabelSextortion, c.Label)
		require.True(t, c.Synthetic)
		require.Equal(t, "synthetic", c.Platform)
		require.True(t, strings.HasPrefix(c.ID, "syn-"), c.ID)
		require.Len(t, c.Suspects, 1)
		require.Len(t, c.Participants, 2)
		require.Equal(t, "suspect", c.Participants[0].Role)
		require.Equal(t, c.Suspects[0], c.Participants[0].ID)
		st := stagesOf(t, c)
		bait, image, threat, demand := -1, -1, -1, -1
		for i, m := range c.Messages {
			s := st[m.ID]
			if bait < 0 && hasAny(s, StageReciprocityBait, StageVictimImage) {
				bait = i
			}
			if image < 0 && hasAny(s, StageVictimImage) {
				image = i
				require.Equal(t, c.Messages[i].Author, c.Participants[1].ID, "%s: image not from the victim", c.ID)
				isImage := len(m.Attachments) == 1 && m.Attachments[0].Kind == corpus.AttachmentImage && m.Text == ""
				require.True(t, isImage || m.Text == "[photo]", "%s: image message %+v", c.ID, m)
			}
			if threat < 0 && hasAny(s, StageThreatExpose) {
				threat = i
			}
			if demand < 0 && hasAny(s, StagePaymentDemand, StageMoreContentDemand) {
				demand = i
			}
			for _, x := range s {
				require.True(t, knownStage[x], "%s: unknown stage %q", c.ID, x)
			}
			if i > 0 {
				require.False(t, m.Time.Before(c.Messages[i-1].Time), "%s: time goes back at %s", c.ID, m.ID)
			}
		}
		require.True(t, bait >= 0 && image >= 0 && threat > bait && threat > image && demand > threat,
			"%s: bait %d image %d threat %d demand %d", c.ID, bait, image, threat, demand)
		d := c.Messages[demand].Time.Sub(c.Messages[image].Time)
		switch kindOf(t, c) {
		case KindFinancial:
			require.True(t, d >= 15*time.Minute && d <= 125*time.Minute, "%s: image to demand %v", c.ID, d)
			fin = append(fin, d)
		case KindGroomingSextortion:
			require.True(t, d >= 3*time.Minute && d <= 125*time.Minute, "%s: image to demand %v", c.ID, d)
			groom = append(groom, d)
			// days of trust building before the image
			require.Greater(t, c.Messages[image].Time.Sub(c.Messages[0].Time), 24*time.Hour, c.ID)
		default:
			t.Fatalf("%s: kind %s", c.ID, kindOf(t, c))
		}
		// seconds or a few minutes, not the scripted window, from the image to the threat
		require.Less(t, c.Messages[threat].Time.Sub(c.Messages[image].Time), 10*time.Minute, c.ID)
	}
	require.Greater(t, len(fin), 900)
	require.Greater(t, len(groom), 200)
	med := median(fin)
	require.True(t, med > 38*time.Minute && med < 52*time.Minute, "financial median image to demand %v", med)
	t.Logf("financial: %d, median image->demand %v; grooming: %d, median %v", len(fin), med, len(groom), median(groom))
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

func TestBenign(t *testing.T) {
	cs := gen(t, Config{Seed: 5, N: 900, Kinds: BenignKinds})
	kinds := map[Kind]int{}
	for _, c := range cs {
		require.Equal(t, corpus.LabelBenign, c.Label)
		require.Empty(t, c.Suspects)
		require.True(t, c.Synthetic)
		require.Empty(t, stagesOf(t, c), c.ID)
		k := kindOf(t, c)
		if threeWay(k) {
			// the coach, the child and, most often, a parent
			require.Contains(t, []int{2, 3}, len(c.Authors()), c.ID)
			if len(c.Authors()) == 3 {
				kinds["three"]++
			}
		} else {
			require.Len(t, c.Authors(), 2, c.ID)
		}
		kinds[k]++
	}
	for _, k := range BenignKinds {
		require.Greater(t, kinds[k], 40, "kind %s", k)
	}
	require.Greater(t, kinds["three"], kinds[KindBenignCoachPickup]/2, "too few coach groups with a parent speaking")
}

// base58Decode is written independently of the generator's encoder.
func base58Decode(s string) ([]byte, bool) {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := big.NewInt(0)
	for _, c := range s {
		i := strings.IndexRune(alphabet, c)
		if i < 0 {
			return nil, false
		}
		n.Mul(n, big.NewInt(58))
		n.Add(n, big.NewInt(int64(i)))
	}
	b := n.Bytes()
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	return append(make([]byte, zeros), b...), true
}

func validP2PKH(addr string) bool {
	b, ok := base58Decode(addr)
	if !ok || len(b) != 25 || b[0] != 0x00 {
		return false
	}
	h1 := sha256.Sum256(b[:21])
	h2 := sha256.Sum256(h1[:])
	return bytes.Equal(h2[:4], b[21:])
}

func TestBitcoinAddresses(t *testing.T) {
	// The checker itself: the address of 20 zero bytes (checked with Python's hashlib), and the same
	// with one character changed.
	require.True(t, validP2PKH("1111111111111111111114oLvT2"))
	require.False(t, validP2PKH("1111111111111111111114oLvT3"))

	re := regexp.MustCompile(`\b1[1-9A-HJ-NP-Za-km-z]{25,33}\b`)
	found := 0
	for _, c := range gen(t, Config{Seed: 11, N: 3000, Kinds: SextortionKinds}) {
		for _, m := range c.Messages {
			for _, a := range re.FindAllString(m.Text, -1) {
				require.True(t, validP2PKH(a), "%s/%s: invalid address %q", c.ID, m.ID, a)
				found++
			}
		}
	}
	require.Greater(t, found, 50, "too few bitcoin addresses to test")
}

func TestNoSlotLeft(t *testing.T) {
	for _, noObf := range []bool{false, true} {
		for _, c := range gen(t, Config{Seed: 9, N: 3000, NoObfuscation: noObf}) {
			for _, m := range c.Messages {
				require.False(t, strings.ContainsAny(m.Text, "{}"), "%s/%s: %q", c.ID, m.ID, m.Text)
				require.True(t, m.Text != "" || len(m.Attachments) > 0, "%s/%s: empty message", c.ID, m.ID)
				require.NotEmpty(t, m.Author)
			}
		}
	}
}

// literals returns the literal fragments (20 characters or more, lower case) of a language's
// templates, with slots cut out.
func literals(t *testing.T, lang string) map[string]bool {
	t.Helper()
	list, err := LoadBlocks(nil)
	require.NoError(t, err)
	slot := regexp.MustCompile(`\{[^}]*\}`)
	out := map[string]bool{}
	for _, b := range list {
		if b.Lang != lang || b.Speaker == SpeakerNone {
			continue
		}
		for _, v := range b.Variants {
			for _, seg := range strings.Split(v, segSep) {
				seg = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(seg, "A: "), "B: "), "C: ")
				for _, lit := range slot.Split(seg, -1) {
					if lit = strings.TrimSpace(strings.ToLower(lit)); len(lit) >= 20 {
						out[lit] = true
					}
				}
			}
		}
	}
	return out
}

func TestLanguageSeparation(t *testing.T) {
	lits := map[string]map[string]bool{"fr": literals(t, "fr"), "en": literals(t, "en")}
	for _, lang := range []string{"fr", "en"} {
		other := "en"
		if lang == "en" {
			other = "fr"
		}
		var foreign []string
		for l := range lits[other] {
			if !lits[lang][l] {
				foreign = append(foreign, l)
			}
		}
		require.Greater(t, len(foreign), 300)
		cs := gen(t, Config{Seed: 12, N: 400, Lang: lang, NoObfuscation: true})
		var all strings.Builder
		for _, c := range cs {
			require.Equal(t, lang, c.Lang)
			for _, m := range c.Messages {
				all.WriteString(strings.ToLower(m.Text))
				all.WriteByte('\n')
			}
		}
		text := all.String()
		for _, l := range foreign {
			require.NotContains(t, text, l, "%s conversations have a %s template line", lang, other)
		}
		own := 0
		for l := range lits[lang] {
			if strings.Contains(text, l) {
				own++
			}
		}
		require.Greater(t, own, 500, "%s: the check found too few template lines of its own language", lang)
	}
}

func TestSplit(t *testing.T) {
	counts := map[string]int{}
	for _, c := range gen(t, Config{Seed: 2, N: 4000, NoObfuscation: true}) {
		s := Split(c.ID)
		require.Equal(t, s, Split(c.ID))
		counts[s]++
	}
	require.InDelta(t, 0.70, float64(counts["train"])/4000, 0.03)
	require.InDelta(t, 0.15, float64(counts["dev"])/4000, 0.02)
	require.InDelta(t, 0.15, float64(counts["test"])/4000, 0.02)
	// Frozen: a change of hash would silently move conversations between splits.
	// Expected values computed with an independent FNV-1a in Python.
	var got []string
	for _, id := range []string{"syn-s1-000000", "syn-s1-000003", "syn-s1-000004", "syn-s1-000005"} {
		got = append(got, Split(id))
	}
	require.Equal(t, []string{"train", "train", "test", "test"}, got)
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{{N: -1}, {Lang: "de"}, {PositiveShare: 1.5}, {PositiveShare: -0.1},
		{Kinds: []Kind{"nope"}}, {Days: -3}} {
		_, err := NewGenerator(cfg)
		require.True(t, errors.Is(err, ErrConfig), "%+v: %v", cfg, err)
	}
	cs := gen(t, Config{})
	require.Len(t, cs, 1000, "zero N means 1000")
}

func TestStartHours(t *testing.T) {
	evening, morning := 0, 0
	for _, c := range gen(t, Config{Seed: 4, N: 2000, NoObfuscation: true}) {
		switch h := c.Messages[0].Time.Hour(); {
		case h >= 18:
			evening++
		case h >= 6 && h < 12:
			morning++
		}
	}
	require.Greater(t, evening, 2*morning, "evening %d morning %d", evening, morning)
}

// TestHeldOutVariants checks that phrase blocks split their variants between training and
// held-out conversations: a training conversation never draws a held-out variant and a dev or
// test conversation draws only held-out ones, so that dev and test measure unseen phrasings.
func TestHeldOutVariants(t *testing.T) {
	list, err := LoadBlocks(nil)
	require.NoError(t, err)
	set := indexBlocks(list)
	split := 0
	for _, lang := range []string{"en", "fr"} {
		for name, b := range set[lang] {
			if len(b.Variants) < minSplitVariants || len(b.unseen) == len(b.Variants) {
				continue
			}
			split++
			require.Equal(t, len(b.Variants), len(b.seen)+len(b.unseen), "%s/%s", lang, name)
			for _, held := range []bool{false, true} {
				c := &conv{r: rand.New(rand.NewPCG(uint64(split), 7)), lang: lang, blocks: set[lang], used: map[string]bool{}, heldOut: held}
				for i := 0; i < 50; i++ {
					_, s := c.variant(name)
					require.NoError(t, c.err)
					require.Equal(t, held, heldOut(name, s), "%s/%s: variant drawn by a conversation with heldOut=%v", lang, name, held)
				}
			}
		}
	}
	require.Greater(t, split, 100, "most phrase blocks should have held-out variants")
}
