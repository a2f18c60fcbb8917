package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/datasets"
	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
	"github.com/vigie/vigie/models"
	"github.com/vigie/vigie/models/metrics"
	"github.com/vigie/vigie/models/onnxfile"
	"github.com/vigie/vigie/models/train"
)

// TestWeigh checks the example weights: positives and negatives weigh the same in total, a group
// weighs the square root of its size, and VTPAN's groups are raised by the boost.
func TestWeigh(t *testing.T) {
	mk := func(boost float64) (*exampleSet, map[string]float64) {
		s := &exampleSet{}
		add := func(group string, n int) {
			for range n {
				s.ex = append(s.ex, train.Example{})
				s.groups = append(s.groups, group)
			}
		}
		add("pj+c", 400)
		add("nps-c", 100)
		add("dota2-c", 400)
		add("vtpan+c", 25)
		add("vtpan-c", 100)
		return s, s.weigh(boost)
	}
	for _, boost := range []float64{1, 4, 8} {
		s, per := mk(boost)
		var pos, neg float64
		for i, e := range s.ex {
			if s.groups[i][len(s.groups[i])-2] == '+' {
				pos += float64(e.Weight)
			} else {
				neg += float64(e.Weight)
			}
		}
		require.InDelta(t, pos, neg, 1e-3*pos, "boost %v: both sides weigh the same", boost)
		require.InDelta(t, float64(len(s.ex)), pos+neg, 1e-3*pos, "boost %v: total weight is the number of examples", boost)
		// Group totals: dota2 (400) weighs twice nps (100), the square root of 4.
		require.InDelta(t, 2.0, 400*per["dota2-c"]/(100*per["nps-c"]), 1e-6)
		// VTPAN negatives (100 examples) against nps (100 examples): the boost.
		require.InDelta(t, boost, per["vtpan-c"]/per["nps-c"], 1e-6)
	}
}

// TestFlatPick checks that the flattened share follows --flat-share and is stable per unit.
func TestFlatPick(t *testing.T) {
	count := func(share int) int {
		n := 0
		for i := range 2000 {
			id := fmt.Sprintf("pj-case%d-w%d", i/7, i%7)
			require.Equal(t, flatPick(id, share), flatPick(id, share))
			if flatPick(id, share) {
				n++
			}
		}
		return n
	}
	require.Zero(t, count(0))
	require.Equal(t, 2000, count(100))
	require.InDelta(t, 700, count(defaultFlatShare), 80)
	for i := range 200 {
		id := fmt.Sprint("unit-", i)
		if flatPick(id, 20) {
			require.True(t, flatPick(id, 60), "%s: a unit picked at a share is picked at every larger share", id)
		}
	}
}

// TestDecodeRecordLegacySettings checks that a record written before --vtpan-boost and
// --flat-share existed reads with the values the code had then, and that explicit values, zero
// included, are kept.
func TestDecodeRecordLegacySettings(t *testing.T) {
	old := decodeRecord([]byte(`{"seed":1,"settings":{"Dim":24,"Hidden":64}}`))
	require.Equal(t, 4.0, old.Settings.VTPANBoost)
	require.Equal(t, 35, old.Settings.FlatShare)
	require.Equal(t, 64, old.Settings.Hidden)
	require.Equal(t, 0.5, old.Settings.WideC)
	b, err := json.Marshal(trainRecord{Settings: trainSettings{VTPANBoost: 8, FlatShare: 0}})
	require.NoError(t, err)
	rec := decodeRecord(b)
	require.Equal(t, 8.0, rec.Settings.VTPANBoost)
	require.Equal(t, 0, rec.Settings.FlatShare, "an explicit 0 is written and kept")
}

