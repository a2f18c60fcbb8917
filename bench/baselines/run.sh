#!/usr/bin/env bash
# Baselines for Vigie, trained and tested on exactly Vigie's data, in one command.
# See README.md. Environment:
#   OUT      results folder (default: bench/baselines/results)
#   WORK     work folder for exported data, models and per-unit scores
#            (default: a new temporary folder, kept and printed at the end)
#   DATA     folder that already holds real_{train,dev,test}.jsonl and
#            synth_{train,dev,test}.jsonl (skips the export; default: export into WORK/data)
#   ROOT     shared corpora folder for `vigie datasets export` (default ../shared/corpora)
#   VIGIE    vigie binary to use (default: built from this checkout into WORK)
#   ONLY     run only this baseline: fasttext or svm (default both)
#   SERIAL   set to 1 to run the baselines one after the other (default: at once)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
OUT="${OUT:-$here/results}"
WORK="${WORK:-$(mktemp -d /tmp/vigie-baselines.XXXXXX)}"
ROOT="${ROOT:-$repo/../shared/corpora}"
ONLY="${ONLY:-}"
PY=/usr/bin/python3
SYNTH_SEED=1
SYNTH_N=6000

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "run.sh: $*" >&2; }

# 1. Tools: Debian's fasttext and python3-sklearn (never a pip sklearn).
need=()
command -v fasttext >/dev/null 2>&1 || need+=(fasttext)
[ -x "$PY" ] || die "$PY not found; the SVM baseline needs Debian's python3"
"$PY" -c 'import sklearn' >/dev/null 2>&1 || need+=(python3-sklearn)
if [ "${#need[@]}" -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install them"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing ${need[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v fasttext >/dev/null 2>&1 || die "fasttext is still missing after apt-get"
"$PY" -c 'import sklearn' || die "sklearn is still not importable by $PY"

mkdir -p "$WORK" "$OUT"
log "work folder: $WORK"

# 2. Data: the units Vigie trains and is tested on.
if [ -n "${DATA:-}" ]; then
    log "reusing data in $DATA"
    export VIGIE_BUILD="${VIGIE_BUILD:-data reused from $DATA}"
else
    DATA="$WORK/data"
    mkdir -p "$DATA"
    if [ -z "${VIGIE:-}" ]; then
        # Built from the last commit, not the work tree, so that the data
        # comes from a known version even while files are being edited.
        command -v go >/dev/null 2>&1 || die "go not found; set VIGIE to a vigie binary or DATA to exported files"
        commit="$(git -C "$repo" rev-parse HEAD)" || die "$repo is not a git checkout; set VIGIE or DATA"
        VIGIE="$WORK/vigie"
        log "building vigie from commit $commit into $VIGIE"
        rm -rf "$WORK/src" && mkdir -p "$WORK/src"
        git -C "$repo" archive "$commit" | tar -x -C "$WORK/src"
        (cd "$WORK/src" && go build -o "$VIGIE" ./cmd/vigie)
        export VIGIE_BUILD="vigie built from commit $commit"
    else
        export VIGIE_BUILD="vigie binary $VIGIE"
    fi
    [ -d "$ROOT" ] || die "shared corpora folder $ROOT not found (set ROOT)"
    for split in train dev test; do
        log "exporting the $split split"
        "$VIGIE" datasets export --split "$split" --root "$ROOT" -o "$DATA/real_$split.jsonl"
        "$VIGIE" synth --seed "$SYNTH_SEED" -n "$SYNTH_N" --split "$split" -o "$DATA/synth_$split.jsonl"
    done
fi
for f in real_train real_dev real_test synth_train synth_dev synth_test; do
    [ -s "$DATA/$f.jsonl" ] || die "missing or empty $DATA/$f.jsonl"
done

# 3. Baselines. Both run at once by default (each is single-threaded, and the
# JSON records CPU seconds, which do not depend on what else runs); SERIAL=1
# runs them one after the other.
start=$SECONDS
pids=()
names=()
for b in fasttext svm; do
    [ -z "$ONLY" ] || [ "$ONLY" = "$b" ] || continue
    script="$here/svm.py"; [ "$b" = svm ] || script="$here/fasttext_baseline.py"
    if [ -n "${SERIAL:-}" ]; then
        "$PY" "$script" "$DATA" "$WORK" "$OUT"
    else
        "$PY" "$script" "$DATA" "$WORK" "$OUT" &
        pids+=($!); names+=("$b")
    fi
done
for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
        kill "${pids[@]}" 2>/dev/null || true
        die "the ${names[$i]} baseline failed (see its error above)"
    fi
done
"$PY" "$here/tables.py" "$OUT"
log "baselines done in $((SECONDS - start))s; results in $OUT, models and per-unit scores in $WORK"
