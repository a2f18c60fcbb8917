package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

// The fixtures are written by hand in the layouts that the open-source readers of the package
// parse (see discord_package.go); names and texts are invented. The message ids are snowflakes
// whose times agree with the Timestamp fields, as in real packages (TestDiscordPackageTimesAreUTC).
const (
	dpkgCurrent    = "testdata/discord/package-2025"
	dpkgCurrentZip = "testdata/discord/package-2025.zip"
	dpkgOlder      = "testdata/discord/package-2020"
	dpkgBroken     = "testdata/discord/package-broken"
	dpkgDM         = "1104217654023389214"
)

// TestDiscordPackageZipFixture keeps package-2025.zip equal to the folder fixture, as
// TestSlackZipFixture does for Slack: with -update it rewrites the zip, under the folder name as
// Discord's package.zip has no top folder (the zip's files start at Account/, Messages/, ...).
func TestDiscordPackageZipFixture(t *testing.T) {
	checkZipFixture(t, dpkgCurrent, dpkgCurrentZip, time.Date(2025, 7, 17, 9, 0, 0, 0, time.UTC), "TestDiscordPackageZipFixture")
}

// ownerWarnings counts the problems that say the other side is missing.
func ownerWarnings(ps []*ParseError) int {
	n := 0
	for _, p := range ps {
		if p.Msg == discordPackageOwnerOnly {
			n++
		}
	}
	return n
}

func TestDiscordPackageLayouts(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		format Format
		ids    []string // conversation ids, in order
		author string
		msgs   int // messages in all
		reason string
	}{
		{name: "current package folder", path: dpkgCurrent,
			ids: []string{"873310256112340100", dpkgDM, "1150000000000000000"}, author: "sam_lune", msgs: 8,
			reason: "channels in the order of their ids; the user name from Account/user.json, not Activities/.../user.json"},
		{name: "current package zip", path: dpkgCurrentZip,
			ids: []string{"873310256112340100", dpkgDM, "1150000000000000000"}, author: "sam_lune", msgs: 8},
		{name: "current package zip forced", path: dpkgCurrentZip, format: FormatDiscord,
			ids: []string{"873310256112340100", dpkgDM, "1150000000000000000"}, author: "sam_lune", msgs: 8},
		{name: "older package folder", path: dpkgOlder,
			ids: []string{"701122334455667788", "702233445566778899"}, author: "lou#1234", msgs: 4,
			reason: "a legacy discriminator, written as a number in user.json, is kept with its zeros"},
		{name: "messages folder alone", path: dpkgCurrent + "/Messages",
			ids: []string{"873310256112340100", dpkgDM, "1150000000000000000"}, author: discordPackageOwner, msgs: 8,
			reason: "the account folder is not given: the owner is written as me"},
		{name: "one channel folder", path: dpkgCurrent + "/Messages/c" + dpkgDM,
			ids: []string{dpkgDM}, author: discordPackageOwner, msgs: 5},
		{name: "one older channel folder", path: dpkgOlder + "/messages/701122334455667788",
			ids: []string{"701122334455667788"}, author: discordPackageOwner, msgs: 3},
		{name: "lone messages.json in its channel folder", path: dpkgCurrent + "/Messages/c" + dpkgDM + "/messages.json",
			ids: []string{dpkgDM}, author: discordPackageOwner, msgs: 5, reason: "the id from the folder c<id>"},
		{name: "lone messages.csv in its channel folder", path: dpkgOlder + "/messages/701122334455667788/messages.csv",
			ids: []string{"701122334455667788"}, author: discordPackageOwner, msgs: 3, reason: "the id from the folder <id>"},
		{name: "lone messages.json", path: "testdata/discord/messages.json", ids: []string{"discord"}, author: discordPackageOwner, msgs: 2},
		{name: "lone messages.json forced", path: "testdata/discord/messages.json", format: FormatDiscord,
			ids: []string{"discord"}, author: discordPackageOwner, msgs: 2},
		{name: "lone messages.csv", path: "testdata/discord/messages.csv", ids: []string{"discord"}, author: discordPackageOwner, msgs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Open(tt.path, Options{Format: tt.format})
			require.NoError(t, err)
			defer r.Close()
			require.Equal(t, FormatDiscord, r.Format())
			convs, err := ReadAll(r)
			require.NoError(t, err)
			var ids []string
			msgs := 0
			for _, c := range convs {
				ids = append(ids, c.ID)
				msgs += len(c.Messages)
				require.Equal(t, "discord", c.Platform)
				require.True(t, OneSided(c))
				require.Equal(t, []string{tt.author}, c.Authors(), tt.reason)
				require.Len(t, c.Participants, 1)
				for i := 1; i < len(c.Messages); i++ {
					require.False(t, c.Messages[i].Time.Before(c.Messages[i-1].Time), "messages oldest first")
				}
			}
			require.Equal(t, tt.ids, ids, tt.reason)
			require.Equal(t, tt.msgs, msgs)
			require.Equal(t, 1, ownerWarnings(r.Problems()), "the owner warning, once: %v", r.Problems())
			require.Len(t, r.Problems(), 1, "no other problem: %v", r.Problems())
		})
	}
}

