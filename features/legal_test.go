package features

import (
	"strings"
	"testing"
)

func TestLegalElementsEveryStageMapped(t *testing.T) {
	for _, s := range Stages() {
		els := LegalElements(s)
		if len(els) == 0 {
			t.Errorf("stage %s maps to no legal element", s)
		}
		if len(els) != len(stageLegal[s]) {
			t.Errorf("stage %s: %d ids but %d elements resolved (unknown id?)", s, len(stageLegal[s]), len(els))
		}
		seen := map[string]bool{}
		for _, e := range els {
			if seen[e.ID] {
				t.Errorf("stage %s lists %s twice", s, e.ID)
			}
			seen[e.ID] = true
		}
	}
	if got := LegalElements(StageNone); got != nil {
		t.Errorf("LegalElements(StageNone) = %v, want nil", got)
	}
	if got := LegalElements(NumStages + 3); got != nil {
		t.Errorf("LegalElements(out of range) = %v, want nil", got)
	}
}

func TestLegalElementsCatalogue(t *testing.T) {
	ids := map[string]bool{}
	used := map[string]bool{}
	for _, s := range Stages() {
		for _, id := range stageLegal[s] {
			used[id] = true
		}
	}
	for _, e := range AllLegalElements() {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		for name, v := range map[string]string{
			"Ref": e.Ref, "NameFR": e.NameFR, "NameEN": e.NameEN, "DescFR": e.DescFR, "DescEN": e.DescEN,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: empty %s", e.ID, name)
			}
		}
		switch e.Jurisdiction {
		case "BE", "FR", "*":
		default:
			t.Errorf("%s: jurisdiction %q", e.ID, e.Jurisdiction)
		}
		if e.DescFR == e.DescEN {
			t.Errorf("%s: French and English descriptions are identical", e.ID)
		}
		if !used[e.ID] {
			t.Errorf("%s is mapped from no stage", e.ID)
		}
	}
	// The four elements of the Belgian provision and the French articles named by the spec.
	for _, id := range []string{
		LegalBEIdentity, LegalBEDiscretion, LegalBEGift, LegalBERuse, LegalFRProposals,
		LegalFRProposalsMeet, LegalFRIncitement, LegalFRImage, LegalFRBlackmail, LegalFRExtortion,
		LegalExtortion,
	} {
		if _, ok := LegalElementByID(id); !ok {
			t.Errorf("missing element %s", id)
		}
	}
	if _, ok := LegalElementByID("nope"); ok {
		t.Error("LegalElementByID(nope) found something")
	}
}

func TestLegalElementsSpecMapping(t *testing.T) {
	// Mappings stated in the issue; a change here is a change of what reports cite.
	want := map[Stage][]string{
		StageIdentityClaim:    {LegalBEIdentity},
		StageSecrecy:          {LegalBEDiscretion},
		StageGiftOffer:        {LegalBEGift},
		StageSexualEscalation: {LegalFRProposals},
		StageImageRequest:     {LegalFRIncitement, LegalFRImage},
		StageMeeting:          {LegalFRProposalsMeet},
		StageThreatExpose:     {LegalFRBlackmail, LegalExtortion},
		StageCountdown:        {LegalFRBlackmail, LegalExtortion},
		StagePaymentDemand:    {LegalFRBlackmail, LegalExtortion},
		StagePlatformMove:     {LegalBERuse},
		StageRiskCheck:        {LegalBERuse},
		StageIsolation:        {LegalBERuse},
	}
	for s, ids := range want {
		have := map[string]bool{}
		for _, e := range LegalElements(s) {
			have[e.ID] = true
		}
		for _, id := range ids {
			if !have[id] {
				t.Errorf("stage %s does not cite %s", s, id)
			}
		}
	}
}

func TestAllLegalElementsIsCopy(t *testing.T) {
	a := AllLegalElements()
	a[0].ID = "changed"
	if AllLegalElements()[0].ID == "changed" {
		t.Error("AllLegalElements exposes the catalogue")
	}
}
