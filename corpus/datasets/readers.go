package datasets

import (
	"archive/tar"
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigie/vigie/corpus"
)

// Window sizes for sources whose "conversations" are long multi-party sessions: a window is closer
// to what a detector sees in a chat than a 700-post chat-room log.
const (
	npsWindow   = 40
	smsWindow   = 30
	teensWindow = 40
)

// eachTarMember calls fn for every regular file of an .tar.xz archive, in archive order.
func eachTarMember(p string, fn func(name string, r io.Reader) error) error {
	x, err := openXZ(p)
	if err != nil {
		return err
	}
	tr := tar.NewReader(x)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			_ = x.Close()
			return fmt.Errorf("%s: %w", p, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := fn(h.Name, tr); err != nil {
			_ = x.Close()
			return fmt.Errorf("%s: %s: %w", p, h.Name, err)
		}
	}
	return x.Close()
}

func msg(i int, author, text string) corpus.Message {
	return corpus.Message{ID: strconv.Itoa(i + 1), Author: author, Text: text}
}

// windows cuts msgs into conversations of at most n messages (the last window keeps at least n/4
// messages, or is merged into the one before).
func windows(base corpus.Conversation, msgs []corpus.Message, n int, fn func(*corpus.Conversation) error) error {
	for start, k := 0, 0; start < len(msgs); k++ {
		end := start + n
		if end > len(msgs) || len(msgs)-end < n/4 {
			end = len(msgs)
		}
		c := base
		c.ID = fmt.Sprintf("%s-w%d", base.ID, k)
		c.Messages = make([]corpus.Message, end-start)
		for i, m := range msgs[start:end] {
			m.ID = strconv.Itoa(i + 1)
			c.Messages[i] = m
		}
		c.Extra = nil
		if err := fn(&c); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// readPJ reads Perverted-Justice cases. The source lost the turn order between the predator's and
// the decoy's lines, so the two sides are interleaved by relative position, and the conversation is
// marked with Extra["turn_order"] = "interleaved".
func readPJ(root string, fn func(*corpus.Conversation) error) error {
	x, err := openXZ(filepath.Join(root, "pj_koutli_2004_2012/pj_cases.jsonl.xz"))
	if err != nil {
		return err
	}
	defer x.Close()
	sc := bufio.NewScanner(x)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		var rec struct {
			CaseID    string   `json:"case_id"`
			Date      string   `json:"pj_date"`
			Predator  []string `json:"predator_utterances"`
			Officials []struct {
				Utterances []string `json:"utterances"`
			} `json:"officer_sides"`
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("pj_cases.jsonl:%d: %w", line, err)
		}
		var decoy []string
		for _, o := range rec.Officials {
			decoy = append(decoy, o.Utterances...)
		}
		pa, da := rec.CaseID+"/predator", rec.CaseID+"/decoy"
		c := &corpus.Conversation{ID: "pj-" + rec.CaseID, Platform: "perverted-justice", Lang: "en",
			Label: corpus.LabelGrooming, Suspects: []string{pa},
			Participants: []corpus.Participant{{ID: pa, Role: "suspect"}, {ID: da, Role: "victim"}}}
		c.Messages = interleave(pa, rec.Predator, da, decoy)
		setExtra(c, "turn_order", "interleaved")
		if rec.Date != "" {
			setExtra(c, "date", rec.Date)
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return sc.Err()
}

// interleave merges two sides by relative position: line i of a side of n lines sits at (i+0.5)/n.
func interleave(a string, as []string, b string, bs []string) []corpus.Message {
	out := make([]corpus.Message, 0, len(as)+len(bs))
	i, j := 0, 0
	for i < len(as) || j < len(bs) {
		takeA := j >= len(bs) || (i < len(as) && (float64(i)+0.5)/float64(len(as)) <= (float64(j)+0.5)/float64(len(bs)))
		if takeA {
			out = append(out, msg(len(out), a, as[i]))
			i++
		} else {
			out = append(out, msg(len(out), b, bs[j]))
			j++
		}
	}
	return out
}

// VTPANFolds is the number of folds of VTPAN's even rows: one fold is dev, the others train.
const VTPANFolds = 5

// VTPANSplit returns the split of VTPAN data row row (numbered from 0 after the header) when fold
// (0 to VTPANFolds-1) is the dev fold: odd rows are always "test"; even row r is "dev" when
// (r/2) % VTPANFolds == fold, else "train". Fold 0 is the fixed split every model was trained on;
// the other folds exist for cross-validation on the even rows (vigie train --dev-fold), so that a
// setting can be measured on all 989 even rows instead of the 198 of one dev fold.
func VTPANSplit(row, fold int) string {
	if row%2 != 0 {
		return SplitTest
	}
	if (row/2)%VTPANFolds == fold {
		return SplitDev
	}
	return SplitTrain
}

// readVTPAN reads the labeled segments; row r (from 0 after the header) is in "test" when odd.
func readVTPAN(root string, fn func(*corpus.Conversation) error) error {
	x, err := openXZ(filepath.Join(root, "vtpan_en_val_segments/val_seg.csv.xz"))
	if err != nil {
		return err
	}
	defer x.Close()
	cr := csv.NewReader(x)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("val_seg.csv: header: %w", err)
	}
	if len(head) < 2 || head[0] != "segment" || head[1] != "label" {
		return fmt.Errorf("val_seg.csv: unexpected header %q", head)
	}
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("val_seg.csv row %d: %w", row, err)
		}
		if len(rec) < 2 {
			return fmt.Errorf("val_seg.csv row %d: %d fields", row, len(rec))
		}
		c := &corpus.Conversation{ID: "vtpan-" + strconv.Itoa(row), Platform: "pan12", Lang: "en",
			Messages: []corpus.Message{msg(0, "", rec[0])}}
		switch strings.TrimSpace(rec[1]) {
		case "1":
			c.Label = corpus.LabelGrooming
		case "0":
			c.Label = corpus.LabelBenign
		default:
			return fmt.Errorf("val_seg.csv row %d: label %q", row, rec[1])
		}
		setExtra(c, "split", VTPANSplit(row, 0))
		setExtra(c, "row", strconv.Itoa(row))
		if err := fn(c); err != nil {
			return err
		}
	}
}