// TestDiscordPackageMessages checks one channel of each generation field by field.
func TestDiscordPackageMessages(t *testing.T) {
	read := func(path string) []*Conversation {
		r, err := Open(path, Options{Location: time.FixedZone("CEST", 2*3600)})
		require.NoError(t, err)
		defer r.Close()
		convs, err := ReadAll(r)
		require.NoError(t, err)
		return convs
	}
	cur := read(dpkgCurrent)
	srv, dm, grp := cur[0], cur[1], cur[2]
	require.Equal(t, "Chess Club / general", srv.Title, "guild and channel from channel.json, as the exporter's readers name them")
	require.Equal(t, "Direct Message with river_blue#0", dm.Title, "a DM is named by index.json")
	require.Equal(t, "projet sciences", grp.Title)
	require.Equal(t, Participant{ID: "sam_lune", Name: "Sam"}, dm.Participants[0])
	require.Equal(t, "testdata/discord/package-2025/Messages/c"+dpkgDM, dm.Source.File)
	require.Equal(t, Source{File: dm.Source.File, Format: FormatDiscord, Reader: discordPackageReaderVersion}, dm.Source)

	m := dm.Messages
	require.Len(t, m, 5)
	require.Equal(t, "1233810435869340506", m[0].ID, "ids kept")
	require.Equal(t, time.Date(2024, 4, 27, 16, 2, 11, 0, time.UTC), m[0].Time, "times without a zone are UTC, whatever --tz says")
	require.Equal(t, "oui, je pense\nmais je dois finir le devoir de maths avant", m[1].Text)
	require.Empty(t, m[2].Text, "an attachment alone: a media message")
	require.Equal(t, []Attachment{{Kind: AttachmentImage, Name: "plateau.jpg",
		URL: "https://cdn.discordapp.com/attachments/1104217654023389214/1233801234567890123/plateau.jpg?ex=66a1&is=66a0&hm=ab12"}}, m[2].Attachments)
	require.Len(t, m[3].Attachments, 2, "attachments are separated by spaces")
	require.Equal(t, "notes cours.pdf", m[3].Attachments[0].Name)
	require.Equal(t, AttachmentAudio, m[3].Attachments[1].Kind)
	require.Empty(t, m[4].Text)
	require.Empty(t, m[4].Attachments, "no text and no attachment (a sticker, an embed): kept, empty")

	old := read(dpkgOlder)
	require.Equal(t, "Direct Message with river_blue#5678", old[0].Title)
	require.Equal(t, "Classe 4B / devoirs", old[1].Title)
	om := old[0].Messages
	require.Equal(t, time.Date(2020, 8, 25, 22, 54, 5, 726e6, time.UTC), om[0].Time, "fraction and offset kept")
	require.Equal(t, "oui, regarde :\n1) on factorise\n2) on simplifie, \"facile\"", om[1].Text, "a quoted multi-line CSV field")
	require.Equal(t, 3, om[1].Line, "the line where the record starts")
	require.Equal(t, "exercice.png", om[2].Attachments[0].Name)
}

