package features_test

import (
	"fmt"

	"github.com/vigie/vigie/features"
)

func ExampleHasher_AppendIDs() {
	// The zero Hasher uses the defaults: 2^18 buckets, words, word bigrams and character 3- to
	// 5-grams of words of 4 runes or more. The text is what the normalizer produced.
	var h features.Hasher
	ids := make([]int64, 0, features.DefaultMaxIDs) // reused from message to message
	ids = h.AppendIDs(ids[:0], []byte("salut toi"))
	fmt.Println(len(ids), ids[0], ids[len(ids)-1])
	fmt.Println(h.Spec())
	// Output:
	// 15 205167 4178
	// hash-v1 fnv1a32 buckets=262144 wordngrams=2 chars=3-5/4 maxids=256
}
