package features

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"
	"golang.org/x/text/unicode/norm"
)

// Tokenizer turns one message into model input ids, appended to dst. Implementations: [Hasher]
// (the default model's hashed tokens; it expects text from the package normalizer and never fails)
// and [HFTokenizer] (a Hugging Face tokenizer.json for a user's transformer model; it expects raw
// text, since the tokenizer.json carries its own normalizer). On error, Encode returns dst unchanged.
type Tokenizer interface {
	Encode(text string, dst []int64) ([]int64, error)
	Name() string
}

// Errors of [LoadHFTokenizer] and [HFTokenizer.Encode], wrapped with context; test with errors.Is.
var (
	// ErrTokenizerConfig: the tokenizer.json is unreadable, too large or not supported.
	ErrTokenizerConfig = errors.New("invalid tokenizer.json")
	// ErrTokenizerPanic: the tokenizer library panicked; the message is given up, not the program.
	ErrTokenizerPanic = errors.New("tokenizer panicked")
)

// Defaults of [HFOptions].
const (
	DefaultHFMaxBytes       = 4096     // input bytes encoded at most
	DefaultHFMaxTokens      = 512      // ids per message at most, special tokens included
	DefaultHFMaxWordBytes   = 256      // longer runs without spaces are split
	DefaultHFMaxConfigBytes = 64 << 20 // size limit of a tokenizer.json
)

// HFOptions configures [LoadHFTokenizer]. The zero value means the defaults.
type HFOptions struct {
	// Name is what [HFTokenizer.Name] reports (default: "hf-" followed by the model type, such as
	// "hf-WordPiece").
	Name string
	// MaxBytes caps the input: a longer text is cut at a rune boundary before encoding (0:
	// DefaultHFMaxBytes).
	MaxBytes int
	// MaxTokens caps the ids of one message, special tokens included: past it, the first
	// MaxTokens-n ordinary tokens are kept with the n special tokens the post-processor added
	// (0: DefaultHFMaxTokens). The library's own truncation and padding settings are ignored.
	MaxTokens int
	// MaxWordBytes splits a run of non-space characters longer than this with a space, because the
	// library's BPE is quadratic in word length (0: DefaultHFMaxWordBytes).
	MaxWordBytes int
	// NoSpecialTokens leaves out the post-processor's special tokens ([CLS] ... [SEP]).
	NoSpecialTokens bool
	// MaxConfigBytes caps the size of the tokenizer.json (0: DefaultHFMaxConfigBytes).
	MaxConfigBytes int64
	// Instances bounds the tokenizer copies kept for concurrent Encode calls (0: GOMAXPROCS).
	Instances int
}

