package main

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzServeRequests: the request bodies of vigie serve (a conversation to analyze, messages to
// push) are accepted or refused with a 4xx and a reason, never a panic or a 5xx.
func FuzzServeRequests(f *testing.F) {
	f.Add([]byte(`{"id":"c1","messages":[{"id":"1","author":"A","time":"2026-03-14T21:03:00Z","text":"hi"}]}`))
	f.Add([]byte(`{"id":"1","author":"A","text":"hi"}`))
	f.Add([]byte(`[{"id":"1","author":"A","text":"hi"},{"id":"2","author":"B","time":"14/03/2026 21:03","text":"yo"}]`))
	f.Add([]byte(`{"messages":[]}`))
	f.Add([]byte(`{"id":"c1","messages":[{"id":1}]}`))
	f.Add([]byte(`{"id": "c1", "messages": "x"}`))
	f.Add([]byte(`[1,2`))
	f.Add([]byte(`"text"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		check := func(err error) {
			var he httpError
			require.True(t, errors.As(err, &he), "%T %v", err, err)
			require.True(t, he.code >= 400 && he.code < 500, "code %d", he.code)
			require.NotEmpty(t, he.reason)
		}
		if c, err := parseConversation(body); err != nil {
			check(err)
		} else {
			require.NotNil(t, c)
		}
		if ms, err := parseMessages(body, 4); err != nil {
			check(err)
		} else {
			require.NotEmpty(t, ms)
			require.LessOrEqual(t, len(ms), 4)
		}
	})
}

// FuzzWorkerState: a conversation's stored worker state (read back from the key-value bucket,
// where it may be damaged) decodes or is refused, never a panic; what decodes encodes back to
// the same state.
func FuzzWorkerState(f *testing.F) {
	f.Add((&workerState{}).encode())
	f.Add((&workerState{next: 3, recent: []string{"1", "2", "3"}, pendIDs: []string{"a1"},
		pending: [][]byte{[]byte(`{"id":"a1"}`)}, session: []byte("session bytes")}).encode())
	f.Add([]byte(workerStateMagic + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Add([]byte("VWS\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeWorkerState(b)
		if err != nil {
			require.Contains(t, err.Error(), "corrupt worker state")
			return
		}
		again, err := decodeWorkerState(st.encode())
		require.NoError(t, err)
		require.Equal(t, st, again)
	})
}
