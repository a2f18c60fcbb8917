#!/usr/bin/python3
"""Write OUT/BASELINES.md from the OUT/<baseline>.json files written by
fasttext_baseline.py and svm.py.

usage: tables.py OUT_DIR
"""

import json
import os
import sys

import common

ORDER = ("fasttext", "svm")


def f(x, digits=3):
    if x is None:
        return "–"
    if isinstance(x, float):
        return "%.*f" % (digits, x)
    return str(x)


def pct(x):
    return "–" if x is None else "%.2f%%" % (100 * x)


def cm(c):
    return "%d / %d / %d / %d" % (c["tp"], c["fp"], c["fn"], c["tn"])


def metric_rows(name, m):
    return "| %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        name, m["n"], m["positives"], m["flagged"], f(m["precision"]), f(m["recall"]), f(m["f1"]),
        f(m["f0_5"]), pct(m["fpr"]), f(m["roc_auc"]), f(m["pr_auc"]), cm(m["confusion"]))


HEAD = ("| slice | n | pos | flagged | precision | recall | F1 | F0.5 | FPR | ROC-AUC | PR-AUC | TP / FP / FN / TN |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")


def main():
    if len(sys.argv) != 2:
        common.fail("usage: tables.py OUT_DIR")
    out = sys.argv[1]
    results = []
    for name in ORDER:
        path = os.path.join(out, name + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                results.append(json.load(fh))
    if not results:
        common.fail("no baseline results (fasttext.json, svm.json) in %s" % out)

    langs = sorted({l for r in results for l in r["headline"]["heldout_negatives_flagged_share_by_lang"]})
    L = []
    L.append("# Baselines on Vigie's data")
    L.append("")
    L.append("Written by `bench/baselines/run.sh` (see README.md); every number below comes from the JSON files "
             "beside this one. Thresholds are chosen on the dev split only; all numbers are on the test split. "
             "Synthetic numbers measure the generator, not real-world accuracy.")
    L.append("")
    L.append("## Headline")
    L.append("")
    hdr = ["baseline", "VTPAN odd rows F0.5", "precision", "recall", "ROC-AUC", "PR-AUC"]
    hdr += ["held-out negatives %s flagged (either head)" % l for l in langs]
    hdr += ["synthetic sextortion recall", "sextortion FPR on held-out negatives"]
    L.append("| " + " | ".join(hdr) + " |")
    L.append("| --- |" + " ---: |" * (len(hdr) - 1))
    for r in results:
        h = r["headline"]
        v = h["vtpan_odd_rows_grooming"]
        row = [r["baseline"], f(v["f0_5"]), f(v["precision"]), f(v["recall"]), f(v["roc_auc"]), f(v["pr_auc"])]
        row += [pct(h["heldout_negatives_flagged_share_by_lang"].get(l, {}).get("either_flagged_share")) for l in langs]
        s = h["synthetic_sextortion_test"]
        row += [f(s["recall_at_dev_threshold"]), pct(s["fpr_on_heldout_real_negatives"])]
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    L.append("Held-out negatives flagged, per head:")
    L.append("")
    L.append("| baseline | lang | n | grooming | sextortion | either |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        for l, v in r["headline"]["heldout_negatives_flagged_share_by_lang"].items():
            L.append("| %s | %s | %d | %s | %s | %s |" % (r["baseline"], l, v["n"], pct(v["grooming_flagged_share"]),
                                                       pct(v["sextortion_flagged_share"]), pct(v["either_flagged_share"])))
    L.append("")
    L.append("## Thresholds (chosen on dev)")
    L.append("")
    L.append("| baseline | task | threshold | rule | dev precision | dev recall | dev FPR |")
    L.append("| --- | --- | ---: | --- | ---: | ---: | ---: |")
    for r in results:
        for task, t in r["tasks"].items():
            L.append("| %s | %s | %.6g | %s | %s | %s | %s |" % (r["baseline"], task, t["threshold"], t["threshold_rule"],
                                                               f(t["dev"]["precision"]), f(t["dev"]["recall"]), pct(t["dev"]["fpr"])))
    for r in results:
        for task, t in r["tasks"].items():
            L.append("")
            L.append("## %s — %s vs rest (test)" % (r["baseline"], task))
            L.append("")
            L.append(HEAD)
            L.append(metric_rows("**all test units**", t["test"]))
            L.append(metric_rows("**VTPAN odd rows**", t["vtpan_odd_rows"]))
            L.append(metric_rows("held-out real negatives", t["heldout_negatives"]["all"]))
            for k, m in t["heldout_negatives"]["by_lang"].items():
                L.append(metric_rows("held-out real negatives, %s" % k, m))
            L.append(metric_rows("synthetic", t["synthetic_test"]["all"]))
            for k, m in t["synthetic_test"]["by_lang"].items():
                L.append(metric_rows("synthetic, %s" % k, m))
            for k, m in t["synthetic_test"]["by_kind"].items():
                L.append(metric_rows("synthetic, %s" % k, m))
            for k, m in t["test_by_dataset"].items():
                L.append(metric_rows("dataset %s" % k, m))
            for k, m in t["test_by_lang"].items():
                L.append(metric_rows("lang %s" % k, m))
    L.append("")
    L.append("## Runs")
    L.append("")
    for r in results:
        L.append("- **%s**: versions %s; timings in seconds (`_cpu_s`: CPU time, the others wall time on a "
                 "2-core machine shared with other jobs) %s" % (
            r["baseline"], json.dumps(r["versions"], sort_keys=True), json.dumps(r["timings"], sort_keys=True)))
        if "speed" in r:
            s = r["speed"]
            L.append("  - `fasttext predict` speed anchor on the %d test messages (1 thread, model load subtracted): "
                     "%d messages per CPU-second one message per line, %d one unit per line "
                     "(wall: %d and %d messages/s)" % (
                         s["messages"], s["messages_per_cpu_s_one_message_per_line"],
                         s["messages_per_cpu_s_one_unit_per_line"], s["messages_per_wall_s_one_message_per_line"],
                         s["messages_per_wall_s_one_unit_per_line"]))
    files = results[0]["data"]["files"]
    L.append("")
    L.append("Data (sha256 of the exported files; identical for every baseline):")
    L.append("")
    for r in results[1:]:
        if r["data"]["files"] != files:
            common.fail("baselines were run on different data files: %s vs %s" % (results[0]["baseline"], r["baseline"]))
    for name, v in files.items():
        L.append("- `%s`: %d units, sha256 `%s`" % (name, v["units"], v["sha256"]))
    path = os.path.join(out, "BASELINES.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(L) + "\n")
    print("tables: wrote %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
