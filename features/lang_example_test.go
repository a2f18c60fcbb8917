package features_test

import (
	"fmt"

	"github.com/vigie/vigie/features"
)

func ExampleDetectLang() {
	lang, conf := features.DetectLang("tu viens au cinéma avec nous ce soir ?")
	fmt.Printf("%s %.2f\n", lang, conf)
	lang, _ = features.DetectLang("ok")
	fmt.Printf("%q\n", lang) // too little evidence
	// Output:
	// fr 0.80
	// ""
}

func ExampleLangCounter() {
	var c features.LangCounter
	for _, m := range []string{"hey", "wyd", "lol same", "u coming tonight?"} {
		c.Add(m)
	}
	lang, _ := c.Best()
	fmt.Println(lang, c.Messages())
	// Output: en 4
}
