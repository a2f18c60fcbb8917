package detect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/onnxfile"
)

// randomModel returns a model file with seeded random weights for the current feature schema and
// the featurizer configuration cfg: tests of the streaming machinery need a model whose scores
// move with every input, not a trained one. thr is the threshold of both heads.
func randomModel(t testing.TB, cfg FeaturizerConfig, seed uint64, thr float32) []byte {
	t.Helper()
	return randomModelWide(t, cfg, seed, thr, false)
}

// randomModelWide is randomModel, with wide columns (models.Dims.W) when wide is true.
func randomModelWide(t testing.TB, cfg FeaturizerConfig, seed uint64, thr float32, wide bool) []byte {
	t.Helper()
	f, err := NewFeaturizer(cfg, features.Options{})
	if err != nil {
		t.Fatal(err)
	}
	training, _ := json.Marshal(TrainingInfo{Featurizer: cfg})
	meta := models.Meta{Name: "random-test", Version: fmt.Sprint(seed), Heads: []string{HeadGrooming, HeadSextortion},
		Schema: f.Schema().Hash, Dims: models.Dims{V: f.Vocab(), D: 8, F: f.Schema().Len(), H: 16, K: 2},
		Thresholds: map[string]float32{HeadGrooming: thr, HeadSextortion: thr}, Training: training,
		Created: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	if wide {
		meta.Dims.W = meta.Dims.K + 1
	}
	n, err := models.NewNet(meta)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 99))
	fill := func(w []float32, scale float64) {
		for i := range w {
			w[i] = float32((rng.Float64()*2 - 1) * scale)
		}
	}
	fill(n.Emb, 1)
	if wide { // the norm column is an idf², positive: Σu stays well above the floor
		E := meta.Dims.E()
		for i := meta.Dims.D + meta.Dims.K; i < len(n.Emb); i += E {
			n.Emb[i] = 0.5 + n.Emb[i]*n.Emb[i]
		}
	}
	fill(n.W1, math.Sqrt(6/float64(meta.Dims.D+meta.Dims.F+meta.Dims.H)))
	fill(n.W2, 2)
	b, err := onnxfile.Encode(n)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var randomDefaultModel = sync.OnceValue(func() []byte {
	return randomModel(&testing.B{}, FeaturizerConfig{}, 1, 0.5)
})

