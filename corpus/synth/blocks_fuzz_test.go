package synth

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// FuzzBlockFile: a block file either loads or gives an error naming the file, never a panic;
// what loads keeps its header and holds only variants whose slots and braces check.
func FuzzBlockFile(f *testing.F) {
	f.Add("# block: flirt\n# lang: en\n# speaker: offender\n# stages: flattery\n# source: test\n\nhello {victim} || {image}\nyou look {g:pretty|handsome}\n")
	f.Add("# block: flirt\n# lang: en\n# speaker: dialogue\n# source: test\nA: hi || B: hello\nhi\n")
	f.Add("# block: flirt\n# lang: fr\n# speaker: offender\n# source: test\nsalut\n")
	f.Add("# block: flirt\n# lang: en\n# speaker: offender\n# stages: nope\n# source: test\nhi\n")
	f.Add("# block: flirt\n# lang: en\n# speaker: offender\n# source: test\nhi {unknown_slot}\n{open\n")
	f.Fuzz(func(t *testing.T, data string) {
		blocks, err := LoadBlocks(fstest.MapFS{"en/flirt.txt": {Data: []byte(data)}})
		if err != nil {
			require.Contains(t, err.Error(), "en/flirt.txt")
			return
		}
		require.Len(t, blocks, 1)
		b := blocks[0]
		require.Equal(t, "flirt", b.Name)
		require.Equal(t, "en", b.Lang)
		require.NotEmpty(t, b.Source)
		require.NotEmpty(t, b.Variants)
		for _, v := range b.Variants {
			require.NotEmpty(t, strings.TrimSpace(v))
			require.False(t, strings.HasPrefix(v, "#"), "variant %q", v)
			require.NoError(t, checkVariant(v))
		}
	})
}
