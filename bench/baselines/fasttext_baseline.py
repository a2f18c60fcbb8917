#!/usr/bin/python3
"""fastText supervised baseline: one model with three labels (grooming,
sextortion, benign) and the one-vs-all loss, so that each label has its own
sigmoid: P(grooming) scores the grooming-vs-rest task and P(sextortion) the
sextortion-vs-rest task. Trained on the train split, thresholds chosen on dev,
reported on test. Calls the Debian `fasttext` binary.

usage: fasttext_baseline.py DATA_DIR WORK_DIR OUT_DIR
"""

import json
import os
import platform
import resource
import subprocess
import sys
import time

import numpy as np

import common

FASTTEXT = os.environ.get("FASTTEXT", "fasttext")
HYPER = ["-wordNgrams", "2", "-minn", "3", "-maxn", "5", "-epoch", "10", "-lr", "0.5",
         "-dim", "50", "-loss", "ova", "-thread", "1", "-seed", "1", "-verbose", "1"]


def run(cmd, stdout=None):
    """Run a command, failing loudly with its stderr; returns its (wall, cpu) seconds."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=stdout if stdout is not None else subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        common.fail("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()[-2000:]))
    return dt, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            if "\n" in line:
                common.fail("internal: newline in a fastText line for %s" % path)
            f.write(line + "\n")


def predict_prob(model, text_path, n):
    """{label: array of P(label)} per line of text_path, for every label of the model."""
    out = text_path + ".prob"
    with open(out, "w") as f:
        dt, _ = run([FASTTEXT, "predict-prob", model, text_path, "-1", "0.0"], stdout=f)
    probs = {task: [] for task in common.TASKS}
    with open(out) as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            if len(parts) != 2 * len(common.LABELS):
                common.fail("%s:%d: expected %d labels in predict-prob output" % (out, lineno, len(common.LABELS)))
            d = {parts[i]: float(parts[i + 1]) for i in range(0, len(parts), 2)}
            for task in common.TASKS:
                if "__label__" + task not in d:
                    common.fail("%s:%d: no __label__%s in predict-prob output" % (out, lineno, task))
                probs[task].append(d["__label__" + task])
    for task in common.TASKS:
        if len(probs[task]) != n:
            common.fail("%s: %d predictions for %d input lines" % (out, len(probs[task]), n))
    return {task: np.clip(np.asarray(v), 0.0, 1.0) for task, v in probs.items()}, dt


def fasttext_version():
    try:
        v = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fasttext"], capture_output=True, text=True)
        return "fasttext (Debian) " + v.stdout.strip() if v.returncode == 0 else "unknown"
    except OSError:
        return "unknown"


def main():
    if len(sys.argv) != 4:
        common.fail("usage: fasttext_baseline.py DATA_DIR WORK_DIR OUT_DIR")
    data_dir, work, out_dir = sys.argv[1:]
    work = os.path.join(work, "fasttext")
    os.makedirs(work, exist_ok=True)
    try:
        data, provenance = common.load_data(data_dir)
    except common.DataError as e:
        common.fail(str(e))

    text = {p: [common.fasttext_text(u["text"]) for u in data[p]] for p in common.PARTS}
    for p in ("dev", "test"):
        write_lines(os.path.join(work, p + ".txt"), text[p])

    scores = {"dev": {}, "test": {}}
    timings = {}
    train_path = os.path.join(work, "train.txt")
    write_lines(train_path, ["__label__%s %s" % (u["label"], t) for u, t in zip(data["train"], text["train"])])
    model = os.path.join(work, "model")
    cmd = [FASTTEXT, "supervised", "-input", train_path, "-output", model] + HYPER
    command = " ".join(["fasttext", "supervised", "-input", "train.txt", "-output", "model"] + HYPER)
    print("fasttext: training on %d units: %s" % (len(data["train"]), command), file=sys.stderr)
    train_s, train_cpu = run(cmd)
    timings["train_s"] = round(train_s, 3)
    timings["train_cpu_s"] = round(train_cpu, 3)
    print("fasttext: trained in %.1fs wall, %.1fs cpu" % (train_s, train_cpu), file=sys.stderr)
    for p in ("dev", "test"):
        probs, dt = predict_prob(model + ".bin", os.path.join(work, p + ".txt"), len(data[p]))
        for task in common.TASKS:
            scores[p][task] = common.finite(probs[task], "fasttext %s %s" % (task, p))
        timings["predict_prob_%s_s" % p] = round(dt, 3)

    # Speed anchor: `fasttext predict` on the test messages, one message per line
    # and one unit per line, minus the model load (a one-line run).
    msgs = [common.fasttext_text(m) for u in data["test"] for m in u["messages"]]
    write_lines(os.path.join(work, "test_messages.txt"), msgs)
    write_lines(os.path.join(work, "one.txt"), ["hello"])
    model = os.path.join(work, "model.bin")

    def best(path, times):
        runs = [run([FASTTEXT, "predict", model, path]) for _ in range(times)]
        return min(r[0] for r in runs), min(r[1] for r in runs)

    load = best(os.path.join(work, "one.txt"), 2)
    per_msg = best(os.path.join(work, "test_messages.txt"), 1)
    per_unit = best(os.path.join(work, "test.txt"), 1)
    n_msgs = len(msgs)

    def rate(total, base):
        return round(n_msgs / max(total - base, 1e-9))

    speed = {
        "messages": n_msgs,
        "units": len(data["test"]),
        "model_load_wall_s": round(load[0], 3),
        "model_load_cpu_s": round(load[1], 3),
        "one_message_per_line_wall_s": round(per_msg[0], 3),
        "one_message_per_line_cpu_s": round(per_msg[1], 3),
        "one_unit_per_line_wall_s": round(per_unit[0], 3),
        "one_unit_per_line_cpu_s": round(per_unit[1], 3),
        "messages_per_cpu_s_one_message_per_line": rate(per_msg[1], load[1]),
        "messages_per_cpu_s_one_unit_per_line": rate(per_unit[1], load[1]),
        "messages_per_wall_s_one_message_per_line": rate(per_msg[0], load[0]),
        "messages_per_wall_s_one_unit_per_line": rate(per_unit[0], load[0]),
        "note": "`fasttext predict model.bin FILE > /dev/null`, 1 thread, one run minus the best of 2 one-line runs (model load); CPU time (user+sys) is the figure to compare, wall time depends on the other jobs of this shared machine",
    }

    common.write_scores(os.path.join(work, "scores.tsv"), data, scores)
    ev = common.evaluate(data["dev"], data["test"], scores["dev"], scores["test"])
    result = {
        "baseline": "fasttext",
        "description": "fastText supervised, one model, labels grooming/sextortion/benign with the one-vs-all loss (a sigmoid per label); score of a task = P(label); unit text lower-cased with punctuation split off",
        "versions": {"fasttext": fasttext_version(), "python": platform.python_version()},
        "hyperparameters": " ".join(HYPER),
        "command": command,
        "data": provenance,
        "timings": timings,
        "speed": speed,
        **ev,
    }
    path = common.write_result(out_dir, "fasttext", result)
    print("fasttext: wrote %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
