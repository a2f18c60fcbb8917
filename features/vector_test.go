package features

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/corpus"
)

func testExtractor(t testing.TB) *Extractor {
	t.Helper()
	x, err := New(Options{Lexicons: os.DirFS("testdata/engine/lex")})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// feat returns the named feature of vec.
func feat(t *testing.T, vec []float32, name string) float64 {
	t.Helper()
	for i, n := range FeatureSchema().Names {
		if n == name {
			return float64(vec[i])
		}
	}
	t.Fatalf("no feature %q", name)
	return 0
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestSchema(t *testing.T) {
	s := FeatureSchema()
	if s.Name != SchemaName || s.Version != SchemaVersion || len(s.Hash) != 64 {
		t.Fatalf("schema %s v%d hash %q", s.Name, s.Version, s.Hash)
	}
	seen := map[string]bool{}
	for _, n := range s.Names {
		if seen[n] {
			t.Fatalf("duplicate feature name %q", n)
		}
		seen[n] = true
	}
	var a Aggregate
	if got := len(a.AppendFeatures(nil, "")); got != s.Len() {
		t.Fatalf("AppendFeatures wrote %d values, schema has %d names", got, s.Len())
	}
	if FeatureSchema() != s {
		t.Fatal("FeatureSchema is not shared")
	}
	t.Logf("schema %s v%d: %d features, hash %s", s.Name, s.Version, s.Len(), s.Hash)
}

func TestAggregate(t *testing.T) {
	x := testExtractor(t)
	t0 := time.Date(2024, 3, 1, 23, 0, 0, 0, time.UTC)
	c := &corpus.Conversation{Messages: []corpus.Message{
		{ID: "1", Author: "A", Time: t0, Text: "salut ! j'ai 13 ans"},
		{ID: "2", Author: "B", Time: t0.Add(2 * time.Minute), Text: "moi j'ai 15 ans"},
		{ID: "3", Author: "B", Time: t0.Add(3 * time.Minute), Text: "c'est notre secret, ne le dis a personne"},
		{ID: "4", Author: "A", Time: t0.Add(10 * time.Minute), Text: "ok"},
		{ID: "5", Author: "B", Time: t0.Add(11 * time.Minute), Text: "send me a pic"},
		{ID: "6", Author: "B", Time: t0.Add(71 * time.Minute), Text: "im 19. envoie 200€ ou tout le monde verra. 10, 9, 8"},
		{ID: "sys", System: true, Text: "Messages are end-to-end encrypted"},
	}}
	hits, agg := x.Conversation(c)
	if agg.Messages() != 6 {
		t.Fatalf("messages = %d, want 6 (system skipped)", agg.Messages())
	}
	var cues []string
	for _, h := range hits {
		cues = append(cues, h.ID+":"+h.Author+":"+strings.TrimPrefix(h.Cue, "slot/")+"="+c.Messages[h.Index].Text[h.Start:h.End])
	}
	want := []string{
		"1:A:fr/identity_claim:4=j'ai 13 ans", "1:A:age=j'ai 13 ans",
		"2:B:fr/identity_claim:4=j'ai 15 ans", "2:B:age=j'ai 15 ans",
		"3:B:fr/secrecy:6=c'est notre secret", "3:B:fr/secrecy:5=ne le dis a personne",
		"5:B:en/image_request:4=send me a pic",
		"6:B:age=im 19", "6:B:amount=200€", "6:B:countdown=10, 9, 8",
	}
	if strings.Join(cues, "|") != strings.Join(want, "|") {
		t.Fatalf("hits:\n%s\nwant:\n%s", strings.Join(cues, "\n"), strings.Join(want, "\n"))
	}
	vec := agg.AppendFeatures(nil, "B")
	checks := []struct {
		name string
		want float64
	}{
		{"conv.messages", math.Log1p(6)},
		{"conv.authors", math.Log1p(2)},
		{"conv.times_known", 1},
		{"conv.duration_minutes", math.Log1p(71)},
		{"conv.msgs_per_minute", math.Log1p(6.0 / 71)},
		{"conv.night_share", 1},
		{"conv.reply_latency_known", 1},
		{"conv.image_to_payment_minutes", math.Log1p(60)},
		{"conv.image_to_payment_known", 1},
		{"conv.image_to_payment_messages", 1.0 / 6},
		{"conv.sextortion_after_image", 1},
		{"stage.identity_claim.count", math.Log1p(3)},
		{"stage.identity_claim.rate", 0.5},
		{"stage.identity_claim.first", 1.0 / 6},
		{"stage.identity_claim.last", 1},
		{"stage.secrecy.count", math.Log1p(1)},
		{"stage.secrecy.weight", math.Log1p(1.8)},
		{"stage.countdown.first", 1},
		{"stage.meeting.count", 0},
		{"stage.meeting.first", 0},
		{"author.known", 1},
		{"author.msg_share", 4.0 / 6},
		{"author.first_speaker", 0},
		{"author.age_statements", math.Log1p(2)},
		{"author.age_min", 0.15},
		{"author.age_max", 0.19},
		{"author.age_inconsistency", 4.0 / 20},
		{"author.minor_claim", 1},
		{"author.stage.identity_claim.count", math.Log1p(2)},
		{"author.stage.identity_claim.share", 2.0 / 3},
		{"author.stage.secrecy.rate", 0.25},
	}
	for _, ck := range checks {
		if got := feat(t, vec, ck.name); !near(got, ck.want) {
			t.Errorf("%s = %v, want %v", ck.name, got, ck.want)
		}
	}
	// Stages first seen: identity_claim (msg 1), secrecy (3), image_request (5): two ordered
	// grooming transitions, none out of order.
	if got := feat(t, vec, "conv.escalation_ordered"); !near(got, math.Log1p(2)) {
		t.Errorf("escalation_ordered = %v, want log1p(2)", got)
	}
	if got := feat(t, vec, "conv.escalation_ratio"); got != 1 {
		t.Errorf("escalation_ratio = %v, want 1", got)
	}
	// Default author: the one with the largest cue weight is B.
	def := agg.AppendFeatures(nil, "")
	if feat(t, def, "author.msg_share") != feat(t, vec, "author.msg_share") {
		t.Error("default author is not the author with the most cue weight")
	}
	a := agg.AppendFeatures(nil, "A")
	if got := feat(t, a, "author.first_speaker"); got != 1 {
		t.Errorf("A first_speaker = %v", got)
	}
	// Reply latency of A: one reply after 2 min... A replied at +10 min after B's +3: 7 min = 420 s,
	// bin [256, 512) s, reported as 256*sqrt2 s.
	if got := feat(t, a, "author.reply_latency_minutes"); !near(got, math.Log1p(256*math.Sqrt2/60)) {
		t.Errorf("A reply latency = %v", got)
	}
	for i, v := range vec {
		if math.IsNaN(float64(v)) || v < 0 || v > 12 {
			t.Errorf("feature %s = %v out of bounds", FeatureSchema().Names[i], v)
		}
	}
}

func TestAggregateUnknownTimesAndReset(t *testing.T) {
	var a Aggregate
	a.Add(Message{Author: "x"}, []Hit{{Stage: StagePaymentDemand, Cue: SlotAmount, Weight: 1}})
	vec := a.AppendFeatures(nil, "nobody")
	if feat(t, vec, "conv.times_known") != 0 || feat(t, vec, "conv.image_to_payment_known") != 0 ||
		feat(t, vec, "conv.reply_latency_known") != 0 {
		t.Fatal("time features known without times")
	}
	if feat(t, vec, "author.known") != 1 {
		t.Fatal("unknown author name should fall back to the top author")
	}
	a.Reset()
	empty := a.AppendFeatures(nil, "")
	for i, v := range empty {
		if v != 0 {
			t.Fatalf("after Reset %s = %v", FeatureSchema().Names[i], v)
		}
	}
}

// TestLog1p checks the table-backed log1p against math.Log1p(max(x, 0)) on counts, fractions,
// the table's edges, negative values, infinities and NaN.
func TestLog1p(t *testing.T) {
	xs := []float64{0, math.Copysign(0, -1), -1, -3.5, 0.5, 1, 2, 2.25, 17, 1022.5, 1023, 1024, 1025, 1e9,
		math.Inf(1), math.Inf(-1), math.NaN()}
	for i := range 2000 {
		xs = append(xs, float64(i), float64(i)+0.125)
	}
	for _, x := range xs {
		got, want := log1p(x), math.Log1p(max(x, 0))
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("log1p(%v) = %v, want %v", x, got, want)
		}
	}
}
