package detect

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigie/vigie/corpus"
)

// BenchmarkSessionPush pushes the same 10,000 messages as conversations of 10, 1,000 or 10,000
// messages each: the per-message cost (ns/msg, cpu-ns/msg) must stay flat as conversations grow.
// The batch=B runs push them in bursts of B with PushBatch (micro-batching).
// The naive baseline re-analyzes the conversation so far after each message, as a caller without
// sessions would (quadratic; small sizes only).
func BenchmarkSessionPush(b *testing.B) {
	d := sessionDetector(b, Options{})
	cs := floorConversations(b)
	ctx := context.Background()
	stream := longConversation(cs, 10000).Messages
	bytes := 0
	for _, m := range stream {
		bytes += len(m.Text)
	}
	for _, n := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprintf("msgs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bytes))
			msgs := 0
			cpu0 := cpuTime()
			for b.Loop() {
				for off := 0; off < len(stream); off += n {
					s := d.NewSession("bench")
					for _, m := range stream[off : off+n] {
						if _, err := s.Push(ctx, m); err != nil {
							b.Fatal(err)
						}
					}
				}
				msgs += len(stream)
			}
			reportPerMessage(b, msgs, cpuTime()-cpu0)
		})
	}
	// Micro-batching: the same messages pushed in bursts of B through PushBatch, conversations of
	// 1,000 messages.
	for _, batch := range []int{8, 32} {
		b.Run(fmt.Sprintf("msgs=1000/batch=%d", batch), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(bytes))
			msgs := 0
			cpu0 := cpuTime()
			for b.Loop() {
				for off := 0; off < len(stream); off += 1000 {
					s := d.NewSession("bench")
					conv := stream[off : off+1000]
					for i := 0; i < len(conv); i += batch {
						if _, err := s.PushBatch(ctx, conv[i:min(i+batch, len(conv))]); err != nil {
							b.Fatal(err)
						}
					}
				}
				msgs += len(stream)
			}
			reportPerMessage(b, msgs, cpuTime()-cpu0)
		})
	}
	for _, n := range []int{10, 100} {
		c := longConversation(cs, n)
		b.Run(fmt.Sprintf("naive-reanalyze/msgs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			msgs := 0
			cpu0 := cpuTime()
			for b.Loop() {
				for i := range c.Messages {
					part := &corpus.Conversation{ID: c.ID, Messages: c.Messages[:i+1]}
					if _, err := d.Analyze(ctx, part); err != nil {
						b.Fatal(err)
					}
				}
				msgs += len(c.Messages)
			}
			reportPerMessage(b, msgs, cpuTime()-cpu0)
		})
	}
}

func reportPerMessage(b *testing.B, msgs int, cpu time.Duration) {
	if msgs == 0 {
		return
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(msgs), "ns/msg")
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(msgs), "cpu-ns/msg")
		b.ReportMetric(float64(msgs)/cpu.Seconds(), "msgs/cpu-s")
	}
}