// readNPS reads the NPS chat-room sessions, cut into windows.
func readNPS(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "nltk_chat_corpora/nps_chat.tar.xz"), func(name string, r io.Reader) error {
		if !strings.HasSuffix(name, ".xml") {
			return nil
		}
		var sess struct {
			Posts []struct {
				Class string `xml:"class,attr"`
				User  string `xml:"user,attr"`
				Text  string `xml:",chardata"`
			} `xml:"Posts>Post"`
		}
		if err := xml.NewDecoder(r).Decode(&sess); err != nil {
			return err
		}
		var msgs []corpus.Message
		for _, p := range sess.Posts {
			m := msg(len(msgs), p.User, strings.TrimSpace(p.Text))
			m.System = p.Class == "System"
			msgs = append(msgs, m)
		}
		room := strings.TrimSuffix(path.Base(name), ".xml")
		return windows(corpus.Conversation{ID: "nps-" + room, Platform: "chatroom", Lang: "en"}, msgs, npsWindow, fn)
	})
}

// readOverheard reads "Overheard in New York" items: "Speaker: text" lines, a blank line between items.
func readOverheard(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "nltk_chat_corpora/webtext_overheard_singles.tar.xz"), func(name string, r io.Reader) error {
		if path.Base(name) != "overheard.txt" {
			return nil
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<16), 1<<20)
		n := 0
		var cur []corpus.Message
		flush := func() error {
			if len(cur) == 0 {
				return nil
			}
			c := &corpus.Conversation{ID: "overheard-" + strconv.Itoa(n), Platform: "overheard", Lang: "en", Messages: cur}
			n++
			cur = nil
			return fn(c)
		}
		for sc.Scan() {
			l := strings.TrimSpace(sc.Text())
			if l == "" {
				if err := flush(); err != nil {
					return err
				}
				continue
			}
			author, text := "", l
			if i := strings.Index(l, ": "); i > 0 && i < 40 {
				author, text = l[:i], l[i+2:]
			}
			cur = append(cur, msg(len(cur), author, text))
		}
		if err := sc.Err(); err != nil {
			return err
		}
		return flush()
	})
}

// readSingles reads personal ads, one conversation of one message each.
func readSingles(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "nltk_chat_corpora/webtext_overheard_singles.tar.xz"), func(name string, r io.Reader) error {
		if path.Base(name) != "singles.txt" {
			return nil
		}
		sc := bufio.NewScanner(r)
		n := 0
		for sc.Scan() {
			l := strings.TrimSpace(sc.Text())
			if l == "" {
				continue
			}
			c := &corpus.Conversation{ID: "singles-" + strconv.Itoa(n), Platform: "ads", Lang: "en",
				Messages: []corpus.Message{msg(0, "ad", l)}}
			n++
			if err := fn(c); err != nil {
				return err
			}
		}
		return sc.Err()
	})
}

