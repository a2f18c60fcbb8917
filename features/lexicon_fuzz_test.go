package features

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// FuzzLexiconFile: a user's lexicon file either loads or gives an error naming the file (and its
// line), never a panic; what loads matches only under its own stage and language, with spans
// inside the text.
func FuzzLexiconFile(f *testing.F) {
	const okSeed = "# stage: flattery\n# lang: en\n# source: test\n# weight: 1.5\nyou are so {pretty|cute}\nso mature\n"
	f.Add(okSeed, "you are so cute and so mature")
	f.Add("# stage: flattery\n# lang: en\n# source: test\nbeau{|x}\n", "t'es beaux")
	f.Add("# stage: secrecy\n# lang: en\n# source: test\nour secret\n", "our secret")
	f.Add("# stage: flattery\n# lang: en\n# source: test\n{a|{b}\n", "a b")
	f.Add("# stage: flattery\n# lang: fr\n# source: test\nbelle\n", "belle")
	f.Add("no header at all\n", "text")
	f.Fuzz(func(t *testing.T, data, text string) {
		x, err := New(Options{Lexicons: fstest.MapFS{"en/flattery.txt": {Data: []byte(data)}}, NoSlots: true})
		if err != nil {
			require.True(t, errors.Is(err, ErrLexicon), "%v", err)
			require.Contains(t, err.Error(), "en/flattery.txt")
			return
		}
		if data == okSeed {
			require.NotEmpty(t, x.AppendHits(nil, "you are so cute"), "the valid seed must match")
		}
		for _, h := range x.AppendHits(nil, text) {
			require.Equal(t, StageFlattery, h.Stage)
			require.Equal(t, "en", h.Lang)
			require.True(t, strings.HasPrefix(h.Cue, "en/flattery:"), h.Cue)
			require.True(t, h.Weight > 0 && h.Weight <= maxWeight, "weight %v", h.Weight)
			require.True(t, 0 <= h.Start && h.Start <= h.End && h.End <= len(text), "span %d:%d of %d", h.Start, h.End, len(text))
		}
	})
}
