package features_test

import (
	"fmt"
	"os"

	"github.com/vigie/vigie/features"
)

func ExampleLoadHFTokenizer() {
	f, err := os.Open("testdata/tokenizer/wordpiece_tiny.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	tk, err := features.LoadHFTokenizer(f, features.HFOptions{MaxTokens: 128})
	if err != nil {
		fmt.Println(err)
		return
	}
	ids, err := tk.Encode("Salut, ça va ?", nil) // raw text: the tokenizer.json normalizes
	fmt.Println(tk.Name(), ids, err)
	// Output: hf-WordPiece [2 24 6 25 26 8 3] <nil>
}
