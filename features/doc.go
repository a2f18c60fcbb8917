// Package features turns chat messages into the evidence and the numbers that Vigie's models score:
// normalized text, cue hits per grooming or sextortion [Stage], and a versioned feature vector.
//
// Every hit names its stage, the lexicon entry (cue) that matched and the byte span in the original
// message, so that a report can quote exactly what was matched and cite the legal elements that
// the stage is relevant to ([LegalElements]). Vigie does not qualify facts; it points a reviewer
// at the messages and the provisions to check.
//
// # Stages
//
// The stages follow the grooming and sextortion processes described by the French OFMIN practical
// guide on sextortion (March 2024), the cybergrooming fact sheet and the Belgian police sheet on
// cyberpredation (art. 433bis/1) kept in shared/seeds, the Europol "Say NO" campaign, and public
// prevention material of NCMEC, Thorn, IWF, e-Enfance/3018, Pharos and Child Focus. They are
// not a strict sequence: research on chat logs (O'Connell 2003; Lorenzo-Dus et al. 2016) finds
// the steps overlapping and repeated, so the feature vector records counts, first and last
// positions and order rather than a single current stage. The example phrasings below are
// illustrative, written for this documentation.
//
// Grooming stages ([Stage.Head] is HeadGrooming):
//
//   - [StageContact]: the first approach and the "asl" questions (age, sex, location, school year,
//     relationship status), often from a stranger who "saw your profile". It matters as the start
//     of the timeline and because age questions show that the author knows or seeks a minor.
//     FR: « t'as quel âge ? », « t'es en quelle classe ? », « j'ai vu ton profil ».
//     EN: "asl?", "how old r u", "sorry for the random add".
//     Legal: any other ruse (BE 433bis/1, 4°) when part of a deceptive approach.
//   - [StageIdentityClaim]: what the author says about themself: a stated age or sex, a claim to
//     be a peer or to attend the same school, a "new account", a broken camera that hides the real
//     person, "age is just a number", a modelling-agent capacity. The OFMIN guide reports fake
//     same-age profiles and hacked or recycled accounts of people the child knows.
//     FR: « j'ai 14 ans aussi », « ma caméra marche pas », « l'âge c'est qu'un chiffre ».
//     EN: "i'm 14 too", "my cam is broken", "i go to your school".
//     Legal: lie about identity, age or capacity (BE 433bis/1, 1°).
//   - [StageFlattery]: compliments on looks and, typically, on maturity ("mature for your age"),
//     which build attachment and lower the perceived age gap.
//     FR: « t'es trop belle », « t'es mature pour ton âge », « tu pourrais être mannequin ».
//     EN: "you're so pretty", "you're mature for your age", "you're not like other girls".
//     Legal: any other ruse (BE 433bis/1, 4°).
//   - [StageTrustBuilding]: listening, sympathy and the role of confidant; shared experiences and a
//     "special connection". The fact sheet describes this as establishing emotional control.
//     FR: « tu peux tout me dire », « je te comprends », « j'ai vécu la même chose ».
//     EN: "you can tell me anything", "i understand you", "we have a special connection".
//     Legal: any other ruse (BE 433bis/1, 4°).
//   - [StagePersonalInfo]: questions about school, address, family, who the child lives with,
//     daily schedule, and requests for a face photo; the OFMIN poster names "knowing your address"
//     among sextortion demands.
//     FR: « t'es dans quel collège ? », « tu vis avec qui ? », « tu rentres à quelle heure ? ».
//     EN: "what school do you go to", "who do you live with", "send me your address".
//     Legal: any other ruse (BE 433bis/1, 4°).
//   - [StageRiskCheck]: checks of the risk of being caught: is the child alone, are the parents
//     home, who reads the phone, is the door locked.
//     FR: « t'es seule ? », « tes parents sont là ? », « ta mère regarde ton tel ? ».
//     EN: "are you alone", "are your parents home", "do your parents check your phone".
//     Legal: any other ruse (BE 433bis/1, 4°); insistence on discretion (2°).
//   - [StageSecrecy]: demands for discretion and deletion: don't tell, our secret, delete the chat,
//     turn on disappearing messages, "I could go to jail".
//     FR: « le dis à personne », « c'est notre secret », « efface la conv ».
//     EN: "don't tell your parents", "our little secret", "delete this chat".
//     Legal: insistence on discretion (BE 433bis/1, 2°).
//   - [StageIsolation]: separating the child from parents and friends: nobody understands you like
//     I do, your friends are fake, your parents don't care.
//     FR: « personne te comprend comme moi », « tes potes sont des faux », « t'as besoin que de moi ».
//     EN: "they don't understand you like i do", "you only need me", "your parents don't care".
//     Legal: any other ruse (BE 433bis/1, 4°).
//   - [StagePlatformMove]: moving the conversation to a private or ephemeral channel (Snapchat,
//     Telegram, WhatsApp, Discord, Kik, Wickr), asking for a handle or a phone number, saying the
//     current app is monitored. Handles and phone numbers themselves are matched by patterns.
//     FR: « ajoute moi sur snap », « on continue sur telegram », « donne ton 06 ».
//     EN: "add me on snap", "let's move to telegram", "what's your number".
//     Legal: any other ruse (BE 433bis/1, 4°); insistence on discretion (2°).
//   - [StageGiftOffer]: gifts and advantages offered or promised: Robux, V-Bucks, skins, phone
//     credit, money, clothes, a new phone, fame or followers.
//     FR: « je t'envoie des robux », « je te recharge ton téléphone », « je t'achète un iphone ».
//     EN: "i'll send you robux", "i'll buy you a new phone", "i'll pay you for pics".
//     Legal: gift or advantage offered or promised (BE 433bis/1, 3°).
//   - [StageSexualEscalation]: sexual talk, questions about the body and sexual experience,
//     normalisation ("everyone your age does it"). Lexicons keep to the words and short phrases
//     that detection needs.
//     FR: « t'es vierge ? », « tu portes quoi ? », « c'est normal à ton âge ».
//     EN: "are you a virgin", "what are you wearing", "everyone your age does it".
//     Legal: sexual proposals to a minor under fifteen by electronic means (FR CP 227-22-1);
//     incitement to a sexual act (FR CP 227-22-2).
//   - [StageImageRequest]: requests for photos or videos of the child, for the camera or a video
//     call, "prove it", with reassurance that the image will disappear.
//     FR: « envoie une photo de toi », « allume ta cam », « je screen pas ».
//     EN: "send me a pic of you", "turn on your cam", "i won't screenshot".
//     Legal: incitement to a sexual act (FR CP 227-22-2); image of a minor of a pornographic
//     nature (FR CP 227-23).
//   - [StageMeeting]: proposals to meet offline: picking the child up, paying a ticket, a hotel,
//     waiting outside school, cover stories for the parents.
//     FR: « on se voit en vrai ? », « je viens te chercher », « je te paye le billet ».
//     EN: "let's meet irl", "i'll pick you up", "i'll pay for your ticket".
//     Legal: sexual proposals followed by a meeting (FR CP 227-22-1, al. 2).
//
// Sextortion stages ([Stage.Head] is HeadSextortion):
//
//   - [StageReciprocityBait]: the promise of a matching image in return, which the OFMIN guide
//     identifies as the usual trigger of the first image in financial sextortion.
//     FR: « je t'envoie la mienne si tu m'envoies la tienne », « à toi maintenant », « photo contre photo ».
//     EN: "i'll send mine if you send yours", "now it's your turn", "trade pics".
//     Legal: incitement (FR CP 227-22-2), image of a minor (227-23), any other ruse (BE 433bis/1, 4°).
//   - [StageThreatExpose]: the threat to send the images to followers, family or school, to post
//     or leak them, to "ruin your life", often conditioned on payment or on not blocking.
//     FR: « je vais l'envoyer à tous tes abonnés », « je vais t'afficher », « si tu payes pas ».
//     EN: "i'll send it to all your followers", "i'll ruin your life", "if you block me".
//     Legal: blackmail (FR CP 312-10); extortion or blackmail (generic).
//   - [StageContactLeverage]: proof that the author holds the victim's audience: the followers or
//     contact list, screenshots, family members found online, a montage of the image beside the
//     contacts (OFMIN).
//     FR: « j'ai la liste de tes abonnés », « c'est ta mère ? », « j'ai fait un montage ».
//     EN: "i have all your followers", "is this your mom", "i know where you live".
//     Legal: blackmail (FR CP 312-10); extortion or blackmail (generic).
//   - [StageCountdown]: deadlines and countdowns ("10, 9, 8, 7..." in the OFMIN guide) that create
//     urgency. Decreasing number sequences are matched by a pattern; lexicons hold the words.
//     FR: « t'as 10 minutes pour payer », « tic tac », « dernier avertissement ».
//     EN: "you have 5 minutes", "the clock is ticking", "last chance".
//     Legal: blackmail (FR CP 312-10), extortion (312-1), extortion or blackmail (generic).
//   - [StagePaymentDemand]: demands for money and the rails named: gift cards (Steam, Google
//     Play, Apple, Amazon), prepaid vouchers (PCS, Transcash, Neosurf, Paysafecard), Western Union,
//     MoneyGram, mandat cash, crypto, CashApp, PayPal, Revolut, Lydia, Pix. Amounts, voucher codes
//     and wallet addresses are patterns.
//     FR: « combien tu peux payer ? », « envoie le code de la carte pcs », « paye et je supprime ».
//     EN: "how much can you pay", "send the code", "use your mom's card".
//     Legal: blackmail (FR CP 312-10), extortion (312-1), extortion or blackmail (generic).
//   - [StageMoreContentDemand]: demands for more images or videos, with the face, or involving a
//     sibling or friend (Europol), and the control language that comes with them.
//     FR: « envoie d'autres photos », « maintenant avec ton visage », « tu fais ce que je te dis ».
//     EN: "send more", "include your sister", "you work for me now".
//     Legal: blackmail (FR CP 312-10), incitement (227-22-2), image of a minor (227-23),
//     extortion or blackmail (generic).
//   - [StagePaymentMade]: signs that the victim paid and pleads: "I paid", a receipt or code,
//     "I have no more money", "you promised to delete it". The OFMIN guide measures about 45
//     minutes on average between the first image and the first payment.
//     FR: « j'ai déjà payé », « voilà le code », « tu avais promis de supprimer ».
//     EN: "i already paid", "here's the code", "i can't pay more".
//     Legal: blackmail (FR CP 312-10), extortion (312-1), extortion or blackmail (generic).
//
// # Legal elements
//
// [AllLegalElements] lists the elements a report can cite, each with an id, a reference and a
// short name and description in French and English: the four elements of the Belgian Criminal
// Code art. 433bis/1 (lie about identity, age or capacity; insistence on discretion; gift or
// advantage; any other ruse), French Code pénal arts. 227-22-1 (and its aggravation when followed
// by a meeting), 227-22-2, 227-23, 312-10 and 312-1, and a generic extortion or blackmail element
// for other jurisdictions. The texts are paraphrases checked against the published provisions;
// Belgium's new Criminal Code (2024, in force 2026) renumbers art. 433bis/1.
//
// # Lexicons
//
// The lexicons are plain UTF-8 files embedded in the package, one per language and stage:
// lexicons/<lang>/<stage>.txt, where stage is a name printed by [Stage.String] or benign_context.
// French and English are complete; Spanish, German, Dutch, Italian and Portuguese are a start.
// Each file begins with a header:
//
//	# stage: secrecy
//	# lang: fr
//	# source: where the entries come from (seed documents, public prevention material)
//	# weight: 1.0
//
// then one phrase per line, written naturally; the loader normalizes case, accents, leetspeak,
// separators inside words and repeated letters, so files hold no such variants, but they do hold
// genuinely different spellings (SMS forms such as "t es seule", "c koi ton snap", slang such as
// "tes darons", "fisha", "pack"). In a phrase, "word*" matches any word starting with word,
// "<num>" one number and "<any>" one word. An optional TAB and a weight override the file's
// weight: 1 is an ordinary cue, up to 2 the most specific phrasings ("i'll send it to all your
// followers"), 0.4 or less the generic words that also occur in benign chats ("snap", "gift card",
// "robux"), which count only as weak evidence. Numbers, amounts, ages, countdown sequences,
// voucher codes, wallet addresses, handles and phone numbers are patterns in code, not lexicon
// entries.
//
// The entries were written by the Vigie team from the seed documents (the stage files' source
// lines name the passage each stage draws on) and from public descriptions of grooming and
// financial sextortion; none is copied from a real conversation.
//
// # Benign context
//
// The file lexicons/<lang>/benign_context.txt (header "# stage: none") lists near-miss contexts
// that weaken a nearby cue: new-year countdowns, birthdays, surprise parties, gamers' talk ("gg",
// "noob", "respawn", "I'll kill you in the game"), gift cards for a grandparent, photos from a
// school trip, homework, couples' vocabulary. Their entries carry [StageNone].
//
// # Test data
//
// testdata/cues/<lang>.tsv holds table-test rows (name, stage or "none", hit or nohit, text,
// reason) with positive phrasings and near-miss negatives for every stage in French and English
// and a few rows in the other languages, including obfuscated positives.
package features
