#!/usr/bin/python3
"""Ranking of VTPAN's even rows by the TF-IDF + LinearSVC baseline, fold by fold, next to runs of
run.sh with FOLDS=1: does the baseline's model rank the rows better than Vigie's?

usage:
  svm_folds.py fit DATA_DIR OUT_DIR [FOLD...]
      DATA_DIR holds real_{train,dev,test}.jsonl and synth_{train,dev,test}.jsonl as
      bench/baselines/run.sh exports them. For each fold k (default 0 to 4) the baseline of
      bench/baselines/svm.py (same vectorizers and LinearSVC) is fitted (grooming vs rest) on the
      training units of `vigie train --dev-fold k`: the train split, its VTPAN rows replaced by the
      even rows outside fold k. OUT_DIR/svm-fold{k}.tsv gets the decision value of each of fold k's
      VTPAN rows: id, label, score.
  svm_folds.py rank OUT_DIR WORK/NAME [FIRST]
      Per fold, ROC-AUC, average precision and the best F0.5 over all thresholds (an oracle: it
      compares rankings, not operating points) of the SVM, of seed FIRST+k of the run.sh run
      WORK/NAME (default FIRST 1: seed N has fold N-1), and of the sum of the two scores
      standardized within the fold; then their means over the folds.
  svm_folds.py fit --hash N DATA_DIR OUT_DIR [FOLD...]
      The same with each block's n-grams hashed into N buckets (Vigie's budget: 65536).
  svm_folds.py fit --weighting {l2,vigie} DATA_DIR OUT_DIR [FOLD...]
      The same n-grams hashed into 65,536 buckets per block, raw counts, no min_df, both blocks
      under one norm: "l2" is count x idf over its L2 norm; "vigie" is count x idf over
      sqrt(sum count x idf^2), the norm that the wide part of a Vigie model computes (see
      models/train/linear.go; it is the L2 norm only when no id repeats).
  svm_folds.py linear WORK/WIDE WORK/PLAIN [FIRST]
      Ranking of the linear part alone of `vigie train --wide` models (run WIDE) on each fold's
      VTPAN rows, backed out of their scores, those of run PLAIN (same seeds and settings without
      --wide, hence the same network) and the stacking that WIDE's logs print.
  svm_folds.py fit-dev DATA_DIR OUT_DIR [FOLD...]
      As fit, but the SVM scores every unit of Vigie's fold-k dev split (the dev split's other
      units and fold k's VTPAN rows): OUT_DIR/svmdev-fold{k}.tsv, id and score.
  svm_folds.py stack OUT_DIR WORK/NAME [FIRST]
      Pooled VTPAN F0.5 of the network at one threshold over the whole dev split (vigie train's
      protocol, to compare this rule's implementation with the Go one), then of the network alone
      and of the network stacked with the SVM (a logistic
      regression on dev units; "flat" also lets one-message segments have their own weights), at
      thresholds chosen by vigie train's rule (highest recall with precision >= 0.95 and at most
      0.5% false positives over the dev units), each fold's VTPAN rows measured in two halves: the
      stacking and the threshold are fitted without the half they are measured on.

Reads no message text beyond what the baseline vectorizes, and prints none.
"""

import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "baselines"))

FOLDS = 5


def vtpan_row(unit_id):
    """The row number of a VTPAN unit id ("vtpan-<row>"), else None."""
    if not unit_id.startswith("vtpan-"):
        return None
    return int(unit_id.split("-", 1)[1])


