package main

import (
	"os"
	"strings"

	"github.com/vigie/vigie/detect"
	"github.com/vigie/vigie/features"
)

// Report languages. Every label of the summary and the HTML report exists in both.
const (
	langFR = "fr"
	langEN = "en"
)

// labels holds the words of the reports in one language; templates read them as {{.L.key}}.
type labels map[string]string

var labelsEN = labels{
	"verdict":            "Verdict",
	"colon":              ":",
	"alert_both":         "ALERT: signs of grooming and of sextortion",
	"alert_sext":         "ALERT: signs of sextortion (sexual blackmail)",
	"alert_groom":        "ALERT: signs of grooming (an adult manipulating a minor)",
	"alert_read":         "A person should read this conversation and act on the advice below.",
	"ok":                 "Nothing flagged",
	"recap":              "%d conversations scored, %d flagged",
	"recap_rest":         "%d without alert",
	"recap_none":         "No conversation was flagged.",
	"ok_cues":            "Cues were found, but the risk stays below the thresholds.",
	"ok_none":            "No cue was found.",
	"risk":               "Risk",
	"grooming":           "grooming",
	"sextortion":         "sextortion",
	"threshold":          "threshold",
	"flagged":            "FLAGGED",
	"not_flagged":        "below threshold",
	"suspect":            "Suspect",
	"no_suspect":         "none (nothing flagged)",
	"messages_of":        "messages",
	"message_of":         "message",
	"stages":             "Stages, when each first appears",
	"stage":              "Stage",
	"when":               "When",
	"message":            "Message",
	"author":             "Author",
	"count":              "Cues",
	"evidence":           "Strongest evidence",
	"all_evidence":       "Evidence",
	"legal":              "Legal elements the evidence is relevant to",
	"legal_hint":         "For orientation only: whether an offence was committed is for investigators and courts to decide.",
	"report_where":       "Where to get help and to report",
	"note":               "For the adult reading this",
	"notes":              "Notes on the analysis",
	"time_unknown":       "time unknown",
	"conversation":       "Conversation",
	"conversations":      "Conversations",
	"platform":           "Platform",
	"file":               "File",
	"summary":            "Summary",
	"contents":           "Contents",
	"chart":              "Risk timeline",
	"chart_desc":         "Cumulative weight of the cues of each head along the conversation (normalized to the largest), the first appearance of each stage, and the window of messages where the model's risk is highest.",
	"chart_x":            "message",
	"chart_y":            "cumulative cue weight",
	"window":             "highest-risk window",
	"full_conversation":  "The full conversation",
	"highlight_hint":     "Matched words are highlighted; each highlight names its stage. Messages in a head's highest-risk window are marked in the margin.",
	"preservation":       "Evidence preservation",
	"preservation_hint":  "The input files were only read, never modified. Keep this report with the original exports; their SHA-256 lets anyone check that they are the files analyzed.",
	"sha256":             "SHA-256",
	"format":             "Format",
	"parser":             "Parser and version",
	"model":              "Model",
	"schema":             "Feature schema",
	"engine":             "Scoring engine",
	"tokenizer":          "Tokenizer",
	"thresholds":         "Thresholds",
	"analyzed_at":        "Analyzed at",
	"vigie":              "Vigie version",
	"report_title":       "Vigie report",
	"report_subtitle":    "Online grooming and sextortion triage",
	"generated":          "Generated",
	"system":             "system",
	"deleted":            "deleted",
	"attachment":         "attachment",
	"stdin":              "standard input",
	"unknown":            "unknown",
	"what_to_do":         "What to do",
	"disclaimer":         "Not proof",
	"in_window_grooming": "in the highest-risk grooming window",
	"in_window_sext":     "in the highest-risk sextortion window",
}

