package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/vigie/vigie/corpus"
)

// inputFlags are the flags shared by every command that reads chat exports.
type inputFlags struct {
	format    string
	tz        string
	dateOrder string
	labels    string
}

func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.format, "format", "", "input format: jsonl, csv, whatsapp, discord (DiscordChatExporter JSON, HTML, TXT or CSV, or Discord's data package: package.zip, its folder or a messages.json), telegram (result.json or HTML export), meta (message_N.json or .html), snapchat, slack, sms, tiktok, imessage (imessage-exporter txt or html, a file or its folder), googlechat (Google Takeout: the takeout zip, its Google Chat folder, a conversation folder or a messages.json), pan12, text (default: detected from content)")
	fs.StringVar(&f.tz, "tz", "", "IANA time zone of exports whose times have none, e.g. Europe/Paris (default UTC)")
	fs.StringVar(&f.dateOrder, "date-order", "", "day/month order of numeric dates (WhatsApp, copied chats): dmy, mdy or ymd (default: inferred from the file)")
	fs.StringVar(&f.labels, "labels", "", "PAN12 ground-truth file of predator ids: fills label and suspects")
}

// options turns the flags into reader options.
func (f *inputFlags) options() (corpus.Options, error) {
	var o corpus.Options
	if f.format != "" {
		ff, err := corpus.ParseFormat(f.format)
		if err != nil {
			return o, err
		}
		o.Format = ff
	}
	if f.tz != "" {
		loc, err := time.LoadLocation(f.tz)
		if err != nil {
			return o, fmt.Errorf("--tz %q: %w", f.tz, err)
		}
		o.Location = loc
	}
	switch strings.ToLower(f.dateOrder) {
	case "":
	case "dmy":
		o.DateOrder = corpus.DateDMY
	case "mdy":
		o.DateOrder = corpus.DateMDY
	case "ymd":
		o.DateOrder = corpus.DateYMD
	default:
		return o, fmt.Errorf("--date-order %q: want dmy, mdy or ymd", f.dateOrder)
	}
	if f.labels != "" {
		fh, err := os.Open(f.labels)
		if err != nil {
			return o, err
		}
		defer fh.Close()
		ids, err := corpus.ReadPredatorIDs(fh)
		if err != nil {
			return o, fmt.Errorf("--labels %s: %w", f.labels, err)
		}
		o.Predators = ids
	}
	return o, nil
}

// openInput opens a file, a folder or "-" (standard input) as a conversation reader.
func openInput(path string, opts corpus.Options, stdin io.Reader) (corpus.Reader, error) {
	if path == "-" {
		return corpus.NewReader("<stdin>", stdin, opts)
	}
	return corpus.Open(path, opts)
}

// inputStats counts what was read, for the summary line on stderr.
type inputStats struct {
	files, conversations, messages, problems, failed int
}

func (s inputStats) String() string {
	return fmt.Sprintf("%s, %s from %s (%s, %d failed)", plural(s.conversations, "conversation"),
		plural(s.messages, "message"), plural(s.files, "file"), plural(s.problems, "problem"), s.failed)
}

// plural writes n and the noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// maxShownProblems is how many non-fatal problems a command prints per file.
const maxShownProblems = 20

// eachConversation reads every input and calls fn for each conversation as it is read. Non-fatal
// problems are printed on stderr (positions and reasons only: never message text); a fatal error on
// one input is printed and the other inputs are still read. It returns the counts; stats.failed > 0
// means some input could not be read whole.
func eachConversation(paths []string, opts corpus.Options, stdin io.Reader, stderr io.Writer,
	fn func(c *corpus.Conversation) error) (inputStats, error) {
	var st inputStats
	for _, p := range paths {
		st.files++
		r, err := openInput(p, opts, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "vigie: %s\n", oneLine(withName(p, err)))
			st.failed++
			continue
		}
		for r.Next() {
			c := r.Conversation()
			st.conversations++
			st.messages += len(c.Messages)
			if err := fn(c); err != nil {
				_ = r.Close()
				return st, err
			}
		}
		probs := r.Problems()
		st.problems += len(probs)
		for i, pe := range probs {
			if i == maxShownProblems {
				fmt.Fprintf(stderr, "vigie: warning: %s: %d more problems not shown\n", p, len(probs)-i)
				break
			}
			fmt.Fprintf(stderr, "vigie: warning: %s\n", oneLine(pe))
		}
		if err := r.Err(); err != nil {
			fmt.Fprintf(stderr, "vigie: %s\n", oneLine(withName(p, err)))
			st.failed++
		}
		if err := r.Close(); err != nil {
			fmt.Fprintf(stderr, "vigie: close %s: %s\n", p, oneLine(err))
		}
	}
	return st, nil
}

// withName makes sure an error names its input.
func withName(path string, err error) error {
	if strings.Contains(err.Error(), path) {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
