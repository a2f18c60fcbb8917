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
	labels := map[corpus.Label]int{}
	for _, c := range cs {
		labels[c.Label]++
	}
	fmt.Println(len(cs), "conversations:", labels[corpus.LabelSextortion], "sextortion,", labels[corpus.LabelGrooming],
		"grooming,", labels[corpus.LabelBenign], "benign; first:", cs[0].ID, cs[0].Synthetic, synth.Split(cs[0].ID))
	// Output: 200 conversations: 45 sextortion, 51 grooming, 104 benign; first: syn-s1-000000 true train
}