// TestBuildExamplesExcerpts checks which units of the training split come with an excerpt:
// synthetic positives (--excerpts) in their own groups, synthetic look-alikes only with
// --benign-excerpts, always as negatives, and no unit of the dev split.
func TestBuildExamplesExcerpts(t *testing.T) {
	f, err := detect.NewFeaturizer(detect.FeaturizerConfig{Hasher: features.Hasher{Buckets: 1024}}, features.Options{})
	require.NoError(t, err)
	spec := dataSpec{SynthOnly: true, SynthSeed: 5, SynthN: 300}
	count := func(split string, s trainSettings) map[string]int {
		t.Helper()
		set, err := buildExamples(f, spec, split, s, nil)
		require.NoError(t, err)
		n := map[string]int{}
		for _, u := range set.units {
			n[u.dataset]++
			if u.dataset == "synth-benign-excerpt" {
				require.Equal(t, corpus.LabelBenign, u.label, u.id)
			}
		}
		return n
	}
	off := count(datasets.SplitTrain, trainSettings{Excerpts: 100})
	on := count(datasets.SplitTrain, trainSettings{Excerpts: 100, BenignExcerpts: 100})
	require.Zero(t, off["synth-benign-excerpt"])
	require.Positive(t, on["synth-benign-excerpt"])
	require.LessOrEqual(t, on["synth-benign-excerpt"], on["synth-benign"])
	require.Positive(t, off["synth-grooming-excerpt"])
	for _, d := range []string{"synth-benign", "synth-grooming", "synth-grooming-excerpt", "synth-sextortion-excerpt"} {
		require.Equal(t, off[d], on[d], d)
	}
	dev := count(datasets.SplitDev, trainSettings{Excerpts: 100, BenignExcerpts: 100})
	require.Zero(t, dev["synth-benign-excerpt"]+dev["synth-grooming-excerpt"]+dev["synth-sextortion-excerpt"], "no excerpts in dev")
}

// TestTrainPercentFlags checks that the percent settings of vigie train are refused outside 0-100
// before any data is read.
func TestTrainPercentFlags(t *testing.T) {
	for _, args := range [][]string{{"--excerpts", "101"}, {"--excerpts", "-1"}, {"--flat-share", "150"}, {"--benign-excerpts", "101"}} {
		_, stderr, code := runCLI(t, append([]string{"train", "--root", t.TempDir()}, args...)...)
		require.Equal(t, exitError, code, args)
		require.Contains(t, stderr, "a percent, from 0 to 100", args)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--average-from", "-1"}, "--average-from -1: an epoch, from 1 to --epochs (8), or 0 for none"},
		{[]string{"--average-from", "9", "--epochs", "8"}, "--average-from 9: an epoch, from 1 to --epochs (8)"},
		{[]string{"--seeds", "0"}, "--seeds 0: at least 1"},
		{[]string{"--focal", "-1"}, "--focal -1: a gamma from 0 (cross-entropy) to 5"},
		{[]string{"--focal", "NaN"}, "--focal NaN: a gamma from 0 (cross-entropy) to 5"},
		{[]string{"--dev-fold", "5"}, "--dev-fold 5: from 0 to 4"},
		{[]string{"--dev-fold", "-1"}, "--dev-fold -1: from 0 to 4"},
		{[]string{"--flat-fbeta", "-0.5"}, "--flat-fbeta -0.5: a positive beta, or 0 for none"},
		{[]string{"--flat-fbeta", "NaN"}, "--flat-fbeta NaN: a positive beta"},
		{[]string{"--flat-fbeta", "Inf"}, "--flat-fbeta +Inf: a positive beta"},
		{[]string{"--wide-rows", "authors"}, `--wide-rows "authors": all or conv`},
		{[]string{"--wide-c", "0"}, "--wide-c 0: a positive cost"},
		{[]string{"--wide-c", "NaN"}, "--wide-c NaN: a positive cost"},
		{[]string{"--wide-c", "Inf"}, "--wide-c +Inf: a positive cost"},
	} {
		_, stderr, code := runCLI(t, append([]string{"train", "--root", t.TempDir()}, tc.args...)...)
		require.Equal(t, exitError, code, tc.args)
		require.Contains(t, stderr, tc.want, tc.args)
	}
}

