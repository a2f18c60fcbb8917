package features

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Reference FNV-1a 32 values, computed independently with:
//
//	python3 -c 'def f(b):
//	    h=2166136261
//	    for c in b: h=((h^c)*16777619)&0xffffffff
//	    return h
//	for s in ["", "a", "foobar", "bonjour", "<bon", "école", "ß", "😘"]: print(repr(s), f(s.encode()))'
func TestHashStringFNV1a(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
	}{
		{"", 2166136261},
		{"a", 3826002220},
		{"foobar", 3214735720}, // also the published FNV-1a 32 test vector 0xbf9cf968
		{"bonjour", 1393828128},
		{"<bon", 2346793398},
		{"école", 376557824},
		{"ß", 815662359},
		{"😘", 463630400},
	}
	for _, tt := range tests {
		if got := hashString(tt.in); got != tt.want {
			t.Errorf("hashString(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestHasherKnownIDs checks every id of a two-word message against values computed outside Go:
//
//	python3 -c '(f as above); B=1<<18
//	w=[f(x.encode()) for x in ["salut","toi"]]
//	print("bigram id", 1+((w[0]*116049371+w[1])%(1<<64))%B)
//	print("ids salut", 1+f(b"salut")%B, [1+f(g.encode())%B for g in ["<sa","<sal","<salu","sal","salu",
//	    "salut","alu","alut","alut>","lut","lut>","ut>"]])
//	print("toi", 1+f(b"toi")%B)'
func TestHasherKnownIDs(t *testing.T) {
	var h Hasher
	got := h.AppendIDsString(nil, "salut toi")
	want := []int64{
		205167, // salut
		// char n-grams of "<salut>", 3..5 runes, in fastText order
		65148, 261686, 81601, 40816, 161263, 205167, 88560, 3842, 46, 136043, 27965, 17431,
		53560, // toi: 3 runes, below DefaultMinCharWordLen, so no char n-grams
		4178,  // bigram "salut toi"
	}
	if !slices.Equal(got, want) {
		t.Errorf("ids of %q:\n got %v\nwant %v", "salut toi", got, want)
	}
}

func TestHasherWordSplitting(t *testing.T) {
	words := Hasher{MaxN: -1, WordNgrams: 1} // one id per word
	id := func(w string) int64 { return 1 + int64(hashString(w)%DefaultBuckets) }
	tests := []struct {
		name, in string
		want     []string
		reason   string
	}{
		{"empty", "", nil, ""},
		{"only separators", " ,.!? \t\n'’-", nil, ""},
		{"french elision", "j'ai vu l’école", []string{"j", "ai", "vu", "l", "école"},
			"apostrophes (ASCII and U+2019) separate, so l'école shares the id of école"},
		{"english contraction", "don't", []string{"don", "t"}, ""},
		{"digits stay in words", "14yo 06 12 34", []string{"14yo", "06", "12", "34"}, ""},
		{"sharp s", "straße", []string{"straße"}, ""},
		{"dotless i", "ılık", []string{"ılık"}, "Turkish ı is a letter"},
		{"combining mark continues a word", "e\u0301te", []string{"e\u0301te"}, "decomposed é"},
		{"leading mark is dropped", "\u0301abc", []string{"abc"}, ""},
		{"emoji are one-rune tokens", "coucou😘😘!", []string{"coucou", "😘", "😘"}, ""},
		{"emoji modifiers separate", "👍🏽\u200d\ufe0f", []string{"👍"},
			"skin tone (Sk), ZWJ (Cf) and VS16 (Mn, but not after a word) are dropped"},
		{"invalid utf-8 separates", "caf\xffe\xc3", []string{"caf", "e"}, ""},
		{"literal replacement char separates", "a\ufffdb", []string{"a", "b"}, ""},
		{"cyrillic and greek", "привет σας", []string{"привет", "σας"}, ""},
		{"underscore and at sign separate", "@snap_user", []string{"snap", "user"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []int64
			for _, w := range tt.want {
				want = append(want, id(w))
			}
			got := words.AppendIDsString(nil, tt.in)
			if !slices.Equal(got, want) {
				t.Errorf("ids of %q = %v, want words %q = %v (%s)", tt.in, got, tt.want, want, tt.reason)
			}
		})
	}
}

func TestHasherDeterministicAndBytesMatchString(t *testing.T) {
	h := Hasher{Buckets: 1000, WordNgrams: 3, MinN: 2, MaxN: 6, MinCharWordLen: 1}
	text := "salut ça va? t'es où ce soir 😘 straße ılık"
	a := h.AppendIDsString(nil, text)
	b := h.AppendIDs(nil, []byte(text))
	c, err := h.Encode(text, []int64{42})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, b) || !slices.Equal(a, c[1:]) || c[0] != 42 {
		t.Errorf("string, bytes and Encode disagree:\n%v\n%v\n%v", a, b, c)
	}
	if len(a) == 0 {
		t.Fatal("no ids")
	}
	for _, id := range a {
		if id < 1 || id > 1000 {
			t.Errorf("id %d out of [1, 1000]", id)
		}
	}
}

func TestHasherIDRange(t *testing.T) {
	for _, buckets := range []uint32{1, 2, 7, 1 << 10, DefaultBuckets, MaxBuckets} {
		h := Hasher{Buckets: buckets, MaxIDs: 10000}
		ids := h.AppendIDsString(nil, strings.Repeat("bonjour tout le monde ça va très bien 😘 ", 20))
		for _, id := range ids {
			if id < 1 || id > int64(buckets) {
				t.Fatalf("buckets %d: id %d out of range", buckets, id)
			}
		}
		if buckets >= 1<<10 && len(slices.Compact(slices.Sorted(slices.Values(ids)))) < 20 {
			t.Errorf("buckets %d: too few distinct ids", buckets)
		}
	}
}

func TestHasherCap(t *testing.T) {
	huge := strings.Repeat("abcdefgh ", 100000)
	for _, maxIDs := range []int{0, 1, 5, 17, 1000} {
		h := Hasher{MaxIDs: maxIDs}
		want := maxIDs
		if want == 0 {
			want = DefaultMaxIDs
		}
		dst := []int64{-1, -2}
		got := h.AppendIDsString(dst, huge)
		if len(got) != 2+want {
			t.Errorf("MaxIDs %d: appended %d ids, want %d", maxIDs, len(got)-2, want)
		}
		if got[0] != -1 || got[1] != -2 {
			t.Errorf("MaxIDs %d: prefix of dst changed", maxIDs)
		}
		// The cap keeps the beginning: a prefix of the uncapped ids.
		full := Hasher{MaxIDs: 1 << 20}.AppendIDsString(nil, "abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh")
		if n := min(want, len(full)); !slices.Equal(got[2:2+n], full[:n]) {
			t.Errorf("MaxIDs %d: capped ids are not a prefix of the full ids", maxIDs)
		}
	}
	// A single huge word: the cap also bounds its character n-grams.
	got := Hasher{MaxIDs: 50}.AppendIDsString(nil, strings.Repeat("é", 1<<20))
	if len(got) != 50 {
		t.Errorf("huge word: %d ids, want 50", len(got))
	}
}

func TestHasherOptions(t *testing.T) {
	text := "bonjour salut toi"
	count := func(h Hasher) int { return len(h.AppendIDsString(nil, text)) }
	// bonjour: 1 word + n-grams of "<bonjour>" (9 runes): 3-grams 7, 4-grams 6, 5-grams 5 = 18.
	// salut: 1 + (5+4+3) = 13. toi: 1 (3 runes). Bigrams: 2.
	tests := []struct {
		name string
		h    Hasher
		want int
	}{
		{"defaults", Hasher{}, 19 + 13 + 1 + 2},
		{"words only", Hasher{WordNgrams: 1, MaxN: -1}, 3},
		{"words and bigrams", Hasher{MaxN: -1}, 5},
		{"trigrams", Hasher{WordNgrams: 3, MaxN: -1}, 6},
		{"char 3-3 on every word", Hasher{WordNgrams: 1, MinN: 3, MaxN: 3, MinCharWordLen: 1}, 3 + 7 + 5 + 3},
		{"minN above maxN clamps to none", Hasher{WordNgrams: 1, MinN: 6, MaxN: 5}, 3},
	}
	for _, tt := range tests {
		if got := count(tt.h); got != tt.want {
			t.Errorf("%s: %d ids, want %d", tt.name, got, tt.want)
		}
	}
}

func TestHasherTrigramsIncludeBigrams(t *testing.T) {
	bi := Hasher{MaxN: -1}.AppendIDsString(nil, "a b c")
	tri := Hasher{MaxN: -1, WordNgrams: 3}.AppendIDsString(nil, "a b c")
	// a | b, ab | c, bc, abc
	if len(bi) != 5 || len(tri) != 6 {
		t.Fatalf("bigram ids %v, trigram ids %v", bi, tri)
	}
	if !slices.Equal(bi, tri[:5]) {
		t.Errorf("trigram ids %v do not extend bigram ids %v", tri, bi)
	}
}

func TestHasherValidate(t *testing.T) {
	ok := []Hasher{{}, {Buckets: MaxBuckets, WordNgrams: MaxWordNgrams, MinN: 1, MaxN: MaxCharNgram}, {MaxN: -1}}
	for _, h := range ok {
		if err := h.Validate(); err != nil {
			t.Errorf("%+v: %v", h, err)
		}
	}
	bad := []Hasher{{Buckets: MaxBuckets + 1}, {WordNgrams: MaxWordNgrams + 1}, {WordNgrams: -1},
		{MinN: 0, MaxN: 3}, {MinN: 4, MaxN: 3}, {MinN: 1, MaxN: MaxCharNgram + 1}, {MaxIDs: -1},
		{MinCharWordLen: -1}}
	for _, h := range bad {
		err := h.Validate()
		if !errors.Is(err, ErrHasherConfig) {
			t.Errorf("%+v: error %v, want ErrHasherConfig", h, err)
		}
		// Out-of-range values never panic: they are clamped.
		_ = h.AppendIDsString(nil, "bonjour à tous")
	}
}

func TestHasherSpec(t *testing.T) {
	tests := []struct {
		h    Hasher
		want string
	}{
		{Hasher{}, "hash-v1 fnv1a32 buckets=262144 wordngrams=2 chars=3-5/4 maxids=256"},
		{Hasher{Buckets: 1000, WordNgrams: 1, MaxN: -1, MaxIDs: 64}, "hash-v1 fnv1a32 buckets=1000 wordngrams=1 chars=none maxids=64"},
	}
	for _, tt := range tests {
		if got := tt.h.Spec(); got != tt.want {
			t.Errorf("Spec() = %q, want %q", got, tt.want)
		}
		if tt.h.Name() != tt.h.Spec() {
			t.Errorf("Name() != Spec()")
		}
	}
	if got := (Hasher{}).Vocab(); got != DefaultBuckets+1 {
		t.Errorf("Vocab() = %d", got)
	}
}

func TestHasherZeroAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	var h Hasher
	lines := []string{"salut ça va? t'es où", "wyd rn, u alone? 😘", "straße ılık привет", strings.Repeat("abc ", 1000), ""}
	dst := make([]int64, 0, DefaultMaxIDs)
	allocs := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			dst = h.AppendIDsString(dst[:0], l)
			dst = h.AppendIDs(dst[:0], []byte("bonjour"))
		}
		var tk Tokenizer = &h
		dst, _ = tk.Encode(lines[0], dst[:0])
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}

