"""Shared pieces of the Vigie baselines: data loading, metrics, thresholds, results.

Used by fasttext_baseline.py and svm.py; run through run.sh (see README.md).
Never prints message text: only counts, ids and scores leave this module.
"""

import hashlib
import json
import os
import re
import sys

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

TASKS = ("grooming", "sextortion")
LABELS = ("grooming", "sextortion", "benign")
PARTS = ("train", "dev", "test")
# Sources that are not ordinary negatives: PJ (positives), VTPAN (labeled, the
# headline test) and the synthetic generator. Every other real source is a
# held-out negative source in its test split.
NOT_NEGATIVE_SOURCES = ("pj", "vtpan", "synthetic")
TARGET_PRECISION = 0.95
TARGET_FPR = 0.01


class DataError(Exception):
    """A data file is missing or does not have the expected shape."""


def fail(msg):
    """Print a clear error naming the problem and exit 1."""
    print("baselines: " + msg, file=sys.stderr)
    sys.exit(1)


def data_paths(data_dir):
    """Return {part: (real_path, synth_path)} for the six exported files."""
    paths = {}
    for part in PARTS:
        real = os.path.join(data_dir, "real_%s.jsonl" % part)
        synth = os.path.join(data_dir, "synth_%s.jsonl" % part)
        for p in (real, synth):
            if not os.path.isfile(p) or os.path.getsize(p) == 0:
                raise DataError("missing or empty data file %s (run run.sh, which exports it)" % p)
        paths[part] = (real, synth)
    return paths


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_jsonl(path, part, synthetic):
    units = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                u = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError("%s:%d: bad JSON: %s" % (path, lineno, e))
            where = "%s:%d" % (path, lineno)
            label = u.get("label")
            if label not in LABELS:
                raise DataError("%s: label %r is not one of %s" % (where, label, LABELS))
            msgs = u.get("messages")
            if not isinstance(msgs, list) or not msgs:
                raise DataError("%s: unit %r has no messages" % (where, u.get("id")))
            if synthetic:
                if u.get("synthetic") is not True:
                    raise DataError("%s: unit in a synthetic file is not marked synthetic" % where)
                dataset = "synthetic"
            else:
                if u.get("synthetic"):
                    raise DataError("%s: synthetic unit in a real-data file" % where)
                dataset = u.get("dataset")
                if not dataset:
                    raise DataError("%s: real unit without a dataset field" % where)
                if u.get("split") != part:
                    raise DataError("%s: unit of split %r in the %s file" % (where, u.get("split"), part))
            row = None
            if dataset == "vtpan":
                try:
                    row = int(u["row"])
                except (KeyError, TypeError, ValueError):
                    raise DataError("%s: VTPAN unit without a numeric row" % where)
                # The split: even rows train/dev, odd rows test only.
                if (row % 2 == 1) != (part == "test"):
                    raise DataError("%s: VTPAN row %d in the %s split breaks the even/odd rule" % (where, row, part))
            text = " ".join(m.get("text") or "" for m in msgs)
            units.append({
                "id": u.get("id"),
                "part": part,
                "dataset": dataset,
                "lang": u.get("lang") or "und",
                "label": label,
                "row": row,
                "kind": u.get("synthetic_kind") if synthetic else None,
                "n_messages": len(msgs),
                "messages": [m.get("text") or "" for m in msgs],
                "text": text,
            })
    return units


def load_data(data_dir):
    """Load the real + synthetic units of each part. Returns (units_by_part, provenance)."""
    paths = data_paths(data_dir)
    by_part = {}
    files = {}
    for part, (real, synth) in paths.items():
        units = _read_jsonl(real, part, False) + _read_jsonl(synth, part, True)
        ids = [u["id"] for u in units]
        if len(set(ids)) != len(ids):
            raise DataError("duplicate unit ids in the %s split" % part)
        by_part[part] = units
        for p in (real, synth):
            files[os.path.basename(p)] = {"sha256": sha256_file(p), "units": sum(1 for _ in open(p, encoding="utf-8"))}
    # No unit may appear in two parts.
    seen = {}
    for part, units in by_part.items():
        for u in units:
            if u["id"] in seen:
                raise DataError("unit %s is in both %s and %s" % (u["id"], seen[u["id"]], part))
            seen[u["id"]] = part
    for part in PARTS:
        for task in TASKS:
            if not any(u["label"] == task for u in by_part[part]):
                raise DataError("the %s split has no %s unit" % (part, task))
    return by_part, {"vigie": os.environ.get("VIGIE_BUILD", "unknown"), "files": files,
                     "counts": {p: count_table(by_part[p]) for p in PARTS}}


