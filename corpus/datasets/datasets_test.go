package datasets

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

func TestInterleaveKeepsEverySideInOrder(t *testing.T) {
	got := interleave("P", []string{"p1", "p2", "p3", "p4"}, "D", []string{"d1", "d2"})
	var texts []string
	for _, m := range got {
		texts = append(texts, m.Text)
	}
	// positions: p 0.125 0.375 0.625 0.875; d 0.25 0.75
	require.Equal(t, []string{"p1", "d1", "p2", "p3", "d2", "p4"}, texts)
	require.Equal(t, "6", got[5].ID)
}

func TestWindowsMergeShortTail(t *testing.T) {
	msgs := make([]corpus.Message, 41)
	var sizes []int
	err := windows(corpus.Conversation{ID: "x"}, msgs, 40, func(c *corpus.Conversation) error {
		sizes = append(sizes, len(c.Messages))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []int{41}, sizes, "a 1-message tail is merged into the window before")
	sizes = nil
	require.NoError(t, windows(corpus.Conversation{ID: "x"}, make([]corpus.Message, 89), 40, func(c *corpus.Conversation) error {
		sizes = append(sizes, len(c.Messages))
		return nil
	}))
	require.Equal(t, []int{40, 49}, sizes, "a 9-message tail (< 40/4) is merged")
}

func TestHashSplitProportions(t *testing.T) {
	n := map[string]int{}
	for i := 0; i < 10000; i++ {
		n[hashSplit("src/"+string(rune('a'+i%26))+string(rune(i)))]++
	}
	require.InDelta(t, 7000, n[SplitTrain], 300)
	require.InDelta(t, 1000, n[SplitDev], 200)
	require.InDelta(t, 2000, n[SplitTest], 250)
}

func TestMissingCorpusIsClearError(t *testing.T) {
	s, err := Lookup("vtpan")
	require.NoError(t, err)
	err = s.Read(t.TempDir(), func(*corpus.Conversation) error { return nil })
	require.True(t, errors.Is(err, ErrNoCorpus))
	_, err = Lookup("nope")
	require.Error(t, err)
}

// TestSharedCorpora reads every source when ../shared/corpora is present (it is on developers'
// machines and in CI) and checks counts documented in each PROVENANCE.md.
func TestSharedCorpora(t *testing.T) {
	root := "../../" + DefaultRoot
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared corpora not present at", root)
	}
	if testing.Short() {
		t.Skip("reads 40 MB of compressed corpora")
	}
	for _, s := range Sources() {
		t.Run(s.Name, func(t *testing.T) {
			convs, msgs := 0, 0
			labels := map[corpus.Label]int{}
			splits := map[string]int{}
			err := s.Read(root, func(c *corpus.Conversation) error {
				convs++
				msgs += len(c.Messages)
				labels[c.Label]++
				splits[SplitOf(c)]++
				require.NotEmpty(t, c.ID)
				require.Equal(t, s.Name, DatasetOf(c))
				return nil
			})
			require.NoError(t, err)
			require.Positive(t, convs)
			t.Logf("%s: %d conversations, %d messages, labels %v, splits %v", s.Name, convs, msgs, labels, splits)
			switch s.Name {
			case "vtpan": // PROVENANCE: 1,977 segments, 239 positive
				require.Equal(t, 1977, convs)
				require.Equal(t, 239, labels[corpus.LabelGrooming])
				require.Equal(t, 988, splits[SplitTest])
			case "pj": // PROVENANCE: 548 cases, 627,457 predator + 590,601 officer lines
				require.Equal(t, 548, convs)
				require.Equal(t, 627457+590601, msgs)
			case "nus_sms":
				require.Equal(t, 55835, msgs)
			case "nps":
				require.Equal(t, 10567, msgs)
			}
		})
	}
}

func TestVTPANSplitFolds(t *testing.T) {
	devIn := map[int]int{}
	for row := 0; row < 1977; row++ {
		for fold := 0; fold < VTPANFolds; fold++ {
			got := VTPANSplit(row, fold)
			if row%2 == 1 {
				require.Equal(t, SplitTest, got, "row %d fold %d: odd rows are test in every fold", row, fold)
				continue
			}
			if got == SplitDev {
				devIn[row]++
			} else {
				require.Equal(t, SplitTrain, got)
			}
		}
		if row%2 == 0 {
			require.Equal(t, 1, devIn[row], "row %d is dev in exactly one fold", row)
		}
	}
	// Fold 0 is the split every earlier model was trained on, written here as it was before folds.
	for row := 0; row < 1977; row++ {
		old := SplitTest
		if row%2 == 0 {
			old = SplitTrain
			if (row/2)%5 == 0 {
				old = SplitDev
			}
		}
		require.Equal(t, old, VTPANSplit(row, 0), "row %d", row)
	}
	require.Equal(t, SplitDev, VTPANSplit(1970, 0))
	require.Equal(t, SplitTrain, VTPANSplit(12, 0))
	require.Equal(t, SplitDev, VTPANSplit(2, 1))
	require.Equal(t, SplitDev, VTPANSplit(8, 4))
}

func TestPlanVTPANDevFold(t *testing.T) {
	err := Plan{Root: t.TempDir(), Sources: []string{"vtpan"}, VTPANDevFold: VTPANFolds}.Each("", func(*corpus.Conversation) error { return nil })
	require.ErrorContains(t, err, "dev fold 5")
	err = Plan{Root: t.TempDir(), Sources: []string{"vtpan"}, VTPANDevFold: -1}.Each("", func(*corpus.Conversation) error { return nil })
	require.ErrorContains(t, err, "dev fold -1")

	root := "../../" + DefaultRoot
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared corpora not present at", root)
	}
	if testing.Short() {
		t.Skip("reads the VTPAN segments ten times")
	}
	seen := map[string]int{}
	for fold := 0; fold < VTPANFolds; fold++ {
		splits := map[string]int{}
		p := Plan{Root: root, Sources: []string{"vtpan"}, VTPANDevFold: fold}
		require.NoError(t, p.Each("", func(c *corpus.Conversation) error {
			splits[SplitOf(c)]++
			return nil
		}))
		require.Equal(t, 988, splits[SplitTest], "fold %d: the test half never moves", fold)
		require.InDelta(t, 198, splits[SplitDev], 1, "fold %d", fold)
		require.NoError(t, p.Each(SplitDev, func(c *corpus.Conversation) error {
			seen[c.ID]++
			require.Equal(t, SplitDev, SplitOf(c))
			return nil
		}))
	}
	require.Len(t, seen, 989, "every even row is dev in one fold")
	for id, n := range seen {
		require.Equal(t, 1, n, "%s is dev in one fold only", id)
	}
}
