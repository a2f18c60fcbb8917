package corpus

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseGChatTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		name, in string
		want     time.Time
		err      string // a part of the error, "" when none is expected
		reason   string
	}{
		// The forms that the sources show.
		{name: "en-US, narrow no-break space", in: "Tuesday, March 12, 2024 at 9:03:15\u202fPM UTC", want: utc(2024, 3, 12, 21, 3, 15),
			reason: "newer exports put U+202F before AM/PM"},
		{name: "en-US, plain space", in: "Thursday, November 3, 2016 at 11:59:50 AM UTC", want: utc(2016, 11, 3, 11, 59, 50)},
		{name: "en-US, midnight", in: "Saturday, March 9, 2024 at 12:30:00 AM UTC", want: utc(2024, 3, 9, 0, 30, 0), reason: "12 AM is 00"},
		{name: "en-US, noon", in: "Saturday, March 9, 2024 at 12:30:00 PM UTC", want: utc(2024, 3, 9, 12, 30, 0), reason: "12 PM is 12"},
		{name: "en-GB", in: "Tuesday, 7 February 2021 at 17:13:43 UTC", want: utc(2021, 2, 7, 17, 13, 43)},
		{name: "fr", in: "jeudi 10 octobre 2024 à 08:36:13 UTC", want: utc(2024, 10, 10, 8, 36, 13)},
		{name: "fr, month with an accent", in: "dimanche 11 août 2024 à 19:00:00 UTC", want: utc(2024, 8, 11, 19, 0, 0)},
		{name: "fr, no-break spaces and 1er", in: "vendredi 1er mars 2024\u00a0à\u00a008:05:00\u202fUTC", want: utc(2024, 3, 1, 8, 5, 0)},
		{name: "fr, capitalized", in: "Jeudi 12 Décembre 2024 à 10:00:00 UTC", want: utc(2024, 12, 12, 10, 0, 0)},
		{name: "hu", in: "2015. február 15., vasárnap 21:54:36 UTC", want: utc(2015, 2, 15, 21, 54, 36)},
		{name: "ru", in: "вторник, 12 марта 2024 г. в 21:03:15 UTC", want: utc(2024, 3, 12, 21, 3, 15)},
		{name: "zh", in: "2024年3月12日星期二 UTC 21:03:15", want: utc(2024, 3, 12, 21, 3, 15), reason: "the zone comes before the time"},
		{name: "ko", in: "2024년 3월 12일 화요일 PM 9시 3분 15초 UTC", want: utc(2024, 3, 12, 21, 3, 15)},
		{name: "ko, 오후", in: "2024년 3월 12일 화요일 오후 9시 3분 15초 UTC", want: utc(2024, 3, 12, 21, 3, 15)},
		// Zones.
		{name: "GMT", in: "Tuesday, March 12, 2024 at 9:03:15 PM GMT", want: utc(2024, 3, 12, 21, 3, 15)},
		{name: "offset", in: "Tuesday, March 12, 2024 at 9:03:15 PM GMT+01:00", want: time.Date(2024, 3, 12, 21, 3, 15, 0, time.FixedZone("", 3600)),
			reason: "an offset after the zone is kept"},
		{name: "negative offset", in: "Tuesday, March 12, 2024 at 9:03:15 PM UTC-5", want: time.Date(2024, 3, 12, 21, 3, 15, 0, time.FixedZone("", -5*3600))},
		{name: "no zone", in: "Tuesday, March 12, 2024 at 9:03:15 PM", want: time.Date(2024, 3, 12, 21, 3, 15, 0, paris),
			reason: "a date without a zone is read in --tz"},
		{name: "ISO", in: "2024-03-12T21:03:15.250Z", want: time.Date(2024, 3, 12, 21, 3, 15, 250e6, time.UTC)},
		{name: "no seconds", in: "Tuesday, March 12, 2024 at 9:03 PM UTC", want: utc(2024, 3, 12, 21, 3, 0)},
		{name: "a.m.", in: "Tuesday, March 12, 2024 at 9:03:15 a.m. UTC", want: utc(2024, 3, 12, 9, 3, 15)},
		// What is not read.
		{name: "other language", in: "Dienstag, 12. März 2024 um 21:03:15 UTC", err: "no month", reason: "German month names are not in the table"},
		{name: "other zone", in: "Tuesday, March 12, 2024 at 9:03:15 PM PST", err: `time zone "PST" unknown`, reason: "an abbreviation is never guessed"},
		{name: "empty", in: "  ", err: "empty"},
		{name: "no time", in: "Tuesday, March 12, 2024", err: "no time of day"},
		{name: "no year", in: "Tuesday, March 12 at 9:03:15 PM UTC", err: "no year"},
		{name: "two years", in: "2024 2025 March 12 9:03:15", err: "two years"},
		{name: "day 30 of February", in: "Friday, February 30, 2024 at 9:03:15 PM UTC", err: "does not exist"},
		{name: "13 PM", in: "Tuesday, March 12, 2024 at 13:03:15 PM UTC", err: "AM/PM"},
		{name: "hour 24", in: "Tuesday, 12 March 2024 at 24:03:15 UTC", err: "out of range"},
		{name: "long number", in: "Tuesday, March 123456, 2024 at 9:03:15 PM UTC", err: "digits"},
		{name: "bad clock", in: "Tuesday, March 12, 2024 at 9:3x PM UTC", err: "time of day"},
		{name: "bad offset", in: "Tuesday, March 12, 2024 at 9:03:15 PM UTC+123", err: "offset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGChatTime(tt.in, paris)
			if tt.err != "" {
				require.Error(t, err, tt.reason)
				require.Contains(t, err.Error(), tt.err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.True(t, tt.want.Equal(got), "%v, want %v (%s)", got, tt.want, tt.reason)
			_, wantOff := tt.want.Zone()
			_, gotOff := got.Zone()
			require.Equal(t, wantOff, gotOff, "the zone as written")
		})
	}
}

