#!/usr/bin/python3
"""Compare settings over seeds: the measures of detect/testdata/devset/README.md.

usage: compare.py [--per-seed | --pooled [--max-fpr X]] [--seeds FIRST-LAST] PREFIX [PREFIX...]

Each PREFIX is WORK/NAME as written by run.sh: the files PREFIX-sSEED-dev.units (vigie eval --split
dev --units), PREFIX-sSEED-devx.units (the synthetic dev excerpts) and PREFIX-sSEED-devset.units
(the hand-written development set). For every PREFIX it prints the mean over its seeds (all the
seeds found, or those of --seeds), as a Markdown table row, and with --per-seed one row per seed
before it. Per-unit files hold scores and
labels, never text.

With --pooled it prints instead, for every PREFIX, the VTPAN dev rows of all its seeds pooled, each
row flagged or not at its own model's calibrated threshold: the cross-validated measure of a run
made with FOLDS=1 (seeds 1 to 5 hold out the five folds of the even rows, 989 rows, 128
positives), with a 95% bootstrap interval of F0.5 (2,000 resamples of the rows, seed 1). A row
held out by several seeds counts once per seed.

With --pooled --max-fpr X, each model's grooming threshold is first calibrated again on its dev
units with vigie train's rule (precision >= 0.95, false-positive rate <= X; ensemble.calibrate), to
see what another operating point of the same models would give. Those units are `vigie eval
--split dev`'s, without the flattened copies vigie train also calibrates on, so at X = 0.005 the
counts can differ by a row or two from the models' own thresholds.
"""
import bisect
import glob
import json
import random
import re
import sys

# The short positive excerpts of the development set (detect/testdata/devset/README.md).
DEVSET_EXCERPTS = {
    "dev-en-18", "dev-en-19", "dev-en-22", "dev-en-23",
    "dev-fr-18", "dev-fr-19", "dev-fr-22", "dev-fr-23",
}

COLUMNS = [
    ("look-alikes flagged (of 32)", "look", "%.2f"),
    ("excerpts found (of 8)", "excerpts", "%.2f"),
    ("grooming ROC-AUC here", "auc", "%.3f"),
    ("dev real grooming recall at 0.5% real FPR", "real_recall", "%.3f"),
    ("VTPAN dev F0.5", "vtpan_f05", "%.3f"),
    ("VTPAN dev ROC-AUC", "vtpan_auc", "%.4f"),
    ("synthetic dev excerpts, grooming", "excerpt_g", "%.3f"),
    ("synthetic dev excerpts, sextortion", "excerpt_s", "%.3f"),
]


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def roc_auc(pairs):
    """ROC-AUC of (score, label) pairs, ties counted half."""
    neg = sorted(s for s, l in pairs if not l)
    pos = [s for s, l in pairs if l]
    if not pos or not neg:
        raise ValueError("ROC-AUC needs positives and negatives")
    total = 0.0
    for p in pos:
        lo, hi = bisect.bisect_left(neg, p), bisect.bisect_right(neg, p)
        total += lo + 0.5 * (hi - lo)
    return total / len(pos) / len(neg)


def recall_at_fpr(pairs, fpr):
    """Recall of the positives scoring above the negative at rank floor(n*fpr) from the top:
    at most that share of negatives are above the threshold."""
    neg = sorted((s for s, l in pairs if not l), reverse=True)
    pos = [s for s, l in pairs if l]
    if not pos or not neg:
        raise ValueError("recall at FPR needs positives and negatives")
    t = neg[int(len(neg) * fpr)]
    return sum(1 for s in pos if s > t) / len(pos)