// sessionDetector returns the detector the streaming tests check: the embedded model when this
// build has one, else the model at $VIGIE_TEST_MODEL, else a seeded random model with the default
// featurizer configuration.
func sessionDetector(t testing.TB, opts Options) *Detector {
	t.Helper()
	opts.Backend = BackendGo
	switch {
	case embeddedModel() != nil:
	case os.Getenv("VIGIE_TEST_MODEL") != "":
		opts.ModelPath = os.Getenv("VIGIE_TEST_MODEL")
	default:
		opts.Model = randomDefaultModel()
	}
	d, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func floorConversations(t testing.TB) []*corpus.Conversation {
	t.Helper()
	var out []*corpus.Conversation
	for _, lang := range []string{"en", "fr"} {
		r, err := corpus.Open(filepath.Join("testdata", "floor", lang+".jsonl"), corpus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			out = append(out, r.Conversation())
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	if len(out) == 0 {
		t.Fatal("no floor conversations")
	}
	return out
}

// longConversation joins conversations into one of n messages (authors and texts kept, times
// renumbered one minute apart, a system message now and then), to cross many windows.
func longConversation(cs []*corpus.Conversation, n int) *corpus.Conversation {
	c := &corpus.Conversation{ID: fmt.Sprintf("long-%d", n)}
	t0 := time.Date(2026, 5, 1, 20, 0, 0, 0, time.UTC)
	for i := 0; len(c.Messages) < n; i++ {
		src := cs[i%len(cs)]
		for _, m := range src.Messages {
			if len(c.Messages) == n {
				break
			}
			m.ID = fmt.Sprint(len(c.Messages) + 1)
			m.Time = t0.Add(time.Duration(len(c.Messages)) * time.Minute)
			if len(c.Messages)%37 == 36 {
				m.System, m.Author = true, ""
			}
			c.Messages = append(c.Messages, m)
		}
	}
	return c
}

func stream(t testing.TB, d *Detector, c *corpus.Conversation) (*Session, []Update) {
	t.Helper()
	return streamWith(t, d, c, SessionOptions{})
}

func streamWith(t testing.TB, d *Detector, c *corpus.Conversation, o SessionOptions) (*Session, []Update) {
	t.Helper()
	s := d.NewSessionWith(c.ID, o)
	var us []Update
	for _, m := range c.Messages {
		u, err := s.Push(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	return s, us
}

// checkStreamingEqualsBatch feeds each conversation message by message and compares the end
// state with Analyze on the whole conversation.
func checkStreamingEqualsBatch(t *testing.T, d *Detector, cs []*corpus.Conversation) {
	checkFeedEqualsBatch(t, d, cs, stream)
}

// streamBatches feeds c through PushBatch in batches of 1 to 40 messages (sizes drawn from a
// seeded source), and returns the session with the update of each batch.
func streamBatches(t testing.TB, d *Detector, c *corpus.Conversation) (*Session, []Update) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(len(c.Messages)), 7))
	s := d.NewSession(c.ID)
	var us []Update
	for i := 0; i < len(c.Messages); {
		n := min(1+r.IntN(40), len(c.Messages)-i)
		u, err := s.PushBatch(context.Background(), c.Messages[i:i+n])
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
		i += n
	}
	return s, us
}

// checkFeedEqualsBatch feeds each conversation with feed and compares the end state with Analyze
// on the whole conversation.
func checkFeedEqualsBatch(t *testing.T, d *Detector, cs []*corpus.Conversation, feed func(testing.TB, *Detector, *corpus.Conversation) (*Session, []Update)) {
	const eps = 1e-5
	flagged := 0
	for _, c := range cs {
		rep, err := d.Analyze(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		s, us := feed(t, d, c)
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		last := us[len(us)-1]
		for _, h := range []struct {
			name       string
			batch, got HeadScore
			risk       Risk
		}{{"grooming", rep.Grooming, snap.Grooming, last.Grooming}, {"sextortion", rep.Sextortion, snap.Sextortion, last.Sextortion}} {
			if math.Abs(h.batch.Score-h.got.Score) > eps || math.Abs(h.batch.Score-h.risk.Score) > eps {
				t.Errorf("%s %s: batch %.7f, snapshot %.7f, last update %.7f", c.ID, h.name, h.batch.Score, h.got.Score, h.risk.Score)
			}
			if h.batch.Flagged != h.got.Flagged || h.batch.Flagged != h.risk.Flagged {
				t.Errorf("%s %s: batch flagged %v, snapshot %v, update %v", c.ID, h.name, h.batch.Flagged, h.got.Flagged, h.risk.Flagged)
			}
			if h.batch.Window != h.got.Window || h.batch.Start != h.got.Start || h.batch.End != h.got.End {
				t.Errorf("%s %s: batch window %d [%d,%d), snapshot %d [%d,%d)", c.ID, h.name,
					h.batch.Window, h.batch.Start, h.batch.End, h.got.Window, h.got.Start, h.got.End)
			}
			if h.batch.Flagged {
				flagged++
			}
		}
		if len(rep.Authors) != len(snap.Authors) {
			t.Fatalf("%s: batch %d authors, snapshot %d", c.ID, len(rep.Authors), len(snap.Authors))
		}
		for i, a := range rep.Authors {
			b := snap.Authors[i]
			if a.Author != b.Author || a.Messages != b.Messages || math.Abs(a.Grooming-b.Grooming) > eps ||
				math.Abs(a.Sextortion-b.Sextortion) > eps || math.Abs(a.CueWeight-b.CueWeight) > 1e-9 {
				t.Errorf("%s: author %d: batch %+v, snapshot %+v", c.ID, i, a, b)
			}
		}
		if (rep.Suspect == nil) != (snap.Suspect == nil) || (rep.Suspect != nil && *rep.Suspect != *snap.Suspect) {
			t.Errorf("%s: batch suspect %v, snapshot %v", c.ID, ptrStr(rep.Suspect), ptrStr(snap.Suspect))
		}
	}
	t.Logf("%d conversations, %d flagged heads (model %s %s)", len(cs), flagged, d.Model().Name, d.Model().Version)
}

func ptrStr(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestSessionEqualsBatch: feeding each conversation of the floor set message by message ends at
// the head scores, best windows, author scores and suspect of Analyze on the whole conversation.
func TestSessionEqualsBatch(t *testing.T) {
	cs := floorConversations(t)
	t.Run("model", func(t *testing.T) {
		checkStreamingEqualsBatch(t, sessionDetector(t, Options{}), cs)
	})
	// A small window and token cap, so that windows close often and ids are evicted from the
	// running sums on nearly every message; long conversations cross hundreds of windows.
	t.Run("window=5,maxids=16", func(t *testing.T) {
		d, err := New(Options{Model: randomModel(t, FeaturizerConfig{Window: 5, MaxIDs: 16}, 2, 0.5), Backend: BackendGo})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		checkStreamingEqualsBatch(t, d, append(cs, longConversation(cs, 600), longConversation(cs, 1001)))
	})
	// A model with wide columns: the running sums carry them too.
	t.Run("wide,window=5,maxids=16", func(t *testing.T) {
		d, err := New(Options{Model: randomModelWide(t, FeaturizerConfig{Window: 5, MaxIDs: 16}, 2, 0.5, true), Backend: BackendGo})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		checkStreamingEqualsBatch(t, d, append(cs, longConversation(cs, 600)))
	})
}

// TestSessionPushBatch: feeding conversations in bursts through PushBatch ends at the same scores,
// windows, authors and suspect as Analyze (and so as Push one by one), also with small windows
// that batches cross several times; an empty batch reports the current risks.
func TestSessionPushBatch(t *testing.T) {
	cs := floorConversations(t)
	t.Run("model", func(t *testing.T) {
		checkFeedEqualsBatch(t, sessionDetector(t, Options{}), append(cs, longConversation(cs, 300)), streamBatches)
	})
	t.Run("window=5,maxids=16", func(t *testing.T) {
		d, err := New(Options{Model: randomModel(t, FeaturizerConfig{Window: 5, MaxIDs: 16}, 2, 0.5), Backend: BackendGo})
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		checkFeedEqualsBatch(t, d, append(cs, longConversation(cs, 600)), streamBatches)
	})
	t.Run("empty", func(t *testing.T) {
		d := sessionDetector(t, Options{})
		s, us := stream(t, d, cs[0])
		u, err := s.PushBatch(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		last := us[len(us)-1]
		if u.Message != last.Message || u.Grooming != last.Grooming || u.Sextortion != last.Sextortion || u.Alerts != nil {
			t.Fatalf("empty batch: %+v, last push %+v", u, last)
		}
	})
}

// groomingLives returns the live grooming score after each message of c, pushed one by one
// with the embedded model's thresholds.
func groomingLives(t *testing.T, c *corpus.Conversation) []float64 {
	_, us := stream(t, sessionDetector(t, Options{}), c)
	lives := make([]float64, len(us))
	for i, u := range us {
		lives[i] = u.Grooming.Live
	}
	return lives
}

// TestSessionPushBatchAlerts: with a threshold that the live score crosses, a conversation fed
// in batches raises its first alert never earlier than message-by-message feeding does, with the
// same id; every alert names a message of its own batch.
func TestSessionPushBatchAlerts(t *testing.T) {
	c := longConversation(floorConversations(t), 300)
	thr := quantile(groomingLives(t, c), 0.9)
	d := sessionDetector(t, Options{Thresholds: map[string]float64{HeadGrooming: thr, HeadSextortion: 2}})
	_, one := stream(t, d, c)
	firstOne := -1
	for _, u := range one {
		if len(u.Alerts) > 0 {
			firstOne = u.Alerts[0].Message
			break
		}
	}
	if firstOne < 0 {
		t.Fatalf("no alert at threshold %.4f", thr)
	}
	_, batches := streamBatches(t, d, c)
	end, firstBatch, id := -1, -1, ""
	for _, u := range batches {
		start := end + 1
		end = u.Message
		for _, a := range u.Alerts {
			if a.Message < start || a.Message > end {
				t.Fatalf("alert on message %d outside its batch [%d, %d]", a.Message, start, end)
			}
			if firstBatch < 0 {
				firstBatch, id = a.Message, a.ID
				if firstOne < start || firstOne > end {
					// The crossing fell in an earlier batch without being scored there: allowed
					// only if that batch's end was below the threshold.
					t.Logf("first alert at message %d one by one, %d in batches", firstOne, firstBatch)
				}
			}
		}
	}
	if firstBatch < firstOne {
		t.Fatalf("batch alert at message %d before the one-by-one alert at %d", firstBatch, firstOne)
	}
	if id != c.ID+"/grooming/1" {
		t.Fatalf("first batch alert id %q", id)
	}
}

// TestSessionRestore saves and restores the session after every message and checks that the
// restored session continues exactly as the uninterrupted one (updates identical, bit for bit).
func TestSessionRestore(t *testing.T) {
	for _, wide := range []bool{false, true} {
		t.Run(fmt.Sprintf("wide=%v", wide), func(t *testing.T) { testSessionRestore(t, wide) })
	}
}

func testSessionRestore(t *testing.T, wide bool) {
	d, err := New(Options{Model: randomModelWide(t, FeaturizerConfig{Window: 5, MaxIDs: 16}, 3, 0.5, wide), Backend: BackendGo})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	cs := floorConversations(t)
	for _, c := range append(cs[:6], longConversation(cs, 130)) {
		_, want := stream(t, d, c)
		s := d.NewSession(c.ID)
		for i, m := range c.Messages {
			b, err := s.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			if s, err = d.RestoreSession(b); err != nil {
				t.Fatalf("%s message %d: %v", c.ID, i, err)
			}
			b2, _ := s.MarshalBinary()
			if string(b) != string(b2) {
				t.Fatalf("%s message %d: re-encoding differs", c.ID, i)
			}
			u, err := s.Push(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(u, want[i]) {
				t.Fatalf("%s message %d: restored session gives\n%+v\nwant\n%+v", c.ID, i, u, want[i])
			}
		}
	}
}

func TestSessionRestoreErrors(t *testing.T) {
	d := sessionDetector(t, Options{})
	s := d.NewSession("c1")
	for _, m := range floorConversations(t)[0].Messages[:5] {
		if _, err := s.Push(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	good, _ := s.MarshalBinary()
	other, err := New(Options{Model: randomModel(t, FeaturizerConfig{}, 42, 0.5), Backend: BackendGo})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.RestoreSession(good); !errors.Is(err, ErrSessionState) {
		t.Fatalf("state of another model: got %v, want ErrSessionState", err)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"other magic", []byte("XYZ\x01")},
		{"other version", append([]byte(sessionMagic+"\x07"), good[len(sessionMagic)+1:]...)},
		{"truncated", good[:len(good)/2]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := d.RestoreSession(tc.data); !errors.Is(err, ErrSessionState) {
				t.Fatalf("got %v, want ErrSessionState", err)
			}
		})
	}
}

// FuzzSessionState: restoring arbitrary bytes never panics, and a restored session can be pushed.
func FuzzSessionState(f *testing.F) {
	// A model without and one with wide columns: their saved sums differ in length, and every
	// input is restored by both.
	var ds []*Detector
	for _, wide := range []bool{false, true} {
		d, err := New(Options{Model: randomModelWide(f, FeaturizerConfig{Window: 5, MaxIDs: 16}, 4, 0.5, wide), Backend: BackendGo})
		if err != nil {
			f.Fatal(err)
		}
		f.Cleanup(func() { d.Close() })
		ds = append(ds, d)
	}
	cs := floorConversations(f)
	for _, d := range ds {
		s := d.NewSession("fuzz")
		for i, m := range cs[0].Messages {
			_, _ = s.Push(context.Background(), m)
			if i%3 == 0 {
				b, _ := s.MarshalBinary()
				f.Add(b)
			}
		}
	}
	msg := corpus.Message{ID: "x", Author: "someone", Text: "hello again, how old are you?"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range ds {
			s, err := d.RestoreSession(data)
			if err != nil {
				continue
			}
			if _, err := s.Push(context.Background(), msg); err != nil {
				t.Fatalf("push after restore: %v", err)
			}
			if _, err := s.Snapshot(); err != nil {
				t.Fatalf("snapshot after restore: %v", err)
			}
		}
	})
}

// TestSessionAlerts checks the hysteresis on a controlled score sequence: the detector's
// thresholds are set around the live scores that the conversation actually produces.
func TestSessionAlerts(t *testing.T) {
	c := longConversation(floorConversations(t), 300)
	// Pick a threshold that the live grooming score crosses several times.
	lives := groomingLives(t, c)
	thr := 0.0
	for _, q := range []float64{0.5, 0.6, 0.7, 0.8, 0.9, 0.95} {
		if thr = quantile(lives, q); thr > 0.01 {
			break
		}
	}
	d := sessionDetector(t, Options{Thresholds: map[string]float64{HeadGrooming: thr, HeadSextortion: 2}})
	_, rearmed, _, first := checkAlerts(t, d, c, thr, 1)
	if rearmed == 0 {
		t.Fatal("no alert re-armed: the test does not exercise the hysteresis")
	}
	// Suppress the first crossing: the head stays armed and alerts at the next one.
	seq, _, early, _ := checkAlerts(t, d, c, thr, first+2)
	if early == 0 || seq == 0 {
		t.Fatalf("min %d: %d alerts, %d crossings suppressed: the test does not exercise MinMessages", first+2, seq, early)
	}
	checkAlerts(t, d, c, thr, DefaultMinMessages)
}

// checkAlerts replays c with MinMessages minMsgs and checks each update's alerts against a
// reference implementation of the alert rule.
// It returns the number of alerts, of re-armed ones, of crossings suppressed by MinMessages, and
// the index of the first alert (-1: none).
func checkAlerts(t *testing.T, d *Detector, c *corpus.Conversation, thr float64, minMsgs int) (seq, rearmed, early, first int) {
	t.Helper()
	_, us := streamWith(t, d, c, SessionOptions{MinMessages: minMsgs})
	armed, first := true, -1
	var stages uint64
	a := d.Featurizer()
	for i, u := range us {
		live := u.Grooming.Live
		// The new-stage rule needs the stages of message i: recompute them.
		var fresh bool
		if !c.Messages[i].System {
			sc := a.pool.Get().(*scratch)
			hits, _, _ := a.message(sc, c.Messages[i].Text, nil)
			for _, h := range hits {
				if h.Stage != features.StageNone && h.Stage.Head() == features.HeadGrooming && stages&(1<<h.Stage) == 0 {
					fresh = true
				}
				if h.Stage != features.StageNone {
					stages |= 1 << h.Stage
				}
			}
			a.pool.Put(sc)
		}
		if !armed && live < RearmRatio*thr {
			armed = true
		}
		want := ""
		if live >= thr && i+1 < minMsgs {
			early++ // suppressed: the conversation is too short yet
		}
		if live >= thr && i+1 >= minMsgs && (armed || fresh) {
			want = map[bool]string{true: ReasonRearmed, false: ReasonNewStage}[armed]
			if seq == 0 {
				want = ReasonThreshold
			}
			armed = false
			if first < 0 {
				first = i
			}
			seq++
		}
		got := ""
		for _, al := range u.Alerts {
			if al.Head == HeadSextortion {
				t.Fatalf("message %d: sextortion alert above a threshold of 2", i)
			}
			got = al.Reason
			if got == ReasonRearmed {
				rearmed++
			}
			if al.Seq != seq || al.ID != fmt.Sprintf("%s/grooming/%d", c.ID, seq) || al.Message != i || al.Score != live {
				t.Fatalf("message %d: alert %+v, want seq %d", i, al, seq)
			}
			if al.Suspect == nil || len(al.Authors) == 0 {
				t.Fatalf("message %d: alert without suspect or authors", i)
			}
		}
		if got != want {
			t.Fatalf("message %d (live %.4f, threshold %.4f): alert %q, want %q", i, live, thr, got, want)
		}
	}
	t.Logf("min %d: %d alerts (%d re-armed, %d crossings suppressed) over %d messages (threshold %.4f)",
		minMsgs, seq, rearmed, early, len(us), thr)
	return seq, rearmed, early, first
}

// TestSessionMinMessages: MinMessages changes when a session alerts, never its scores; no alert
// comes before message MinMessages; the option survives a save and restore.
func TestSessionMinMessages(t *testing.T) {
	d := sessionDetector(t, Options{})
	require.Equal(t, DefaultMinMessages, d.NewSession("x").Options().MinMessages)
	require.Equal(t, 1, d.NewSessionWith("x", SessionOptions{MinMessages: -3}).Options().MinMessages)
	alerts := [2]int{}
	for _, c := range floorConversations(t) {
		_, all := streamWith(t, d, c, SessionOptions{MinMessages: 1})
		_, late := streamWith(t, d, c, SessionOptions{MinMessages: 4})
		for i := range all {
			require.Equal(t, all[i].Grooming, late[i].Grooming, "%s message %d", c.ID, i)
			require.Equal(t, all[i].Sextortion, late[i].Sextortion, "%s message %d", c.ID, i)
			if i < 3 {
				require.Empty(t, late[i].Alerts, "%s message %d: alert before message 4", c.ID, i)
			}
			alerts[0] += len(all[i].Alerts)
			alerts[1] += len(late[i].Alerts)
		}
	}
	if alerts[0] == 0 {
		t.Fatal("no alert on the floor conversations: the test compares nothing")
	}
	t.Logf("alerts: %d from the first message, %d from the fourth", alerts[0], alerts[1])

	s := d.NewSessionWith("r", SessionOptions{MinMessages: 7})
	b, err := s.MarshalBinary()
	require.NoError(t, err)
	r, err := d.RestoreSession(b)
	require.NoError(t, err)
	require.Equal(t, 7, r.Options().MinMessages)
}

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1))]
}

// TestSessionPushAllocs: pushing a message of a known author into a session allocates nothing
// once the session's buffers have grown.
func TestSessionPushAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("allocation counts differ under coverage")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	d := sessionDetector(t, Options{Thresholds: map[string]float64{HeadGrooming: 2, HeadSextortion: 2}})
	c := longConversation(floorConversations(t), 200)
	s := d.NewSession("allocs")
	for _, m := range c.Messages {
		if _, err := s.Push(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	i := 0
	allocs := testing.AllocsPerRun(500, func() {
		m := c.Messages[i%len(c.Messages)]
		i++
		if _, err := s.Push(ctx, m); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Fatalf("%.2f allocations per message, want 0", allocs)
	}
}
