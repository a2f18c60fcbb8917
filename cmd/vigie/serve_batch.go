package main

import (
	"context"
	"errors"
	"time"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// errDraining is returned to requests that arrive after shutdown began.
var errDraining = errors.New("server is shutting down")

// batcher gathers concurrent /v1/analyze requests into one model call: the first request waits at
// most maxWait for others, up to maxBatch conversations, then Detector.AnalyzeBatch scores the rows
// of all of them together (fewer, fuller model calls under load; no added wait when idle beyond
// maxWait).
type batcher struct {
	det      *detect.Detector
	maxBatch int
	maxWait  time.Duration
	timeout  time.Duration
	in       chan *batchReq
	done     chan struct{}
	onBatch  func(n int)
}

type batchReq struct {
	ctx context.Context
	c   *corpus.Conversation
	out chan batchRes // buffered, 1
}

type batchRes struct {
	r   *detect.Report
	err error
}

func newBatcher(det *detect.Detector, maxBatch int, maxWait, timeout time.Duration, onBatch func(int)) *batcher {
	b := &batcher{det: det, maxBatch: max(1, maxBatch), maxWait: maxWait, timeout: timeout,
		in: make(chan *batchReq), done: make(chan struct{}), onBatch: onBatch}
	go b.loop()
	return b
}

// analyze scores c in the next batch. It returns when the report is ready or ctx ends.
func (b *batcher) analyze(ctx context.Context, c *corpus.Conversation) (*detect.Report, error) {
	req := &batchReq{ctx: ctx, c: c, out: make(chan batchRes, 1)}
	select {
	case b.in <- req:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-b.done:
		return nil, errDraining
	}
	select {
	case res := <-req.out:
		return res.r, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// close stops the batcher after the batch in progress; later analyze calls fail with errDraining.
func (b *batcher) close() { close(b.done) }

func (b *batcher) loop() {
	var reqs []*batchReq
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		reqs = reqs[:0]
		select {
		case r := <-b.in:
			reqs = append(reqs, r)
		case <-b.done:
			return
		}
		timer.Reset(b.maxWait)
	gather:
		for len(reqs) < b.maxBatch {
			select {
			case r := <-b.in:
				reqs = append(reqs, r)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		b.run(reqs)
	}
}

func (b *batcher) run(reqs []*batchReq) {
	// Requests whose caller gave up are dropped before scoring.
	live := reqs[:0]
	for _, r := range reqs {
		if r.ctx.Err() == nil {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	cs := make([]*corpus.Conversation, len(live))
	for i, r := range live {
		cs[i] = r.c
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.timeout)
	defer cancel()
	if b.onBatch != nil {
		b.onBatch(len(cs))
	}
	reps, err := b.det.AnalyzeBatch(ctx, cs)
	for i, r := range live {
		if err != nil {
			r.out <- batchRes{err: err}
		} else {
			r.out <- batchRes{r: reps[i]}
		}
	}
}
