package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Exit codes, documented in the README.
const (
	exitOK      = 0
	exitFlagged = 1
	exitError   = 2
)

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"parse", "convert chat exports (WhatsApp, Discord, Telegram, Instagram, Messenger, Snapchat, TikTok, Slack, Google Chat, Android SMS, iPhone Messages, PAN12, CSV, JSONL, plain text) to canonical JSONL", runParse},
		{"features", "print the cues found in each message and the conversation's feature vector (JSON Lines)", runFeatures},
		{"score", "score conversations for grooming and sextortion: a summary, or --json for one JSON object per conversation", runScore},
		{"eval", "measure the model on labeled files and/or the test split: Markdown, JSON and ROC/PR plots, per language and source", runEval},
		{"modelcard", "write the model card from the model's metadata and 'vigie eval' reports", runModelCard},
		{"datasets", "list the shared corpora, or export their units (windows, segments) with labels and splits as JSONL", runDatasets},
		{"train", "train the model on the shared corpora and the synthetic set, calibrate it, write an ONNX file", runTrain},
		{"serve", "HTTP JSON API for moderation pipelines: analyze conversations, stream messages into sessions with alerts, metrics", runServe},
		{"worker", "consume chat messages from NATS JetStream, keep sessions in a key-value bucket, publish alerts (scale-out)", runWorker},
		{"synth", "generate seeded synthetic sextortion conversations and benign look-alikes (FR/EN), marked synthetic", runSynth},
		{"version", "print the version of vigie and its readers", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without os.Exit, for tests. A panic anywhere below is turned into a one-line error:
// users never see a Go stack trace.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "vigie: internal error: %v (please report this with the command you ran; no input text is included here)\n", r)
			if os.Getenv("VIGIE_DEBUG") != "" {
				fmt.Fprintf(stderr, "%s\n", debug.Stack())
			}
			code = exitError
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitError
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "vigie: unknown command %q\n", args[0])
	usage(stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "vigie detects online child grooming and sextortion in chat transcripts.")
	fmt.Fprintln(w, "\nUsage: vigie COMMAND [flags] [FILE...]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'vigie COMMAND -h' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 ok / nothing flagged, 1 something flagged, 2 usage or input error.")
}

// newFlagSet returns a flag set that reports errors on stderr instead of exiting.
func newFlagSet(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: vigie %s [flags] %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns exitOK when the command may go on, or the code to exit with.
// Flags may come before or after the file names ("vigie score chat.txt --json"); "--" ends them.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, false
			}
			return exitError, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if k := len(args) - len(rest); k > 0 && args[k-1] == "--" {
			files = append(files, rest...) // everything after "--" is a file
			break
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
	// Leave the file names as the flag set's arguments.
	_ = fs.Parse(append([]string{"--"}, files...))
	return exitOK, true
}

// oneLine flattens an error message to one line, for the "errors are one line" contract.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc
}