// readNUSSMS rebuilds SMS threads per (sender, recipient) pair, in message id order, in windows.
func readNUSSMS(root string, fn func(*corpus.Conversation) error) error {
	x, err := openXZ(filepath.Join(root, "en_nus_sms/smsCorpus_en_2015.03.09_all.xml.xz"))
	if err != nil {
		return err
	}
	defer x.Close()
	type sms struct {
		id       int
		src, dst string
		text     string
	}
	var all []sms
	dec := xml.NewDecoder(x)
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("nus sms: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "message" {
			continue
		}
		var m struct {
			ID   string `xml:"id,attr"`
			Text string `xml:"text"`
			Src  string `xml:"source>srcNumber"`
			Dst  string `xml:"destination>destNumber"`
		}
		if err := dec.DecodeElement(&m, &se); err != nil {
			return fmt.Errorf("nus sms message: %w", err)
		}
		id, _ := strconv.Atoi(m.ID)
		all = append(all, sms{id, m.Src, m.Dst, strings.TrimSpace(m.Text)})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].src != all[j].src {
			return all[i].src < all[j].src
		}
		if all[i].dst != all[j].dst {
			return all[i].dst < all[j].dst
		}
		return all[i].id < all[j].id
	})
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].src == all[i].src && all[j].dst == all[i].dst {
			j++
		}
		msgs := make([]corpus.Message, 0, j-i)
		for _, s := range all[i:j] {
			msgs = append(msgs, msg(len(msgs), s.src, s.text))
		}
		base := corpus.Conversation{ID: "nus-" + all[i].src + "-" + all[i].dst, Platform: "sms", Lang: "en"}
		if err := windows(base, msgs, smsWindow, fn); err != nil {
			return err
		}
		i = j
	}
	return nil
}

// readDailyDialog reads "utt __eou__ utt __eou__ ...<TAB>..." lines; speakers alternate.
func readDailyDialog(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "en_dailydialog_devtest/dailydialog_en_dev_test.tar.xz"), func(name string, r io.Reader) error {
		if !strings.HasSuffix(name, "_human.txt") {
			return nil
		}
		part := strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "en_"), "_human.txt")
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<16), 4<<20)
		n := 0
		for sc.Scan() {
			fields := strings.Split(sc.Text(), "\t")
			var msgs []corpus.Message
			for _, u := range strings.Split(fields[0], "__eou__") {
				if u = strings.TrimSpace(u); u != "" {
					msgs = append(msgs, msg(len(msgs), string(rune('A'+len(msgs)%2)), u))
				}
			}
			if len(msgs) == 0 {
				continue
			}
			c := &corpus.Conversation{ID: fmt.Sprintf("dailydialog-%s-%d", part, n), Platform: "dialogue", Lang: "en", Messages: msgs}
			n++
			if err := fn(c); err != nil {
				return err
			}
		}
		return sc.Err()
	})
}

// readCONDA groups the Dota 2 utterances of the three CSV files by conversation, in chat time order.
func readCONDA(root string, fn func(*corpus.Conversation) error) error {
	type row struct {
		id, t        int
		player, text string
	}
	convs := map[string][]row{}
	var order []string
	err := eachTarMember(filepath.Join(root, "en_gaming_dota2_conda/conda_dota2.tar.xz"), func(name string, r io.Reader) error {
		if !strings.HasPrefix(path.Base(name), "CONDA_") {
			return nil
		}
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		head, err := cr.Read()
		if err != nil {
			return err
		}
		col := map[string]int{}
		for i, h := range head {
			col[h] = i
		}
		for _, k := range []string{"Id", "conversationId", "utterance", "chatTime", "playerId"} {
			if _, ok := col[k]; !ok {
				return fmt.Errorf("no column %q", k)
			}
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					continue // a malformed row of the source: skipped
				}
				return err
			}
			if len(rec) != len(head) {
				continue
			}
			id, _ := strconv.Atoi(rec[col["Id"]])
			t, _ := strconv.Atoi(rec[col["chatTime"]])
			cid := rec[col["conversationId"]]
			if _, ok := convs[cid]; !ok {
				order = append(order, cid)
			}
			convs[cid] = append(convs[cid], row{id, t, rec[col["playerId"]], rec[col["utterance"]]})
		}
	})
	if err != nil {
		return err
	}
	sort.Slice(order, func(i, j int) bool {
		a, _ := strconv.Atoi(order[i])
		b, _ := strconv.Atoi(order[j])
		return a < b
	})
	for _, cid := range order {
		rows := convs[cid]
		sort.SliceStable(rows, func(i, j int) bool {
			if rows[i].t != rows[j].t {
				return rows[i].t < rows[j].t
			}
			return rows[i].id < rows[j].id
		})
		var msgs []corpus.Message
		for _, r := range rows {
			for _, part := range strings.Split(r.text, " [SEPA] ") {
				if part = strings.TrimSpace(part); part != "" {
					msgs = append(msgs, msg(len(msgs), r.player, part))
				}
			}
		}
		if len(msgs) == 0 {
			continue
		}
		if err := fn(&corpus.Conversation{ID: "dota2-" + cid, Platform: "dota2", Lang: "en", Messages: msgs}); err != nil {
			return err
		}
	}
	return nil
}