// TestTrainDeterministic trains twice on a small synthetic-only set with the same seed and once
// with another: the same seed gives the same weights and thresholds (the issue asks for
// deterministic training), another seed other weights; the model records its data and settings.
func TestTrainDeterministic(t *testing.T) {
	dir := t.TempDir()
	train := func(name, seed string, more ...string) (*models.Net, models.Meta) {
		t.Helper()
		out := filepath.Join(dir, name)
		_, stderr, code := runCLI(t, append([]string{"train", "--sources", "none", "--synth-n", "200", "--epochs", "2", "--hidden", "8",
			"--dim", "8", "--buckets", "2048", "--seed", seed, "--seeds", "1", "--wide=false", "-o", out}, more...)...)
		require.Equal(t, exitOK, code, stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		n, meta, err := onnxfile.Decode(b)
		require.NoError(t, err)
		return n, meta
	}
	a, ma := train("a.onnx", "3")
	b, mb := train("b.onnx", "3")
	c, mc := train("c.onnx", "4")
	for i, w := range [][3][]float32{{a.Emb, b.Emb, c.Emb}, {a.W1, b.W1, c.W1}, {a.W2, b.W2, c.W2}} {
		require.Equal(t, w[0], w[1], "weights %d differ between two runs with the same seed", i)
	}
	require.NotEqual(t, a.W1, c.W1, "another seed gives other weights")
	require.Equal(t, ma.Thresholds, mb.Thresholds)
	rec := decodeRecord(ma.Training)
	require.True(t, rec.Data.SynthOnly)
	require.Empty(t, rec.Checksums)
	require.Equal(t, uint64(3), rec.Seed)
	require.Equal(t, defaultExcerpts, rec.Settings.Excerpts)
	require.Equal(t, 2, rec.Settings.Epochs)
	require.Zero(t, rec.History.Averaged)
	require.Equal(t, 0.5, rec.Settings.FlatFBeta)
	require.Empty(t, ma.FlatThresholds, "no flat dev unit in the synthetic set: no flat threshold")

	// Tail averaging over the last epoch: four samples, recorded with the setting.
	d, md := train("d.onnx", "3", "--average-from", "2")
	require.NotEqual(t, a.W1, d.W1, "the mean of the samples differs from the best epoch")
	rec = decodeRecord(md.Training)
	require.Equal(t, 2, rec.Settings.AverageFrom)
	require.Equal(t, 4, rec.History.Averaged)
	require.Positive(t, rec.History.AveragedDevLoss)

	// The focal loss trains other weights, recorded with the setting.
	fo, mf := train("f.onnx", "3", "--focal", "2")
	require.NotEqual(t, a.W1, fo.W1, "the focal loss changes the training")
	require.InDelta(t, 2, decodeRecord(mf.Training).Settings.Focal, 0)

	// Two seeds from 3: the kept one is the better of the two on dev, with the weights and
	// thresholds of that seed trained alone, and both are recorded.
	e, me := train("e.onnx", "3", "--seeds", "2")
	rec = decodeRecord(me.Training)
	require.Len(t, rec.Seeds, 2)
	require.Equal(t, []uint64{3, 4}, []uint64{rec.Seeds[0].Seed, rec.Seeds[1].Seed})
	kept, other := rec.Seeds[0], rec.Seeds[1]
	alone, mAlone := a, ma
	if rec.Seed == 4 {
		kept, other = other, kept
		alone, mAlone = c, mc
	}
	for _, r := range rec.Seeds {
		require.Contains(t, r.DevRecall["grooming"], "excerpt", "seed %d: excerpts of the dev split are measured", r.Seed)
		require.Contains(t, r.DevRecall["sextortion"], "synthetic")
		want := 0.0
		for _, h := range []string{"grooming", "sextortion"} {
			m := 0.0
			for _, v := range r.DevRecall[h] {
				m += v
			}
			want += m / float64(len(r.DevRecall[h]))
		}
		require.InDelta(t, want, r.Score, 1e-12, "score of seed %d", r.Seed)
	}
	require.True(t, kept.Score > other.Score || (kept.Score == other.Score && kept.DevLoss <= other.DevLoss),
		"kept seed %d (%+v) over %+v", rec.Seed, kept, other)
	for i, w := range [][2][]float32{{alone.Emb, e.Emb}, {alone.W1, e.W1}, {alone.B1, e.B1}, {alone.W2, e.W2}, {alone.B2, e.B2}} {
		require.Equal(t, w[0], w[1], "tensor %d of the kept seed differs from the seed trained alone", i)
	}
	require.Equal(t, seedRule, rec.SeedRule)
	require.Equal(t, mAlone.Thresholds, me.Thresholds)
	require.Empty(t, decodeRecord(ma.Training).Seeds, "a single seed records no candidates")

	// The model card says which seed was kept and lists both.
	card, stderr, code := runCLI(t, "modelcard", "--model", filepath.Join(dir, "e.onnx"))
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, card, fmt.Sprintf("Seed %d was kept of 2 trained", rec.Seed))
	require.Contains(t, card, "| seed | grooming, excerpt | grooming, synthetic | sextortion, excerpt | sextortion, synthetic | score | dev loss |")
	require.Contains(t, card, fmt.Sprintf("| %d (kept) | %.3f | %.3f | %.3f | %.3f | %.3f | %.4f |", rec.Seed,
		kept.DevRecall["grooming"]["excerpt"], kept.DevRecall["grooming"]["synthetic"],
		kept.DevRecall["sextortion"]["excerpt"], kept.DevRecall["sextortion"]["synthetic"], kept.Score, kept.DevLoss))
	require.Contains(t, card, fmt.Sprintf("| %d | %.3f |", other.Seed, other.DevRecall["grooming"]["excerpt"]))
	card, _, _ = runCLI(t, "modelcard", "--model", filepath.Join(dir, "a.onnx"))
	require.NotContains(t, card, "was kept of")
	require.Contains(t, card, "(best ")
	// A model of averaged weights says so instead of naming a best epoch.
	card, _, _ = runCLI(t, "modelcard", "--model", filepath.Join(dir, "d.onnx"))
	require.Contains(t, card, "the weights are the mean of 4 samples taken from epoch 2 on")
	require.NotContains(t, card, "(best ")
	require.NotContains(t, card, "dev was fold")

	// Another VTPAN dev fold is recorded and named by the card (it moves real rows only, so the
	// synthetic-only weights are those of a).
	f, mf := train("f.onnx", "3", "--dev-fold", "2")
	require.Equal(t, a.W1, f.W1)
	require.Equal(t, 2, decodeRecord(mf.Training).Data.VTPANDevFold)
	require.NotContains(t, string(ma.Training), "vtpan_dev_fold", "fold 0 is left out of the record")
	card, _, _ = runCLI(t, "modelcard", "--model", filepath.Join(dir, "f.onnx"))
	require.Contains(t, card, "dev was fold 2 of the five folds of the even rows")

	// --wide: the dims record the wide columns (one per head and the norm's), the linear part
	// and the stacking are recorded, the network part is the one trained without them, and the
	// card says so.
	require.Zero(t, ma.Dims.W)
	require.NotContains(t, card, "wide columns")
	g, mg := train("g.onnx", "3", "--wide")
	require.Equal(t, mg.Dims.K+1, mg.Dims.W)
	rec = decodeRecord(mg.Training)
	require.NotNil(t, rec.Wide)
	require.Equal(t, []bool{true, true}, rec.Wide.Linear.Converged)
	require.Len(t, rec.Wide.Stack.Linear, 2)
	require.Less(t, rec.Wide.Stack.DevLoss, rec.Wide.Stack.DeepDevLoss, "the linear part helps on dev")
	require.Positive(t, rec.Wide.Stack.Linear[0])
	require.Equal(t, a.W1, g.W1, "the network part is trained as without --wide")
	require.Nil(t, decodeRecord(ma.Training).Wide)
	E := mg.Dims.E()
	require.Len(t, g.Emb, mg.Dims.V*E)
	moved := 0
	for i, w := range g.Emb {
		if i%E >= mg.Dims.D && w != 0 {
			moved++
		}
	}
	require.Greater(t, moved, 100, "wide weights set")
	card, _, _ = runCLI(t, "modelcard", "--model", filepath.Join(dir, "g.onnx"))
	require.Contains(t, card, "heads 2, wide columns 3 |")
	require.Contains(t, card, "a linear model of the window's TF-IDF vector")
	require.Contains(t, card, "stacked with the network by a logistic regression on dev: grooming ")

	// --wide-rows conv: the linear part sees the conversation rows only, recorded with the setting.
	_, mh := train("h.onnx", "3", "--wide", "--wide-rows", "conv")
	rh := decodeRecord(mh.Training)
	require.Equal(t, "conv", rh.Settings.WideRows)
	require.Equal(t, "all", rec.Settings.WideRows)
	require.Less(t, rh.Wide.Linear.Rows, rec.Wide.Linear.Rows)
	require.Positive(t, rh.Wide.Linear.Rows)

	// --wide-c: the linear part's cost reaches the fit, recorded with the setting.
	_, mw := train("c.onnx", "3", "--wide", "--wide-c", "0.125")
	rc := decodeRecord(mw.Training)
	require.Equal(t, 0.125, rc.Settings.WideC)
	require.Equal(t, 0.125, rc.Wide.Linear.C)
	require.Equal(t, 0.5, rec.Wide.Linear.C)
}