// HFTokenizer encodes text with a Hugging Face tokenizer.json (WordPiece, BPE, WordLevel or
// Unigram model, with its normalizer, pre-tokenizer and post-processor), through
// github.com/sugarme/tokenizer, so that users can bring their own transformer ONNX model. It is off
// the default path: with a 28.5k-token WordPiece it costs about 130 µs and 1,800 allocations per
// short message (DEPENDENCY-NOTES), against well under a microsecond and none for [Hasher].
//
// # Hardening
//
// The library panics on some inputs and calls log.Fatal (which exits the program) in places.
// HFTokenizer guards every call:
//
//   - The input is capped (MaxBytes, MaxWordBytes), made valid UTF-8 (invalid bytes become spaces,
//     as do U+FFFD and control characters other than tab and newline), leading/trailing spaces and
//     orphan combining marks are removed, and the characters found to panic in the library's
//     normalizers are pre-normalized: "ǅ" and 8 others under NFKC (hfRuneFix), and every rune whose
//     lowercase has another UTF-8 length, such as "İ", "ẞ" and "Ⱥ", is lower-cased first
//     (hfLowerFix; 21 of them panic under BertNormalizer). TestHFRuneScan found these by encoding
//     every code point that a normalizer could change, and checks that none panics any more.
//   - Every call into the library runs under recover; a panic becomes an error wrapping
//     [ErrTokenizerPanic], and the tokenizer copy it happened in is dropped.
//   - log.Fatal sites, and why our paths avoid them: the file/network loaders (pretrained.FromFile
//     via util/file.go, CachedPath, init.go, BertBaseUncased and friends, wordpiece.ReadFiles,
//     Tokenizer.Train, EncodeBatch) are never called, only pretrained.FromReader; truncation and
//     padding are turned off after loading, so Encoding.Truncate (getCurrentPart), mergeEncoding
//     and PadEncodings are never reached; EncodeSingle passes a string, so NewInputSequence and
//     Encode never take their invalid-input branches; AddedVocabulary's log.Fatal calls fire only
//     when a normalizer returns an error, which none of the library's normalizers does, or when a
//     quoted token pattern fails to compile; NormalizedString.TransformRange's "expected to remove
//     characters" fires on removed characters that the alignment lost, which the sanitizing above
//     (no leading marks, controls or U+FFFD, no leading spaces) avoids for the normalizers we know.
//     [FuzzHFTokenizer] checks the rest: a log.Fatal would end the fuzzer with a crash.
//
// # Differences from Hugging Face
//
//   - BertNormalizer: the library reads "strip_accents": null as false and strips marks without
//     decomposing first; LoadHFTokenizer corrects both (see fixBertNormalizer), so "ça" gives "ca"
//     as in Hugging Face.
//   - The library's NFKD normalizer fails on every input: such a tokenizer.json is refused at load,
//     since LoadHFTokenizer test-encodes a word.
//   - The library prints "INFO:" lines through the standard log package when a tokenizer.json
//     lacks some fields (no model type, for instance); it does not print message text.
//   - Truncation and padding from the tokenizer.json are ignored (see HFOptions.MaxTokens); pad
//     the batch yourself with id 0 or the model's pad id.
//
// # Concurrency
//
// An HFTokenizer is safe for concurrent use. The library does not document whether its Tokenizer
// is (go test -race saw no race with four goroutines sharing one WordPiece tokenizer, but BPE and
// Unigram keep caches), so each concurrent Encode uses its own copy, loaded from the same
// tokenizer.json, at most Instances of them; callers past that wait for a free copy.
type HFTokenizer struct {
	name   string
	opts   HFOptions
	config []byte // the tokenizer.json, to load more copies
	preNFD bool   // decompose the input first (see fixBertNormalizer)
	free   chan *tokenizer.Tokenizer
	mu     sync.Mutex
	loaded int // copies in use or in free
}

// LoadHFTokenizer reads a Hugging Face tokenizer.json from r and checks that it loads and encodes.
func LoadHFTokenizer(r io.Reader, opts HFOptions) (*HFTokenizer, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultHFMaxBytes
	}
	if opts.MaxTokens <= 0 {
		opts.MaxTokens = DefaultHFMaxTokens
	}
	if opts.MaxWordBytes <= 0 {
		opts.MaxWordBytes = DefaultHFMaxWordBytes
	}
	if opts.MaxConfigBytes <= 0 {
		opts.MaxConfigBytes = DefaultHFMaxConfigBytes
	}
	if opts.Instances <= 0 {
		opts.Instances = runtime.GOMAXPROCS(0)
	}
	config, err := io.ReadAll(io.LimitReader(r, opts.MaxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read tokenizer.json: %w", err)
	}
	if int64(len(config)) > opts.MaxConfigBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrTokenizerConfig, opts.MaxConfigBytes)
	}
	config, preNFD, err := fixBertNormalizer(config)
	if err != nil {
		return nil, err
	}
	t := &HFTokenizer{opts: opts, config: config, preNFD: preNFD,
		free: make(chan *tokenizer.Tokenizer, opts.Instances)}
	tk, err := t.load()
	if err != nil {
		return nil, err
	}
	t.name = opts.Name
	if t.name == "" {
		t.name = "hf-" + modelType(tk)
	}
	t.loaded = 1
	t.free <- tk
	// A tokenizer.json that loads but cannot encode a plain word is of no use.
	if _, err := t.Encode("hello", nil); err != nil {
		return nil, fmt.Errorf("%w: test encoding failed: %w", ErrTokenizerConfig, err)
	}
	return t, nil
}

