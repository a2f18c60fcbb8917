package features

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func newTestNormalizer(t testing.TB) *Normalizer {
	t.Helper()
	nz, err := NewNormalizer(0)
	if err != nil {
		t.Fatal(err)
	}
	return nz
}

func TestNormalize(t *testing.T) {
	nz := newTestNormalizer(t)
	tests := []struct {
		name, in, want string
		reason         string
	}{
		{name: "plain", in: "Hello World", want: "hello world"},
		{name: "accents", in: "Éléonore à l'école", want: "eleonore a l ecole"},
		{name: "nfkc ligature", in: "ﬁne", want: "fine", reason: "U+FB01 decomposes under NFKD"},
		{name: "fullwidth", in: "ＳＥＸ", want: "sex"},
		{name: "turkish dotted I", in: "İstanbul", want: "istanbul", reason: "İ = I + combining dot; the dot is dropped"},
		{name: "dotless i", in: "ıi", want: "ii"},
		{name: "final sigma", in: "ΟΔΟΣ οδος", want: "οδοσ οδοσ", reason: "ς folds to σ so both spellings match"},
		{name: "sharp s", in: "Straße STRASSE ẞ", want: "strasse strasse ss"},
		{name: "ligature oe", in: "cœur", want: "coeur"},
		{name: "zero width joiner inside word", in: "se\u200dx nu\u200bde", want: "sex nude", reason: "format characters are removed without splitting"},
		{name: "soft hyphen", in: "nu\u00adde", want: "nude"},
		{name: "control chars", in: "a\x00b\x07c", want: "abc"},
		{name: "newline separates", in: "a\nb\tc", want: "a b c"},
		{name: "leet s3x", in: "s3x", want: "sex"},
		{name: "leet ph0t0", in: "ph0t0", want: "photo"},
		{name: "leet n00d", in: "n00dz", want: "noodz"},
		{name: "leet n@ked", in: "n@ked", want: "naked"},
		{name: "leet dollar", in: "$exy", want: "sexy"},
		{name: "leet 1 and 7", in: "p1c7ure", want: "picture"},
		{name: "leet 4 and 5", in: "p4s5word", want: "password"},
		{name: "numbers stay", in: "j'ai 13 ans", want: "j ai 13 ans", reason: "digits alone are numbers, never leet"},
		{name: "countdown stays", in: "10, 9, 8", want: "10 9 8"},
		{name: "digits first split", in: "13ans 14yo 1h", want: "13 ans 14 yo 1 h"},
		{name: "long digit run kept", in: "abc123", want: "abc123"},
		{name: "dollar amount not leet", in: "$500", want: "500"},
		{name: "handle at", in: "@snap_user", want: "snapchat user"},
		{name: "spaced dots", in: "n.u.d.e", want: "nude"},
		{name: "spaced dashes", in: "N-U-D-E pls", want: "nude please"},
		{name: "spaced spaces", in: "s e x", want: "sex"},
		{name: "spaced underscores", in: "p_i_c", want: "photo", reason: "joined to pic, then the abbreviation"},
		{name: "u r a not joined", in: "u r a star", want: "you are a star", reason: "space-separated runs with several one-letter words stay"},
		{name: "mixed separators not joined", in: "j'y a", want: "j y a"},
		{name: "two letters not joined", in: "a b", want: "a b"},
		{name: "repeats capped", in: "sooooo cuuuute", want: "soo cuute"},
		{name: "repeat abbreviation", in: "plzzzz", want: "please", reason: "plzz is not listed; squeezed plz is"},
		{name: "digits not capped", in: "1000000", want: "1000000"},
		{name: "abbrev wyd", in: "wyd", want: "what are you doing"},
		{name: "abbrev fr", in: "stp tkt jsp", want: "s il te plait t inquiete je sais pas"},
		{name: "abbrev pq", in: "pq", want: "pourquoi"},
		{name: "abbrev digits", in: "gr8 b4", want: "great before"},
		{name: "abbrev snap pic", in: "snap pic", want: "snapchat photo"},
		{name: "mdr unchanged", in: "mdr lol", want: "mdr lol"},
		{name: "emoji markers", in: "envoie 📸 🍆💰🤫😘⏳🎁", want: "envoie emophoto emosex emomoney emosecret emolove emotimer emogift"},
		{name: "emoji with variation selector", in: "❤️", want: "emolove"},
		{name: "emoji skin tone", in: "🤳🏽ok", want: "emophoto ok"},
		{name: "unmapped emoji separates", in: "a😀b", want: "a b"},
		{name: "invalid utf8", in: "ab\xffcd", want: "ab cd"},
		{name: "empty", in: "", want: ""},
		{name: "only punctuation", in: "?!...", want: ""},
		{name: "curly apostrophe", in: "c’est", want: "c est"},
	}
	slow := *nz
	slow.slow = true
	var n Normalized
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, z := range []*Normalizer{nz, &slow} {
				z.Normalize(&n, tt.in)
				if got := string(n.Text); got != tt.want {
					t.Errorf("Normalize(%q) = %q, want %q (%s; general path only: %v)", tt.in, got, tt.want, tt.reason, z.slow)
				}
				checkNormalized(t, &n, tt.in)
			}
		})
	}
}