// TestCharNgramsLongPathMatches checks the buffered path against the one for long words.
func TestCharNgramsLongPathMatches(t *testing.T) {
	h := Hasher{MinN: 1, MaxN: MaxCharNgram}
	c := h.config()
	for _, w := range []string{"a", "ab", "abc", "abcdefgh", "école", "straße", "ılık", "привет", "日本語", strings.Repeat("é", 30), strings.Repeat("x", 62)} {
		short, _ := c.appendCharNgrams(nil, w, false, 1<<20)
		long, _ := c.appendCharNgramsLong(nil, w, 1<<20)
		if !slices.Equal(short, long) || len(short) == 0 {
			t.Errorf("%q: buffered %v, long %v", w, short, long)
		}
		if utf8.ValidString(w) && len(w) == utf8.RuneCountInString(w) {
			if ascii, _ := c.appendCharNgrams(nil, w, true, 1<<20); !slices.Equal(ascii, long) {
				t.Errorf("%q: ASCII path %v, long %v", w, ascii, long)
			}
		}
	}
}

func FuzzHasher(f *testing.F) {
	for _, s := range []string{"salut ça va", "j'ai 14 ans", "😘😘", "caf\xff", "\u0301a", "straße ılık", ""} {
		f.Add(s, uint32(0), 0, 0)
	}
	f.Add("abcdefghij klmnopqrstuvwxyz0123456789 ab abc abcd", uint32(1<<10), 3, 7)
	f.Add("pleeease send pics now", uint32(1<<18), 2, 205)
	f.Fuzz(func(t *testing.T, s string, buckets uint32, ngrams, maxIDs int) {
		h := Hasher{Buckets: buckets % (MaxBuckets + 2), WordNgrams: ngrams % 8, MaxIDs: maxIDs % 1000,
			MinN: ngrams % 4, MaxN: maxIDs % 10}
		c := h.config()
		ids := h.AppendIDsString(nil, s)
		if len(ids) > c.maxIDs {
			t.Fatalf("%d ids above the cap %d", len(ids), c.maxIDs)
		}
		for _, id := range ids {
			if id < 1 || uint64(id) > c.buckets {
				t.Fatalf("id %d outside [1, %d]", id, c.buckets)
			}
		}
		if b := h.AppendIDs(nil, []byte(s)); !slices.Equal(ids, b) {
			t.Fatalf("string and bytes differ")
		}
		if ref := refAppendIDs(h, nil, s); !slices.Equal(ids, ref) {
			t.Fatalf("%+v %q: ids %v, reference %v", h, s, ids, ref)
		}
		// The default configuration (power-of-two buckets, 3..5 n-grams) and prefilled dst.
		pre := []int64{7, 7}
		if got, ref := (Hasher{}).AppendIDsString(pre, s), refAppendIDs(Hasher{}, pre, s); !slices.Equal(got, ref) {
			t.Fatalf("default %q: ids %v, reference %v", s, got, ref)
		}
	})
}

