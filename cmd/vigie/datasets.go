package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/corpus/datasets"
)

func runDatasets(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("datasets", "list | export", stderr)
	root := fs.String("root", datasets.DefaultRoot, "folder of the shared corpora")
	split := fs.String("split", "", "export only this split: train, dev or test (default all)")
	sources := fs.String("sources", "", "comma-separated sources to export (default all; see 'vigie datasets list')")
	out := fs.String("o", "", "write to this file instead of standard output")
	action := "list"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		action, args = args[0], args[1:]
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	switch action {
	case "list":
		fmt.Fprintf(stdout, "%-18s %-6s %-9s %-5s %s\n", "source", "lang", "kind", "hard", "description")
		for _, s := range datasets.Sources() {
			fmt.Fprintf(stdout, "%-18s %-6s %-9s %-5v %s\n", s.Name, s.Lang, s.Kind, s.Hard, s.Desc)
		}
		return exitOK
	case "export":
	default:
		fmt.Fprintf(stderr, "vigie datasets: unknown action %q (want list or export)\n", action)
		return exitError
	}
	plan := datasets.Plan{Root: *root}
	if *sources != "" {
		plan.Sources = strings.Split(*sources, ",")
	}
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintf(stderr, "vigie datasets: %s\n", oneLine(err))
			return exitError
		}
		defer f.Close()
		w = f
	}
	jw := corpus.NewJSONLWriter(w)
	n := 0
	err := plan.Each(*split, func(c *corpus.Conversation) error {
		n++
		return jw.Write(c)
	})
	if ferr := jw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "vigie datasets: %s\n", oneLine(err))
		return exitError
	}
	fmt.Fprintf(stderr, "vigie datasets: %d units exported\n", n)
	return exitOK
}
