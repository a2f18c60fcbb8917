package synth_test

import (
	"fmt"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/synth"
)

func ExampleGenerate() {
	cs, err := synth.Generate(synth.Config{Seed: 1, N: 200, Lang: "fr"})
	if err != nil {
		fmt.Println(err)
		return
	}
	pos := 0
	for _, c := range cs {
		if c.Label == corpus.LabelSextortion {
			pos++
		}
	}
	fmt.Println(len(cs), "conversations,", pos, "positives; first:", cs[0].ID, cs[0].Synthetic, synth.Split(cs[0].ID))
	// Output: 200 conversations, 96 positives; first: syn-s1-000000 true train
}