// hashString is FNV-1a 32 of s, one byte at a time.
func hashString(s string) uint32 {
	h := uint32(fnvOffset32)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime32
	}
	return h
}

// refAppendIDs is the plain reference of [Hasher.AppendIDsString]: words split and hashed one at a
// time, character n-grams from appendCharNgramsLong (no fast path), every cap checked.
func refAppendIDs(h Hasher, dst []int64, text string) []int64 {
	c := h.config()
	end := len(dst) + c.maxIDs
	var words []uint32 // hashes of all the words so far
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		class := runeClass(r)
		if r == utf8.RuneError && size == 1 {
			class = classSep
		}
		if class == classSep || class == classMark {
			i += size
			continue
		}
		start := i
		i += size
		runes := 1
		for class == classWord && i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if cl := runeClass(r); (r == utf8.RuneError && size == 1) || (cl != classWord && cl != classMark) {
				break
			}
			i += size
			runes++
		}
		word := text[start:i]
		wh := hashString(word)
		if len(dst) >= end {
			return dst
		}
		dst = append(dst, c.id32(wh))
		if c.charNgramsActive && runes >= c.minCharWordLen {
			var full bool
			if dst, full = c.appendCharNgramsLong(dst, word, end); full {
				return dst
			}
		}
		words = append(words, wh)
		// The n-grams of n words ending here, n = 2..WordNgrams.
		for n := 2; n <= c.wordNgrams && n <= len(words); n++ {
			var g uint64
			for k, x := range words[len(words)-n:] {
				if k == 0 {
					g = uint64(x)
				} else {
					g = g*ngramMultiply + uint64(x)
				}
			}
			if len(dst) >= end {
				return dst
			}
			dst = append(dst, c.id(g))
		}
	}
	return dst
}

