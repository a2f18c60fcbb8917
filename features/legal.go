package features

// LegalElement is an element of an offence that a report may cite beside the cues that support it.
// Vigie does not qualify facts: an element says which provision a stage is relevant to, so that an
// investigator or a trust-and-safety reviewer knows where to look. The texts are short paraphrases,
// not the law; Ref names the provision so that the reader can check the official text.
type LegalElement struct {
	// ID is stable and machine-readable, for example "be-433bis1-identity".
	ID string
	// Jurisdiction is "BE", "FR", or "*" for an element that is not tied to one code.
	Jurisdiction string
	// Ref is the provision as usually cited, for example "Code pénal (BE) art. 433bis/1, 1°".
	Ref string
	// NameFR and NameEN are short names for tables and headings.
	NameFR, NameEN string
	// DescFR and DescEN are one-sentence paraphrases of the element.
	DescFR, DescEN string
}

// Legal element identifiers.
const (
	LegalBEIdentity      = "be-433bis1-identity"
	LegalBEDiscretion    = "be-433bis1-discretion"
	LegalBEGift          = "be-433bis1-gift"
	LegalBERuse          = "be-433bis1-ruse"
	LegalFRProposals     = "fr-227-22-1"
	LegalFRProposalsMeet = "fr-227-22-1-meeting"
	LegalFRIncitement    = "fr-227-22-2"
	LegalFRImage         = "fr-227-23"
	LegalFRBlackmail     = "fr-312-10"
	LegalFRExtortion     = "fr-312-1"
	LegalExtortion       = "extortion"
)

// legalElements is the catalogue, in citation order. Wording checked against the published texts:
// BE loi du 10 avril 2014 (M.B. 30 avril 2014) inserting art. 433bis/1; FR Code pénal arts. 227-22-1
// (loi 2007-297), 227-22-2 (loi 2021-478), 227-23, 312-1 and 312-10 as consolidated on Légifrance.
// Belgium's new Criminal Code (loi du 29 février 2024, Book II in force 2026) renumbers the old
// articles; the number of the successor of art. 433bis/1 was not verified here.
var legalElements = []LegalElement{
	{
		ID: LegalBEIdentity, Jurisdiction: "BE", Ref: "Code pénal (BE) art. 433bis/1, 1°",
		NameFR: "Mensonge sur l'identité, l'âge ou la qualité",
		NameEN: "Lie about identity, age or capacity",
		DescFR: "Un majeur qui communique en ligne avec un mineur a dissimulé ou menti sur son identité, son âge ou sa qualité.",
		DescEN: "An adult communicating online with a minor concealed or lied about their identity, age or capacity.",
	},
	{
		ID: LegalBEDiscretion, Jurisdiction: "BE", Ref: "Code pénal (BE) art. 433bis/1, 2°",
		NameFR: "Insistance sur la discrétion",
		NameEN: "Insistence on discretion",
		DescFR: "Le majeur a insisté sur la discrétion à observer quant aux échanges avec le mineur.",
		DescEN: "The adult insisted that the exchanges with the minor be kept discreet.",
	},
	{
		ID: LegalBEGift, Jurisdiction: "BE", Ref: "Code pénal (BE) art. 433bis/1, 3°",
		NameFR: "Cadeau ou avantage offert ou promis",
		NameEN: "Gift or advantage offered or promised",
		DescFR: "Le majeur a offert ou fait miroiter au mineur un cadeau ou un avantage quelconque.",
		DescEN: "The adult offered or dangled a gift or some other advantage in front of the minor.",
	},
	{
		ID: LegalBERuse, Jurisdiction: "BE", Ref: "Code pénal (BE) art. 433bis/1, 4°",
		NameFR: "Toute autre manœuvre",
		NameEN: "Any other ruse",
		DescFR: "Le majeur a usé de toute autre manœuvre pour faciliter un crime ou un délit à l'égard du mineur.",
		DescEN: "The adult used any other ruse to make a crime or offence against the minor easier.",
	},
	{
		ID: LegalFRProposals, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 227-22-1, al. 1",
		NameFR: "Propositions sexuelles à un mineur de quinze ans par voie électronique",
		NameEN: "Sexual proposals to a minor under fifteen by electronic means",
		DescFR: "Un majeur fait des propositions sexuelles à un mineur de quinze ans, ou à une personne se présentant comme telle, par un moyen de communication électronique.",
		DescEN: "An adult makes sexual proposals, by electronic communication, to a minor under fifteen or to someone presenting as one.",
	},
	{
		ID: LegalFRProposalsMeet, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 227-22-1, al. 2",
		NameFR: "Propositions sexuelles suivies d'une rencontre",
		NameEN: "Sexual proposals followed by a meeting",
		DescFR: "Les peines sont aggravées lorsque les propositions sexuelles faites au mineur ont été suivies d'une rencontre.",
		DescEN: "The penalty is aggravated when the sexual proposals made to the minor were followed by a meeting.",
	},
	{
		ID: LegalFRIncitement, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 227-22-2",
		NameFR: "Incitation d'un mineur à un acte sexuel par voie électronique",
		NameEN: "Inciting a minor to a sexual act by electronic means",
		DescFR: "Un majeur incite un mineur, par un moyen de communication électronique, à commettre un acte de nature sexuelle sur lui-même ou avec un tiers, même sans effet.",
		DescEN: "An adult incites a minor, by electronic communication, to perform a sexual act on themselves or with another person, even if nothing follows.",
	},
	{
		ID: LegalFRImage, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 227-23",
		NameFR: "Image d'un mineur à caractère pornographique",
		NameEN: "Image of a minor of a pornographic nature",
		DescFR: "Fixer, enregistrer, transmettre, diffuser, acquérir ou détenir l'image ou la représentation d'un mineur présentant un caractère pornographique.",
		DescEN: "Recording, transmitting, spreading, obtaining or keeping an image or representation of a minor of a pornographic nature.",
	},
	{
		ID: LegalFRBlackmail, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 312-10",
		NameFR: "Chantage",
		NameEN: "Blackmail (chantage)",
		DescFR: "Obtenir des fonds, un bien, un engagement ou un secret en menaçant de révéler des faits de nature à porter atteinte à l'honneur ou à la considération.",
		DescEN: "Obtaining money, property, an undertaking or a secret by threatening to reveal facts that would harm someone's honour or reputation.",
	},
	{
		ID: LegalFRExtortion, Jurisdiction: "FR", Ref: "Code pénal (FR) art. 312-1",
		NameFR: "Extorsion",
		NameEN: "Extortion",
		DescFR: "Obtenir par violence, menace de violences ou contrainte une signature, un engagement, un secret ou la remise de fonds ou d'un bien.",
		DescEN: "Obtaining a signature, an undertaking, a secret, money or property through violence, threats of violence or coercion.",
	},
	{
		ID: LegalExtortion, Jurisdiction: "*", Ref: "extortion / blackmail (generic)",
		NameFR: "Extorsion ou chantage",
		NameEN: "Extortion or blackmail",
		DescFR: "Exiger de l'argent, des images ou des actes sous la menace de diffuser des contenus intimes ou de nuire, quel que soit le droit applicable.",
		DescEN: "Demanding money, images or acts under the threat of spreading intimate content or of other harm, whatever the applicable law.",
	},
}

