package features

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

const tinyWordPiece = "testdata/tokenizer/wordpiece_tiny.json"

// loadTiny loads testdata/tokenizer/wordpiece_tiny.json, with its JSON changed by edit if not nil.
func loadTiny(tb testing.TB, opts HFOptions, edit func(cfg map[string]any)) *HFTokenizer {
	tb.Helper()
	data, err := os.ReadFile(tinyWordPiece)
	if err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		var cfg map[string]any
		if err := json.Unmarshal(data, &cfg); err != nil {
			tb.Fatal(err)
		}
		edit(cfg)
		if data, err = json.Marshal(cfg); err != nil {
			tb.Fatal(err)
		}
	}
	tk, err := LoadHFTokenizer(bytes.NewReader(data), opts)
	if err != nil {
		tb.Fatalf("load %s: %v", tinyWordPiece, err)
	}
	return tk
}

// The vocabulary of wordpiece_tiny.json, by id (see testdata/tokenizer/README.md):
//
//	0 [PAD] 1 [UNK] 2 [CLS] 3 [SEP] 4 [MASK] 5 ! 6 , 7 . 8 ? 9 '
//	10 a 11 b 12 c 13 e 14 i 15 o 16 s 17 t 18 u 19 hello
//	20 hi 21 how 22 are 23 you 24 salut 25 ca 26 va 27 bonjour 28 tout 29 le
//	30 monde 31 ecole 32 play 33 ##ing 34 ##ed 35 ##s 36 game 37 foot 38 ##ball 39 to
//	40 ##night 41 see 42 school 43 j 44 ai 45 mange 46 ##r 47 the 48 and 49 un
//	50 ##e 51 ##a 52 ##t 53 ##o 54 ##n 55 d 56 ##es 57 ok 58 cool 59 lol
func TestHFTokenizerWordPiece(t *testing.T) {
	tk := loadTiny(t, HFOptions{}, nil)
	if tk.Name() != "hf-WordPiece" {
		t.Errorf("Name() = %q", tk.Name())
	}
	tests := []struct {
		name, in string
		want     []int64
		reason   string
	}{
		{"greeting", "Hello, how are you?", []int64{2, 19, 6, 21, 22, 23, 8, 3},
			"lower-cased; punctuation split off by BertPreTokenizer; [CLS] ... [SEP] by the template"},
		{"french accents stripped", "Salut ça va ?", []int64{2, 24, 25, 26, 8, 3}, "ça -> ca"},
		{"subwords", "playing football tonight", []int64{2, 32, 33, 37, 38, 39, 40, 3},
			"greedy longest match: play ##ing, foot ##ball, to ##night"},
		{"plural", "games", []int64{2, 36, 35, 3}, "game ##s"},
		{"elision", "J'ai mangé", []int64{2, 43, 9, 44, 45, 3}, "the apostrophe is punctuation"},
		{"capital accent", "École", []int64{2, 31, 3}, ""},
		{"unknown word", "xyz", []int64{2, 1, 3}, "no piece for x: the whole word is [UNK]"},
		{"unknown suffix", "mangez", []int64{2, 1, 3}, "mange matches but ##z does not"},
		{"repeated punctuation", "hi!!", []int64{2, 20, 5, 5, 3}, ""},
		{"chinese chars", "你好", []int64{2, 1, 1, 3}, "each CJK character is its own word"},
		{"empty", "", []int64{2, 3}, ""},
		{"only spaces and controls", " \x00\x01\t ", []int64{2, 3}, ""},
		{"invalid utf-8 becomes a space", "cool\xffok", []int64{2, 58, 57, 3}, ""},
		{"special token in text", "[CLS] ok", []int64{2, 2, 57, 3}, "added tokens are matched in the text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tk.Encode(tt.in, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Encode(%q) = %v, want %v (%s)", tt.in, got, tt.want, tt.reason)
			}
		})
	}
	// Appends to dst.
	got, err := tk.Encode("ok", []int64{7, 7})
	if err != nil || !slices.Equal(got, []int64{7, 7, 2, 57, 3}) {
		t.Errorf("Encode with dst = %v, %v", got, err)
	}
}

