#!/bin/sh
# bench/peers.sh: Vigie against its peers, in one run on the same messages, in CPU time.
#
#   bench/peers.sh            (from the repository root)
#
# Environment:
#   N=100000                 messages (conversations of 100) to score
#   VIGIE_BENCH_MODEL=FILE   model to use when this build embeds none (vigie train -o FILE)
#   GOBENCH=1                also run `go test ./bench -bench .` and record its output
#   RSS=1                    also measure the peak RSS of `vigie score` on 100 MB and 1 GB of JSONL
#   REGEXP_N=1000            messages for the naive regexp matcher (1.5 to 2.5 ms each)
#   HF_N=20000               messages for the sugarme tokenizer (150 to 200 µs each)
#   REPEAT=3                 rounds; the least CPU time of each measure is kept
#   OUT=bench/BENCHMARKS.md  file whose generated sections are rewritten
#
# Every time is the CPU time (user + system) that getrusage reports for the measured process:
# /usr/bin/time for the commands, the process's own getrusage around the measured loop for the
# in-process peers (benchtool peer). The machine is shared and loaded: wall time counts time spent
# waiting for a CPU and is shown for information only.
set -eu
cd "$(dirname "$0")/.."
N=${N:-100000}
REGEXP_N=${REGEXP_N:-1000}
REPEAT=${REPEAT:-3}
HF_N=${HF_N:-20000}
OUT=${OUT:-bench/BENCHMARKS.md}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
log() { echo "peers: $*" >&2; }

go build -o "$W/vigie" ./cmd/vigie
go build -o "$W/benchtool" ./bench/cmd/benchtool
"$W/benchtool" gen -o "$W" -msgs "$N" -size 100 2>"$W/gen.log"
head -n 1 "$W/bench.jsonl" >"$W/one.jsonl"
head -n 100 "$W/messages.txt" >"$W/one.txt"

# The model: the embedded one, else $VIGIE_BENCH_MODEL.
MODEL_FLAG="" MODEL_NAME="embedded"
if ! "$W/vigie" score --json --fail-on none "$W/one.jsonl" >/dev/null 2>"$W/probe.log"; then
	if [ -z "${VIGIE_BENCH_MODEL:-}" ]; then
		log "no embedded model and VIGIE_BENCH_MODEL is not set"; cat "$W/probe.log" >&2; exit 1
	fi
	MODEL_FLAG="--model $VIGIE_BENCH_MODEL" MODEL_NAME="$VIGIE_BENCH_MODEL"
fi

# fastText, trained on the data Vigie's model is trained on: the training split of the vtpan and
# nps corpora and synthetic conversations, one line per message with its conversation's label.
# Same token features as Vigie's hasher: words and bigrams, char 3-5-grams, 2^17 buckets, dim 24.
"$W/vigie" datasets export --split train --sources vtpan,nps -o "$W/ds.jsonl" 2>>"$W/gen.log"
"$W/vigie" synth -n 400 --split train -o "$W/synth.jsonl" 2>>"$W/gen.log"
"$W/benchtool" fasttext "$W/ds.jsonl" "$W/synth.jsonl" >"$W/ft_train.txt"
log "training fastText on $(wc -l <"$W/ft_train.txt") lines"
fasttext supervised -input "$W/ft_train.txt" -output "$W/ft" -dim 24 -wordNgrams 2 -minn 3 -maxn 5 \
	-bucket 131072 -epoch 5 -thread 1 -verbose 0

