package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/vigie/vigie/corpus"
	"github.com/vigie/vigie/detect"
)

// startNATS starts a real nats-server with JetStream on a free loopback port and a temporary store
// folder, and returns its URL. The test is skipped when nats-server is not installed, unless
// VIGIE_REQUIRE_NATS is set (CI), where it fails.
func startNATS(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if os.Getenv("VIGIE_REQUIRE_NATS") != "" {
			t.Fatal("nats-server not found and VIGIE_REQUIRE_NATS is set (apt-get install nats-server)")
		}
		t.Skip("nats-server not installed (Debian: apt-get install nats-server); set VIGIE_REQUIRE_NATS=1 to fail instead")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir := t.TempDir()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "-js", "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-sd", filepath.Join(dir, "js"))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; {
		nc, err := nats.Connect(url)
		if err == nil {
			nc.Close()
			return url
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startWorker runs `vigie worker` as a subprocess of the test binary (see TestMain).
func startWorker(t *testing.T, dir string, i int, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+strings.Join(append([]string{"worker"}, args...), "\x1f"))
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = f, f
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		f.Close()
	})
	return cmd
}

// TestWorkerJetStream: 3 workers on a real nats-server process 10,000 messages over 500
// conversations; one worker is killed with SIGKILL mid-run. Every message must be applied once,
// every alert published exactly once, and the final session states must equal a single-process
// replay bit for bit.
func TestWorkerJetStream(t *testing.T) {
	url := startNATS(t)
	if testing.Short() {
		t.Skip("integration test")
	}
	const convs, perConv = 500, 20
	dir := t.TempDir()
	args := []string{"--nats", url, "--backend", "go", "--concurrency", "4", "--ack-wait", "3s", "--log-level", "info"}
	if m, err := streamModel(); err != nil {
		t.Fatal(err)
	} else if m != nil {
		p := filepath.Join(dir, "model.onnx")
		require.NoError(t, os.WriteFile(p, m, 0o644))
		args = append(args, "--model", p)
	}

	// The messages: texts of the floor set, 20 per conversation, with times. Most conversations
	// mix messages of every floor conversation; one in ten replays a grooming or sextortion
	// conversation of the floor set in order, so that a trained model raises alerts in the replay.
	floor := floorSet(t)
	src := longMessages(floor)
	var positives []*corpus.Conversation
	for _, c := range floor {
		if c.Label != corpus.LabelBenign {
			positives = append(positives, c)
		}
	}
	require.NotEmpty(t, positives)
	t0 := time.Date(2026, 6, 1, 18, 0, 0, 0, time.UTC)
	msgs := make([][]corpus.Message, convs)
	k := 0
	for c := range convs {
		for i := range perConv {
			m := src[k%len(src)]
			if c%10 == 0 {
				p := positives[(c/10)%len(positives)]
				m = p.Messages[i%len(p.Messages)]
			} else {
				k += 7
			}
			msgs[c] = append(msgs[c], corpus.Message{ID: fmt.Sprint(i + 1), Author: m.Author, Text: m.Text,
				Time: t0.Add(time.Duration(c)*time.Hour + time.Duration(i)*time.Minute)})
		}
	}

	nc, err := nats.Connect(url)
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(convs*perConv))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Set the resources up before the workers start (they would do it too) so publishing can begin.
	w := &worker{cfg: workerConfig{}.withDefaults(), js: js}
	_, err = w.setup(ctx)
	require.NoError(t, err)

	workers := []*exec.Cmd{startWorker(t, dir, 0, args...), startWorker(t, dir, 1, args...), startWorker(t, dir, 2, args...)}
	publish := func(from, to int) {
		var acks []jetstream.PubAckFuture
		for i := from; i < to; i++ {
			for c := range convs {
				m := msgs[c][i]
				seq := i
				b, err := json.Marshal(wireMessage{apiMessage: apiMessage{ID: m.ID, Author: m.Author, Text: m.Text,
					Time: m.Time.Format(time.RFC3339)}, Seq: &seq})
				require.NoError(t, err)
				f, err := js.PublishAsync(fmt.Sprintf("vigie.msg.conv-%03d", c), b)
				require.NoError(t, err)
				acks = append(acks, f)
			}
		}
		select {
		case <-js.PublishAsyncComplete():
		case <-ctx.Done():
			t.Fatal("publishing timed out")
		}
		for _, f := range acks {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				t.Fatalf("publish: %v", err)
			}
		}
	}
	start := time.Now()
	publish(0, perConv/2)
	// Kill a worker with SIGKILL once the workers are well into the first half.
	stream, err := js.Stream(ctx, "VIGIE_MSG")
	require.NoError(t, err)
	for {
		si, err := stream.Info(ctx)
		require.NoError(t, err)
		if si.State.Msgs <= convs*perConv/2-1500 || time.Since(start) > time.Minute {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(t, workers[0].Process.Signal(syscall.SIGKILL))
	_, _ = workers[0].Process.Wait()
	killedAt := time.Since(start)
	publish(perConv/2, perConv)

	// Wait until every message was applied and acknowledged.
	cons, err := js.Consumer(ctx, "VIGIE_MSG", "vigie-workers")
	require.NoError(t, err)
	var ci *jetstream.ConsumerInfo
	for {
		ci, err = cons.Info(ctx)
		require.NoError(t, err)
		si, err := stream.Info(ctx)
		require.NoError(t, err)
		if ci.NumPending == 0 && ci.NumAckPending == 0 && si.State.Msgs == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("timed out: %d pending, %d awaiting ack, %d in the stream", ci.NumPending, ci.NumAckPending, si.State.Msgs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(start)
	for _, wk := range workers[1:] {
		require.NoError(t, wk.Process.Signal(syscall.SIGTERM))
		st, err := wk.Process.Wait()
		require.NoError(t, err)
		require.True(t, st.Success(), "a worker did not stop cleanly on SIGTERM")
	}

	// The survivors' counts: the killed worker must have applied part of the messages.
	survivors := 0
	for i := 1; i < len(workers); i++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("worker-%d.log", i)))
		require.NoError(t, err)
		var last struct {
			Msg                                          string
			Processed, Duplicates, OutOfOrder, Conflicts int64
		}
		for _, line := range bytes.Split(b, []byte("\n")) {
			var l struct {
				Msg                                            string
				Processed, Duplicates, Out_of_order, Conflicts int64
			}
			if json.Unmarshal(line, &l) == nil && l.Msg == "stopped" {
				last.Msg, last.Processed, last.Duplicates, last.OutOfOrder, last.Conflicts = l.Msg, l.Processed, l.Duplicates, l.Out_of_order, l.Conflicts
			}
		}
		require.Equal(t, "stopped", last.Msg, "worker %d logged no final counts", i)
		t.Logf("worker %d: %d applied, %d duplicates, %d out of order, %d revision conflicts", i, last.Processed, last.Duplicates, last.OutOfOrder, last.Conflicts)
		survivors += int(last.Processed)
	}
	killed := convs*perConv - survivors
	t.Logf("the killed worker applied %d messages before SIGKILL", killed)
	require.Positive(t, killed, "the killed worker had applied nothing: the kill did not happen mid-run")
	require.Less(t, killed, convs*perConv/2, "the kill happened too late")

	// The single-process replay.
	d := streamDetector(t)
	want := map[string]detect.Alert{}
	kv, err := js.KeyValue(ctx, "vigie_sessions")
	require.NoError(t, err)
	for c := range convs {
		id := fmt.Sprintf("conv-%03d", c)
		s := d.NewSession(id)
		for _, m := range msgs[c] {
			u, err := s.Push(ctx, m)
			require.NoError(t, err)
			for _, a := range u.Alerts {
				want[a.ID] = a
			}
		}
		wantState, err := s.MarshalBinary()
		require.NoError(t, err)
		e, err := kv.Get(ctx, kvKey(id))
		require.NoError(t, err, id)
		st, err := decodeWorkerState(e.Value())
		require.NoError(t, err)
		require.Equal(t, perConv, st.next, "%s: messages applied", id)
		require.True(t, bytes.Equal(wantState, st.session), "%s: the stored session differs from the single-process replay", id)
	}
	require.NotEmpty(t, want, "the replay raised no alert: the test would not check alerts")

	// Every alert exactly once.
	as, err := js.Stream(ctx, "VIGIE_ALERTS")
	require.NoError(t, err)
	asi, err := as.Info(ctx)
	require.NoError(t, err)
	oc, err := js.OrderedConsumer(ctx, "VIGIE_ALERTS", jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	got := map[string]int{}
	for n := uint64(0); n < asi.State.Msgs; {
		batch, err := oc.Fetch(500, jetstream.FetchMaxWait(2*time.Second))
		require.NoError(t, err)
		for m := range batch.Messages() {
			var a detect.Alert
			require.NoError(t, json.Unmarshal(m.Data(), &a))
			got[a.ID]++
			require.Equal(t, want[a.ID].Score, a.Score, a.ID)
			n++
		}
		require.NoError(t, batch.Error())
	}
	for id, n := range got {
		require.Equal(t, 1, n, "alert %s published %d times", id, n)
		_, ok := want[id]
		require.True(t, ok, "alert %s is not in the replay", id)
	}
	require.Equal(t, len(want), len(got), "alerts lost")
	t.Logf("%d messages over %d conversations by 3 workers in %s (one SIGKILLed at %s); %d deliveries in all; %d alerts, none lost or duplicated (model %s)",
		convs*perConv, convs, took.Round(time.Millisecond), killedAt.Round(time.Millisecond), ci.Delivered.Consumer, len(got), d.Model().Name)
}