def count_table(units):
    out = {}
    for u in units:
        key = "%s/%s/%s" % (u["dataset"], u["lang"], u["label"])
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


_PUNCT = re.compile(r"([.!?,'/()\"])")
_SPACE = re.compile(r"\s+")


def fasttext_text(text):
    """fastText input line: lower case, punctuation split off (as in fastText's
    own example scripts), whitespace collapsed so that one unit is one line."""
    t = _PUNCT.sub(r" \1 ", text.lower())
    t = _SPACE.sub(" ", t).strip()
    return t if t else "<empty>"


# ---------------------------------------------------------------- metrics


def _safe_div(a, b):
    return a / b if b else None


def fbeta(p, r, beta):
    if p is None or r is None:
        return None
    if p == 0 and r == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r)


def metrics(y, s, threshold):
    """Metrics of scores s against binary truth y at 'flag when s >= threshold'."""
    y = np.asarray(y, dtype=bool)
    s = np.asarray(s, dtype=float)
    flag = s >= threshold
    tp = int(np.sum(flag & y))
    fp = int(np.sum(flag & ~y))
    fn = int(np.sum(~flag & y))
    tn = int(np.sum(~flag & ~y))
    p = _safe_div(tp, tp + fp)
    r = _safe_div(tp, tp + fn)
    both = 0 < y.sum() < len(y)
    return {
        "n": int(len(y)),
        "positives": int(y.sum()),
        "flagged": int(flag.sum()),
        "flagged_share": _safe_div(int(flag.sum()), len(y)),
        "precision": p,
        "recall": r,
        "f1": fbeta(p, r, 1.0),
        "f0_5": fbeta(p, r, 0.5),
        "fpr": _safe_div(fp, fp + tn),
        "roc_auc": float(roc_auc_score(y, s)) if both else None,
        "pr_auc": float(average_precision_score(y, s)) if both else None,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }


def choose_threshold(y, s):
    """Threshold chosen on dev: the lowest score t such that flagging s >= t has
    precision >= 0.95 and false-positive rate <= 0.01; when no t qualifies, the
    t of maximal F0.5. Returns (t, rule)."""
    y = np.asarray(y, dtype=bool)
    s = np.asarray(s, dtype=float)
    order = np.argsort(-s, kind="stable")
    ss, yy = s[order], y[order]
    tp = np.cumsum(yy)
    fp = np.cumsum(~yy)
    # Candidate thresholds are the distinct scores; keep the last index of each run of ties.
    last = np.r_[ss[1:] != ss[:-1], True]
    t, tp, fp = ss[last], tp[last], fp[last]
    P, N = y.sum(), (~y).sum()
    prec = tp / (tp + fp)
    fpr = fp / N if N else np.zeros_like(prec)
    ok = (prec >= TARGET_PRECISION) & (fpr <= TARGET_FPR)
    if ok.any():
        return float(t[ok].min()), "lowest threshold with dev precision >= 0.95 and dev FPR <= 0.01"
    rec = tp / P
    f = np.where(prec + rec > 0, 1.25 * prec * rec / np.maximum(0.25 * prec + rec, 1e-300), 0.0)
    return float(t[int(np.argmax(f))]), "max-F0.5 on dev (no threshold reached precision >= 0.95 and FPR <= 0.01)"


def _groups(units, key):
    out = {}
    for i, u in enumerate(units):
        out.setdefault(key(u), []).append(i)
    return dict(sorted(out.items()))


def _sub(y, s, idx, t):
    return metrics([y[i] for i in idx], [s[i] for i in idx], t)