# measure NAME MSGS CMD...: CPU seconds (user+sys), max RSS (KB) and wall seconds of CMD.
RES="$W/results.tsv"
: >"$RES"
measure() {
	name=$1 msgs=$2
	shift 2
	/usr/bin/time -f "%U %S %M %e" -o "$W/t" "$@" >"$W/out" 2>"$W/err" || {
		log "$name failed"; cat "$W/err" >&2; exit 1
	}
	set -- $(tail -n 1 "$W/t")
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$msgs" "$(echo "$1 + $2" | bc -l)" "$3" "$4" >>"$RES"
	log "$name: $(tail -n 1 "$RES")"
}
# inproc NAME MSGS ARGS...: an in-process peer; its own CPU time over the measured loop.
inproc() {
	name=$1 msgs=$2
	shift 2
	"$W/benchtool" peer "$@" >"$W/out"
	cpu=$(sed 's/.*"cpu_s":\([0-9.e-]*\).*/\1/' "$W/out")
	wall=$(sed 's/.*"wall_s":\([0-9.e-]*\).*/\1/' "$W/out")
	rss=$(sed 's/.*"max_rss_mb":\([0-9.e-]*\).*/\1/' "$W/out")
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$msgs" "$cpu" "$(echo "$rss * 1000" | bc -l | cut -d. -f1)" "$wall" >>"$RES"
	log "$name: $(tail -n 1 "$RES")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# Rounds interleave the tools, so that a burst of load on the machine hits them all alike; the
# table keeps the least CPU time of each (the least disturbed run).
for round in $(seq "$REPEAT"); do
	log "round $round of $REPEAT"
	# shellcheck disable=SC2086
	measure "vigie score --json (go), startup" 0 "$W/vigie" score --json --fail-on none --backend go $MODEL_FLAG "$W/one.jsonl"
	# shellcheck disable=SC2086
	measure "vigie score --json (go)" "$N" "$W/vigie" score --json --fail-on none --backend go $MODEL_FLAG "$W/bench.jsonl"
	# shellcheck disable=SC2086
	if "$W/vigie" score --json --fail-on none --backend onnx $MODEL_FLAG "$W/one.jsonl" >/dev/null 2>&1; then
		measure "vigie score --json (onnx), startup" 0 "$W/vigie" score --json --fail-on none --backend onnx $MODEL_FLAG "$W/one.jsonl"
		measure "vigie score --json (onnx)" "$N" "$W/vigie" score --json --fail-on none --backend onnx $MODEL_FLAG "$W/bench.jsonl"
	fi
	# shellcheck disable=SC2086
	inproc "vigie library (reader + Analyze, go)" "$N" -mode vigie -backend go $MODEL_FLAG "$W/bench.jsonl"
	measure "fasttext predict, startup" 0 fasttext predict "$W/ft.bin" "$W/one.txt"
	measure "fasttext predict" "$N" fasttext predict "$W/ft.bin" "$W/messages.txt"
	inproc "sugarme/tokenizer WordPiece (tiny vocab)" "$HF_N" -mode hf -limit "$HF_N" "$W/messages.txt"
	inproc "naive regexp cue matcher" "$REGEXP_N" -mode regexp -limit "$REGEXP_N" "$W/messages.txt"
	inproc "read + lowercase, canonical JSONL" "$N" -mode lower "$W/bench.jsonl"
	inproc "read + lowercase, message text only" "$N" -mode lower "$W/messages.txt"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# The table: CPU per message net of startup, and the ratio peer / Vigie (score --json, go).
TABLE=$(awk -F'\t' '
	$2 == 0 { if (!($1 in start) || $3 < start[$1]) start[$1] = $3; next }
	!($1 in idx) { idx[$1] = ++n; name[n] = $1; msgs[n] = $2; cpu[n] = $3; rss[n] = $4; wall[n] = $5; next }
	{ k = idx[$1]; if ($3 < cpu[k]) { cpu[k] = $3; wall[k] = $5 }; if ($4 > rss[k]) rss[k] = $4 }
	END {
		for (i = 1; i <= n; i++) {
			net = cpu[i]
			if ((name[i] ", startup") in start) net -= start[name[i] ", startup"]
			per[i] = net / msgs[i]
			if (name[i] == "vigie score --json (go)") ref = per[i]
		}
		print "| what | messages | CPU s (total) | CPU s net of startup | µs CPU / message | messages / CPU-s | peer / Vigie | max RSS MB | wall s |"
		print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (i = 1; i <= n; i++) {
			net = per[i] * msgs[i]
			printf "| %s | %d | %.3f | %.3f | %.2f | %.0f | %.2f | %.0f | %.2f |\n", name[i], msgs[i], cpu[i], net, per[i] * 1e6, 1 / per[i], per[i] / ref, rss[i] / 1000, wall[i]
		}
	}' "$RES")

RSS_TABLE=""
if [ "${RSS:-0}" = 1 ]; then
	: >"$W/rss.tsv"
	for mb in 100 1000; do
		"$W/benchtool" big -o "$W/big.jsonl" -mb "$mb" 2>"$W/big.log"
		msgs=$(sed 's/.*: \([0-9]*\) messages.*/\1/' "$W/big.log")
		# shellcheck disable=SC2086
		/usr/bin/time -f "%U %S %M %e" -o "$W/t" "$W/vigie" score --json --fail-on none --backend go $MODEL_FLAG "$W/big.jsonl" >/dev/null 2>"$W/err"
		set -- $(tail -n 1 "$W/t")
		printf '| %s MB | %s | %.1f | %.0f | %.0f |\n' "$mb" "$msgs" "$(echo "$1 + $2" | bc -l)" "$(echo "$3 / 1024" | bc -l)" "$(echo "$msgs / ($1 + $2)" | bc -l)" >>"$W/rss.tsv"
		log "rss $mb MB: $(tail -n 1 "$W/rss.tsv")"
		rm -f "$W/big.jsonl"
	done
	RSS_TABLE="| input | messages | CPU s | max RSS MB | messages / CPU-s |
| --- | ---: | ---: | ---: | ---: |
$(cat "$W/rss.tsv")"
fi

GOBENCH_OUT=""
if [ "${GOBENCH:-0}" = 1 ]; then
	GOBENCH_OUT=$(go test ./bench -run '^$' -bench . -benchtime 3x 2>&1 | grep -E '^(Benchmark|cpu:|goos|goarch)')
fi

GEN=$(cat <<EOF
Generated by \`bench/peers.sh\` on $(date -u +%Y-%m-%dT%H:%MZ).

Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM;
load average $LOAD_BEFORE before the peers, $LOAD_AFTER after (the machine is shared with other jobs).
Versions: $(go version | cut -d' ' -f3-), vigie $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo ' (work tree modified)'),
fastText $(dpkg-query -W -f '${Version}' fasttext 2>/dev/null || echo '?'), sugarme/tokenizer $(go list -m -f '{{.Version}}' github.com/sugarme/tokenizer), model: $MODEL_NAME.
Input: $(cat "$W/gen.log" | head -n 1 | sed 's/^benchtool gen: //'); fastText trained on $(wc -l <"$W/ft_train.txt") labeled messages.

Times are CPU seconds (user + system, getrusage: /usr/bin/time for commands, the process's own
getrusage around the measured loop for in-process peers). "net of startup" subtracts the same
command on one conversation (100 messages): model loading, lexicon compilation. "peer / Vigie" is the
peer's CPU per message over Vigie's (\`vigie score --json\`, pure-Go backend): above 1, Vigie is faster.
The regexp matcher runs on the first $REGEXP_N messages only (1.5 to 2.5 ms each), the sugarme
tokenizer on the first $HF_N. Each measure ran
$REPEAT times, the tools interleaved; the table keeps the least CPU time of each.

$TABLE
EOF
)

replace() { # replace SECTION CONTENT: rewrite the text between the section's markers in $OUT
	python3 - "$OUT" "$1" "$2" <<'PY'
import sys
path, sec, body = sys.argv[1], sys.argv[2], sys.argv[3]
b, e = f"<!-- {sec}:begin -->", f"<!-- {sec}:end -->"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
if b in text and e in text:
    text = text[:text.index(b)] + b + "\n" + body + "\n" + text[text.index(e):]
else:
    text += f"\n{b}\n{body}\n{e}\n"
open(path, "w").write(text)
PY
}
replace peers "$GEN"
[ -n "$RSS_TABLE" ] && replace rss "$RSS_TABLE"
[ -n "$GOBENCH_OUT" ] && replace gobench "\`\`\`
$GOBENCH_OUT
\`\`\`"
echo "$TABLE"
[ -n "$RSS_TABLE" ] && echo "$RSS_TABLE"
log "wrote $OUT"