// TestDataSpecDevFold checks that the fold of a model's record reaches the real data: vigie eval
// --split dev reads the record's dataSpec, so a fold-2 model is measured on fold 2's even rows.
func TestDataSpecDevFold(t *testing.T) {
	root := filepath.Join("..", "..", datasets.DefaultRoot)
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared corpora not present at", root)
	}
	rec := decodeRecord([]byte(`{"data":{"root":"x","vtpan_dev_fold":2}}`))
	require.Equal(t, 2, rec.Data.VTPANDevFold)
	spec := rec.Data
	spec.Root, spec.Sources = root, []string{"vtpan"}
	n := 0
	require.NoError(t, spec.eachUnit(datasets.SplitDev, func(u unit) error {
		var rs string
		require.NoError(t, json.Unmarshal(u.c.Extra["row"], &rs))
		row, err := strconv.Atoi(rs)
		require.NoError(t, err)
		require.Equal(t, 0, row%2, "row %d", row)
		require.Equal(t, 2, (row/2)%datasets.VTPANFolds, "row %d is not in fold 2", row)
		n++
		return nil
	}))
	require.InDelta(t, 198, n, 1)
}

// TestSeedScore checks the seed-selection rule: recall per kind of positive (a sextortion unit
// is left out of the grooming head), averaged per head so that a small kind weighs as much as a
// large one, then summed over the heads.
func TestSeedScore(t *testing.T) {
	g, x := corpus.LabelGrooming, corpus.LabelSextortion
	units := []unitRows{
		{dataset: "pj", label: g}, {dataset: "pj", label: g}, {dataset: "pj", label: g}, {dataset: "pj", label: g},
		{dataset: "synth-sextortion", label: x, synth: true}, // mid-list: the grooming head skips it
		{dataset: "nps"},
		{dataset: "synth-grooming", label: g, synth: true},
	}
	scores := [][]float64{{0.9, 0}, {0.9, 0}, {0.9, 0}, {0.1, 0}, {0.99, 0.7}, {0.95, 0}, {0.2, 0}}
	require.Equal(t, map[string]float64{"real": 0.75, "synthetic": 0}, kindRecall(units, scores, 0, 0.5, nil))
	xunits := []unitRows{{dataset: "synth-grooming-excerpt", label: g, synth: true}, {dataset: "synth-sextortion-excerpt", label: x, synth: true}}
	xscores := [][]float64{{0.6, 0}, {0, 0.4}}
	c := &seedFit{recall: map[string]map[string]float64{
		"grooming":   kindRecall(xunits, xscores, 0, 0.5, kindRecall(units, scores, 0, 0.5, nil)),
		"sextortion": kindRecall(xunits, xscores, 1, 0.5, kindRecall(units, scores, 1, 0.5, nil)),
	}}
	require.Equal(t, map[string]float64{"real": 0.75, "synthetic": 0, "excerpt": 1}, c.recall["grooming"])
	require.Equal(t, map[string]float64{"synthetic": 1, "excerpt": 0}, c.recall["sextortion"])
	require.InDelta(t, (0.75+0+1)/3+(1+0)/2.0, c.score(), 1e-12)
	o := &seedFit{seed: 2, recall: map[string]map[string]float64{"grooming": {"real": 1, "synthetic": 1, "excerpt": 0}, "sextortion": {"synthetic": 1, "excerpt": 0}}}
	require.True(t, o.better(c), "higher mean recall wins even with one kind at 0")
	require.False(t, c.better(o))

	// Ties on the score: the lower dev loss, then the lower seed.
	hist := func(loss float64) train.History {
		return train.History{BestEpoch: 1, Epochs: []train.Progress{{Epoch: 1, DevLoss: loss}}}
	}
	same := o.recall
	a := &seedFit{seed: 5, recall: same, hist: hist(0.2)}
	b := &seedFit{seed: 3, recall: same, hist: hist(0.3)}
	require.True(t, a.better(b), "equal scores: the lower dev loss wins over the lower seed")
	b.hist = hist(0.2)
	require.True(t, b.better(a), "equal scores and losses: the lower seed wins")
	require.False(t, a.better(b))
	require.Equal(t, float32(0.1), float32(ceil32(0.1)))
	require.GreaterOrEqual(t, ceil32(0.1), 0.1, "rounded up, so that a float32 score equal to t is still flagged")
	require.Equal(t, 0.5, ceil32(0.5), "a float32 value is kept")
}