def fold_of(row):
    """The dev fold of an even row, as datasets.VTPANSplit; None for odd (test) rows."""
    if row % 2:
        return None
    return (row // 2) % FOLDS


def best_f05(y, s):
    """The highest F0.5 over all thresholds of scores s for labels y (0/1); tied scores are
    flagged together."""
    y = np.asarray(y, int)
    s = np.asarray(s, float)
    o = np.argsort(-s, kind="stable")
    y, s = y[o], s[o]
    tp, fp = np.cumsum(y), np.cumsum(1 - y)
    prec, rec = tp / (tp + fp), tp / max(y.sum(), 1)
    f = 1.25 * prec * rec / np.maximum(0.25 * prec + rec, 1e-12)
    cut = np.append(s[1:] != s[:-1], True)  # a threshold flags all of a tie or none of it
    return float(f[cut].max())


def vectorizer(hash_buckets=0):
    """The baseline's word 1-2-gram and char_wb 3-5-gram TF-IDF blocks; with hash_buckets > 0,
    each block's n-grams are hashed into that many buckets instead of kept by name (Vigie hashes
    all its ids into 131,072 buckets: 65,536 per block gives the same budget)."""
    import svm
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, make_pipeline
    if not hash_buckets:
        return FeatureUnion([("word", TfidfVectorizer(**svm.WORD)), ("char_wb", TfidfVectorizer(**svm.CHAR))])
    blocks = []
    for name, cfg in (("word", svm.WORD), ("char_wb", svm.CHAR)):
        h = HashingVectorizer(analyzer=cfg["analyzer"], ngram_range=cfg["ngram_range"], lowercase=True,
                              n_features=hash_buckets, alternate_sign=False, norm=None)
        blocks.append((name, make_pipeline(h, TfidfTransformer(sublinear_tf=cfg["sublinear_tf"]))))
    return FeatureUnion(blocks)


class Weighting:
    """A vectorizer (fit/transform/fit_transform over texts) of the baseline's word 1-2 and char_wb
    3-5 n-grams, hashed into 65,536 buckets per block, raw counts times the smoothed idf of
    scikit-learn, both blocks under one norm: "l2", or "vigie" (sqrt of sum count x idf^2)."""

    def __init__(self, mode):
        if mode not in ("l2", "vigie"):
            raise ValueError("weighting must be l2 or vigie, not %r" % mode)
        self.mode = mode

    def _counts(self, texts):
        import scipy.sparse as sp
        import svm
        from sklearn.feature_extraction.text import HashingVectorizer
        blocks = [HashingVectorizer(analyzer=cfg["analyzer"], ngram_range=cfg["ngram_range"], lowercase=True,
                                    n_features=65536, alternate_sign=False, norm=None).transform(texts)
                  for cfg in (svm.WORD, svm.CHAR)]
        return sp.hstack(blocks).tocsr().astype(np.float64)

    def fit(self, texts):
        X = self._counts(texts)
        df = np.bincount(X.indices, minlength=X.shape[1])
        self.idf = np.where(df > 0, np.log((1 + X.shape[0]) / (1 + df)) + 1, 0.0)
        return self

    def transform(self, texts):
        import scipy.sparse as sp
        C = self._counts(texts)
        X = C.multiply(self.idf).tocsr()
        if self.mode == "vigie":
            n2 = np.asarray(C.multiply(self.idf ** 2).sum(axis=1)).ravel()
        else:
            n2 = np.asarray(X.multiply(X).sum(axis=1)).ravel()
        return (sp.diags(1 / np.sqrt(np.maximum(n2, 1e-12))) @ X).tocsr()

    def fit_transform(self, texts):
        return self.fit(texts).transform(texts)


def fit(data_dir, out_dir, folds, hash_buckets=0, weighting=None):
    import common
    import svm
    from sklearn.svm import LinearSVC

    data, _ = common.load_data(data_dir)
    os.makedirs(out_dir, exist_ok=True)
    for k in folds:
        train, dev = fold_split(data, k)
        dev = [u for u in dev if vtpan_row(u["id"]) is not None]
        vec = Weighting(weighting) if weighting else vectorizer(hash_buckets)
        X = vec.fit_transform([u["text"] for u in train])
        y = np.array([u["label"] == "grooming" for u in train])
        clf = LinearSVC(**svm.SVC).fit(X, y)
        s = clf.decision_function(vec.transform([u["text"] for u in dev]))
        with open(os.path.join(out_dir, "svm-fold%d.tsv" % k), "w") as f:
            for u, v in zip(dev, s):
                f.write("%s\t%d\t%.6f\n" % (u["id"], u["label"] == "grooming", v))
        print("fold %d: %d train units, %d dev rows (%d positive)" % (
            k, len(train), len(dev), sum(u["label"] == "grooming" for u in dev)), file=sys.stderr)


def fold_split(data, k):
    """The train and dev units of `vigie train --dev-fold k`: the train split's units other than
    VTPAN's, plus the even VTPAN rows outside fold k; the dev split's other units, plus fold k's
    VTPAN rows."""
    vt = [u for u in data["train"] + data["dev"] if vtpan_row(u["id"]) is not None]
    in_fold = [fold_of(vtpan_row(u["id"])) == k for u in vt]
    train = [u for u in data["train"] if vtpan_row(u["id"]) is None] + [u for u, f in zip(vt, in_fold) if not f]
    dev = [u for u in data["dev"] if vtpan_row(u["id"]) is None] + [u for u, f in zip(vt, in_fold) if f]
    return train, dev


def fit_dev(data_dir, out_dir, folds):
    import common
    import svm
    from sklearn.svm import LinearSVC

    data, _ = common.load_data(data_dir)
    os.makedirs(out_dir, exist_ok=True)
    for k in folds:
        train, dev = fold_split(data, k)
        vec = vectorizer()
        X = vec.fit_transform([u["text"] for u in train])
        y = np.array([u["label"] == "grooming" for u in train])
        s = LinearSVC(**svm.SVC).fit(X, y).decision_function(vec.transform([u["text"] for u in dev]))
        with open(os.path.join(out_dir, "svmdev-fold%d.tsv" % k), "w") as f:
            for u, v in zip(dev, s):
                f.write("%s\t%.6f\n" % (u["id"], v))
        print("fold %d: %d train units, %d dev units" % (k, len(train), len(dev)), file=sys.stderr)


def rule_threshold(s, y, min_precision=0.95, max_fpr=0.005):
    """vigie train's threshold rule: the highest recall with precision >= min_precision and a
    false-positive rate <= max_fpr, cutting between distinct scores; inf when none qualifies."""
    o = np.argsort(-s, kind="stable")
    ss, yy = s[o], y[o]
    tp, fp = np.cumsum(yy), np.cumsum(1 - yy)
    P, N = yy.sum(), len(yy) - yy.sum()
    best = None
    for i in range(len(ss)):
        if i + 1 < len(ss) and ss[i + 1] == ss[i]:
            continue
        if tp[i] / (tp[i] + fp[i]) >= min_precision and fp[i] / N <= max_fpr:
            if best is None or tp[i] / P > best[0]:
                best = (tp[i] / P, ss[i])
    return best[1] if best else np.inf


def stack(out_dir, run, first):
    from sklearn.linear_model import LogisticRegression

    for mode in ("network, whole dev", "network alone", "stacked", "stacked, flat apart"):
        tp = fp = fn = 0
        for k in range(FOLDS):
            with open("%s-s%d-dev.units" % (run, first + k)) as f:
                units = [u for u in map(json.loads, f) if u["labels"].get("grooming") is not None]
            with open(os.path.join(out_dir, "svmdev-fold%d.tsv" % k)) as f:
                svm_s = dict((i, float(v)) for i, v in (line.rstrip("\n").split("\t") for line in f))
            missing = [u["id"] for u in units if u["id"] not in svm_s]
            if missing:
                sys.exit("fold %d: %d units of the run have no SVM score (e.g. %s)" % (k, len(missing), missing[0]))
            y = np.array([int(u["labels"]["grooming"]) for u in units])
            d = np.array([logit(u["scores"]["grooming"]) for u in units])
            a = np.array([svm_s[u["id"]] for u in units])
            rows = [vtpan_row(u["id"]) for u in units]
            flat = np.array([r is not None for r in rows], float)
            # Fold k's rows are 2(k+5j): the parity of j splits them in two halves.
            half = np.array([-1 if r is None else (r // 10) % 2 for r in rows])
            X = {"network alone": np.c_[d], "stacked": np.c_[d, a],
                 "stacked, flat apart": np.c_[d, a, flat, flat * d, flat * a]}.get(mode)
            if X is None:  # vigie train's own protocol: one threshold on the whole dev split
                flagged, m = d >= rule_threshold(d, y), half >= 0
                tp += int((flagged & (y == 1) & m).sum())
                fp += int((flagged & (y == 0) & m).sum())
                fn += int((~flagged & (y == 1) & m).sum())
                continue
            for h in (0, 1):
                fit = half != h
                s = X[:, 0] if mode == "network alone" else \
                    LogisticRegression(C=1.0, max_iter=5000).fit(X[fit], y[fit]).decision_function(X)
                t = rule_threshold(s[fit], y[fit])
                m, flagged = half == h, s >= t
                tp += int((flagged & (y == 1) & m).sum())
                fp += int((flagged & (y == 0) & m).sum())
                fn += int((~flagged & (y == 1) & m).sum())
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print("%-20s TP %d FP %d FN %d  precision %.3f recall %.3f F0.5 %.3f" % (
            mode, tp, fp, fn, p, r, 1.25 * p * r / max(0.25 * p + r, 1e-12)))


def linear(wide_run, plain_run, first):
    """Ranking of the linear part alone of `vigie train --wide` models: seed N of wide_run and of
    plain_run (the same settings without --wide) share their network, so on a VTPAN row (one
    unit, one model row) the linear decision value is (z_wide - a·z_net - c)/b, with the (a, b, c)
    of the grooming head that the wide run's log prints."""
    import re
    from sklearn.metrics import average_precision_score, roc_auc_score

    got = []
    for k in range(FOLDS):
        seed = first + k
        with open("%s-s%d.log" % (wide_run, seed)) as f:
            m = re.search(r"grooming ([-0-9.]+)·net ([-+0-9.]+)·linear ([-+0-9.]+)", f.read())
        if not m:
            sys.exit("%s-s%d.log: no stacking line" % (wide_run, seed))
        a, b, c = map(float, m.groups())
        sc = []
        for run in (wide_run, plain_run):
            with open("%s-s%d-dev.units" % (run, seed)) as f:
                sc.append({u["id"]: (int(u["labels"]["grooming"]), logit(u["scores"]["grooming"]))
                           for u in map(json.loads, f) if vtpan_row(u["id"]) is not None})
        ids = sorted(sc[0])
        y = np.array([sc[0][i][0] for i in ids])
        lin = np.array([(sc[0][i][1] - a * sc[1][i][1] - c) / b for i in ids])
        got.append((roc_auc_score(y, lin), average_precision_score(y, lin), best_f05(y, lin)))
        print("fold %d (seed %d): linear part alone %.4f / %.3f / %.3f" % (k, seed, *got[-1]))
    print("ROC-AUC / average precision / best F0.5 of the linear part alone, means over the folds: %.4f / %.3f / %.3f"
          % tuple(np.mean(got, axis=0)))


def logit(p):
    p = min(max(p, 1e-7), 1 - 1e-7)
    return math.log(p / (1 - p))


def rank(out_dir, run, first):
    from sklearn.metrics import average_precision_score, roc_auc_score

    names = ("svm", "vigie", "sum of z-scores")
    means = {n: [] for n in names}
    for k in range(FOLDS):
        vig = {}
        with open("%s-s%d-dev.units" % (run, first + k)) as f:
            for line in f:
                u = json.loads(line)
                if vtpan_row(u["id"]) is not None:
                    vig[u["id"]] = (int(u["labels"]["grooming"]), logit(u["scores"]["grooming"]))
        svm_s = {}
        with open(os.path.join(out_dir, "svm-fold%d.tsv" % k)) as f:
            for line in f:
                i, y, s = line.rstrip("\n").split("\t")
                svm_s[i] = (int(y), float(s))
        if set(vig) != set(svm_s):
            sys.exit("fold %d: the run and the SVM scored different rows (%d and %d)" % (k, len(vig), len(svm_s)))
        ids = sorted(vig)
        y = np.array([vig[i][0] for i in ids])
        if any(svm_s[i][0] != vig[i][0] for i in ids):
            sys.exit("fold %d: labels differ between the run and the SVM" % k)
        a = np.array([svm_s[i][1] for i in ids])
        b = np.array([vig[i][1] for i in ids])
        z = (a - a.mean()) / a.std() + (b - b.mean()) / b.std()
        cells = []
        for n, s in zip(names, (a, b, z)):
            m = (roc_auc_score(y, s), average_precision_score(y, s), best_f05(y, s))
            means[n].append(m)
            cells.append("%s %.4f / %.3f / %.3f" % (n, *m))
        print("fold %d (seed %d, %d rows, %d positive): %s" % (k, first + k, len(y), y.sum(), "; ".join(cells)))
    print("ROC-AUC / average precision / best F0.5, means over the folds:")
    for n in names:
        print("  %-16s %.4f / %.3f / %.3f" % (n, *np.mean(means[n], axis=0)))


def main():
    args = sys.argv[1:]
    hash_buckets, weighting = 0, None
    if len(args) >= 3 and args[0] == "fit" and args[1] == "--hash":
        hash_buckets = int(args[2])
        args = args[:1] + args[3:]
    elif len(args) >= 3 and args[0] == "fit" and args[1] == "--weighting":
        weighting = args[2]
        args = args[:1] + args[3:]
    if len(args) >= 3 and args[0] == "fit":
        fit(args[1], args[2], [int(a) for a in args[3:]] or range(FOLDS), hash_buckets, weighting)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "linear":
        linear(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 1)
    elif len(sys.argv) >= 4 and sys.argv[1] == "fit-dev":
        fit_dev(sys.argv[2], sys.argv[3], [int(a) for a in sys.argv[4:]] or range(FOLDS))
    elif len(sys.argv) in (4, 5) and sys.argv[1] in ("rank", "stack"):
        fn = rank if sys.argv[1] == "rank" else stack
        fn(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 1)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