// FuzzASCIINgrams checks the ASCII n-gram loops (the unrolled 3..5 one among them) against
// appendCharNgramsLong, the generic loop.
func FuzzASCIINgrams(f *testing.F) {
	for _, w := range []string{"abc", "abcd", "abcde", "abcdef", "bonjour", "pleeease", "x0x0x0x0x0"} {
		f.Add(w, uint8(3), uint8(5), uint8(18))
	}
	f.Add("salut", uint8(2), uint8(8), uint8(10))
	f.Fuzz(func(t *testing.T, w string, minN, maxN, bits uint8) {
		b := []byte(w)
		for i := range b {
			b[i] = 'a' + b[i]%26 // ASCII letters only
		}
		if len(b) == 0 || len(b)+2 > 64 {
			return
		}
		w = string(b)
		h := Hasher{Buckets: 1 << (1 + bits%30), MinN: 2 + int(minN)%7, MaxN: 2 + int(maxN)%7}
		if h.MinN > h.MaxN {
			h.MinN, h.MaxN = h.MaxN, h.MinN
		}
		c := h.config()
		pre := []int64{9}
		got, full := c.appendCharNgrams(pre, w, true, 1<<20)
		want, _ := c.appendCharNgramsLong(pre, w, 1<<20)
		if full || !slices.Equal(got, want) {
			t.Fatalf("%q %d..%d: ASCII %v, generic %v", w, c.minN, c.maxN, got, want)
		}
	})
}

// TestHasherZeroFields keeps AppendIDsString's field-by-field test for the zero Hasher complete:
// a new field must be added there.
func TestHasherZeroFields(t *testing.T) {
	if n := reflect.TypeFor[Hasher]().NumField(); n != 6 {
		t.Fatalf("Hasher has %d fields; update the zero test of AppendIDsString", n)
	}
}
