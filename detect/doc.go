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
//
// # Streaming sessions
//
// A platform that sees a conversation as it happens opens a [Session] with
// [Detector.NewSession] (or [Detector.NewSessionWith] to set [SessionOptions]) and calls
// [Session.Push] with each message. Each [Update] carries the risk of both heads so far (Score,
// what [Detector.Analyze] would report for the conversation up to that message, and Live, the
// score of the current window) and the alerts that the message raised. A push costs the same at
// message 10 and at message 100,000 and allocates nothing in the steady state. [Session.Snapshot]
// gives the author scores and the suspect; [Session.MarshalBinary] and
// [Detector.RestoreSession] save a session and continue it exactly, here or in another process
// with the same model (the encoding is versioned and checks the model).
//
// The alert rule follows the live score of each head:
//
//   - a head alerts (ReasonThreshold) when its live score reaches the threshold, then is
//     disarmed; it is re-armed when its live score falls below [RearmRatio] × threshold, and
//     alerts again (ReasonRearmed) at the next crossing;
//   - a disarmed head also alerts (ReasonNewStage) when a stage of that head appears for the
//     first time in the conversation while its live score is at or above the threshold;
//   - no alert comes before the conversation has [SessionOptions.MinMessages] messages
//     ([DefaultMinMessages], 5): the first messages alone are too little context, and the
//     model scores some one-message prefixes high. A crossing before then is not lost: the head
//     stays armed and alerts at message MinMessages if its live score is still at or above the
//     threshold, or at its next crossing.
//
// The options change when a session alerts, never its scores. DefaultMinMessages was chosen on
// the dev split with `vigie eval --early --min-messages N` (N = 1 to 10): from N = 1 to 5, false
// alerts on benign conversations fell from 26.8 to 5.4 per 1,000, grooming recall from 0.611 to
// 0.560 (the positives lost had crossed on their first message only), and the median warning
// stayed at 6 messages for sextortion; larger N delayed sextortion warnings for little gain.
package detect
