package detect

// Advice is what a report tells the person concerned to do, in one language. It follows the
// police advice of the French OFMIN guide (2024), the Belgian police sheet on cyber-predation and
// Europol's "Say NO" campaign: do not pay, stop contact, keep the evidence, tell a trusted adult,
// report.
type Advice struct {
	Lang     string    `json:"lang"`
	Title    string    `json:"title"`
	Steps    []string  `json:"steps"`
	Contacts []Contact `json:"contacts"`
	// Note is addressed to the adult or professional reading the report.
	Note string `json:"note"`
}

// Contact is a place to get help or to report.
type Contact struct {
	Region string `json:"region"` // "FR", "BE", "INT"
	Name   string `json:"name"`
	What   string `json:"what"`
	Where  string `json:"where"` // phone number or address
}

// Disclaimer returns the sentence every report carries, in lang ("fr" or "en").
func Disclaimer(lang string) string {
	if lang == "fr" {
		return "Ce rapport est une aide au tri produite automatiquement, pas une preuve : une alerte signifie que la conversation mérite d'être lue par une personne. Seule la conversation d'origine fait foi."
	}
	return "This report is an automated triage aid, not proof: a flag means the conversation deserves a human look. Only the original conversation is evidence."
}

var contactsFR = []Contact{
	{"FR", "17 / 112", "danger immédiat, rencontre prévue", "appel 17 ou 112"},
	{"FR", "3018 (e-Enfance)", "écoute des jeunes victimes, retrait rapide de contenus, gratuit, anonyme, 7j/7 9h-23h", "3018 (téléphone, tchat, appli)"},
	{"FR", "PHAROS", "signaler un contenu illicite en ligne, demander son retrait", "internet-signalement.gouv.fr"},
	{"FR", "THESEE", "signaler un chantage en ligne avec demande d'argent (sextorsion)", "service-public.fr, plateforme THESEE"},
	{"FR", "Ma Sécurité", "parler à un policier ou un gendarme par tchat", "masecurite.interieur.gouv.fr"},
	{"BE", "Police / Child Focus", "porter plainte ; aide et signalement (Child Focus 116 000)", "101 (urgence 112), 116 000"},
	{"INT", "NCMEC CyberTipline", "signaler l'exploitation sexuelle d'un enfant en ligne", "report.cybertip.org"},
	{"INT", "Take It Down (NCMEC)", "faire retirer des images intimes d'un mineur des plateformes participantes", "takeitdown.ncmec.org"},
}

var contactsEN = []Contact{
	{"INT", "Emergency services", "immediate danger, a planned meeting", "112 / 911 / 999"},
	{"INT", "NCMEC CyberTipline", "report online sexual exploitation of a child", "report.cybertip.org, 1-800-843-5678"},
	{"INT", "Take It Down (NCMEC)", "get intimate images of a minor removed from participating platforms", "takeitdown.ncmec.org"},
	{"FR", "3018 (e-Enfance), PHAROS, THESEE", "in France: help line for young victims; reporting illegal content; reporting online blackmail", "3018, internet-signalement.gouv.fr"},
	{"BE", "Police / Child Focus", "in Belgium: file a complaint; help and reporting", "101 (emergency 112), 116 000"},
}