var labelsFR = labels{
	"verdict":            "Verdict",
	"colon":              " :",
	"alert_both":         "ALERTE : signes de pédopiégeage et de sextorsion",
	"alert_sext":         "ALERTE : signes de sextorsion (chantage sexuel)",
	"alert_groom":        "ALERTE : signes de pédopiégeage (un adulte qui manipule un mineur)",
	"alert_read":         "Une personne doit lire cette conversation et suivre les conseils ci-dessous.",
	"ok":                 "Aucune alerte",
	"recap":              "%d conversations analysées, %d avec alerte",
	"recap_rest":         "%d sans alerte",
	"recap_none":         "Aucune conversation n'a déclenché d'alerte.",
	"ok_cues":            "Des indices ont été trouvés, mais le risque reste sous les seuils.",
	"ok_none":            "Aucun indice n'a été trouvé.",
	"risk":               "Risque",
	"grooming":           "pédopiégeage",
	"sextortion":         "sextorsion",
	"threshold":          "seuil",
	"flagged":            "ALERTE",
	"not_flagged":        "sous le seuil",
	"suspect":            "Auteur suspecté",
	"no_suspect":         "aucun (pas d'alerte)",
	"messages_of":        "messages",
	"message_of":         "message",
	"stages":             "Étapes, à leur première apparition",
	"stage":              "Étape",
	"when":               "Quand",
	"message":            "Message",
	"author":             "Auteur",
	"count":              "Indices",
	"evidence":           "Éléments les plus forts",
	"all_evidence":       "Éléments",
	"legal":              "Éléments juridiques concernés",
	"legal_hint":         "À titre indicatif : dire si une infraction est constituée revient aux enquêteurs et aux juges.",
	"report_where":       "Où trouver de l'aide et signaler",
	"note":               "Pour l'adulte qui lit ce rapport",
	"notes":              "Remarques sur l'analyse",
	"time_unknown":       "heure inconnue",
	"conversation":       "Conversation",
	"conversations":      "Conversations",
	"platform":           "Plateforme",
	"file":               "Fichier",
	"summary":            "Résumé",
	"contents":           "Sommaire",
	"chart":              "Chronologie du risque",
	"chart_desc":         "Poids cumulé des indices de chaque risque au fil de la conversation (rapporté au plus grand), première apparition de chaque étape, et fenêtre de messages où le risque estimé par le modèle est le plus haut.",
	"chart_x":            "message",
	"chart_y":            "poids cumulé des indices",
	"window":             "fenêtre la plus à risque",
	"full_conversation":  "La conversation complète",
	"highlight_hint":     "Les mots relevés sont surlignés ; chaque surlignage indique son étape. Les messages de la fenêtre la plus à risque sont marqués dans la marge.",
	"preservation":       "Conservation des preuves",
	"preservation_hint":  "Les fichiers analysés ont seulement été lus, jamais modifiés. Gardez ce rapport avec les exports d'origine : leur SHA-256 permet à chacun de vérifier que ce sont bien les fichiers analysés.",
	"sha256":             "SHA-256",
	"format":             "Format",
	"parser":             "Lecteur et version",
	"model":              "Modèle",
	"schema":             "Schéma des indices",
	"engine":             "Moteur de calcul",
	"tokenizer":          "Tokeniseur",
	"thresholds":         "Seuils",
	"analyzed_at":        "Analysé le",
	"vigie":              "Version de Vigie",
	"report_title":       "Rapport Vigie",
	"report_subtitle":    "Tri des conversations : pédopiégeage et sextorsion en ligne",
	"generated":          "Produit le",
	"system":             "système",
	"deleted":            "supprimé",
	"attachment":         "pièce jointe",
	"stdin":              "entrée standard",
	"unknown":            "inconnu",
	"what_to_do":         "Que faire",
	"disclaimer":         "Pas une preuve",
	"in_window_grooming": "dans la fenêtre la plus à risque (pédopiégeage)",
	"in_window_sext":     "dans la fenêtre la plus à risque (sextorsion)",
}

