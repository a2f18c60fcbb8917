package features

// Stage is a step of grooming or sextortion that a cue is evidence of. The list and its order are
// part of the feature [Schema]: append new stages at the end of their group, never reorder.
type Stage uint8

//go:generate stringer -type=Stage -linecomment

// Grooming stages.
const (
	StageNone             Stage = iota // none
	StageContact                       // contact
	StageIdentityClaim                 // identity_claim
	StageFlattery                      // flattery
	StageTrustBuilding                 // trust_building
	StagePersonalInfo                  // personal_info
	StageRiskCheck                     // risk_check
	StageSecrecy                       // secrecy
	StageIsolation                     // isolation
	StagePlatformMove                  // platform_move
	StageGiftOffer                     // gift_offer
	StageSexualEscalation              // sexual_escalation
	StageImageRequest                  // image_request
	StageMeeting                       // meeting
	// Sextortion stages.
	StageReciprocityBait   // reciprocity_bait
	StageThreatExpose      // threat_expose
	StageContactLeverage   // contact_leverage
	StageCountdown         // countdown
	StagePaymentDemand     // payment_demand
	StageMoreContentDemand // more_content_demand
	StagePaymentMade       // payment_made

	NumStages // number of stages, StageNone included
)

// Head is the risk a stage contributes to.
type Head uint8

// Heads.
const (
	HeadGrooming Head = iota
	HeadSextortion
)

// Head returns which risk the stage belongs to.
func (s Stage) Head() Head {
	if s >= StageReciprocityBait {
		return HeadSextortion
	}
	return HeadGrooming
}

// ParseStage returns the stage named name (as printed by String), or false.
func ParseStage(name string) (Stage, bool) {
	for s := StageContact; s < NumStages; s++ {
		if s.String() == name {
			return s, true
		}
	}
	return StageNone, false
}

// Stages returns every stage but StageNone, in schema order.
func Stages() []Stage {
	out := make([]Stage, 0, NumStages-1)
	for s := StageContact; s < NumStages; s++ {
		out = append(out, s)
	}
	return out
}