// TestDiscordPackageTimesAreUTC checks the fixtures against what real packages show: each
// Timestamp is the creation time that Discord wrote into the message id, to the second, in UTC.
func TestDiscordPackageTimesAreUTC(t *testing.T) {
	for _, p := range []string{dpkgCurrent, dpkgOlder, "testdata/discord/messages.json", "testdata/discord/messages.csv"} {
		r, err := Open(p, Options{Location: time.FixedZone("X", -5*3600)})
		require.NoError(t, err)
		convs, err := ReadAll(r)
		require.NoError(t, err)
		_ = r.Close()
		for _, c := range convs {
			for _, m := range c.Messages {
				st, ok := snowflakeTime(m.ID)
				require.True(t, ok)
				require.Less(t, st.Sub(m.Time).Abs(), time.Second, "%s message %s: %v vs id %v", p, m.ID, m.Time, st)
			}
		}
	}
	// The samples that public notes on the package quote (ID, Timestamp), checked the same way.
	for _, s := range [][2]string{
		{"897870239797215243", "2021-10-13 15:35:46"},
		{"1419422247004934226", "2025-09-21 20:37:15"},
		{"747951969171275807", "2020-08-25 22:54:05.726000+00:00"},
	} {
		st, ok1 := snowflakeTime(s[0])
		tm, ok2 := parseDiscordPackageTime(s[1])
		require.True(t, ok1 && ok2)
		require.Less(t, st.Sub(tm).Abs(), time.Second, "%v", s)
	}
}

func TestParseDiscordPackageTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{in: "2023-01-05 18:04:12", want: time.Date(2023, 1, 5, 18, 4, 12, 0, time.UTC), ok: true},
		{in: "2020-08-25 22:54:05.726000+00:00", want: time.Date(2020, 8, 25, 22, 54, 5, 726e6, time.UTC), ok: true},
		{in: "2020-08-25 22:58:41+00:00", want: time.Date(2020, 8, 25, 22, 58, 41, 0, time.UTC), ok: true},
		{in: "2020-08-25 22:58:41+0200", want: time.Date(2020, 8, 25, 20, 58, 41, 0, time.UTC), ok: true},
		{in: "2020-08-25T22:58:41Z", want: time.Date(2020, 8, 25, 22, 58, 41, 0, time.UTC), ok: true},
		{in: " 2023-01-05 18:04:12.5 ", want: time.Date(2023, 1, 5, 18, 4, 12, 5e8, time.UTC), ok: true},
		{in: "2023-01-05"},
		{in: "05/01/2023 18:04:12"},
		{in: "2023-13-05 18:04:12"},
		{in: ""},
	}
	for _, tt := range tests {
		got, ok := parseDiscordPackageTime(tt.in)
		require.Equal(t, tt.ok, ok, "%q", tt.in)
		require.Equal(t, tt.want, got, "%q", tt.in)
	}
}

