#!/usr/bin/env bash
# Starts a local NATS server with JetStream for `vigie worker` (development and demos): loopback only,
# store in a temporary folder (or $NATS_STORE), port $NATS_PORT (default 4222). Stop it with Ctrl-C.
#
#   scripts/nats-dev.sh &
#   VIGIE_TOKEN= go run ./cmd/vigie worker --nats nats://127.0.0.1:4222 --concurrency 8 &
#   # publish a message: subject vigie.msg.<conversation id>, canonical message fields plus "seq"
#   # (0-based position in the conversation), e.g. with the nats CLI:
#   #   nats pub vigie.msg.conv-1 '{"seq":0,"id":"1","author":"a","text":"hi","time":"2026-11-25T10:00:00Z"}'
#   # alerts arrive on vigie.alerts (stream VIGIE_ALERTS), session states in the KV bucket vigie_sessions.
#
# Needs nats-server 2.9 or later (Debian: apt-get install nats-server).
set -euo pipefail
if ! command -v nats-server >/dev/null 2>&1; then
	echo "nats-server not found: apt-get install nats-server" >&2
	exit 2
fi
store=${NATS_STORE:-$(mktemp -d -t vigie-nats.XXXXXX)}
port=${NATS_PORT:-4222}
echo "nats-server with JetStream on 127.0.0.1:$port, store $store" >&2
exec nats-server -js -a 127.0.0.1 -p "$port" -sd "$store"
