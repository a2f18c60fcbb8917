#!/usr/bin/env bash
# Opens the HTML evidence report of `vigie score --html` in a real headless browser (Debian's
# chromium) and checks that it renders: a screenshot is taken, the page logs no console error, every
# conversation has its chart, no script element exists in the DOM, and the number of highlighted
# evidence labels in the DOM equals the number of evidence items in `vigie score --json`.
#
# Usage: scripts/browser-test.sh [path-to-vigie]       (default bin/vigie)
# Env:   VIGIE_MODEL=model.onnx   score with this model instead of the embedded one
#        OUT=dir                  where the report, DOM and screenshot go (default out/browser-test)
set -euo pipefail
cd "$(dirname "$0")/.."
VIGIE=${1:-bin/vigie}
OUT=${OUT:-out/browser-test}
mkdir -p "$OUT"

BROWSER=""
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then BROWSER=$b; break; fi
done
if [ -z "$BROWSER" ]; then
	echo "browser-test: FAIL: no chromium found (Debian: apt-get install -y chromium; .ci/run installs it)" >&2
	exit 1
fi

INPUTS=(examples/grooming_fr_whatsapp.txt examples/grooming_en_discord.json examples/sextortion_en_whatsapp.txt
	examples/sextortion_fr_instagram examples/benign_lookalike.jsonl cmd/vigie/testdata/hostile.jsonl)
ARGS=(--fail-on none)
if [ -n "${VIGIE_MODEL:-}" ]; then ARGS+=(--model "$VIGIE_MODEL"); fi

if ! "$VIGIE" score --json "${ARGS[@]}" "${INPUTS[@]}" >"$OUT/report.jsonl" 2>"$OUT/score.err"; then
	if grep -q "no model" "$OUT/score.err"; then
		echo "browser-test: skipped: this build embeds no model yet; run with VIGIE_MODEL=/path/to/model.onnx" >&2
		exit 0
	fi
	echo "browser-test: FAIL: vigie score --json: $(head -c 300 "$OUT/score.err")" >&2
	exit 1
fi
"$VIGIE" score --html "$OUT/report.html" "${ARGS[@]}" "${INPUTS[@]}" >/dev/null 2>"$OUT/score.err" ||
	{ echo "browser-test: FAIL: vigie score --html: $(head -c 300 "$OUT/score.err")" >&2; exit 1; }

read -r WANT_EVIDENCE WANT_CONVS < <(python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(sum(len(r["evidence"]) for r in recs), len(recs))' "$OUT/report.jsonl")

URL="file://$(realpath "$OUT/report.html")"
FLAGS=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
	--disable-sync --no-first-run --disable-extensions --hide-scrollbars)
run_browser() { # profile in a fresh folder each time, removed afterwards
	local prof; prof=$(mktemp -d)
	timeout 120 "$BROWSER" "${FLAGS[@]}" --user-data-dir="$prof" "$@" || { local rc=$?; rm -rf "$prof"; return $rc; }
	rm -rf "$prof"
}

run_browser --enable-logging=stderr --v=0 --dump-dom "$URL" >"$OUT/dom.html" 2>"$OUT/browser.log" ||
	{ echo "browser-test: FAIL: $BROWSER --dump-dom failed: $(tail -n 3 "$OUT/browser.log")" >&2; exit 1; }
run_browser --screenshot="$OUT/screenshot.png" --window-size=1200,3000 "$URL" >/dev/null 2>>"$OUT/browser.log" ||
	{ echo "browser-test: FAIL: $BROWSER --screenshot failed" >&2; exit 1; }

fail=0
bad() { echo "browser-test: FAIL: $*" >&2; fail=1; }
if grep -E "Uncaught|ERROR:CONSOLE|CONSOLE\([0-9]+\).*[Ee]rror|Refused to" "$OUT/browser.log" >&2; then
	bad "console errors while rendering (see $OUT/browser.log)"
fi
count() { { grep -o "$@" "$OUT/dom.html" || true; } | wc -l; }
got_labels=$(count '<sup class="evl ')
got_charts=$(count '<svg class="chart"')
got_marks=$(count '<mark class="ev ')
got_scripts=$(count -i '<script')
[ "$got_labels" -eq "$WANT_EVIDENCE" ] || bad "$got_labels highlighted evidence labels in the DOM, the JSON has $WANT_EVIDENCE evidence items"
[ "$got_charts" -eq "$WANT_CONVS" ] || bad "$got_charts charts in the DOM for $WANT_CONVS conversations"
[ "$got_marks" -ge 1 ] || bad "no highlighted span in the DOM"
[ "$got_scripts" -eq 0 ] || bad "$got_scripts script elements in the DOM (transcript text not escaped?)"
grep -q 'dir="auto"' "$OUT/dom.html" || bad "message text is not direction-aware (dir=auto)"
grep -q 'مرحبا' "$OUT/dom.html" || bad "the Arabic text of the hostile transcript is missing"
size=$(stat -c %s "$OUT/screenshot.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || bad "screenshot $OUT/screenshot.png missing or blank ($size bytes)"

if [ $fail -ne 0 ]; then exit 1; fi
echo "browser-test ok: $WANT_CONVS conversations, $WANT_EVIDENCE evidence items highlighted, $got_marks marks, no console error; screenshot $OUT/screenshot.png"
