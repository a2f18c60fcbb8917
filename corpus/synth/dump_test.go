package synth

import (
	"flag"
	"fmt"
	"strings"
	"testing"
)

var (
	dump      = flag.String("dump", "", "print conversations as lang:n:seed (e.g. fr:5:1) for reading by eye")
	dumpKinds = flag.String("dumpkinds", "", "with -dump: comma-separated kinds to print (default all)")
)

// TestDump prints generated conversations when -dump is given; it checks nothing else.
func TestDump(t *testing.T) {
	if *dump == "" {
		t.Skip("no -dump")
	}
	var lang string
	var n int
	var seed int64
	if _, err := fmt.Sscanf(*dump, "%2s:%d:%d", &lang, &n, &seed); err != nil {
		t.Fatalf("bad -dump %q: %v", *dump, err)
	}
	if lang == "xx" {
		lang = ""
	}
	cfg := Config{Lang: lang, N: n, Seed: seed}
	if *dumpKinds != "" {
		for _, k := range strings.Split(*dumpKinds, ",") {
			cfg.Kinds = append(cfg.Kinds, Kind(strings.TrimSpace(k)))
		}
	}
	cs, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Printf("=== %s %s %s %s\n", c.ID, c.Label, c.Extra["synthetic_kind"], c.Extra["synthetic_stages"])
		for _, m := range c.Messages {
			att := ""
			if len(m.Attachments) > 0 {
				att = " <image>"
			}
			fmt.Printf("%s %-3s %-18s %s%s\n", m.Time.Format("01-02 15:04:05"), m.ID, m.Author, m.Text, att)
		}
	}
}
