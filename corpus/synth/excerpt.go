package synth

import (
	"encoding/json"
	"hash/fnv"
	"io"
	"slices"

	"github.com/vigie/vigie/corpus"
)

// excerptKeys are the stages an excerpt is cut around, per label: the moments that make someone
// export or screenshot a few screens of a chat (a request, a risk check, secrecy; a threat, a
// demand).
var excerptKeys = map[corpus.Label][]string{
	corpus.LabelGrooming:   {StageRiskCheck, StageSecrecy, StageImageRequest, StageMeeting, StageSexualEscalation},
	corpus.LabelSextortion: {StageThreatExpose, StageContactLeverage, StagePaymentDemand, StageMoreContentDemand},
}

// offenderHead maps each offender stage to its head: true for the sextortion head (from the
// reciprocity bait on, as in the features taxonomy), false for grooming.
var offenderHead = func() map[string]bool {
	m := map[string]bool{}
	sext := false
	for _, s := range OffenderStages {
		sext = sext || s == StageReciprocityBait
		m[s] = sext
	}
	return m
}()

// sextortionStage reports whether an offender stage belongs to the sextortion head.
func sextortionStage(name string) bool { return offenderHead[name] }

// Excerpt returns a short contiguous part of a generated grooming or sextortion conversation, as
// a user who exports or screenshots a few screens would have it: 6 to 16 messages ending on a
// message of one of the label's key stages (risk check, secrecy, image request, meeting, sexual
// talk; threat, contact-list leverage, payment or more-content demand), plus up to two following
// messages (a reply, or more from the same author), and holding at least two distinct offender
// stages of the label's head other than contact. The cut is decided by a hash of the conversation
// id, so it is the same on every run. The excerpt
// keeps the label and suspects, takes the id ID+"-excerpt" and drops the stage annotations of
// the messages it leaves out. Excerpt returns nil for benign conversations, conversations without
// annotations, and when no cut qualifies.
//
// Real positives (Perverted-Justice windows of 24 messages) and generated conversations (tens of
// messages over days) are long, while many real negatives (SMS, short dialogues) are short:
// trained without excerpts, a model can learn that length alone separates them.
func Excerpt(c *corpus.Conversation) *corpus.Conversation {
	keys := excerptKeys[c.Label]
	raw := c.Extra["synthetic_stages"]
	if len(keys) == 0 || len(raw) == 0 {
		return nil
	}
	var byID map[string][]string
	if err := json.Unmarshal(raw, &byID); err != nil {
		return nil
	}
	sext := c.Label == corpus.LabelSextortion
	stages := make([][]string, len(c.Messages))
	var cand []int
	for i, m := range c.Messages {
		for _, name := range byID[m.ID] {
			if head, ok := offenderHead[name]; !ok || head != sext {
				continue
			}
			stages[i] = append(stages[i], name)
			if slices.Contains(keys, name) && (len(cand) == 0 || cand[len(cand)-1] != i) {
				cand = append(cand, i)
			}
		}
	}
	if len(cand) == 0 {
		return nil
	}
	h := fnv.New64a()
	_, _ = io.WriteString(h, c.ID)
	r := h.Sum64()
	size := 6 + int(r>>8%11)
	tail := int(r >> 16 % 3)
	for k := range cand {
		end := cand[(int(r%uint64(len(cand)))+k)%len(cand)]
		start := end - size + 1
		if start < 0 {
			continue
		}
		seen := map[string]bool{}
		for _, ss := range stages[start : end+1] {
			for _, st := range ss {
				if st != StageContact {
					seen[st] = true
				}
			}
		}
		if len(seen) < 2 {
			continue
		}
		end = min(end+tail, len(c.Messages)-1)
		return excerptOf(c, start, end+1, byID)
	}
	return nil
}

// BenignExcerpt returns a short contiguous part of a generated benign look-alike (a family gift
// card, a parent checking who is home, flirting between adults, a countdown...): 6 to 16 messages
// starting at a place decided by a hash of the conversation id, so the same on every run. It
// takes the id ID+"-excerpt", keeps the label and the generator's metadata, and drops the
// annotations of the messages it leaves out. It returns nil for positives, for conversations that
// are not generated, and for conversations too short to cut (the whole conversation is then
// already short).
//
// Excerpt gives the model short positives; without short look-alikes beside them, a model can
// learn that a short exchange between two people holding a cue or two is a positive, which is
// what hand-written look-alikes (a relative planning a surprise, a parent checking on a child
// home alone) showed.
func BenignExcerpt(c *corpus.Conversation) *corpus.Conversation {
	if c.Label != corpus.LabelBenign || len(c.Extra["synthetic_kind"]) == 0 {
		return nil
	}
	h := fnv.New64a()
	_, _ = io.WriteString(h, c.ID+"/benign")
	r := h.Sum64()
	size := 6 + int(r>>8%11)
	if len(c.Messages) <= size {
		return nil
	}
	start := int(r % uint64(len(c.Messages)-size+1))
	var byID map[string][]string
	_ = json.Unmarshal(c.Extra["synthetic_stages"], &byID) // a look-alike has no stages: {} or absent
	return excerptOf(c, start, start+size, byID)
}

// excerptOf returns messages [start, end) of c as a conversation of its own: the id ID+"-excerpt",
// the label, suspects and metadata of c, and the stage annotations (byID) of the kept messages
// only.
func excerptOf(c *corpus.Conversation, start, end int, byID map[string][]string) *corpus.Conversation {
	x := *c
	x.ID = c.ID + "-excerpt"
	x.Messages = slices.Clone(c.Messages[start:end])
	x.Extra = map[string][]byte{}
	for k, v := range c.Extra {
		if k != "synthetic_stages" {
			x.Extra[k] = v
		}
	}
	// A map of strings to string slices always marshals.
	x.Extra["synthetic_stages"], _ = json.Marshal(keep(byID, x.Messages))
	return &x
}

// keep returns the annotations of the given messages.
func keep(byID map[string][]string, msgs []corpus.Message) map[string][]string {
	out := map[string][]string{}
	for _, m := range msgs {
		if s, ok := byID[m.ID]; ok {
			out[m.ID] = s
		}
	}
	return out
}
