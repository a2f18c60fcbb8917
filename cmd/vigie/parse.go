package main

import (
	"fmt"
	"io"
	"os"

	"github.com/vigie/vigie/corpus"
)

func runParse(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("parse", "FILE... (- for standard input)", stderr)
	var in inputFlags
	in.register(fs)
	out := fs.String("o", "", "write canonical JSONL to this file instead of standard output")
	quiet := fs.Bool("q", false, "do not print the summary line on standard error")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "vigie parse: no input file (use - for standard input)")
		fs.Usage()
		return exitError
	}
	opts, err := in.options()
	if err != nil {
		fmt.Fprintf(stderr, "vigie parse: %s\n", oneLine(err))
		return exitError
	}
	w := stdout
	var f *os.File
	if *out != "" {
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintf(stderr, "vigie parse: %s\n", oneLine(err))
			return exitError
		}
		w = f
	}
	jw := corpus.NewJSONLWriter(w)
	st, werr := eachConversation(fs.Args(), opts, os.Stdin, stderr, jw.Write)
	if err := jw.Flush(); werr == nil {
		werr = err
	}
	if f != nil {
		if err := f.Close(); werr == nil {
			werr = err
		}
	}
	if werr != nil {
		fmt.Fprintf(stderr, "vigie parse: write: %s\n", oneLine(werr))
		return exitError
	}
	if !*quiet {
		fmt.Fprintf(stderr, "vigie parse: %s\n", st)
	}
	if st.failed > 0 {
		return exitError
	}
	return exitOK
}
