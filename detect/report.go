package detect

import (
	"time"
)

// Report is the analysis of one conversation. Its JSON form is the `vigie score --json` contract:
// id, grooming.score, grooming.flagged, sextortion.score, sextortion.flagged, suspect (null when
// none), evidence[].message_id and evidence[].stage are always present.
type Report struct {
	ID       string `json:"id"`
	Platform string `json:"platform,omitempty"`
	// Lang is the language of the report's texts ("fr" or "en").
	Lang string `json:"lang"`
	// ConvLang is the conversation's language: the one its source declares, else the one detected
	// (an ISO 639-1 code such as "fr", "en", "es"), empty when unknown.
	ConvLang   string    `json:"conv_lang,omitempty"`
	Messages   int       `json:"messages"`
	Grooming   HeadScore `json:"grooming"`
	Sextortion HeadScore `json:"sextortion"`
	// Suspect is the author the evidence and the model point to, nil when nothing is flagged.
	Suspect  *string       `json:"suspect"`
	Authors  []AuthorScore `json:"authors"`
	Timeline []StageEvent  `json:"timeline"`
	Evidence []Evidence    `json:"evidence"`
	Legal    []LegalRef    `json:"legal"`
	Advice   Advice        `json:"advice"`
	Model    ModelInfo     `json:"model"`
	// FlatInput is true when the conversation was one message without author (see [FlatInput]):
	// no author can be named, and the head scores are the model's for that form of input,
	// mapped onto the scale of its thresholds.
	FlatInput bool `json:"flat_input,omitempty"`
	// OneSided is true when the conversation holds one side only (see [corpus.OneSided]: a Discord
	// data package keeps its owner's messages): no suspect is named from it, flagged or not.
	OneSided bool `json:"one_sided,omitempty"`
	// Truncated counts the messages cut to the analysis size limit.
	Truncated int `json:"truncated,omitempty"`
	// Notes are remarks about the analysis itself, in the report's language (see [NotesFor]).
	Notes      []string `json:"notes,omitempty"`
	Disclaimer string   `json:"disclaimer"`
}

// HeadScore is the risk of one head.
type HeadScore struct {
	Score     float64 `json:"score"`     // in [0, 1]
	Flagged   bool    `json:"flagged"`   // Score >= Threshold
	Threshold float64 `json:"threshold"` // the model's calibrated threshold (or the caller's)
	// Window is the index of the highest-scoring window, Start and End its messages.
	Window int `json:"window"`
	Start  int `json:"start"`
	End    int `json:"end"`
}

// AuthorScore is the risk attributed to one author.
type AuthorScore struct {
	Author     string  `json:"author"`
	Messages   int     `json:"messages"`
	Grooming   float64 `json:"grooming"`
	Sextortion float64 `json:"sextortion"`
	// CueWeight is the summed weight of the grooming and sextortion cues in the author's messages.
	CueWeight float64 `json:"cue_weight"`
}

// StageEvent is the first appearance of a stage in the conversation.
type StageEvent struct {
	Stage        string     `json:"stage"`
	Head         string     `json:"head"`
	MessageID    string     `json:"message_id"`
	MessageIndex int        `json:"message_index"`
	Author       string     `json:"author"`
	Time         *time.Time `json:"time,omitempty"`
	// Offset is the time since the conversation's first message ("+45 min"), empty when unknown.
	Offset string `json:"offset,omitempty"`
	Count  int    `json:"count"` // cues of this stage in the whole conversation
}

// Evidence is one matched cue, quoted exactly from the original message.
type Evidence struct {
	MessageID    string     `json:"message_id"`
	MessageIndex int        `json:"message_index"`
	Author       string     `json:"author"`
	Time         *time.Time `json:"time,omitempty"`
	Stage        string     `json:"stage"`
	Head         string     `json:"head"`
	Cue          string     `json:"cue"`
	Quote        string     `json:"quote"`
	Start        int        `json:"start"` // byte offsets of Quote in the message text
	End          int        `json:"end"`
	Weight       float64    `json:"weight"`
	Value        float64    `json:"value,omitempty"` // stated age, amount, countdown start...
}

// LegalRef is a legal element that some evidence is relevant to.
type LegalRef struct {
	ID           string   `json:"id"`
	Jurisdiction string   `json:"jurisdiction"`
	Ref          string   `json:"ref"`
	Name         string   `json:"name"`
	Description  string   `json:"description"`
	Stages       []string `json:"stages"`
}

// ModelInfo records what produced a report, for evidence preservation.
type ModelInfo struct {
	Name       string             `json:"name"`
	Version    string             `json:"version"`
	Schema     string             `json:"schema"`
	Engine     string             `json:"engine"` // "onnx" or "go"
	Runtime    string             `json:"runtime,omitempty"`
	Thresholds map[string]float64 `json:"thresholds"`
	// FlatThresholds are the model's raw thresholds for flat inputs (see [FlatInput]), when it
	// has some: a flat input's reported score reaches Thresholds[h] when its raw score reaches
	// FlatThresholds[h].
	FlatThresholds map[string]float64 `json:"flat_thresholds,omitempty"`
	Tokenizer      string             `json:"tokenizer"`
}
