package features_test

import (
	"fmt"
	"time"

	"github.com/vigie/vigie/features"
)

func ExampleExtractor_AppendHits() {
	x, err := features.New(features.Options{})
	if err != nil {
		panic(err)
	}
	text := "tu as 10 minutes pour envoyer 200€ sinon j'envoie tout"
	for _, h := range x.AppendHits(nil, text) {
		if h.Lang == "" { // slots only: lexicon content changes more often than this example
			fmt.Printf("%s %s %q %g\n", h.Stage, h.Cue, text[h.Start:h.End], h.Value)
		}
	}
	// Output:
	// countdown slot/deadline "tu as 10 minutes" 10
	// payment_demand slot/amount "200€" 200
}

func ExampleAggregate() {
	var agg features.Aggregate
	t0 := time.Date(2024, 5, 1, 23, 0, 0, 0, time.UTC)
	agg.Add(features.Message{Author: "a", Time: t0}, []features.Hit{{Stage: features.StageIdentityClaim, Cue: features.SlotAge, Weight: 1, Value: 13}})
	agg.Add(features.Message{Author: "b", Time: t0.Add(time.Minute)}, nil)
	schema := features.FeatureSchema()
	vec := agg.AppendFeatures(nil, "a")
	for i, name := range schema.Names {
		switch name {
		case "conv.night_share", "author.msg_share", "author.age_min", "author.minor_claim":
			fmt.Printf("%s = %.2f\n", name, vec[i])
		}
	}
	fmt.Println(len(vec) == schema.Len())
	// Output:
	// conv.night_share = 1.00
	// author.msg_share = 0.50
	// author.age_min = 0.13
	// author.minor_claim = 1.00
	// true
}