// TestDetectDiscordPackage: the package's layouts are recognized, and the neighbouring formats
// keep their files and folders.
func TestDetectDiscordPackage(t *testing.T) {
	fsTests := []struct {
		name   string
		names  []string
		want   Format
		reason string
	}{
		{name: "current", names: []string{"Account/user.json", "Messages/c1/channel.json", "Messages/c1/messages.json", "Messages/index.json"}, want: FormatDiscord},
		{name: "older", names: []string{"account/user.json", "messages/1/channel.json", "messages/1/messages.csv", "messages/index.json"}, want: FormatDiscord},
		{name: "translated", names: []string{"Konto/user.json", "Wiadomości/c1/channel.json", "Wiadomości/c1/messages.json", "Wiadomości/index.json"}, want: FormatDiscord,
			reason: "since 2025 the top folders are in the account's language"},
		{name: "unzipped into a folder", names: []string{"package/messages/c12/channel.json", "package/messages/c12/messages.json"}, want: FormatDiscord},
		{name: "one channel folder", names: []string{"channel.json", "messages.json"}, want: FormatDiscord},
		{name: "channel.json alone", names: []string{"c1/channel.json", "index.json"}, want: FormatUnknown, reason: "nothing to read"},
		{name: "messages.json not in a channel folder", names: []string{"chats/channel.json", "chats/messages.json"}, want: FormatUnknown},
		{name: "slack", names: []string{"channels.json", "general/2024-03-14.json", "users.json"}, want: FormatSlack},
		{name: "meta", names: []string{"messages/inbox/sam_1/message_1.json"}, want: FormatMeta},
		{name: "telegram", names: []string{"ChatExport/messages.html", "ChatExport/messages2.html"}, want: FormatTelegram},
		{name: "whatsapp", names: []string{"_chat.txt", "IMG-1.jpg"}, want: FormatWhatsApp},
		{name: "exporter files", names: []string{"Direct Messages - a [1].json", "Guild - general [2].json"}, want: FormatUnknown,
			reason: "DiscordChatExporter's files are read one by one"},
	}
	for _, tt := range fsTests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, detectFS(tt.names), tt.reason)
		})
	}
	heads := []struct {
		name, fixture, as string
		cut               int
		want              Format
	}{
		{name: "package json", fixture: dpkgCurrent + "/Messages/c873310256112340100/messages.json", as: "messages.json", want: FormatDiscord},
		{name: "package json compact, other name", fixture: dpkgCurrent + "/Messages/c" + dpkgDM + "/messages.json", as: "x.txt", want: FormatDiscord},
		{name: "package json cut", fixture: "testdata/discord/messages.json", as: "m.json", cut: 100, want: FormatDiscord},
		{name: "package csv", fixture: "testdata/discord/messages.csv", as: "export.csv", want: FormatDiscord},
		{name: "exporter json", fixture: "testdata/discord/dm.json", as: "messages.json", want: FormatDiscord},
		{name: "meta json", fixture: "testdata/meta/ig_thread.json", as: "messages.json", want: FormatMeta},
		{name: "telegram json", fixture: "testdata/telegram/personal_chat.json", as: "messages.json", want: FormatTelegram},
		{name: "tiktok json", fixture: "testdata/tiktok/user_data_tiktok.json", as: "messages.json", want: FormatTikTok},
		{name: "snapchat json", fixture: "testdata/snapchat/chat_history_2024.json", as: "messages.json", want: FormatSnapchat},
		{name: "jsonl", fixture: "testdata/jsonl/basic.jsonl", as: "messages.json", want: FormatJSONL},
		{name: "csv", fixture: "testdata/csv/minimal.csv", as: "messages.csv", want: FormatCSV},
	}
	for _, tt := range heads {
		t.Run(tt.name, func(t *testing.T) {
			b := readFixture(t, tt.fixture)
			if tt.cut > 0 {
				b = b[:tt.cut]
			}
			require.Equal(t, tt.want, Detect(tt.as, b))
		})
	}
	// Other JSON arrays are not taken for a package's messages.
	require.Equal(t, FormatUnknown, Detect("x.json", []byte(`[{"id":1,"timestamp":"2024-01-01","content":"x"}]`)))
	require.Equal(t, FormatUnknown, Detect("x.json", []byte(`[{"ID":1,"Name":"x"}]`)))
}

