package synth

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

// TestExcerpt checks the excerpts of generated positives: 6 to 18 contiguous messages, a key
// stage of the label in the last three, at least two distinct stages of the label's head besides
// contact, the label, suspects and the annotations of the kept messages, the same on every call;
// none for benign conversations.
func TestExcerpt(t *testing.T) {
	cs, err := Generate(Config{Seed: 11, N: 300})
	require.NoError(t, err)
	made := map[corpus.Label]int{}
	positives := map[corpus.Label]int{}
	for _, c := range cs {
		x := Excerpt(c)
		if c.Label == corpus.LabelBenign {
			require.Nil(t, x, c.ID)
			continue
		}
		positives[c.Label]++
		if x == nil {
			continue
		}
		made[c.Label]++
		require.Equal(t, c.ID+"-excerpt", x.ID)
		require.Equal(t, c.Label, x.Label)
		require.Equal(t, c.Suspects, x.Suspects)
		require.True(t, x.Synthetic)
		require.GreaterOrEqual(t, len(x.Messages), 6, c.ID)
		require.LessOrEqual(t, len(x.Messages), 18, c.ID)
		start := slices.IndexFunc(c.Messages, func(m corpus.Message) bool { return m.ID == x.Messages[0].ID })
		require.GreaterOrEqual(t, start, 0, c.ID)
		require.Equal(t, c.Messages[start:start+len(x.Messages)], x.Messages, "%s: contiguous", c.ID)

		var all, kept map[string][]string
		require.NoError(t, json.Unmarshal(c.Extra["synthetic_stages"], &all))
		require.NoError(t, json.Unmarshal(x.Extra["synthetic_stages"], &kept))
		require.Equal(t, c.Extra["synthetic_kind"], x.Extra["synthetic_kind"])
		head := func(st string) bool {
			return slices.Contains(OffenderStages, st) && sextortionStage(st) == (c.Label == corpus.LabelSextortion)
		}
		// The cut ends on a key stage, then up to two more messages: find that message among the
		// last three, and count the distinct stages up to it.
		key := -1
		for i := max(0, len(x.Messages)-3); i < len(x.Messages); i++ {
			for _, st := range all[x.Messages[i].ID] {
				if head(st) && slices.Contains(excerptKeys[c.Label], st) {
					key = i
				}
			}
		}
		require.GreaterOrEqual(t, key, 0, "%s: no key stage in the last three messages", c.ID)
		seen := map[string]bool{}
		for i, m := range x.Messages {
			require.Equal(t, all[m.ID], kept[m.ID], "%s: annotations of message %s", c.ID, m.ID)
			for _, st := range all[m.ID] {
				if i <= key && head(st) && st != StageContact {
					seen[st] = true
				}
			}
		}
		require.Len(t, kept, len(slices.DeleteFunc(slices.Clone(x.Messages), func(m corpus.Message) bool { return all[m.ID] == nil })))
		require.GreaterOrEqual(t, len(seen), 2, "%s: distinct stages up to the key message %v", c.ID, seen)
		require.Equal(t, x, Excerpt(c), "deterministic")
	}
	t.Logf("excerpts %v of positives %v", made, positives)
	for _, l := range []corpus.Label{corpus.LabelGrooming, corpus.LabelSextortion} {
		require.Greater(t, made[l], positives[l]*9/10, "%s: most positives have an excerpt", l)
	}
}

// TestSextortionStage checks the head split of the stage names against the taxonomy order.
func TestSextortionStage(t *testing.T) {
	require.False(t, sextortionStage(StageMeeting))
	require.False(t, sextortionStage(StageContact))
	require.True(t, sextortionStage(StageReciprocityBait))
	require.True(t, sextortionStage(StagePaymentMade))
	require.False(t, sextortionStage(StageVictimImage), "victim tags are no offender stage")
}

// TestBenignExcerpt checks the excerpts of generated benign look-alikes: 6 to 16 contiguous
// messages, benign, the generator's metadata and the annotations of the kept messages only, the
// same on every call; none for positives, for conversations that are not generated, and for
// conversations no longer than the cut.
func TestBenignExcerpt(t *testing.T) {
	cs, err := Generate(Config{Seed: 12, N: 300})
	require.NoError(t, err)
	made, benign := 0, 0
	sizes := map[int]bool{}
	for _, c := range cs {
		x := BenignExcerpt(c)
		if c.Label != corpus.LabelBenign {
			require.Nil(t, x, c.ID)
			continue
		}
		benign++
		if x == nil {
			require.LessOrEqual(t, len(c.Messages), 16, "%s: a look-alike longer than any cut has an excerpt", c.ID)
			continue
		}
		made++
		sizes[len(x.Messages)] = true
		require.Equal(t, c.ID+"-excerpt", x.ID)
		require.Equal(t, corpus.LabelBenign, x.Label)
		require.True(t, x.Synthetic)
		require.Less(t, len(x.Messages), len(c.Messages), c.ID)
		require.GreaterOrEqual(t, len(x.Messages), 6, c.ID)
		require.LessOrEqual(t, len(x.Messages), 16, c.ID)
		start := slices.IndexFunc(c.Messages, func(m corpus.Message) bool { return m.ID == x.Messages[0].ID })
		require.GreaterOrEqual(t, start, 0, c.ID)
		require.Equal(t, c.Messages[start:start+len(x.Messages)], x.Messages, "%s: contiguous", c.ID)
		require.Equal(t, c.Extra["synthetic_kind"], x.Extra["synthetic_kind"])
		require.Equal(t, c.Extra["synthetic_generator"], x.Extra["synthetic_generator"])
		var all, kept map[string][]string
		require.NoError(t, json.Unmarshal(c.Extra["synthetic_stages"], &all))
		require.NoError(t, json.Unmarshal(x.Extra["synthetic_stages"], &kept))
		for id := range kept {
			require.True(t, slices.ContainsFunc(x.Messages, func(m corpus.Message) bool { return m.ID == id }), "%s: annotation of a dropped message %s", c.ID, id)
			require.Equal(t, all[id], kept[id])
		}
		require.Equal(t, x, BenignExcerpt(c), "deterministic")
	}
	t.Logf("benign excerpts %d of %d look-alikes, %d sizes", made, benign, len(sizes))
	require.Greater(t, made, 10, "look-alikes have excerpts")
	require.Greater(t, len(sizes), 2, "cuts of varied sizes")

	plain := &corpus.Conversation{ID: "real-1", Label: corpus.LabelBenign, Messages: cs[0].Messages}
	require.Nil(t, BenignExcerpt(plain), "not a generated conversation")
}