// fixBertNormalizer makes the library's BertNormalizer behave as Hugging Face's does. The library
// reads "strip_accents": null as false, where Hugging Face strips accents when "lowercase" is true
// (the setting of bert-base-uncased and most uncased models): the null is replaced by the value of
// "lowercase". And the library strips combining marks without decomposing first, so "ça" keeps its
// cedilla: when a BertNormalizer strips accents, preNFD says to decompose the input (NFD) before
// encoding, which is what Hugging Face does inside its normalizer.
func fixBertNormalizer(config []byte) (fixed []byte, preNFD bool, err error) {
	var cfg map[string]any
	if err := json.Unmarshal(config, &cfg); err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrTokenizerConfig, err)
	}
	changed := false
	var walk func(n any)
	walk = func(n any) {
		m, ok := n.(map[string]any)
		if !ok {
			return
		}
		switch m["type"] {
		case "BertNormalizer":
			if v, ok := m["strip_accents"]; !ok || v == nil {
				lower, _ := m["lowercase"].(bool)
				m["strip_accents"] = lower
				changed = true
			}
			if strip, _ := m["strip_accents"].(bool); strip {
				preNFD = true
			}
		case "Sequence":
			if list, ok := m["normalizers"].([]any); ok {
				for _, c := range list {
					walk(c)
				}
			}
		}
	}
	walk(cfg["normalizer"])
	if !changed {
		return config, preNFD, nil
	}
	fixed, err = json.Marshal(cfg)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrTokenizerConfig, err)
	}
	return fixed, preNFD, nil
}

// load builds one library tokenizer from the stored tokenizer.json, panics turned into errors.
func (t *HFTokenizer) load() (tk *tokenizer.Tokenizer, err error) {
	defer func() {
		if r := recover(); r != nil {
			tk, err = nil, fmt.Errorf("%w: loading panicked: %v", ErrTokenizerConfig, r)
		}
	}()
	tk, err = pretrained.FromReader(bytes.NewReader(t.config))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTokenizerConfig, err)
	}
	if tk.GetModel() == nil {
		return nil, fmt.Errorf("%w: no model", ErrTokenizerConfig)
	}
	// Our caps replace the library's truncation and padding, whose code paths call log.Fatal.
	tk.WithTruncation(nil)
	tk.WithPadding(nil)
	return tk, nil
}