// checkNormalized checks the invariants of a normalization of in.
func checkNormalized(t *testing.T, n *Normalized, in string) {
	t.Helper()
	if !utf8.Valid(n.Text) {
		t.Fatalf("output %q is not valid UTF-8", n.Text)
	}
	if len(n.start) != len(n.Text) || len(n.end) != len(n.Text) {
		t.Fatalf("offset maps have %d/%d entries for %d bytes", len(n.start), len(n.end), len(n.Text))
	}
	for i := range n.Text {
		s, e := n.start[i], n.end[i]
		if s < 0 || s > e || int(e) > len(in) {
			t.Fatalf("byte %d maps to [%d,%d), outside [0,%d]", i, s, e, len(in))
		}
		if i > 0 && (s < n.start[i-1] || e < n.end[i-1]) {
			t.Fatalf("offset map not monotone at byte %d: [%d,%d) after [%d,%d)", i, s, e, n.start[i-1], n.end[i-1])
		}
	}
	if len(n.Text) > 0 && (n.Text[0] == ' ' || n.Text[len(n.Text)-1] == ' ' || strings.Contains(string(n.Text), "  ")) {
		t.Fatalf("bad spacing in %q", n.Text)
	}
	// Words cover the text exactly.
	var b strings.Builder
	for i := 0; i < n.Words(); i++ {
		s, e := n.Word(i)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(n.Text[s:e])
	}
	if b.String() != string(n.Text) {
		t.Fatalf("words %q do not rebuild text %q", b.String(), n.Text)
	}
}

func TestNormalizeSpans(t *testing.T) {
	nz := newTestNormalizer(t)
	var n Normalized
	tests := []struct{ in, word, quote string }{
		{"send n.u.d.e now", "nude", "n.u.d.e"},
		{"une ph0t0 stp", "photo", "ph0t0"},
		{"plzzzzz!", "please", "plzzzzz"},
		{"Écoute", "ecoute", "Écoute"},
		{"hey 📸", "emophoto", "📸"},
		{"sooooo", "soo", "sooooo"},
	}
	for _, tt := range tests {
		nz.Normalize(&n, tt.in)
		i := strings.Index(string(n.Text), tt.word)
		if i < 0 {
			t.Errorf("%q: %q not in %q", tt.in, tt.word, n.Text)
			continue
		}
		s, e := n.Span(i, i+len(tt.word))
		if got := tt.in[s:e]; got != tt.quote {
			t.Errorf("%q: span of %q quotes %q, want %q", tt.in, tt.word, got, tt.quote)
		}
	}
}