def evaluate(units_dev, units_test, scores_dev, scores_test):
    """Per task: dev threshold, test metrics overall / per dataset / per lang, and the named slices."""
    out = {}
    flagged_test = {}
    for task in TASKS:
        ydev = [u["label"] == task for u in units_dev]
        ytest = [u["label"] == task for u in units_test]
        sdev, stest = scores_dev[task], scores_test[task]
        t, rule = choose_threshold(ydev, sdev)
        flagged_test[task] = [x >= t for x in stest]
        res = {
            "threshold": t,
            "threshold_rule": rule,
            "dev": metrics(ydev, sdev, t),
            "test": metrics(ytest, stest, t),
            "test_by_dataset": {k: _sub(ytest, stest, v, t) for k, v in _groups(units_test, lambda u: u["dataset"]).items()},
            "test_by_lang": {k: _sub(ytest, stest, v, t) for k, v in _groups(units_test, lambda u: u["lang"]).items()},
        }
        idx_neg = [i for i, u in enumerate(units_test) if u["dataset"] not in NOT_NEGATIVE_SOURCES]
        res["heldout_negatives"] = {
            "all": _sub(ytest, stest, idx_neg, t),
            "by_lang": {k: _sub(ytest, stest, [idx_neg[j] for j in v], t)
                        for k, v in _groups([units_test[i] for i in idx_neg], lambda u: u["lang"]).items()},
        }
        syn = [i for i, u in enumerate(units_test) if u["dataset"] == "synthetic"]
        res["synthetic_test"] = {
            "all": _sub(ytest, stest, syn, t),
            "by_lang": {k: _sub(ytest, stest, [syn[j] for j in v], t)
                        for k, v in _groups([units_test[i] for i in syn], lambda u: u["lang"]).items()},
            "by_kind": {k: _sub(ytest, stest, [syn[j] for j in v], t)
                        for k, v in _groups([units_test[i] for i in syn], lambda u: u["kind"]).items()},
        }
        vt = [i for i, u in enumerate(units_test) if u["dataset"] == "vtpan"]
        res["vtpan_odd_rows"] = _sub(ytest, stest, vt, t)
        out[task] = res

    # Headline slices, spelled out.
    neg_idx = [i for i, u in enumerate(units_test) if u["dataset"] not in NOT_NEGATIVE_SOURCES]
    langs = sorted({units_test[i]["lang"] for i in neg_idx})
    heldout = {}
    for lang in langs:
        idx = [i for i in neg_idx if units_test[i]["lang"] == lang]
        row = {"n": len(idx)}
        for task in TASKS:
            row[task + "_flagged_share"] = sum(flagged_test[task][i] for i in idx) / len(idx)
        row["either_flagged_share"] = sum(any(flagged_test[k][i] for k in TASKS) for i in idx) / len(idx)
        heldout[lang] = row
    syn_pos = [i for i, u in enumerate(units_test) if u["dataset"] == "synthetic" and u["label"] == "sextortion"]
    g = out["grooming"]["vtpan_odd_rows"]
    headline = {
        "vtpan_odd_rows_grooming": {k: g[k] for k in ("n", "positives", "precision", "recall", "f1", "f0_5", "roc_auc", "pr_auc", "confusion")},
        "heldout_negatives_flagged_share_by_lang": heldout,
        "synthetic_sextortion_test": {
            "n": len(syn_pos),
            "recall_at_dev_threshold": _safe_div(sum(flagged_test["sextortion"][i] for i in syn_pos), len(syn_pos)),
            "fpr_on_heldout_real_negatives": out["sextortion"]["heldout_negatives"]["all"]["fpr"],
        },
    }
    return {"headline": headline, "tasks": out}


def write_result(out_dir, name, result):
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=False, allow_nan=False)
        f.write("\n")
    return path


def write_scores(path, units_by_part, scores_by_part):
    """Per-unit scores (ids and numbers only, no text) as TSV."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("part\tid\tdataset\tlang\tlabel\t" + "\t".join(TASKS) + "\n")
        for part in ("dev", "test"):
            for i, u in enumerate(units_by_part[part]):
                f.write("%s\t%s\t%s\t%s\t%s\t%s\n" % (part, u["id"], u["dataset"], u["lang"], u["label"],
                                                    "\t".join(repr(float(scores_by_part[part][t][i])) for t in TASKS)))


def finite(xs, what):
    xs = np.asarray(xs, dtype=float)
    if not np.all(np.isfinite(xs)):
        fail("%s: non-finite scores" % what)
    return xs

