package corpus

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxLabelLine caps one line of a ground-truth file.
const maxLabelLine = 64 << 10

// ReadPredatorIDs reads a PAN12 ground-truth file of predator author ids, one per line: the training
// file "pan12-sexual-predator-identification-training-corpus-predators-2012-05-01.txt" and the test
// file "pan12-sexual-predator-identification-groundtruth-problem1.txt" share this shape (32-hex author
// hashes, LF-terminated). Blank lines, lines starting with '#', CRLF line ends and surrounding spaces
// are tolerated. A line holding more than one field is an error naming the line, so that a file of
// another shape (such as the "id<TAB>line" files read by [ReadPredatorLines]) is not taken for ids.
// Pass the result as [Options.Predators].
func ReadPredatorIDs(r io.Reader) (map[string]bool, error) {
	ids := make(map[string]bool)
	err := scanLabelLines(r, func(line int, fields []string) error {
		if len(fields) != 1 {
			return fmt.Errorf("predator ids: line %d: want one author id per line, got %d fields", line, len(fields))
		}
		ids[fields[0]] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// ReadPredatorLines reads a file of "conversation_id<TAB>line" pairs into conversation id -> set of
// message line numbers (the `line` attribute of PAN12 <message> elements, which [Message.ID] holds).
//
// This is the shape of the PAN12 problem-2 ground truth (the lines of the test corpus judged most
// predatory). Beware: the training corpus's "pan12-sexual-predator-identification-diff.txt" has the
// same shape but lists the lines whose text the organizers modified (bad-username substitution),
// NOT predatory lines. Blank lines, '#' comments, CRLF and any run of spaces or tabs between the two
// fields are tolerated; a line number must be a positive integer.
func ReadPredatorLines(r io.Reader) (map[string]map[int]bool, error) {
	out := make(map[string]map[int]bool)
	err := scanLabelLines(r, func(line int, fields []string) error {
		if len(fields) != 2 {
			return fmt.Errorf("predator lines: line %d: want \"conversation_id<TAB>line\", got %d fields", line, len(fields))
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n <= 0 {
			return fmt.Errorf("predator lines: line %d: line number %q is not a positive integer", line, fields[1])
		}
		set := out[fields[0]]
		if set == nil {
			set = make(map[int]bool)
			out[fields[0]] = set
		}
		set[n] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanLabelLines calls fn with the whitespace-separated fields of each non-blank, non-comment line.
func scanLabelLines(r io.Reader, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLabelLine)
	n := 0
	for sc.Scan() {
		n++
		s := strings.TrimSpace(sc.Text())
		if n == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if err := fn(n, strings.Fields(s)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ground truth: line %d: %w", n+1, err)
	}
	return nil
}