func TestNormalizeTruncates(t *testing.T) {
	nz, err := NewNormalizer(10)
	if err != nil {
		t.Fatal(err)
	}
	var n Normalized
	nz.Normalize(&n, "éàéàéàéàé") // 18 bytes: cut at 10 on a rune boundary
	if !n.Truncated || string(n.Text) != "eaeae" {
		t.Fatalf("got %q truncated=%v, want \"eaeae\" truncated", n.Text, n.Truncated)
	}
	nz.Normalize(&n, "short")
	if n.Truncated {
		t.Fatal("short message reported truncated")
	}
	if _, err := NewNormalizer(-1); err == nil {
		t.Fatal("NewNormalizer(-1) succeeded")
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"s3x n.u.d.e", "j'ai 13 ans", "10, 9, 8", "İ ς ß ﬁ", "a\xffb", "📸🏽‍❤️", "plzzzz wyd", "u r a", "$@$@", "13ans"} {
		f.Add(s)
	}
	nz := newTestNormalizer(f)
	slow := *nz
	slow.slow = true
	var n, m Normalized
	f.Fuzz(func(t *testing.T, s string) {
		nz.Normalize(&n, s)
		checkNormalized(t, &n, s)
		// The ASCII fast path and the general path agree.
		slow.Normalize(&m, s)
		if string(n.Text) != string(m.Text) || !slices.Equal(n.start, m.start) || !slices.Equal(n.end, m.end) ||
			!slices.Equal(n.tokS, m.tokS) || !slices.Equal(n.tokE, m.tokE) {
			t.Fatalf("fast and general paths differ on %q:\nfast    %q %v %v\ngeneral %q %v %v", s, n.Text, n.start, n.end, m.Text, m.start, m.end)
		}
	})
}

// TestFastPathAgrees compares the ASCII fast path with the general path on random ASCII texts
// built from an alphabet rich in the cases they must agree on (spaced letters, repeats,
// abbreviations, separators).
func TestFastPathAgrees(t *testing.T) {
	nz := newTestNormalizer(t)
	slow := *nz
	slow.slow = true
	pieces := []string{"a", "b", "u", "r", "i", "y", "s", "e", "x", "z", "A", "Z", " ", " ", " ", ".", "-", "_", ",",
		"\t", "\n", "1", "13", "0", "plz", "zzz", "wyd", "pic", "snap", "oo", "tkt", "ans", "?", "'", "S",
		"📸", "😀", "🏽", "🍆", "💰", "❤️", "\u200d", "é", "É", "à", " à ", "à.", "2day", "13ans", "4U", "21h", "1nsta", "ç", "ñ", "ÿ", "Å", "ß", "æ", "’", "“", "…", "×", "ee", "ée",
		// Bytes the fast path gives up on, anywhere in the text: it must then leave n empty.
		"@", "$", "s3x", "ph0t0", "\x01", "\xff", "€", "\u00a0"}
	var n, m Normalized
	var sb strings.Builder
	seed := uint64(1)
	next := func() int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed >> 33)
	}
	for iter := 0; iter < 50000; iter++ {
		sb.Reset()
		for k := next() % 14; k >= 0; k-- {
			sb.WriteString(pieces[next()%len(pieces)])
		}
		s := sb.String()
		nz.Normalize(&n, "") // reset
		if !nz.normalizeASCII(&n, s) {
			if len(n.Text) != 0 || len(n.start) != 0 || len(n.end) != 0 || len(n.tokS) != 0 || len(n.tokE) != 0 {
				t.Fatalf("fast path gave up on %q but left output %q", s, n.Text)
			}
			continue
		}
		nz.Normalize(&n, s)
		slow.Normalize(&m, s)
		if string(n.Text) != string(m.Text) || !slices.Equal(n.start, m.start) || !slices.Equal(n.end, m.end) ||
			!slices.Equal(n.tokS, m.tokS) || !slices.Equal(n.tokE, m.tokE) {
			t.Fatalf("fast and general paths differ on %q:\nfast    %q %v %v\ngeneral %q %v %v", s, n.Text, n.start, n.end, m.Text, m.start, m.end)
		}
	}
}