def f05_counts(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 1.25 * p * r / (0.25 * p + r) if p + r else 0.0


def f05(units, head):
    tp = sum(1 for u in units if u["labels"][head] and u["flagged"][head])
    fp = sum(1 for u in units if not u["labels"][head] and u["flagged"][head])
    fn = sum(1 for u in units if u["labels"][head] and not u["flagged"][head])
    return f05_counts(tp, fp, fn)


def head_recall(units, head):
    pos = [u for u in units if u["labels"].get(head)]
    return sum(1 for u in pos if u["flagged"][head]) / len(pos)


def found(u):
    """A positive unit is found when a head it is positive for flags it."""
    return any(u["flagged"].get(h) for h, l in u["labels"].items() if l)


def measure(prefix_seed):
    dev = load(prefix_seed + "-dev.units")
    devx = load(prefix_seed + "-devx.units")
    devset = load(prefix_seed + "-devset.units")
    groom = [u for u in dev if "grooming" in u["labels"]]
    real = [(u["scores"]["grooming"], u["labels"]["grooming"]) for u in groom if u["groups"]["set"] == "real"]
    vtpan = [u for u in groom if u["groups"]["source"] == "vtpan"]
    benign = [u for u in devset if not any(u["labels"].values())]
    return {
        "look": sum(1 for u in benign if any(u["flagged"].values())),
        "excerpts": sum(1 for u in devset if u["id"] in DEVSET_EXCERPTS and found(u)),
        "auc": roc_auc([(u["scores"]["grooming"], u["labels"]["grooming"]) for u in devset if "grooming" in u["labels"]]),
        "real_recall": recall_at_fpr(real, 0.005),
        "vtpan_f05": f05(vtpan, "grooming"),
        "vtpan_auc": roc_auc([(u["scores"]["grooming"], u["labels"]["grooming"]) for u in vtpan]),
        "excerpt_g": head_recall(devx, "grooming"),
        "excerpt_s": head_recall(devx, "sextortion"),
    }


def pooled(prefixes_seeds, resamples=2000, max_fpr=None):
    """Counts and F0.5 of the VTPAN dev rows of several models, each at its own threshold (or, with
    max_fpr, at the threshold vigie train's rule gives on its dev units with that false-positive
    rate), with a 95% percentile-bootstrap interval of F0.5 (rows drawn with replacement, seeded:
    reproducible)."""
    from ensemble import calibrate  # ensemble imports this module

    cells = []  # per row: 0 TP, 1 FP, 2 TN, 3 FN
    rows = set()
    for ps in prefixes_seeds:
        dev = [u for u in load(ps + "-dev.units") if "grooming" in u["labels"]]
        t = None
        if max_fpr is not None:
            t = calibrate([(u["scores"]["grooming"], u["labels"]["grooming"]) for u in dev], max_fpr=max_fpr)
        for u in dev:
            if u["groups"]["source"] != "vtpan":
                continue
            rows.add(u["id"])
            lab = u["labels"]["grooming"]
            flag = u["flagged"]["grooming"] if t is None else u["scores"]["grooming"] >= t
            cells.append(0 if lab and flag else 1 if flag else 2 if not lab else 3)
    tp, fp, tn, fn = (cells.count(c) for c in range(4))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    rng = random.Random(1)
    boot = []
    for _ in range(resamples if cells else 0):
        cnt = [0, 0, 0, 0]
        for c in rng.choices(cells, k=len(cells)):
            cnt[c] += 1
        boot.append(f05_counts(cnt[0], cnt[1], cnt[3]))
    boot.sort()
    lo = boot[int(0.025 * (len(boot) - 1))] if boot else 0.0
    hi = boot[int(0.975 * (len(boot) - 1))] if boot else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "rows": len(rows), "precision": p, "recall": r,
            "f05": f05_counts(tp, fp, fn), "f05_low": lo, "f05_high": hi}


def seeds_of(prefix):
    out = []
    for path in glob.glob(glob.escape(prefix) + "-s*-devset.units"):
        m = re.fullmatch(re.escape(prefix) + r"-s(\d+)-devset\.units", path)
        if m:
            out.append(int(m.group(1)))
    return sorted(out)


def row(label, values):
    return "| " + label + " | " + " | ".join(fmt % values[key] for _, key, fmt in COLUMNS) + " |"


def main(argv, out=sys.stdout):
    per_seed, pool, only, max_fpr, prefixes = False, False, None, None, []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--per-seed":
            per_seed = True
        elif a == "--pooled":
            pool = True
        elif a == "--max-fpr" and args:
            try:
                max_fpr = float(args.pop(0))
            except ValueError:
                max_fpr = -1
            if not 0 <= max_fpr <= 1:
                print("compare.py: --max-fpr X, a rate from 0 to 1, e.g. --max-fpr 0.005", file=sys.stderr)
                return 2
        elif a == "--seeds" and args:
            m = re.fullmatch(r"(\d+)-(\d+)", args.pop(0))
            if not m:
                print("compare.py: --seeds FIRST-LAST, e.g. --seeds 1-6", file=sys.stderr)
                return 2
            only = set(range(int(m.group(1)), int(m.group(2)) + 1))
        else:
            prefixes.append(a)
    if not prefixes or (pool and per_seed) or (max_fpr is not None and not pool):
        print(__doc__, file=sys.stderr)
        return 2
    if pool:
        print("| run | seeds | VTPAN dev rows | TP | FP | FN | precision | recall | F0.5 | F0.5 95% interval |", file=out)
        print("| --- | --- |" + " ---: |" * 8, file=out)
    else:
        print("| run | " + " | ".join(title for title, _, _ in COLUMNS) + " |", file=out)
        print("| --- |" + " ---: |" * len(COLUMNS), file=out)
    for prefix in prefixes:
        seeds = [s for s in seeds_of(prefix) if only is None or s in only]
        if not seeds or (only is not None and len(seeds) != len(only)):
            print("compare.py: %s: seeds found %s, wanted %s" % (prefix, seeds, sorted(only) if only else "some"), file=sys.stderr)
            return 1
        if pool:
            m = pooled(["%s-s%d" % (prefix, s) for s in seeds], max_fpr=max_fpr)
            held = m["tp"] + m["fp"] + m["fn"] + m["tn"]
            if held != m["rows"]:
                print("compare.py: %s: %d VTPAN dev rows held out %d times in all: some seeds share a fold "
                      "(a run without FOLDS=1, or more than five seeds)" % (prefix, m["rows"], held), file=sys.stderr)
            print("| %s | %s | %d | %d | %d | %d | %.3f | %.3f | %.3f | %.3f–%.3f |" % (
                prefix.rstrip("/").split("/")[-1], ", ".join(map(str, seeds)), m["rows"], m["tp"], m["fp"], m["fn"],
                m["precision"], m["recall"], m["f05"], m["f05_low"], m["f05_high"]), file=out)
            continue
        rows = {s: measure("%s-s%d" % (prefix, s)) for s in seeds}
        name = prefix.rstrip("/").split("/")[-1]
        if per_seed:
            for s in seeds:
                print(row("%s, seed %d" % (name, s), rows[s]), file=out)
        mean = {key: sum(r[key] for r in rows.values()) / len(rows) for _, key, _ in COLUMNS}
        print(row("%s (mean of seeds %s)" % (name, ", ".join(map(str, seeds))), mean), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
