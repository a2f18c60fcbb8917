#!/usr/bin/python3
"""A grooming threshold for VTPAN's rows fitted on one half of each fold, measured on the other.

usage: halves.py [--mode f05|precision] [--min-precision P] [--seeds FIRST-LAST] PREFIX [PREFIX...]

Each PREFIX is WORK/NAME as written by `FOLDS=1 run.sh` (see compare.py). For every model, the
VTPAN rows of its dev fold are split in two halves by the parity of the first byte of sha1(id); each
half is flagged at a threshold fitted with the other half and every non-VTPAN dev unit, so that no
row is measured at a threshold its own label helped choose. The candidate thresholds are those
vigie train's rule allows on all the dev units (precision >= 0.95 and false-positive rate <= 0.005;
ensemble.calibrate); among them:

- `--mode f05` (default) takes the best F0.5 on the fitting half (ties: the highest), which is what
  `vigie train --flat-fbeta 0.5` does with the whole fold for flat inputs;
- `--mode precision` takes the highest recall whose precision on the fitting half is at least
  --min-precision (default 0.95).

It prints, per PREFIX, the pooled counts and F0.5 at the ordinary threshold (ensemble.calibrate on
all the dev units, as compare.py --max-fpr 0.005) and at the fitted ones, and the mean over the
seeds of the hand-written look-alikes flagged, the excerpts found and the synthetic dev grooming
excerpts found when that fitted threshold (from the whole fold) applied to every input: what the
threshold would cost if it were not kept for flat inputs.

Scores are read as `vigie eval --units` wrote them: for a model with thresholds for flat inputs
they are already mapped (see detect.FlatInput), so run this on models trained with --flat-fbeta 0.
"""
import hashlib
import sys

from compare import DEVSET_EXCERPTS, f05_counts, load, seeds_of
from ensemble import calibrate, steps_of


def half(unit_id):
    return hashlib.sha1(unit_id.encode()).digest()[0] & 1


def counts(pairs, t):
    tp = sum(1 for s, l in pairs if l and s >= t)
    fp = sum(1 for s, l in pairs if not l and s >= t)
    fn = sum(1 for s, l in pairs if l and s < t)
    return tp, fp, fn


def fit(allpairs, fitpairs, mode="f05", min_precision=0.95):
    """The threshold for fitpairs (a subset of allpairs) among those the calibration rule allows on
    allpairs, placed halfway to the next lower score as vigie train places its own; None if none."""
    neg = sum(1 for _, l in allpairs if not l)
    st = steps_of(allpairs)
    best, key = -1, None
    for k, (s, tp, fp) in enumerate(st):
        if tp / (tp + fp) < 0.95 or fp / neg > 0.005:
            continue
        vtp, vfp, vfn = counts(fitpairs, s)
        if mode == "precision":
            if vtp + vfp and vtp / (vtp + vfp) < min_precision:
                continue
            kk = (tp, s)
        else:
            kk = (f05_counts(vtp, vfp, vfn), s)
        if key is None or kk > key:
            best, key = k, kk
    if best < 0:
        return None
    t = st[best][0]
    if best + 1 < len(st):
        t = (t + st[best + 1][0]) / 2
    return t


def pair(u):
    return (u["scores"]["grooming"], u["labels"]["grooming"])


def measure(prefix, seeds, mode="f05", min_precision=0.95):
    base, new = [0, 0, 0], [0, 0, 0]
    extra = {"look": [0, 0], "excerpts": [0, 0], "excerpt_g": [0.0, 0.0]}
    fallbacks = 0
    for seed in seeds:
        ps = "%s-s%d" % (prefix, seed)
        dev = [u for u in load(ps + "-dev.units") if "grooming" in u["labels"]]
        other = [pair(u) for u in dev if u["groups"]["source"] != "vtpan"]
        vt = [u for u in dev if u["groups"]["source"] == "vtpan"]
        t0 = calibrate(other + [pair(u) for u in vt])
        for h in (0, 1):
            fitting = [pair(u) for u in vt if half(u["id"]) != h]
            t = fit(other + fitting, fitting, mode, min_precision)
            if t is None:
                t, fallbacks = t0, fallbacks + 1
            measured = [pair(u) for u in vt if half(u["id"]) == h]
            for acc, th in ((base, t0), (new, t)):
                for i, c in enumerate(counts(measured, th)):
                    acc[i] += c
        whole = fit(other + [pair(u) for u in vt], [pair(u) for u in vt], mode, min_precision)
        if whole is None:
            whole = t0
        devset, devx = load(ps + "-devset.units"), load(ps + "-devx.units")
        for i, th in enumerate((t0, whole)):
            def flagged(u, head):
                return u["scores"]["grooming"] >= th if head == "grooming" else u["flagged"][head]
            extra["look"][i] += sum(1 for u in devset if not any(u["labels"].values())
                                    and any(flagged(u, head) for head in u["flagged"]))
            extra["excerpts"][i] += sum(1 for u in devset if u["id"] in DEVSET_EXCERPTS
                                        and any(flagged(u, head) for head, l in u["labels"].items() if l))
            pos = [u for u in devx if u["labels"].get("grooming")]
            extra["excerpt_g"][i] += sum(1 for u in pos if flagged(u, "grooming")) / len(pos)
    n = len(seeds)
    return {"base": base, "new": new, "base_f05": f05_counts(*base), "new_f05": f05_counts(*new),
            "fallbacks": fallbacks, **{k: (v[0] / n, v[1] / n) for k, v in extra.items()}}


def main(argv, out=sys.stdout):
    mode, min_precision, seeds = "f05", 0.95, None
    while argv and argv[0].startswith("--"):
        flag = argv.pop(0)
        if flag == "--mode" and argv and argv[0] in ("f05", "precision"):
            mode = argv.pop(0)
        elif flag == "--min-precision" and argv:
            min_precision = float(argv.pop(0))
        elif flag == "--seeds" and argv:
            a, b = argv.pop(0).split("-")
            seeds = list(range(int(a), int(b) + 1))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    print("| run | seeds | TP / FP / FN, ordinary threshold | F0.5 | TP / FP / FN, fitted on the other half | F0.5 | "
          "look-alikes flagged | excerpts found | synthetic dev grooming excerpts |", file=out)
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |", file=out)
    for prefix in argv:
        ss = seeds or seeds_of(prefix)
        r = measure(prefix, ss, mode, min_precision)
        print("| %s | %d-%d | %d / %d / %d | %.3f | %d / %d / %d | %.3f | %.2f -> %.2f | %.2f -> %.2f | %.3f -> %.3f |" % (
            prefix.rsplit("/", 1)[-1], ss[0], ss[-1], *r["base"], r["base_f05"], *r["new"], r["new_f05"],
            *r["look"], *r["excerpts"], *r["excerpt_g"]), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
