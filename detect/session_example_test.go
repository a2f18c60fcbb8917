package detect_test

import (
	"context"
	"fmt"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// Stream a conversation one message at a time, save the session after the second message and
// continue it from the saved bytes (as another process would): the updates are the same.
func ExampleDetector_NewSession() {
	det, err := detect.New(detect.Options{Backend: detect.BackendGo})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer det.Close()
	ctx := context.Background()
	msgs := []corpus.Message{
		{ID: "1", Author: "sam", Text: "hey, nice goal in the match today"},
		{ID: "2", Author: "lou", Text: "thanks! coach says I can play on sunday"},
		{ID: "3", Author: "sam", Text: "cool, see you at training"},
	}
	s := det.NewSession("chat-42")
	var saved []byte
	var alerts []detect.Alert
	for i, m := range msgs {
		u, err := s.Push(ctx, m)
		if err != nil {
			fmt.Println(err)
			return
		}
		// u.Grooming.Score and u.Sextortion.Score are the risks so far; u.Alerts holds an Alert
		// (with its id for de-duplication and the suspect) when a head escalates.
		alerts = append(alerts, u.Alerts...)
		if i == 1 {
			saved, _ = s.MarshalBinary()
		}
	}
	last, _ := s.Snapshot()

	// Elsewhere: continue from the saved state with the third message.
	r, err := det.RestoreSession(saved)
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := r.Push(ctx, msgs[2])
	_ = alerts // to the moderation queue
	fmt.Println("messages:", r.Messages())
	fmt.Println("same grooming risk as without the restore:", u.Grooming.Score == last.Grooming.Score)
	// Output:
	// messages: 3
	// same grooming risk as without the restore: true
}