// TestDiscordPackageTranslated reads a package whose folders are in Polish, from a file system.
func TestDiscordPackageTranslated(t *testing.T) {
	fsys := fstest.MapFS{
		"Konto/user.json":                 {Data: []byte(`{"id":"5","username":"ola","discriminator":"0","global_name":null}`)},
		"Wiadomości/index.json":           {Data: []byte(`{"1234": "Wiadomość bezpośrednia z x#0"}`)},
		"Wiadomości/c1234/channel.json":   {Data: []byte(`{"id":"1234","type":"DM","recipients":["5","6"]}`)},
		"Wiadomości/c1234/messages.json":  {Data: []byte(`[{"ID":1,"Timestamp":"2025-08-03 10:00:00","Contents":"cześć","Attachments":""}]`)},
		"Aktywność/reporting/events.json": {Data: []byte(`{}`)},
	}
	r, err := openFS(fsys, "pakiet.zip", nil, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, convs, 1)
	require.Equal(t, "1234", convs[0].ID)
	require.Equal(t, "Wiadomość bezpośrednia z x#0", convs[0].Title)
	require.Equal(t, []string{"ola"}, convs[0].Authors())
	require.Equal(t, "pakiet.zip/Wiadomości/c1234", convs[0].Source.File)
}

// TestDiscordPackageOwnerReadEarly: user.json can be 100 MB; the reader stops once it has the
// account's names, so what follows them is not even parsed.
func TestDiscordPackageOwnerReadEarly(t *testing.T) {
	fsys := fstest.MapFS{
		"account/user.json":           {Data: []byte(`{"id":"5","username":"ola","discriminator":7,"global_name":"Ola","relationships":[{` + "\x00")},
		"messages/c9/channel.json":    {Data: []byte(`{"id":"9","type":1}`)},
		"messages/c9/messages.csv":    {Data: []byte("\xef\xbb\xbfID,Timestamp,Contents,Attachments\r\n1,2020-01-01 10:00:00+00:00,\"a\r\nb\",\r\n")},
		"messages/c9/unexpected.txt":  {Data: []byte("x")},
		"servers/9/guild.json":        {Data: []byte(`{}`)},
		"servers/index.json":          {Data: []byte(`{}`)},
		"activity/analytics/e-1.json": {Data: []byte(`{}`)},
	}
	r, err := openFS(fsys, "p", nil, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Len(t, r.Problems(), 1, "%v", r.Problems())
	require.Equal(t, Participant{ID: "ola#0007", Name: "Ola"}, convs[0].Participants[0])
	require.Equal(t, "a\nb", convs[0].Messages[0].Text, "a BOM and CRLF line ends (encoding/csv drops the \\r)")
	require.Empty(t, convs[0].Title, "no index.json, no name in channel.json")
}

// TestDiscordPackageBadInput: every bad part is a positioned problem that names no message text;
// what could be read is read.
func TestDiscordPackageBadInput(t *testing.T) {
	r, err := Open(dpkgBroken, Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err, "a package has no fatal error: each channel stands alone")
	var ids []string
	for _, c := range convs {
		ids = append(ids, fmt.Sprintf("%s:%d", c.ID, len(c.Messages)))
	}
	require.Equal(t, []string{"101:1", "102:2", "103:2", "104:3"}, ids, "c105 has no messages file")
	texts := []string{"premier", "deux", "avant", "champs", "guillemet", "après", "oops", "heure prise", "sans heure", "liste"}
	for _, p := range r.Problems() {
		require.NotEqual(t, -1, p.Offset+int64(p.Line), "positioned unless it is about the whole package: %v", p)
		for _, tx := range texts {
			require.NotContains(t, p.Error(), tx, "no message text in problems")
		}
	}
	require.Equal(t, 1, ownerWarnings(r.Problems()))

	// A lone file cut short: a positioned error, and the messages before it.
	b := readFixture(t, "testdata/discord/messages.json")
	cut := b[:bytes.LastIndex(b, []byte(`"Contents"`))]
	sr, err := NewReader("messages.json", bytes.NewReader(cut), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(sr)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, 11, pe.Line, "where the input ends")
	require.Len(t, convs, 1)
	require.Len(t, convs[0].Messages, 1)

	// Not an array: a positioned error.
	sr, err = NewReader("messages.json", strings.NewReader(`  ["x"]`), Options{Format: FormatDiscord})
	require.NoError(t, err)
	_, err = ReadAll(sr)
	require.NoError(t, err, "a string element is skipped")
	require.Len(t, sr.Problems(), 2)
	sr, err = NewReader("messages.csv", strings.NewReader("ID,Timestamp,Contents,Attachments\n1,2020-01-01 10:00:00,\"open"), Options{})
	require.NoError(t, err)
	convs, err = ReadAll(sr)
	require.NoError(t, err)
	require.Empty(t, convs, "an unclosed quote swallows the record: a bad row")
	require.Len(t, sr.Problems(), 2)
	require.Equal(t, 2, sr.Problems()[1].Line)
}

// TestDiscordPackageOneSidedSurvivesJSONL: the mark that the other side is missing is kept by
// `vigie parse` and read back by `vigie score -`.
func TestDiscordPackageOneSidedSurvivesJSONL(t *testing.T) {
	r, err := Open("testdata/discord/messages.json", Options{})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	b, err := MarshalConversation(convs[0])
	require.NoError(t, err)
	jr, err := NewReader("-", bytes.NewReader(b), Options{})
	require.NoError(t, err)
	back, err := ReadAll(jr)
	require.NoError(t, err)
	require.True(t, OneSided(back[0]))
	dce, err := Open("testdata/discord/dm.json", Options{})
	require.NoError(t, err)
	dc, err := ReadAll(dce)
	require.NoError(t, err)
	require.False(t, OneSided(dc[0]), "DiscordChatExporter's exports hold every side")
}

func FuzzDiscordPackageJSON(f *testing.F) {
	f.Add(readFixture(f, "testdata/discord/messages.json"))
	f.Add(readFixture(f, dpkgCurrent+"/Messages/c"+dpkgDM+"/messages.json"))
	f.Add(readFixture(f, dpkgBroken+"/messages/c104/messages.json"))
	f.Add([]byte(`[{"ID":"x","Timestamp":"2024-01-01T00:00:00+0100","Contents":null,"Attachments":[1,{"url":2}]}]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}

func FuzzDiscordPackageCSV(f *testing.F) {
	f.Add(readFixture(f, "testdata/discord/messages.csv"))
	f.Add(readFixture(f, dpkgOlder+"/messages/701122334455667788/messages.csv"))
	f.Add(readFixture(f, dpkgBroken+"/messages/c103/messages.csv"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, FormatDiscord, data) })
}

// FuzzDiscordPackageFS reads a package built from the fuzzer's files: its account, index, channel
// description and messages, in both forms.
func FuzzDiscordPackageFS(f *testing.F) {
	f.Add(readFixture(f, dpkgCurrent+"/Account/user.json"), readFixture(f, dpkgCurrent+"/Messages/index.json"),
		readFixture(f, dpkgCurrent+"/Messages/c"+dpkgDM+"/channel.json"), readFixture(f, dpkgCurrent+"/Messages/c"+dpkgDM+"/messages.json"), false)
	f.Add(readFixture(f, dpkgOlder+"/account/user.json"), readFixture(f, dpkgOlder+"/messages/index.json"),
		readFixture(f, dpkgOlder+"/messages/701122334455667788/channel.json"), readFixture(f, dpkgOlder+"/messages/701122334455667788/messages.csv"), true)
	f.Fuzz(func(t *testing.T, user, index, channel, messages []byte, csvForm bool) {
		file := "messages.json"
		if csvForm {
			file = "messages.csv"
		}
		fsys := fstest.MapFS{
			"account/user.json":        {Data: user},
			"messages/index.json":      {Data: index},
			"messages/c1/channel.json": {Data: channel},
			"messages/c1/" + file:      {Data: messages},
		}
		r, err := openFS(fsys, "p", nil, Options{MaxMessageBytes: 4096, MaxLineBytes: 1 << 16})
		require.NoError(t, err)
		require.Equal(t, FormatDiscord, r.Format())
		for r.Next() {
			c := r.Conversation()
			require.NotEmpty(t, c.Messages)
			require.True(t, OneSided(c))
			for _, m := range c.Messages {
				require.LessOrEqual(t, len(m.Text), 4096)
			}
			_, err := MarshalConversation(c)
			require.NoError(t, err)
		}
		require.NoError(t, r.Err())
		require.Equal(t, 1, ownerWarnings(r.Problems()))
		for _, p := range r.Problems() {
			_ = p.Error()
		}
	})
}

// dpkgBenchJSON builds a messages.json of n messages, newest first, as a package writes it.
func dpkgBenchJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := n - 1; i >= 0; i-- {
		t := t0.Add(time.Duration(i) * 37 * time.Second)
		id := uint64(t.UnixMilli()-1420070400000) << 22
		if i != n-1 {
			b.WriteByte(',')
		}
		att := ""
		if i%20 == 0 {
			att = fmt.Sprintf("https://cdn.discordapp.com/attachments/1/%d/IMG_%d.jpg?ex=1&is=2&hm=3", id, i)
		}
		fmt.Fprintf(&b, `{"ID":%d,"Timestamp":"%s","Contents":"message %d: on se voit demain après les cours ?","Attachments":"%s"}`,
			id, t.Format(time.DateTime), i, att)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// dpkgBenchCSV is the same messages as an older package's messages.csv.
func dpkgBenchCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("ID,Timestamp,Contents,Attachments\n")
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := n - 1; i >= 0; i-- {
		t := t0.Add(time.Duration(i) * 37 * time.Second)
		id := uint64(t.UnixMilli()-1420070400000) << 22
		fmt.Fprintf(&b, "%d,%s.123000+00:00,\"message %d: on se voit demain,\naprès les cours ?\",\n", id, t.Format(time.DateTime), i)
	}
	return b.Bytes()
}

func BenchmarkDiscordPackage(b *testing.B) {
	for _, form := range []string{"json", "csv"} {
		for _, n := range []int{1000, 100000} {
			data := dpkgBenchJSON(n)
			if form == "csv" {
				data = dpkgBenchCSV(n)
			}
			b.Run(fmt.Sprintf("%s/msgs=%dk", form, n/1000), func(b *testing.B) {
				benchRead(b, "messages."+form, data, Options{}, n)
			})
		}
	}
	// The naive baseline: the whole array decoded at once with json.Unmarshal, before any reading.
	for _, n := range []int{1000, 100000} {
		data := dpkgBenchJSON(n)
		b.Run(fmt.Sprintf("json/msgs=%dk/naive-unmarshal", n/1000), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var ms []struct{ ID, Timestamp, Contents, Attachments any }
				if err := json.Unmarshal(data, &ms); err != nil || len(ms) != n {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

func ExampleOneSided() {
	pkg := `[{"ID":1233810435869340506,"Timestamp":"2024-04-27 16:02:11","Contents":"salut !","Attachments":""}]`
	r, _ := NewReader("messages.json", strings.NewReader(pkg), Options{})
	for r.Next() {
		c := r.Conversation()
		m := c.Messages[0]
		fmt.Println(m.Author, m.Time, m.Text, OneSided(c))
	}
	fmt.Println(r.Problems()[0].Msg)
	// Output:
	// me 2024-04-27 16:02:11 +0000 UTC salut ! true
	// a Discord data package holds only the account owner's messages: the other side of each conversation is not in it
}

// TestDiscordPackageForcedOnOtherJSON: --format discord on a JSON array of other objects reads no
// empty messages out of them.
func TestDiscordPackageForcedOnOtherJSON(t *testing.T) {
	r, err := NewReader("x.json", strings.NewReader(`[{"a":1},{"b":[2]},{}]`), Options{Format: FormatDiscord})
	require.NoError(t, err)
	convs, err := ReadAll(r)
	require.NoError(t, err)
	require.Empty(t, convs)
	require.Len(t, r.Problems(), 4, "the owner warning, then one per element: %v", r.Problems())
	require.Equal(t, 1, r.Problems()[1].Line)
}