// stageLegal maps each stage to the elements it is evidence for, most specific first.
var stageLegal = [NumStages][]string{
	StageNone:             nil,
	StageContact:          {LegalBERuse},
	StageIdentityClaim:    {LegalBEIdentity},
	StageFlattery:         {LegalBERuse},
	StageTrustBuilding:    {LegalBERuse},
	StagePersonalInfo:     {LegalBERuse},
	StageRiskCheck:        {LegalBERuse, LegalBEDiscretion},
	StageSecrecy:          {LegalBEDiscretion},
	StageIsolation:        {LegalBERuse},
	StagePlatformMove:     {LegalBERuse, LegalBEDiscretion},
	StageGiftOffer:        {LegalBEGift},
	StageSexualEscalation: {LegalFRProposals, LegalFRIncitement},
	StageImageRequest:     {LegalFRIncitement, LegalFRImage},
	StageMeeting:          {LegalFRProposalsMeet},
	StageReciprocityBait:  {LegalFRIncitement, LegalFRImage, LegalBERuse},
	StageThreatExpose:     {LegalFRBlackmail, LegalExtortion},
	StageContactLeverage:  {LegalFRBlackmail, LegalExtortion},
	StageCountdown:        {LegalFRBlackmail, LegalFRExtortion, LegalExtortion},
	StagePaymentDemand:    {LegalFRBlackmail, LegalFRExtortion, LegalExtortion},
	StageMoreContentDemand: {
		LegalFRBlackmail, LegalFRIncitement, LegalFRImage, LegalExtortion,
	},
	StagePaymentMade: {LegalFRBlackmail, LegalFRExtortion, LegalExtortion},
}

// AllLegalElements returns the catalogue of legal elements in citation order. The slice is a copy.
func AllLegalElements() []LegalElement {
	return append([]LegalElement(nil), legalElements...)
}

// LegalElementByID returns the element with the given id, or false.
func LegalElementByID(id string) (LegalElement, bool) {
	for _, e := range legalElements {
		if e.ID == id {
			return e, true
		}
	}
	return LegalElement{}, false
}

// LegalElements returns the legal elements that stage s is evidence for, most specific first. It
// returns nil for [StageNone] and for values outside the schema.
func LegalElements(s Stage) []LegalElement {
	if s >= NumStages {
		return nil
	}
	ids := stageLegal[s]
	if len(ids) == 0 {
		return nil
	}
	out := make([]LegalElement, 0, len(ids))
	for _, id := range ids {
		if e, ok := LegalElementByID(id); ok {
			out = append(out, e)
		}
	}
	return out
}