func TestHFTokenizerOptions(t *testing.T) {
	noSpecial := loadTiny(t, HFOptions{NoSpecialTokens: true, Name: "tiny"}, nil)
	if got, _ := noSpecial.Encode("hello you", nil); !slices.Equal(got, []int64{19, 23}) {
		t.Errorf("NoSpecialTokens: %v", got)
	}
	if noSpecial.Name() != "tiny" {
		t.Errorf("Name() = %q", noSpecial.Name())
	}
	// MaxTokens keeps [CLS] and [SEP] and the first ordinary tokens.
	capped := loadTiny(t, HFOptions{MaxTokens: 5}, nil)
	if got, _ := capped.Encode("hello how are you ok cool", nil); !slices.Equal(got, []int64{2, 19, 21, 22, 3}) {
		t.Errorf("MaxTokens 5: %v", got)
	}
	// MaxBytes cuts at a rune boundary: 4 bytes of "ok ça va" would end inside ç, so "ok " is kept.
	short := loadTiny(t, HFOptions{MaxBytes: 4, NoSpecialTokens: true}, nil)
	if got, _ := short.Encode("ok ça va", nil); !slices.Equal(got, []int64{57}) {
		t.Errorf("MaxBytes 5: %v", got)
	}
	// MaxWordBytes splits long words: "hellohello" at 5 bytes is "hello hello".
	split := loadTiny(t, HFOptions{MaxWordBytes: 5, NoSpecialTokens: true}, nil)
	if got, _ := split.Encode("hellohello", nil); !slices.Equal(got, []int64{19, 19}) {
		t.Errorf("MaxWordBytes 5: %v", got)
	}
}

// TestHFTokenizerBertProcessing loads the same vocabulary with the older BertProcessing
// post-processor and "strip_accents": null, the shape of many published BERT tokenizer.json files.
func TestHFTokenizerBertProcessing(t *testing.T) {
	tk := loadTiny(t, HFOptions{}, func(cfg map[string]any) {
		cfg["post_processor"] = map[string]any{"type": "BertProcessing",
			"sep": []any{"[SEP]", 3}, "cls": []any{"[CLS]", 2}}
		cfg["normalizer"].(map[string]any)["strip_accents"] = nil
	})
	// "strip_accents": null follows "lowercase" as in Hugging Face: ça -> ca (25).
	got, err := tk.Encode("Hello you ça", nil)
	if err != nil || !slices.Equal(got, []int64{2, 19, 23, 25, 3}) {
		t.Errorf("Encode = %v, %v", got, err)
	}
}

func TestLoadHFTokenizerErrors(t *testing.T) {
	tests := []struct {
		name, json string
		opts       HFOptions
	}{
		{"empty", "", HFOptions{}},
		{"not json", "vocab: hello", HFOptions{}},
		{"no model", `{"version":"1.0"}`, HFOptions{}},
		{"unknown model type", `{"model":{"type":"Magic","vocab":{}}}`, HFOptions{}},
		{"wrong field type", `{"model":{"type":"WordPiece","unk_token":5,"vocab":{"a":0}}}`, HFOptions{}},
		{"vocab not an object", `{"model":{"type":"WordPiece","vocab":[1,2]}}`, HFOptions{}},
		{"too large", `{"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, HFOptions{MaxConfigBytes: 10}},
		{"unknown normalizer", `{"normalizer":{"type":"Magic"},"model":{"type":"WordPiece","vocab":{"[UNK]":0}}}`, HFOptions{}},
		// The library's NFKD normalizer panics on any input: the test encoding at load catches it.
		{"nfkd panics", `{"normalizer":{"type":"NFKD"},"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"hello":1}}}`, HFOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, err := LoadHFTokenizer(strings.NewReader(tt.json), tt.opts)
			if err == nil {
				t.Fatalf("loaded %q as %s", tt.json, tk.Name())
			}
			if !errors.Is(err, ErrTokenizerConfig) {
				t.Errorf("error %v does not wrap ErrTokenizerConfig", err)
			}
		})
	}
}

