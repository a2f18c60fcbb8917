package synth

// Ground-truth stage tags written under "synthetic_stages". The offender-side names are those of the
// features package stage taxonomy (features.Stage.String); corpus packages must not import features,
// so the names are repeated here and a test keeps the two lists in step. The victim-side tags exist
// only in synthetic data, for the evaluation of stage timelines.
const (
	StageContact           = "contact"
	StageIdentityClaim     = "identity_claim"
	StageFlattery          = "flattery"
	StageTrustBuilding     = "trust_building"
	StagePersonalInfo      = "personal_info"
	StageRiskCheck         = "risk_check"
	StageSecrecy           = "secrecy"
	StageIsolation         = "isolation"
	StagePlatformMove      = "platform_move"
	StageGiftOffer         = "gift_offer"
	StageSexualEscalation  = "sexual_escalation"
	StageImageRequest      = "image_request"
	StageMeeting           = "meeting"
	StageReciprocityBait   = "reciprocity_bait"
	StageThreatExpose      = "threat_expose"
	StageContactLeverage   = "contact_leverage"
	StageCountdown         = "countdown"
	StagePaymentDemand     = "payment_demand"
	StageMoreContentDemand = "more_content_demand"
	StagePaymentMade       = "payment_made"

	// Victim-side tags.
	StageVictimImage    = "victim_image"    // the victim sends an image of themself
	StageVictimDistress = "victim_distress" // panic, pleading, "I have no money", "I'm only 15"
	StageVictimBlock    = "victim_block"    // the victim ends the contact
)

// OffenderStages lists the offender-side stage names in the order of the features taxonomy.
var OffenderStages = []string{StageContact, StageIdentityClaim, StageFlattery, StageTrustBuilding,
	StagePersonalInfo, StageRiskCheck, StageSecrecy, StageIsolation, StagePlatformMove, StageGiftOffer,
	StageSexualEscalation, StageImageRequest, StageMeeting, StageReciprocityBait, StageThreatExpose,
	StageContactLeverage, StageCountdown, StagePaymentDemand, StageMoreContentDemand, StagePaymentMade}

var knownStage = func() map[string]bool {
	m := map[string]bool{StageVictimImage: true, StageVictimDistress: true, StageVictimBlock: true}
	for _, s := range OffenderStages {
		m[s] = true
	}
	return m
}()
