#!/usr/bin/python3
"""Paired comparison of Vigie and the baselines on the same VTPAN test units.

    /usr/bin/python3 bench/baselines/paired.py [--vigie-dev DEV_UNITS] VIGIE_UNITS RESULTS_DIR WORK_DIR [NAME...] > PAIRED.md

VIGIE_UNITS is the file written by `vigie eval --split test --units FILE`; RESULTS_DIR holds the
baselines' <name>.json (for their dev thresholds) and WORK_DIR their <name>/scores.tsv (per-unit
scores), both written by run.sh. NAME defaults to fasttext and svm, those whose files exist.

Each detector is taken at its own threshold, chosen on dev. The units are VTPAN's odd rows, matched
by id; a unit missing on either side is an error. The difference of F0.5 (Vigie minus the baseline)
gets a 95% interval from a paired bootstrap: the same resampled units for both detectors, 2000
resamples, seed 1, so that the part of the noise the two share cancels out.

Vigie's own threshold comes from its calibration rule (precision >= 0.95 and FPR <= 0.005 on dev);
the baselines' rule allows FPR <= 0.01. With --vigie-dev (the units of `vigie eval --split dev
--units`), a second table takes Vigie at the threshold the baselines' rule picks on those dev units,
so that both sides are compared under one rule.
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np

RESAMPLES = 2000
SEED = 1


def fail(msg):
    print("paired.py: " + msg, file=sys.stderr)
    sys.exit(1)


def f05(tp, fp, fn):
    """F0.5 from counts (arrays allowed), 0 where undefined."""
    tp, fp, fn = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    den = 1.25 * tp + 0.25 * fn + fp
    return np.divide(1.25 * tp, den, out=np.zeros_like(den), where=den > 0)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def vigie_dev_threshold(path):
    """The threshold the baselines' rule (common.choose_threshold) picks on Vigie's dev units."""
    import common
    y, sc = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            u = json.loads(line)
            if "grooming" in u.get("labels", {}):
                y.append(bool(u["labels"]["grooming"]))
                sc.append(float(u["scores"]["grooming"]))
    if not y:
        fail("%s holds no unit with a grooming label" % path)
    t, rule = common.choose_threshold(y, sc)
    return t, rule


def vigie_units(path, threshold=None):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                u = json.loads(line)
            except json.JSONDecodeError as e:
                fail("%s:%d: %s" % (path, n, e))
            if u.get("groups", {}).get("source") != "vtpan" or "grooming" not in u.get("labels", {}):
                continue
            flagged = bool(u["flagged"]["grooming"]) if threshold is None else float(u["scores"]["grooming"]) >= threshold
            out[u["id"]] = (bool(u["labels"]["grooming"]), flagged)
    return out


def baseline_units(results_dir, work_dir, name):
    with open(os.path.join(results_dir, name + ".json"), encoding="utf-8") as f:
        threshold = float(json.load(f)["tasks"]["grooming"]["threshold"])
    out = {}
    with open(os.path.join(work_dir, name, "scores.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["part"] != "test" or row["dataset"] != "vtpan":
                continue
            out[row["id"]] = (row["label"] == "grooming", float(row["grooming"]) >= threshold)
    return out, threshold


def table(vig, names, results_dir, work_dir):
    rng = np.random.default_rng(SEED)
    ids = sorted(vig)
    idx = rng.integers(0, len(ids), size=(RESAMPLES, len(ids)))
    print("| baseline | units | Vigie F0.5 | baseline F0.5 | Vigie − baseline | 95% interval of the difference | both right | only Vigie right | only baseline right |")
    print("| --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: |")
    for name in names:
        base, _ = baseline_units(results_dir, work_dir, name)
        if set(base) != set(vig):
            fail("%s: the VTPAN test units differ from Vigie's (%d vs %d, %d in common)" % (name, len(base), len(vig), len(set(base) & set(vig))))
        y = np.array([vig[i][0] for i in ids])
        if any(base[i][0] != vig[i][0] for i in ids):
            fail("%s: labels differ from Vigie's on some units" % name)
        fv = np.array([vig[i][1] for i in ids])
        fb = np.array([base[i][1] for i in ids])

        def scores(flag, sel):
            yy, ff = y[sel], flag[sel]
            return f05((yy & ff).sum(-1), (~yy & ff).sum(-1), (yy & ~ff).sum(-1))

        point_v, point_b = scores(fv, slice(None)), scores(fb, slice(None))
        diff = scores(fv, idx) - scores(fb, idx)
        lo, hi = np.percentile(diff, [2.5, 97.5])
        rv, rb = fv == y, fb == y
        print("| %s | %d | %.3f | %.3f | %+.3f | %+.3f to %+.3f | %d | %d | %d |" % (
            name, len(ids), point_v, point_b, point_v - point_b, lo, hi,
            int((rv & rb).sum()), int((rv & ~rb).sum()), int((~rv & rb).sum())))


def main(argv):
    argv = list(argv)
    dev = None
    if "--vigie-dev" in argv:
        i = argv.index("--vigie-dev")
        if i + 1 >= len(argv):
            fail("--vigie-dev needs a file")
        dev = argv[i + 1]
        del argv[i:i + 2]
    if len(argv) < 4:
        fail("usage: paired.py [--vigie-dev DEV_UNITS] VIGIE_UNITS RESULTS_DIR WORK_DIR [NAME...]")
    vig = vigie_units(argv[1])
    if not vig:
        fail("%s holds no VTPAN unit: run vigie eval --split test --units" % argv[1])
    names = argv[4:] or [n for n in ("fasttext", "svm") if os.path.exists(os.path.join(argv[3], n, "scores.tsv"))]
    print("# Paired comparison on VTPAN's test rows (odd)\n")
    print("Written by `bench/baselines/paired.py` from `vigie eval --split test --units` and the")
    print("baselines' per-unit scores. Each detector at its own dev-chosen threshold; 95% intervals")
    print("from a paired bootstrap over the units (%d resamples, seed %d)." % (RESAMPLES, SEED))
    print("Inputs (sha256): Vigie units `%s`; %s.\n" % (sha256(argv[1]), ", ".join(
        "%s scores `%s`" % (n, sha256(os.path.join(argv[3], n, "scores.tsv"))) for n in names)))
    print("Vigie at its own threshold (precision >= 0.95 and FPR <= 0.005 on dev):\n")
    table(vig, names, argv[2], argv[3])
    if dev:
        t, rule = vigie_dev_threshold(dev)
        print("\nVigie at the threshold the baselines' rule picks on Vigie's dev units (`%s`, sha256 `%s`):" % (os.path.basename(dev), sha256(dev)))
        print("%s, t = %.4f.\n" % (rule, t))
        table(vigie_units(argv[1], t), names, argv[2], argv[3])


if __name__ == "__main__":
    main(sys.argv)
