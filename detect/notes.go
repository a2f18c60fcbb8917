package detect

import (
	"fmt"

	"github.com/vigie/vigie/features"
)

// coercionStages are the sextortion stages that show the blackmail itself: a threat, leverage on
// the victim's contacts, a deadline, a demand for money or more images, a payment. The
// reciprocity bait alone ("I'll send mine if you send yours") comes before any blackmail.
var coercionStages = map[string]bool{
	features.StageThreatExpose.String():      true,
	features.StageContactLeverage.String():   true,
	features.StageCountdown.String():         true,
	features.StagePaymentDemand.String():     true,
	features.StageMoreContentDemand.String(): true,
	features.StagePaymentMade.String():       true,
}

// NotesFor returns the notes of r about the analysis itself, in lang ("fr" or "en"; anything else
// gives English): messages cut to the analysis limit, a flat input (see [FlatInput]), one side
// of a conversation only (see [Report.OneSided]), and a sextortion flag that no threat or
// demand in the text supports (the score then comes from the conversation as a whole, and a
// reviewer should know that no blackmail message was matched).
func NotesFor(lang string, r *Report) []string {
	var notes []string
	fr := lang == "fr"
	if r.Truncated > 0 {
		if fr {
			notes = append(notes, fmt.Sprintf("%d message(s) dépassaient la taille analysée et ont été coupés", r.Truncated))
		} else {
			notes = append(notes, fmt.Sprintf("%d messages were longer than the analysis limit and were cut", r.Truncated))
		}
	}
	if r.FlatInput {
		if fr {
			notes = append(notes, "Le texte est d'un seul bloc, sans auteurs : aucun suspect ne peut être désigné, et les scores sont ceux calibrés pour ce genre de transcription. Exportez la conversation avec ses auteurs si possible.")
		} else {
			notes = append(notes, "The text is one block without authors: no suspect can be named, and the scores are those calibrated for such transcripts. Export the conversation with its authors when you can.")
		}
	}
	if r.OneSided {
		if fr {
			notes = append(notes, "Cet export ne contient que les messages du titulaire du compte (paquet de données Discord) : ce que les autres ont écrit n'y est pas. "+
				"Aucun suspect n'est désigné à partir d'un seul côté de la conversation, et l'absence d'alerte ne dit rien du côté manquant.")
		} else {
			notes = append(notes, "This export holds only the account owner's messages (a Discord data package): what the others wrote is not in it. "+
				"No suspect is named from one side of a conversation, and the absence of a flag says nothing about the missing side.")
		}
	}
	if r.Sextortion.Flagged && !hasCoercion(r.Timeline) {
		if fr {
			notes = append(notes, "Le risque de sextorsion vient de l'ensemble de la conversation : aucune menace, échéance ni demande d'argent ou d'images n'y a été repérée.")
		} else {
			notes = append(notes, "The sextortion risk comes from the conversation as a whole: no threat, deadline or demand for money or images was matched in it.")
		}
	}
	return notes
}

func hasCoercion(timeline []StageEvent) bool {
	for _, ev := range timeline {
		if coercionStages[ev.Stage] {
			return true
		}
	}
	return false
}