// TestHFTokenizerPanicInputs feeds the inputs known to panic in the library, through normalizers
// that panic on them: each must give an error or ids, never a panic.
func TestHFTokenizerPanicInputs(t *testing.T) {
	normalizers := map[string]any{
		"bert":      nil, // the fixture's own BertNormalizer
		"nfkc":      map[string]any{"type": "NFKC"},
		"nfd-strip": map[string]any{"type": "Sequence", "normalizers": []any{map[string]any{"type": "NFD"}, map[string]any{"type": "StripAccents"}, map[string]any{"type": "Lowercase"}}},
		"bert-cased": map[string]any{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": false, "lowercase": false},
	}
	inputs := []string{"ǅ", "İstanbul", "STRAẞE", "caf\xff", "\xffa", "a\xc3", "\u0301", "\u0301a", "a\u0301",
		"\x00hello", "\ufffdhello", "hello\ufffd", "   ", "ǅİẞ", strings.Repeat("İ", 5000), "\u200d\ufe0f",
		"🏳️‍🌈", "K", "Ω", "Å", "ﬁ", "ß", "ς", "ŉ", "ǰ", "ΐ"}
	for name, n := range normalizers {
		tk := loadTiny(t, HFOptions{}, func(cfg map[string]any) {
			if n != nil {
				cfg["normalizer"] = n
			}
		})
		for _, in := range inputs {
			ids, err := tk.Encode(in, nil)
			if err != nil {
				if !errors.Is(err, ErrTokenizerPanic) {
					t.Errorf("%s: Encode(%q): unexpected error %v", name, in, err)
				}
				t.Logf("%s: Encode(%q): %v", name, in, err)
				continue
			}
			if len(ids) < 2 || ids[0] != 2 || ids[len(ids)-1] != 3 {
				t.Errorf("%s: Encode(%q) = %v, want [CLS] ... [SEP]", name, in, ids)
			}
		}
	}
}

func TestHFTokenizerConcurrent(t *testing.T) {
	tk := loadTiny(t, HFOptions{Instances: 3}, nil)
	lines := []string{"Hello, how are you?", "Salut ça va ?", "playing football tonight", "İ ẞ ǅ"}
	want := make([][]int64, len(lines))
	for i, l := range lines {
		want[i], _ = tk.Encode(l, nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (g + i) % len(lines)
				got, err := tk.Encode(lines[k], nil)
				if err != nil || !slices.Equal(got, want[k]) {
					errs <- fmt.Errorf("Encode(%q) = %v, %v; want %v", lines[k], got, err, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if tk.loaded > 3 {
		t.Errorf("%d copies loaded, Instances is 3", tk.loaded)
	}
}

func TestSanitizeForHF(t *testing.T) {
	tests := []struct {
		name, in string
		maxBytes int
		maxWord  int
		want     string
	}{
		{"plain", "hello you", 100, 100, "hello you"},
		{"trim and collapse", "  a \t\n b  ", 100, 100, "a b"},
		{"controls and replacement char", "a\x00b\ufffdc\x7fd", 100, 100, "a b c d"},
		{"invalid bytes", "caf\xff\xc3", 100, 100, "caf"},
		{"orphan marks", "\u0301a \u0308b", 100, 100, "a b"},
		{"marks after letters stay", "e\u0301", 100, 100, "e\u0301"},
		{"fixes", "ǅİẞ", 100, 100, "džiß"},
		{"byte cap on rune boundary", "aé", 2, 100, "a"},
		{"word split", "abcdefg hi", 100, 3, "abc def g hi"},
		{"word split keeps runes whole", "ééé", 100, 3, "é é é"},
	}
	for _, tt := range tests {
		if got := sanitizeForHF(tt.in, tt.maxBytes, tt.maxWord); got != tt.want {
			t.Errorf("%s: sanitizeForHF(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func FuzzHFTokenizer(f *testing.F) {
	for _, s := range []string{"Hello, how are you?", "Salut ça va ?", "ǅ", "İ", "ẞ", "caf\xff", "\xffa", "a\xc3",
		"\u0301", "[CLS]", "你好", "🏳️‍🌈", "a\x00b"} {
		f.Add(s)
	}
	tk := loadTiny(f, HFOptions{MaxTokens: 16}, nil)
	nfkc := loadTiny(f, HFOptions{MaxTokens: 16}, func(cfg map[string]any) {
		cfg["normalizer"] = map[string]any{"type": "Sequence", "normalizers": []any{
			map[string]any{"type": "NFKC"}, map[string]any{"type": "NFD"}, map[string]any{"type": "StripAccents"},
			map[string]any{"type": "Lowercase"}}}
	})
	f.Fuzz(func(t *testing.T, s string) {
		for _, tk := range []*HFTokenizer{tk, nfkc} {
			ids, err := tk.Encode(s, nil)
			if err != nil {
				if !errors.Is(err, ErrTokenizerPanic) {
					t.Fatalf("Encode(%q): %v", s, err)
				}
				continue
			}
			if len(ids) > 16 {
				t.Fatalf("Encode(%q): %d ids above MaxTokens", s, len(ids))
			}
			for _, id := range ids {
				if id < 0 || id >= 60 {
					t.Fatalf("Encode(%q): id %d outside the vocabulary", s, id)
				}
			}
		}
		if c := sanitizeForHF(s, 64, 8); !utf8.ValidString(c) || len(c) > 2*64 {
			t.Fatalf("sanitizeForHF(%q) = %q", s, c)
		}
	})
}