// Flat dev units are the one-message, author-less conversations as read, never the flattened
// copies; calibrateFlat needs enough of each class and picks the threshold SubsetThreshold picks.
func TestFlatCalibration(t *testing.T) {
	f, err := detect.NewFeaturizer(detect.FeaturizerConfig{Hasher: features.Hasher{Buckets: 1024}}, features.Options{})
	require.NoError(t, err)
	two := &corpus.Conversation{ID: "c", Label: corpus.LabelBenign, Messages: []corpus.Message{
		{ID: "1", Author: "a", Text: "see you at practice"}, {ID: "2", Author: "b", Text: "ok bring the ball"}}}
	seg := &corpus.Conversation{ID: "s", Label: corpus.LabelGrooming, Messages: []corpus.Message{{ID: "1", Text: "a segment without speakers"}}}
	sext := &corpus.Conversation{ID: "x", Label: corpus.LabelSextortion, Messages: []corpus.Message{{ID: "1", Text: "another segment"}}}
	s := &exampleSet{}
	for _, u := range []unit{{c: two, dataset: "chats"}, {c: flatten(two), dataset: "chats-flat", flattened: true}, {c: seg, dataset: "segs"}, {c: sext, dataset: "segs"}} {
		require.NoError(t, s.add(f, u))
	}
	require.Equal(t, []bool{false, false, true, true}, []bool{s.units[0].flat, s.units[1].flat, s.units[2].flat, s.units[3].flat})
	require.Equal(t, []bool{false, false, true}, headFlat(s.units, 0), "the grooming head skips sextortion units, as headUnits")
	require.Equal(t, []bool{false, false, true, true}, headFlat(s.units, 1))

	// Scores: 40 other units and flat ones; enough flat units of each class, then too few.
	r := rand.New(rand.NewPCG(1, 2))
	var sc []float64
	var lab, in []bool
	for i := 0; i < 200; i++ {
		l := i%3 == 0
		x := r.Float64() * 0.7
		if l {
			x += 0.3
		}
		sc, lab, in = append(sc, x), append(lab, l), append(in, i >= 140)
	}
	rule := metrics.Calibration{MinPrecision: 0.8, MaxFPR: 0.05}
	fc, err := calibrateFlat(rule, 0.5, sc, lab, in)
	require.NoError(t, err)
	require.NotNil(t, fc)
	want, at, ok, err := rule.SubsetThreshold(sc, lab, in, 0.5)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, ceil32(want), fc.Threshold)
	require.Equal(t, at, fc.At)
	require.Equal(t, 60, fc.Units)
	require.Equal(t, 20, fc.Positives)
	ordinary, _, _, err := rule.Threshold(sc, lab)
	require.NoError(t, err)
	require.GreaterOrEqual(t, fc.Threshold, ordinary, "the flat threshold is one of those the ordinary rule allows")

	few := slices.Clone(in)
	for i := 140; i < 200-minFlatUnits*3+3; i++ {
		few[i] = false // leaves fewer than minFlatUnits flat positives
	}
	fc, err = calibrateFlat(rule, 0.5, sc, lab, few)
	require.NoError(t, err)
	require.Nil(t, fc)
}