// gchatFormats writes a time in the English (US and UK) and French forms of Takeout, for the
// round trip below.
var gchatFormats = []func(t time.Time) string{
	func(t time.Time) string {
		return t.Format("Monday, January 2, 2006 at 3:04:05") + "\u202f" + t.Format("PM") + " UTC"
	},
	func(t time.Time) string { return t.Format("Monday, 2 January 2006 at 15:04:05") + " UTC" },
	func(t time.Time) string {
		days := [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
		months := [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
		return fmt.Sprintf("%s %d %s %d à %s UTC", days[t.Weekday()], t.Day(), months[t.Month()-1], t.Year(), t.Format("15:04:05"))
	},
}

// FuzzGChatTime checks the round trip of every written form, and that any other input is either
// read or refused, without a panic.
func FuzzGChatTime(f *testing.F) {
	f.Add(int64(1710277395), "Tuesday, March 12, 2024 at 9:03:15\u202fPM UTC")
	f.Add(int64(0), "2024年3月12日星期二 UTC 21:03:15")
	f.Add(int64(-1), "2015. február 15., vasárnap 21:54:36 UTC+02:30")
	f.Fuzz(func(t *testing.T, sec int64, s string) {
		_, _ = parseGChatTime(s, time.UTC)
		// Years 1000 to 9999: Takeout's years have four digits.
		tm := time.Unix(-30610224000+((sec%283000000000)+283000000000)%283000000000, 0).UTC()
		for i, format := range gchatFormats {
			in := format(tm)
			got, err := parseGChatTime(in, time.UTC)
			if err != nil || !got.Equal(tm) {
				t.Fatalf("form %d: %q read as %v, %v; want %v", i, strings.ToValidUTF8(in, "?"), got, err, tm)
			}
		}
	})
}

func BenchmarkParseGChatTime(b *testing.B) {
	for _, in := range []string{"Tuesday, March 12, 2024 at 9:03:15\u202fPM UTC", "mardi 12 mars 2024 à 21:03:15 UTC"} {
		b.Run(strings.Fields(in)[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parseGChatTime(in, time.UTC); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
