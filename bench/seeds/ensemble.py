#!/usr/bin/python3
"""Would averaging seeds help? Offline measure of a two-or-more-seed ensemble on VTPAN dev.

usage: ensemble.py PREFIX:FIRST-LAST PREFIX:FIRST-LAST [...]

Every argument is a run of bench/seeds/run.sh made with FOLDS=1 and a range of as many seeds as
there are folds used; the k-th seed of each range must have the same VTPAN dev fold (e.g.
cv:1-5 and cv:6-10: seeds 1 and 6 both hold out fold 0). For every fold, the grooming scores of
the members are averaged on the dev units (as probabilities, and as logits: the mean of logits is
what one network holding the members side by side computes), a threshold is calibrated on those
dev units with the rule of vigie train (highest recall with precision >= 0.95 and FPR <= 0.005,
the highest such threshold, halfway to the next score down), and the VTPAN dev rows are counted
at it; the counts are pooled over the folds.

The calibration units are those of `vigie eval --split dev`, not the larger set vigie train
calibrates on (which also holds flattened copies, `-flat`, of about a third of the real
multi-message dev units), so a single seed recalibrated here can flag a row or
two more or fewer than its model does. The comparison that counts is therefore within this
script: the members alone ("single", every member recalibrated here, counts summed over members)
against their mean, all under the same calibration.
"""
import math
import re
import sys

from compare import f05_counts, load, roc_auc


def steps_of(pairs):
    """(score, tp, fp) of (score, label) pairs, one step per distinct score from the highest down:
    the counts flagged at a threshold equal to that score."""
    pairs = sorted(pairs, key=lambda p: -p[0])
    out, tp, fp, i = [], 0, 0, 0
    while i < len(pairs):
        s = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == s:
            tp += pairs[i][1]
            fp += not pairs[i][1]
            i += 1
        out.append((s, tp, fp))
    return out


def calibrate(pairs, min_precision=0.95, max_fpr=0.005):
    """The threshold metrics.Calibration.Threshold picks for (score, label) pairs."""
    neg = sum(1 for _, l in pairs if not l)
    if not neg or len(pairs) == neg:
        raise ValueError("calibration needs positives and negatives")
    steps = steps_of(pairs)

    def best(min_p):
        b, btp = -1, -1
        for k, (_, tp, fp) in enumerate(steps):
            if (min_p == 0 or tp / (tp + fp) >= min_p) and fp / neg <= max_fpr and tp > btp:
                b, btp = k, tp
        return b

    b = best(min_precision)
    if b < 0:
        b = best(0)
    if b < 0:
        return math.nextafter(steps[0][0], math.inf)
    t = steps[b][0]
    if b + 1 < len(steps):
        t = (t + steps[b + 1][0]) / 2
    return t


def logit(p):
    p = min(max(p, 1e-7), 1 - 1e-7)
    return math.log(p / (1 - p))


def vtpan_counts(members, mode):
    """TP, FP, FN and ROC-AUC on the VTPAN rows of the mean of members (lists of dev units with
    the same ids)."""
    by_id = [{u["id"]: u for u in m if "grooming" in u["labels"]} for m in members]
    ids = set(by_id[0])
    for m in by_id[1:]:
        if set(m) != ids:
            raise ValueError("the members were not scored on the same dev units (another fold?)")
    mean = logit if mode == "logit" else (lambda p: p)
    score = {i: sum(mean(m[i]["scores"]["grooming"]) for m in by_id) / len(by_id) for i in ids}
    label = {i: by_id[0][i]["labels"]["grooming"] for i in ids}
    t = calibrate([(score[i], label[i]) for i in ids])
    tp = fp = fn = 0
    vtpan = [i for i in ids if by_id[0][i]["groups"]["source"] == "vtpan"]
    for i in vtpan:
        flag = score[i] >= t
        tp += label[i] and flag
        fp += (not label[i]) and flag
        fn += label[i] and not flag
    return tp, fp, fn, roc_auc([(score[i], label[i]) for i in vtpan])


def measure(runs):
    """runs: [(prefix, [seeds])]. Returns {mode: (tp, fp, fn, auc)}: counts pooled over the folds,
    VTPAN ROC-AUC the mean over folds (and over members for "single")."""
    n = len(runs[0][1])
    if any(len(seeds) != n for _, seeds in runs):
        raise ValueError("every run needs as many seeds")
    out = {"single": [0, 0, 0, 0.0], "prob": [0, 0, 0, 0.0], "logit": [0, 0, 0, 0.0]}
    for k in range(n):
        members = [load("%s-s%d-dev.units" % (prefix, seeds[k])) for prefix, seeds in runs]
        for m in members:
            c = vtpan_counts([m], "prob")
            out["single"] = [a + b for a, b in zip(out["single"], c[:3] + (c[3] / len(members),))]
        for mode in ("prob", "logit"):
            out[mode] = [a + b for a, b in zip(out[mode], vtpan_counts(members, mode))]
    return {k: tuple(v[:3]) + (v[3] / n,) for k, v in out.items()}


def main(argv, out=sys.stdout):
    runs = []
    for a in argv:
        m = re.fullmatch(r"(.+):(\d+)-(\d+)", a)
        if not m or int(m.group(2)) > int(m.group(3)):
            print(__doc__, file=sys.stderr)
            return 2
        runs.append((m.group(1), list(range(int(m.group(2)), int(m.group(3)) + 1))))
    if len(runs) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        measures = measure(runs)
    except (OSError, ValueError) as e:
        print("ensemble.py: %s" % e, file=sys.stderr)
        return 1
    print("| scores | TP | FP | FN | precision | recall | F0.5 | VTPAN ROC-AUC |", file=out)
    print("| --- |" + " ---: |" * 7, file=out)
    for mode, (tp, fp, fn, auc) in measures.items():
        name = {"single": "each seed alone", "prob": "mean of probabilities", "logit": "mean of logits"}[mode]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print("| %s | %d | %d | %d | %.3f | %.3f | %.3f | %.4f |" % (name, tp, fp, fn, p, r, f05_counts(tp, fp, fn), auc), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