func labelsFor(lang string) labels {
	if lang == langFR {
		return labelsFR
	}
	return labelsEN
}

// stageNames are the stages in plain words, [en, fr].
var stageNames = map[string][2]string{
	"contact":             {"first contact", "premier contact"},
	"identity_claim":      {"claimed age or identity", "âge ou identité annoncés"},
	"flattery":            {"flattery", "flatterie"},
	"trust_building":      {"building trust", "mise en confiance"},
	"personal_info":       {"personal questions", "questions personnelles"},
	"risk_check":          {"checking who is around", "vérifie qui surveille"},
	"secrecy":             {"asking for secrecy", "demande de secret"},
	"isolation":           {"isolating from family", "isolement de l'entourage"},
	"platform_move":       {"moving to another app", "changement d'application"},
	"gift_offer":          {"gifts or money offered", "cadeaux ou argent proposés"},
	"sexual_escalation":   {"sexual talk", "propos sexuels"},
	"image_request":       {"asking for pictures", "demande de photos"},
	"meeting":             {"proposing to meet", "proposition de rencontre"},
	"reciprocity_bait":    {"picture-swap bait", "proposition d'échange de photos"},
	"threat_expose":       {"threat to expose", "menace de diffusion"},
	"contact_leverage":    {"leverage over contacts", "pression via les proches"},
	"countdown":           {"deadline, countdown", "ultimatum, compte à rebours"},
	"payment_demand":      {"payment demand", "demande de paiement"},
	"more_content_demand": {"demand for more images", "demande d'autres images"},
	"payment_made":        {"payment made", "paiement effectué"},
}

// stageName returns a stage in plain words, the stage id itself when unknown.
func stageName(stage, lang string) string {
	n, ok := stageNames[stage]
	if !ok {
		return stage
	}
	if lang == langFR {
		return n[1]
	}
	return n[0]
}

// reportLang picks the language of a report: the --lang flag, else the conversation's language
// (detect.Report.ConvLang) when it is French or English, else the system locale.
func reportLang(flag, convLang string) string {
	if flag == langFR || flag == langEN {
		return flag
	}
	if convLang == langFR || convLang == langEN {
		return convLang
	}
	return systemLang(os.Getenv)
}

// systemLang reads the locale as POSIX orders it: LC_ALL, LC_MESSAGES, LANG. French when it is a
// French locale (fr_FR.UTF-8, fr_BE, fr), English otherwise.
func systemLang(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(k)
		if v == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(v), "fr") {
			return langFR
		}
		return langEN
	}
	return langEN
}

// localize rewrites the language-dependent parts of r (advice, disclaimer, legal names) in lang.
// The detector picks its own language from the conversation; the command's choice (flag, then
// conversation, then locale) wins.
func localize(r *detect.Report, lang string) {
	if r.Lang == lang {
		return
	}
	r.Lang = lang
	r.Advice = detect.AdviceFor(lang, r.Grooming.Flagged, r.Sextortion.Flagged)
	r.Disclaimer = detect.Disclaimer(lang)
	r.Notes = detect.NotesFor(lang, r)
	for i := range r.Legal {
		le, ok := features.LegalElementByID(r.Legal[i].ID)
		if !ok {
			continue
		}
		if lang == langFR {
			r.Legal[i].Name, r.Legal[i].Description = le.NameFR, le.DescFR
		} else {
			r.Legal[i].Name, r.Legal[i].Description = le.NameEN, le.DescEN
		}
	}
}

// verdict returns the verdict of r in plain words and whether something is flagged.
func verdict(r *detect.Report, L labels) (string, bool) {
	switch {
	case r.Grooming.Flagged && r.Sextortion.Flagged:
		return L["alert_both"], true
	case r.Sextortion.Flagged:
		return L["alert_sext"], true
	case r.Grooming.Flagged:
		return L["alert_groom"], true
	}
	return L["ok"], false
}
