package synth

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
)

// sextortionStages must never appear in a grooming positive.
var sextortionStages = []string{StageReciprocityBait, StageThreatExpose, StageContactLeverage, StageCountdown,
	StagePaymentDemand, StageMoreContentDemand, StagePaymentMade}

type groomingExtra struct {
	Persona    string `json:"persona"`
	VictimAge  int    `json:"victim_age"`
	ClaimedAge int    `json:"claimed_age"`
}

// TestGroomingScript checks every grooming positive: label, suspect and roles; no sextortion stage;
// the child's age (11 to 15) said by the child; in order a contact, flattery or trust phase, then
// secrecy or a risk check, then an image request or a meeting proposal; sessions over days (weeks
// for the slow kind, with sparse cues); and, in the cut-short kind, a child who refuses or goes
// silent while the offender writes on.
func TestGroomingScript(t *testing.T) {
	cs := gen(t, Config{Seed: 13, N: 1500, Kinds: GroomingKinds})
	kinds := map[Kind]int{}
	personas := map[string]int{}
	refused, silent := 0, 0
	tagged := map[Kind][2]int{} // offender messages with a stage tag, all offender messages
	spans := map[Kind][]time.Duration{}
	for _, c := range cs {
		k := kindOf(t, c)
		kinds[k]++
		require.Equal(t, corpus.LabelGrooming, c.Label, c.ID)
		require.True(t, c.Synthetic)
		require.Len(t, c.Suspects, 1)
		require.Len(t, c.Participants, 2)
		require.Equal(t, "suspect", c.Participants[0].Role)
		require.Equal(t, "victim", c.Participants[1].Role)
		require.Equal(t, c.Suspects[0], c.Participants[0].ID)
		offender, victim := c.Participants[0].ID, c.Participants[1].ID

		var g groomingExtra
		require.NoError(t, json.Unmarshal(c.Extra["synthetic_grooming"], &g), c.ID)
		require.True(t, g.VictimAge >= 11 && g.VictimAge <= 15, "%s: victim age %d", c.ID, g.VictimAge)
		personas[g.Persona]++
		switch g.Persona {
		case personaPeer:
			require.True(t, g.ClaimedAge >= g.VictimAge && g.ClaimedAge <= 17, "%s: %+v", c.ID, g)
		case personaGamer:
			require.True(t, g.ClaimedAge >= 15 && g.ClaimedAge <= 17, "%s: %+v", c.ID, g)
		case personaMentor:
			require.GreaterOrEqual(t, g.ClaimedAge, 22, c.ID)
		default:
			t.Fatalf("%s: persona %q", c.ID, g.Persona)
		}
		age := regexp.MustCompile(`(^|[^0-9])` + strconv.Itoa(g.VictimAge) + `($|[^0-9])`)

		st := stagesOf(t, c)
		p1, p2, p3 := -1, -1, -1
		ageSaid, blockAt, lastVictim := false, -1, -1
		var n [2]int
		for i, m := range c.Messages {
			s := st[m.ID]
			require.True(t, m.Author == offender || m.Author == victim, "%s/%s: author %q", c.ID, m.ID, m.Author)
			for _, x := range s {
				require.True(t, knownStage[x], "%s: unknown stage %q", c.ID, x)
			}
			require.False(t, hasAny(s, sextortionStages...), "%s/%s: sextortion stage %v", c.ID, m.ID, s)
			if m.Author == victim {
				lastVictim = i
				if age.MatchString(m.Text) {
					ageSaid = true
				}
				if hasAny(s, StageVictimBlock) && blockAt < 0 {
					blockAt = i
				}
				require.False(t, hasAny(s, OffenderStages...), "%s/%s: offender stage on a victim message", c.ID, m.ID)
			} else {
				n[1]++
				if len(s) > 0 {
					n[0]++
				}
			}
			switch {
			case p1 < 0 && hasAny(s, StageContact, StageFlattery, StageTrustBuilding):
				p1 = i
			case p1 >= 0 && p2 < 0 && hasAny(s, StageSecrecy, StageRiskCheck):
				p2 = i
			case p2 >= 0 && p3 < 0 && hasAny(s, StageImageRequest, StageMeeting):
				p3 = i
			}
			if i > 0 {
				require.False(t, m.Time.Before(c.Messages[i-1].Time), "%s: time goes back at %s", c.ID, m.ID)
			}
		}
		require.True(t, p1 == 0 && p2 > p1 && p3 > p2, "%s: phases at %d, %d, %d", c.ID, p1, p2, p3)
		require.True(t, ageSaid, "%s: the child never says their age %d", c.ID, g.VictimAge)
		t2 := tagged[k]
		tagged[k] = [2]int{t2[0] + n[0], t2[1] + n[1]}
		span := c.Messages[len(c.Messages)-1].Time.Sub(c.Messages[0].Time)
		spans[k] = append(spans[k], span)

		last := len(c.Messages) - 1
		if k == KindGroomingCutShort {
			// The child refuses or goes silent after the request; the offender writes on alone.
			require.Equal(t, offender, c.Messages[last].Author, c.ID)
			require.Less(t, lastVictim, last, c.ID)
			if blockAt >= 0 {
				require.Greater(t, blockAt, p3, c.ID)
				require.Equal(t, blockAt, lastVictim, "%s: the child writes on after refusing", c.ID)
				refused++
			} else {
				silent++
			}
			for _, m := range c.Messages[p3:] {
				require.False(t, m.Author == victim && hasAny(st[m.ID], StageVictimImage), "%s: image after the request", c.ID)
			}
		} else {
			require.Negative(t, blockAt, "%s: a refusal outside the cut-short kind", c.ID)
		}
		if k != KindGroomingCutShort {
			require.Greater(t, span, 24*time.Hour, "%s: %v", c.ID, span)
		}
		if k == KindGroomingSlow {
			require.Greater(t, span, 10*24*time.Hour, "%s: a slow script over %v", c.ID, span)
		}
	}
	for _, k := range GroomingKinds {
		require.Greater(t, kinds[k], 120, "kind %s", k)
		t.Logf("%-22s %4d conversations, median span %6.1f days, %.0f%% of offender messages tagged", k, kinds[k],
			median(spans[k]).Hours()/24, 100*float64(tagged[k][0])/float64(tagged[k][1]))
	}
	for _, p := range []string{personaPeer, personaGamer, personaMentor} {
		require.Greater(t, personas[p], 200, "persona %s", p)
	}
	require.Greater(t, refused, 30)
	require.Greater(t, silent, 20)
	// The slow script's cues are sparser than the peer script's.
	share := func(k Kind) float64 { return float64(tagged[k][0]) / float64(tagged[k][1]) }
	require.Less(t, share(KindGroomingSlow), share(KindGroomingPeer)-0.15)
	t.Logf("cut short: %d refused, %d silent; personas %v", refused, silent, personas)
}