// readDiaBLa reads each dialogue twice: the French-typed side and the English-typed side, each as
// typed (original_text), so that per-language false positives are measured on native text only.
func readDiaBLa(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "fr_en_diabla_dialogues/diabla_dialogues.tar.xz"), func(name string, r io.Reader) error {
		if !strings.Contains(name, "/dialogues/") || !strings.HasSuffix(name, ".json") {
			return nil
		}
		var d struct {
			Utterances map[string]struct {
				Language string `json:"language"`
				Text     string `json:"original_text"`
				SentTime string `json:"sent_time"`
			} `json:"utterances"`
		}
		if err := json.NewDecoder(r).Decode(&d); err != nil {
			return err
		}
		keys := make([]int, 0, len(d.Utterances))
		for k := range d.Utterances {
			if n, err := strconv.Atoi(k); err == nil {
				keys = append(keys, n)
			}
		}
		sort.Ints(keys)
		base := strings.TrimSuffix(path.Base(name), ".json")
		for _, side := range []struct{ lang, code string }{{"french", "fr"}, {"english", "en"}} {
			var msgs []corpus.Message
			for _, k := range keys {
				u := d.Utterances[strconv.Itoa(k)]
				if u.Language != side.lang || strings.TrimSpace(u.Text) == "" {
					continue
				}
				m := msg(len(msgs), side.code+"-speaker", u.Text)
				if t, err := time.Parse("2006-01-02T15:04:05.999999", u.SentTime); err == nil {
					m.Time = t.UTC()
				}
				msgs = append(msgs, m)
			}
			if len(msgs) == 0 {
				continue
			}
			c := &corpus.Conversation{ID: "diabla-" + base + "-" + side.code, Platform: "roleplay", Lang: side.code, Messages: msgs}
			if err := fn(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// readXPersona reads the French (corrected MT) and English PersonaChat dialogues.
func readXPersona(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "fr_en_xpersona_personachat/xpersona_fr_en.tar.xz"), func(name string, r io.Reader) error {
		base := path.Base(name)
		if !strings.HasSuffix(base, ".json") || !strings.Contains(base, "persona") {
			return nil
		}
		lang := "en"
		if strings.HasPrefix(base, "Fr_") {
			lang = "fr"
		}
		var ds []struct {
			Dialogue [][]string `json:"dialogue"`
		}
		if err := json.NewDecoder(r).Decode(&ds); err != nil {
			return err
		}
		for i, d := range ds {
			var msgs []corpus.Message
			for _, pair := range d.Dialogue {
				for _, u := range pair {
					if u = strings.TrimSpace(u); u != "" && u != "__SILENCE__" {
						msgs = append(msgs, msg(len(msgs), string(rune('A'+len(msgs)%2)), u))
					}
				}
			}
			if len(msgs) == 0 {
				continue
			}
			id := fmt.Sprintf("xpersona-%s-%d", strings.TrimSuffix(base, ".json"), i)
			if err := fn(&corpus.Conversation{ID: id, Platform: "dialogue", Lang: lang, Messages: msgs}); err != nil {
				return err
			}
		}
		return nil
	})
}

// readCyberAgressionAdo reads the French teen role-play chats, in windows.
func readCyberAgressionAdo(root string, fn func(*corpus.Conversation) error) error {
	return eachTarMember(filepath.Join(root, "fr_teen_cyberagressionado/cyberagressionado_v1.tar.xz"), func(name string, r io.Reader) error {
		if !strings.HasPrefix(name, "scenarii/") || !strings.HasSuffix(name, ".csv") {
			return nil
		}
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		head, err := cr.Read()
		if err != nil {
			return err
		}
		col := map[string]int{}
		for i, h := range head {
			col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
		}
		ni, ok1 := col["NAME"]
		ti, ok2 := col["TEXT"]
		if !ok1 || !ok2 {
			return fmt.Errorf("no NAME/TEXT columns in %q", head)
		}
		var msgs []corpus.Message
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				continue
			}
			if len(rec) <= ni || len(rec) <= ti {
				continue
			}
			author := strings.Trim(strings.TrimSpace(rec[ni]), "<>")
			if t := strings.TrimSpace(rec[ti]); t != "" {
				msgs = append(msgs, msg(len(msgs), author, t))
			}
		}
		base := strings.TrimSuffix(path.Base(name), ".csv")
		return windows(corpus.Conversation{ID: "cyberagressionado-" + base, Platform: "roleplay", Lang: "fr"}, msgs, teensWindow, fn)
	})
}
