package features

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestKeccak256(t *testing.T) {
	long := strings.Repeat("a", 200) // crosses the 136-byte rate
	tests := []struct{ in, want string }{
		{"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
		{long, ""},
	}
	for _, tt := range tests {
		h := keccak256([]byte(tt.in))
		got := hex.EncodeToString(h[:])
		if tt.want != "" && got != tt.want {
			t.Errorf("keccak256(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestWalletChecksums(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		addr  string
		want  bool
	}{
		// Bitcoin base58check.
		{"btc genesis p2pkh", validBase58Address, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", true},
		{"btc p2sh", validBase58Address, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true},
		{"btc genesis one char changed", validBase58Address, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", false},
		{"btc bad char", validBase58Address, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", false},
		{"btc too short", validBase58Address, "1A1zP1eP5QGefi2DMPTfTL5SL", false},
		// BIP-173 / BIP-350 segwit test vectors.
		{"bip173 v0 p2wpkh upper", validSegwitAddress, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", true},
		{"bip173 v0 p2wsh testnet", validSegwitAddress, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", true},
		{"bip350 v1 bech32m", validSegwitAddress, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", true},
		{"bip350 v16", validSegwitAddress, "BC1SW50QGDZ25J", true},
		{"bip350 taproot", validSegwitAddress, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", true},
		{"bip350 testnet v0", validSegwitAddress, "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", true},
		{"bip350 v1 with bech32 checksum", validSegwitAddress, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", false},
		{"bip350 v0 with bech32m checksum", validSegwitAddress, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", false},
		{"bip173 v1 now invalid", validSegwitAddress, "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", false},
		{"bip173 mixed case", validSegwitAddress, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", false},
		{"bip173 bad checksum", validSegwitAddress, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", false},
		// EIP-55.
		{"eip55 a", ethOK, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", true},
		{"eip55 b", ethOK, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", true},
		{"eip55 c", ethOK, "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", true},
		{"eip55 d", ethOK, "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", true},
		{"eip55 all caps", ethOK, "0x52908400098527886E0F7030069857D2E4169EE7", true},
		{"eip55 all lower", ethOK, "0xde709f2102306220921060314715629080e2fb77", true},
		{"eip55 case flipped", ethOK, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", false},
		{"eth too short", ethOK, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.check(tt.addr); got != tt.want {
				t.Errorf("check(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func ethOK(s string) bool { ok, _ := validEthAddress(s); return ok }

// slotQuotes returns "cue=quote(value)" for each slot hit.
func slotQuotes(nz *Normalizer, text string) []string {
	var n Normalized
	nz.Normalize(&n, text)
	var out []string
	WalkSlots(text, &n, func(h Hit) bool {
		q := fmt.Sprintf("%s=%s", strings.TrimPrefix(h.Cue, "slot/"), text[h.Start:h.End])
		if h.Value != 0 {
			q += fmt.Sprintf("(%g)", h.Value)
		}
		out = append(out, q)
		return true
	})
	return out
}

func TestSlots(t *testing.T) {
	nz := newTestNormalizer(t)
	tests := []struct {
		name, text string
		want       []string
		reason     string
	}{
		// Ages.
		{"age fr", "salut j'ai 13 ans et toi", []string{"age=j'ai 13 ans(13)"}, ""},
		{"age fr glued", "J’ai 13ans", []string{"age=J’ai 13ans(13)"}, ""},
		{"age fr bare", "13 ans et toi?", []string{"age=13 ans(13)"}, ""},
		{"age fr ago", "il y a 13 ans", nil, "il y a 13 ans is a date, not an age"},
		{"age en im", "im 14", []string{"age=im 14(14)"}, ""},
		{"age en i'm years old", "i'm 14 years old", []string{"age=i'm 14 years old(14)"}, ""},
		{"age en i am", "I am 15.", []string{"age=I am 15(15)"}, ""},
		{"age 14 f", "14 f", []string{"age=14 f(14)"}, ""},
		{"age 14/f", "asl? 14/f/paris", []string{"age=asl? 14/f(14)"}, ""},
		{"age 14yo", "14yo", []string{"age=14yo(14)"}, ""},
		{"age 14 y/o", "she is 14 y/o", []string{"age=14 y/o(14)"}, ""},
		{"age age 14", "age 14", []string{"age=age 14(14)"}, ""},
		{"age es", "tengo 12 años", []string{"age=tengo 12 años(12)"}, ""},
		{"age given back fr", "14 et toi ?", []string{"age=14 et toi(14)"}, "the age returned with the question"},
		{"age given back en", "13 and u?", []string{"age=13 and u(13)"}, ""},
		{"age given back wbu", "15 wbu", []string{"age=15 wbu(15)"}, ""},
		{"age given back toi", "12 toi ?", []string{"age=12 toi(12)"}, ""},
		{"age given back near miss long", "14 and you're late again", nil, "not a short reply"},
		{"age given back near miss count", "2 et toi ?", nil, "a count, not an age"},
		{"age given back near miss mid", "j'en ai 9 et toi", nil, "the number does not start the message"},
		{"age near miss minutes", "im 5 minutes away", nil, "a duration after the number"},
		{"age near miss years", "for 14 years", nil, ""},
		{"age near miss 14 m mid-sentence", "run 20 m then stop", nil, "one-letter gender only at the start or after asl"},
		// Countdowns and deadlines.
		{"countdown commas", "10, 9, 8", []string{"countdown=10, 9, 8(10)"}, ""},
		{"countdown dots", "5...4...3...2...1", []string{"countdown=5...4...3...2...1(5)"}, ""},
		{"countdown spaces", "10 9 8 7", []string{"countdown=10 9 8 7(10)"}, ""},
		{"counting up", "1, 2, 3", nil, "increasing numbers are not a countdown"},
		{"two numbers", "3 2", nil, "at least three numbers"},
		{"deadline en", "you have 5 minutes", []string{"deadline=you have 5 minutes(5)"}, ""},
		{"deadline fr", "tu as 10 minutes", []string{"deadline=tu as 10 minutes(10)"}, ""},
		{"deadline fr t'as 1h", "t'as 1h", []string{"deadline=t'as 1h(60)"}, ""},
		{"deadline fr reste", "il te reste 2 heures", []string{"deadline=te reste 2 heures(120)"}, ""},
		{"deadline near miss", "the film lasts 90 minutes", nil, ""},
		// Amounts.
		{"amount euro suffix", "envoie 200€", []string{"amount=200€(200)"}, ""},
		{"amount euro prefix", "€200 now", []string{"amount=€200(200)"}, ""},
		{"amount euros word", "200 euros", []string{"amount=200 euros(200)"}, ""},
		{"amount dollar", "$500", []string{"amount=$500(500)"}, ""},
		{"amount dollars word", "500 Dollars", []string{"amount=500 Dollars(500)"}, ""},
		{"amount balles", "100 balles", []string{"amount=100 balles(100)"}, ""},
		{"amount usd", "50 usd", []string{"amount=50 usd(50)"}, ""},
		{"amount btc", "0.01 btc", []string{"amount=0.01 btc(0.01)"}, ""},
		{"amount thousands", "1 500 €", []string{"amount=1 500 €(1500)"}, ""},
		{"amount decimal comma", "9,99€", []string{"amount=9,99€(9.99)"}, ""},
		{"number without currency", "j'ai 200 followers", nil, ""},
		// Codes.
		{"payment code grouped", "code: 1234 5678 9012 3456", []string{"payment_code=1234 5678 9012 3456"}, ""},
		{"payment code dashes", "1234-5678-9012-3456", []string{"payment_code=1234-5678-9012-3456"}, ""},
		{"payment code run", "1234567890123456", []string{"payment_code=1234567890123456"}, ""},
		{"not a code 15 digits", "123456789012345", nil, ""},
		{"gift steam", "steam: AB12C-3DE4F-GH56J", []string{"gift_code=AB12C-3DE4F-GH56J"}, ""},
		{"gift google spaces", "K7PQ 2XMB 9RTZ 4WVN", []string{"gift_code=K7PQ 2XMB 9RTZ 4WVN"}, ""},
		{"gift amazon", "AQ4X-7BKJ2M-PL9Q", []string{"gift_code=AQ4X-7BKJ2M-PL9Q"}, ""},
		{"not gift words", "hello-world-again", nil, "letters only"},
		{"not gift two groups", "AB12C-3DE4F", nil, ""},
		// Phones and handles.
		{"phone fr", "mon num 06 12 34 56 78", []string{"phone=06 12 34 56 78"}, ""},
		{"phone fr dots", "06.12.34.56.78", []string{"phone=06.12.34.56.78"}, ""},
		{"phone fr run", "0612345678", []string{"phone=0612345678"}, ""},
		{"phone intl", "+33 6 12 34 56 78", []string{"phone=+33 6 12 34 56 78"}, ""},
		{"phone us", "(555) 123-4567", []string{"phone=(555) 123-4567"}, ""},
		{"phone us dashes", "call 555-123-4567", []string{"phone=555-123-4567"}, ""},
		{"phone us 1", "1 555 123 4567", []string{"phone=1 555 123 4567"}, ""},
		{"phone vs code", "0612345678 vs 1234 5678 9012 3456", []string{"phone=0612345678", "payment_code=1234 5678 9012 3456"}, ""},
		{"not phone 9 digits", "061234567", nil, ""},
		{"not phone year list", "2019 2020 2021", nil, ""},
		{"handle at", "add me @lea_2010!", []string{"handle=@lea_2010"}, ""},
		{"handle email", "mail me a@b.fr", nil, "an @ inside a word is not a handle"},
		{"handle snap colon", "snap: lea.dupont", []string{"handle=snap: lea.dupont"}, ""},
		{"handle add me on snap", "add me on snap lea_2010", []string{"handle=snap lea_2010"}, ""},
		{"handle snap c'est", "mon snap c'est leaaa", []string{"handle=snap c'est leaaa"}, ""},
		{"snap without handle", "add me on snap please", nil, "a bare word needs a digit, _ or . to be a handle"},
		{"discord tag", "my discord is gamer#1234", []string{"handle=discord is gamer#1234"}, ""},
		// Wallets in text.
		{"btc in text", "send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now", []string{"wallet_btc=1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}, ""},
		{"btc bad checksum in text", "send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb now", nil, ""},
		{"bech32 in text", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.", []string{"wallet_btc=bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}, ""},
		{"eth in text", "eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", []string{"wallet_eth=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}, ""},
		{"eth bad checksum in text", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", nil, ""},
		// Neutral.
		{"neutral", "on se voit demain à 14h au match, score 3-1", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slotQuotes(nz, tt.text)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("slots(%q) = %q, want %q (%s)", tt.text, got, tt.want, tt.reason)
			}
		})
	}
}

func FuzzPatterns(f *testing.F) {
	for _, s := range []string{"j'ai 13 ans", "10, 9, 8", "200€", "$500", "1234 5678 9012 3456", "+33 6 12 34 56 78",
		"(555) 123-4567", "snap: lea_2010", "@x", "AB12C-3DE4F-GH56J", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "you have 5 minutes", "€", "+", "(1"} {
		f.Add(s)
	}
	nz := newTestNormalizer(f)
	var n Normalized
	f.Fuzz(func(t *testing.T, s string) {
		nz.Normalize(&n, s)
		WalkSlots(s, &n, func(h Hit) bool {
			if h.Start < 0 || h.End > len(s) || h.Start >= h.End {
				t.Fatalf("slot %s span [%d,%d) invalid for %d bytes", h.Cue, h.Start, h.End, len(s))
			}
			if h.Stage == StageNone || h.Weight <= 0 {
				t.Fatalf("slot %s has stage %v weight %v", h.Cue, h.Stage, h.Weight)
			}
			return true
		})
	})
}

// FuzzQuietWord checks the shortcut of the raw slot scan against rawWord: on every ASCII word
// that quietWord passes, rawWord reports nothing and goes on after the word.
func FuzzQuietWord(f *testing.F) {
	for _, s := range []string{"hello there", "Snap: lea_2010", "AB12C-3DE4F-GH56J", "ABCD 1234 EF56 7890", "name#1234",
		"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "mzBc4XEFSdzCDcTxAgf6EZXgsZWpztRhef", "Hello world", "Kik me", "abcdefghijklmn"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); {
			if !isAlnum(s[i]) {
				i++
				continue
			}
			j := i + 1
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			if quietWord(s, i, j) {
				next, ok := rawWord(s, i, j, func(h Hit) bool {
					t.Fatalf("%q: quiet word %q reports %s", s, s[i:j], h.Cue)
					return true
				})
				if next != j || !ok {
					t.Fatalf("%q: quiet word %q: rawWord goes on at %d, %v", s, s[i:j], next, ok)
				}
			}
			i = j
		}
	})
}

// TestIsPlatform checks the packed platform set against a case-insensitive scan of the names.
func TestIsPlatform(t *testing.T) {
	naive := func(w string) bool {
		for _, p := range platforms {
			if strings.EqualFold(w, p) {
				return true
			}
		}
		return false
	}
	words := []string{"", "s", "snap1", "Snapchat", "SNAPCHAT", "snapchats", "messenger", "Messengers", "messengr",
		"instagram", "instagran", "InstaGram", "ig", "IG", "Ig", "in", "is", "we", "wa", "sc", "so", "tg", "to", "123456789"}
	for _, p := range platforms {
		words = append(words, p, strings.ToUpper(p), p[:len(p)-1], p+"s", p[1:], "x"+p[1:], p[:len(p)-1]+"x")
	}
	r := rand.New(rand.NewPCG(1, 2))
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	for range 20000 {
		b := make([]byte, 1+r.IntN(10))
		for i := range b {
			b[i] = alnum[r.IntN(len(alnum))]
		}
		words = append(words, string(b))
	}
	for _, w := range words {
		if got, want := isPlatform(w), naive(w); got != want {
			t.Errorf("isPlatform(%q) = %v, want %v", w, got, want)
		}
	}
}
