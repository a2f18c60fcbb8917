// Package synth generates synthetic chat conversations, in French and English, for training and
// evaluating Vigie's sextortion and grooming detection: sextortion positives that follow the scripts
// described by the French OFMIN practical guide on sextortion (2024) and Europol's "Say NO"
// campaign, grooming positives that follow the manipulation strategies of the cybergrooming fact
// sheet (seeds/004) and the elements of art. 433bis/1 of the Belgian Criminal Code (seeds/000), and
// benign look-alikes that share their surface cues.
//
// No public labeled sextortion chat corpus exists, and the public grooming data are English
// Perverted-Justice transcripts of 2004-2012, whose style a model learns instead of grooming. Everything this package makes is marked
// synthetic (Conversation.Synthetic, Platform "synthetic", ids "syn-s<seed>-<index>") and numbers
// measured on it alone must never be reported as real-world accuracy.
//
// # Scripts
//
// [KindFinancial] (financial sextortion): a fake same-age profile, compliments, a move to another
// app, the reciprocity bait, the victim's image, then at once threats, contact-list leverage,
// countdowns and payment demands over gift cards, prepaid vouchers, money transfers, bitcoin (valid
// base58check P2PKH addresses) and payment apps. Minutes between messages before the image,
// seconds after it, and a log-normal delay (median 45 minutes, 15 to 120) from the image to the
// first payment demand. [KindGroomingSextortion]: days of trust building (its first part is
// grooming-like), images, then threats for more images, sometimes of a sister or a friend (median
// 20 minutes, 3 to 120, from the image to the first demand). Some victims say little, some block
// the offender, some pay and get a new demand. The benign kinds ([BenignKinds]) are countdowns
// among friends, gift cards in families, adult couples flirting, photo requests, ages and schools,
// gamers' trash talk, bill splitting, game lobby codes and parents asking "are you home alone?".
//
// The grooming kinds ([GroomingKinds]) have no threat and no demand for money. A child of 11 to 15
// says their age; the offender is a fake profile of about the child's age ([KindGroomingPeer]), an
// online gaming "friend" of 15 to 17 who gives game currency ([KindGroomingGamerGifts]) or an adult
// "coach", "photographer" or "agent" ([KindGroomingMentor]); some reveal an older age later. Each
// script goes, in order, through contact, flattery or trust building; risk checks or secrecy; and
// image requests, cam calls or a meeting proposal, over sessions days apart in the evening most
// often. [KindGroomingSlow] stretches one of them over weeks of ordinary talk, so that the cues
// are sparse; in [KindGroomingCutShort] the child refuses and says they will tell a parent, or stops
// answering, and the offender writes on alone. Their look-alikes are a real coach organizing a
// pickup with a parent in the group, a relative sending game credit for a birthday, and teens of
// the same age flirting innocently.
//
// By default half the positives are sextortion and half grooming (see [Config].Kinds for the
// weights); a change of the mix changes the conversations of a seed, and [Version] with it.
//
// # Building blocks
//
// The text comes from hand-written template files embedded under blocks/<lang>/ (see [Block] for
// the format): at least 25 variants per block and language, with slots for names, ages, amounts,
// rails, codes, game currencies, gifts, platforms, meeting places and times. People type in styles drawn per person (SMS abbreviations, typos,
// missing accents, emoji, leetspeak, spaced letters), the same for every class.
//
// # Labels
//
// Positives are labeled sextortion or grooming, by kind ([Kind.Label]), with the offender as the
// only suspect; benign ones are labeled benign. Conversation.Extra holds, as raw JSON, "synthetic_kind" (the [Kind]),
// "synthetic_stages" (message id to ground-truth stage tags: the offender-side names of the features
// stage taxonomy, plus victim_image, victim_distress and victim_block) and "synthetic_generator"
// (version, seed, index); grooming positives also hold "synthetic_grooming" (persona, the child's
// age and the age the offender claims first). [Split] assigns ids to train, dev and test.
//
// # Determinism
//
// Conversation i is drawn from a PCG source seeded with (Config.Seed, i): the output is the same,
// byte for byte, on every run, and does not depend on Config.N. A [Generator] is not safe for
// concurrent use; distinct generators are independent.
package synth