func modelType(tk *tokenizer.Tokenizer) string {
	name := fmt.Sprintf("%T", tk.GetModel()) // such as "*wordpiece.WordPiece"
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// Name implements [Tokenizer].
func (t *HFTokenizer) Name() string { return t.name }

// get returns a free copy of the library tokenizer, loading one if fewer than Instances exist.
func (t *HFTokenizer) get() (*tokenizer.Tokenizer, error) {
	select {
	case tk := <-t.free:
		return tk, nil
	default:
	}
	t.mu.Lock()
	if t.loaded < t.opts.Instances {
		t.loaded++
		t.mu.Unlock()
		tk, err := t.load()
		if err != nil {
			t.drop()
		}
		return tk, err
	}
	t.mu.Unlock()
	return <-t.free, nil
}

// drop forgets a copy (one that panicked, whose state is unknown).
func (t *HFTokenizer) drop() {
	t.mu.Lock()
	t.loaded--
	t.mu.Unlock()
}

// Encode implements [Tokenizer]: it appends the ids of text (raw text: the tokenizer.json
// normalizes) to dst, at most MaxTokens of them. On error it returns dst unchanged.
func (t *HFTokenizer) Encode(text string, dst []int64) ([]int64, error) {
	clean := sanitizeForHF(text, t.opts.MaxBytes, t.opts.MaxWordBytes)
	if t.preNFD {
		clean = norm.NFD.String(clean)
	}
	tk, err := t.get()
	if err != nil {
		return dst, err
	}
	ids, special, err := t.encodeRaw(tk, clean)
	if err != nil {
		return dst, fmt.Errorf("%s: encode %d-byte text: %w", t.name, len(text), err)
	}
	return appendCapped(dst, ids, special, t.opts.MaxTokens), nil
}

// encodeRaw encodes text as is, with a panic turned into an error and the copy dropped.
func (t *HFTokenizer) encodeRaw(tk *tokenizer.Tokenizer, text string) (ids, special []int, err error) {
	defer func() {
		if r := recover(); r != nil {
			t.drop()
			ids, special, err = nil, nil, fmt.Errorf("%w: %v", ErrTokenizerPanic, r)
		}
	}()
	enc, err := tk.EncodeSingle(text, !t.opts.NoSpecialTokens)
	t.free <- tk
	if err != nil {
		return nil, nil, err
	}
	if enc == nil {
		return nil, nil, nil
	}
	return enc.Ids, enc.SpecialTokenMask, nil
}

// appendCapped appends ids to dst; past maxTokens, it keeps every special token (mask 1) and the
// first ordinary ones, so that [CLS] ... [SEP] survives the cut.
func appendCapped(dst []int64, ids, special []int, maxTokens int) []int64 {
	if len(ids) <= maxTokens || len(special) != len(ids) {
		for i, id := range ids {
			if i == maxTokens {
				break
			}
			dst = append(dst, int64(id))
		}
		return dst
	}
	nspecial := 0
	for _, m := range special {
		if m != 0 {
			nspecial++
		}
	}
	keep := max(maxTokens-nspecial, 0)
	for i, id := range ids {
		if special[i] != 0 {
			dst = append(dst, int64(id))
		} else if keep > 0 {
			dst = append(dst, int64(id))
			keep--
		}
	}
	return dst
}

// hfRuneFix pre-normalizes the code points that make the library's NFKC normalizer panic, found by
// TestHFRuneScan (run with VIGIE_HF_SCAN=1 to scan every code point again). Each maps to its NFKC
// form, lower-cased. The other panics the scan found come from lowercasing that changes a rune's
// UTF-8 length ("İ", "ẞ", "Ⱥ", "Ɫ" and 20 others): sanitizeForHF lower-cases every such rune
// itself, see hfLowerFix.
var hfRuneFix = map[rune]string{
	'\u01C4': "d\u017E",      // Ǆ
	'\u01C5': "d\u017E",      // ǅ
	'\u01C6': "d\u017E",      // ǆ
	'\uFEF5': "\u0644\u0622", // Arabic ligature lam with alef with madda above, isolated
	'\uFEF6': "\u0644\u0622", // final
	'\uFEF7': "\u0644\u0623", // lam with alef with hamza above, isolated
	'\uFEF8': "\u0644\u0623", // final
	'\uFEF9': "\u0644\u0625", // lam with alef with hamza below, isolated
	'\uFEFA': "\u0644\u0625", // final
}

// hfLowerFix returns the lower case of r when it differs from r in UTF-8 length, a case that the
// library's alignment code cannot handle (it panics), and false otherwise.
func hfLowerFix(r rune) (rune, bool) {
	if r < 0x130 {
		return r, false // no such rune in ASCII and Latin-1
	}
	l := unicode.ToLower(r)
	return l, l != r && utf8.RuneLen(l) != utf8.RuneLen(r)
}

// sanitizeForHF returns text capped to maxBytes, valid UTF-8, with controls, U+FFFD and invalid
// bytes turned to spaces, orphan combining marks dropped, panicking runes pre-normalized, words cut
// every maxWord bytes, and surrounding spaces trimmed.
func sanitizeForHF(text string, maxBytes, maxWord int) string {
	if len(text) > maxBytes {
		cut := maxBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	var b strings.Builder
	b.Grow(len(text))
	word := 0         // bytes since the last space
	prevSpace := true // at the start, or after a space
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case r == utf8.RuneError, r == '\t', r == '\n', r == '\r', unicode.IsSpace(r), unicode.IsControl(r):
			if !prevSpace {
				b.WriteByte(' ')
			}
			prevSpace, word = true, 0
			continue
		case prevSpace && unicode.IsMark(r):
			continue // a combining mark with nothing to combine with
		}
		if l, ok := hfLowerFix(r); ok {
			r, size = l, utf8.RuneLen(l)
		}
		fix, ok := hfRuneFix[r]
		n := size
		if ok {
			n = len(fix)
		}
		if word+n > maxWord && word > 0 {
			b.WriteByte(' ')
			word = 0
		}
		if ok {
			b.WriteString(fix)
		} else {
			b.WriteRune(r)
		}
		word += n
		prevSpace = false
	}
	return strings.TrimRight(b.String(), " ")
}

// VocabSize returns the number of ids the tokenizer can produce (its model's vocabulary and the
// added tokens): every id lies in [0, VocabSize()).
func (t *HFTokenizer) VocabSize() (int, error) {
	tk, err := t.get()
	if err != nil {
		return 0, err
	}
	n := tk.GetVocabSize(true)
	t.free <- tk
	return n, nil
}
