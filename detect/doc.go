// Package detect is Vigie's public entry point: it scores a conversation for grooming and
// sextortion and explains the score.
//
// A [Detector] combines the cue features of package features (stages of grooming and sextortion
// matched in the messages) with the model of package models, and returns a report per
// conversation: risk per head with the flag decided at the model's calibrated threshold, the
// suspect author, the stage timeline, the evidence (message ids and the exact spans quoted), the
// legal elements the evidence supports, and advice in the conversation's language.
//
// Reports are a triage aid, not proof ([Disclaimer]).
package detect