// AdviceFor returns the advice for a report in lang ("fr" or "en"; anything else gives English),
// for the heads flagged. When both heads are flagged the steps of both are merged: the blackmail
// steps (do not pay, no more images) and the grooming ones (no meeting, secrets do not bind),
// since a groomer who obtained images may turn to blackmail and a blackmailer may push for a
// meeting (seeds/004).
func AdviceFor(lang string, grooming, sextortion bool) Advice {
	if lang == "fr" {
		a := Advice{Lang: "fr", Contacts: contactsFR,
			Note: "Pour l'adulte qui lit ce rapport : ne reprochez rien à l'enfant, il ou elle est victime ; ne confrontez pas l'auteur ; gardez l'appareil et les comptes tels quels (désactiver, ne pas supprimer) ; ne posez pas de questions détaillées sur les faits, laissez ce soin aux enquêteurs."}
		switch {
		case sextortion && grooming:
			a.Title = "Manipulation d'un mineur et chantage sexuel : ce qu'il faut faire"
			a.Steps = []string{
				"Ne paie pas, n'envoie aucune autre photo et n'accepte aucun rendez-vous : céder n'arrête pas le chantage. Si une rencontre est prévue, préviens tout de suite un adulte (17 ou 112 en cas de danger). Si un paiement est parti, vérifie s'il peut encore être annulé.",
				"Arrête immédiatement de lui parler. Bloque-le et désactive, sans les supprimer, les comptes utilisés pour communiquer avec lui.",
				"Garde les preuves : captures d'écran des messages, pseudo, liens des profils, cadeaux reçus, codes ou reçus de paiement. Ne supprime rien.",
				"Préviens un adulte de confiance. Tu n'as rien à te reprocher et les secrets qu'il t'a demandé de garder ne t'engagent à rien : c'est l'auteur qui commet un délit.",
				"Signale : plainte au commissariat ou à la gendarmerie, THESEE pour le chantage, PHAROS pour faire retirer un contenu, le 3018 pour être aidé ; en Belgique la police ou Child Focus (116 000).",
			}
		case sextortion:
			a.Title = "Chantage sexuel (sextorsion) : ce qu'il faut faire"
			a.Steps = []string{
				"Ne paie pas et n'envoie aucune autre image : céder n'arrête pas le chantage. Si un paiement est parti, vérifie s'il peut encore être annulé (ou demande à tes parents de le faire).",
				"Arrête immédiatement de lui parler. Désactive, sans les supprimer, les comptes utilisés pour communiquer avec lui.",
				"Garde les preuves : captures d'écran des messages, nom d'utilisateur, liens des profils, codes ou reçus de paiement. Ne supprime rien.",
				"Préviens un adulte de confiance. Tu n'as rien à te reprocher : c'est l'auteur qui commet un délit.",
				"Signale : plainte au commissariat ou à la gendarmerie, THESEE pour le chantage, PHAROS pour faire retirer un contenu, et le 3018 pour être aidé.",
			}
		case grooming:
			a.Title = "Manipulation d'un mineur en ligne (pédopiégeage) : ce qu'il faut faire"
			a.Steps = []string{
				"N'envoie aucune photo et n'accepte aucun rendez-vous. Si une rencontre est prévue, préviens tout de suite un adulte (17 ou 112 en cas de danger).",
				"Arrête de lui parler et bloque-le, sans supprimer la conversation.",
				"Garde les preuves : captures d'écran des messages, pseudo, liens des profils, cadeaux ou codes reçus.",
				"Parle-en à un adulte de confiance. Les secrets qu'il t'a demandé de garder ne t'engagent à rien.",
				"Signale : plainte au commissariat ou à la gendarmerie, PHAROS, le 3018 ; en Belgique la police ou Child Focus (116 000).",
			}
		default:
			a.Title = "Aucune alerte : quelques repères"
			a.Steps = []string{
				"Rien dans cette conversation n'a déclenché d'alerte, ce qui ne garantit pas qu'elle soit sans risque.",
				"Méfiance si quelqu'un rencontré en ligne demande le secret, des photos, de changer d'application, offre des cadeaux ou demande si tes parents sont là.",
				"En cas de doute, parle-en à un adulte de confiance ou appelle le 3018.",
			}
		}
		return a
	}
	a := Advice{Lang: "en", Contacts: contactsEN,
		Note: "For the adult reading this report: do not blame the child, they are the victim; do not confront the offender; keep the device and accounts as they are (deactivate, do not delete); do not question the child in detail about what happened, leave that to investigators."}
	switch {
	case sextortion && grooming:
		a.Title = "Grooming of a minor and sexual blackmail: what to do"
		a.Steps = []string{
			"Do not pay, do not send any more pictures and do not agree to meet: giving in does not stop the blackmail. If a meeting is planned, tell an adult now (emergency services if there is danger). If a payment went out, check whether it can still be cancelled.",
			"Stop talking to them at once. Block them and deactivate, without deleting, the accounts used to talk with them.",
			"Keep the evidence: screenshots of the messages, usernames, profile links, gifts received, payment codes or receipts. Delete nothing.",
			"Tell an adult you trust. You have done nothing wrong, and secrets they asked you to keep do not bind you: the offender is the one committing a crime.",
			"Report it: to the police, to NCMEC's CyberTipline, and use Take It Down to get images removed (in France: THESEE, PHAROS, 3018; in Belgium: police or Child Focus, 116 000).",
		}
	case sextortion:
		a.Title = "Sexual blackmail (sextortion): what to do"
		a.Steps = []string{
			"Do not pay and do not send any more images: giving in does not stop the blackmail. If a payment went out, check whether it can still be cancelled (or ask a parent to).",
			"Stop talking to them at once. Deactivate, without deleting, the accounts used to talk with them.",
			"Keep the evidence: screenshots of the messages, usernames, profile links, payment codes or receipts. Delete nothing.",
			"Tell an adult you trust. You have done nothing wrong: the offender is the one committing a crime.",
			"Report it: to the police, to NCMEC's CyberTipline, and use Take It Down to get images removed (in France: THESEE, PHAROS, 3018).",
		}
	case grooming:
		a.Title = "Online grooming of a minor: what to do"
		a.Steps = []string{
			"Do not send any picture and do not agree to meet. If a meeting is planned, tell an adult now (emergency services if there is danger).",
			"Stop talking to them and block them, without deleting the conversation.",
			"Keep the evidence: screenshots of the messages, usernames, profile links, gifts or codes received.",
			"Talk to an adult you trust. Secrets they asked you to keep do not bind you.",
			"Report it: to the police and to NCMEC's CyberTipline (in France: PHAROS, 3018; in Belgium: police or Child Focus, 116 000).",
		}
	default:
		a.Title = "Nothing flagged: a few pointers"
		a.Steps = []string{
			"Nothing in this conversation raised a flag, which does not guarantee it is safe.",
			"Be wary when someone met online asks for secrecy or pictures, to move to another app, offers gifts, or asks whether your parents are around.",
			"When in doubt, talk to an adult you trust.",
		}
	}
	return a
}
