#!/usr/bin/python3
"""TF-IDF + linear SVM baseline (the PAN 2012 winner's style): word 1-2-grams
and char_wb 3-5-grams, sublinear tf, one LinearSVC per task (grooming vs rest,
sextortion vs rest), trained on the train split, threshold on the decision
function chosen on dev, reported on test.

usage: svm.py DATA_DIR WORK_DIR OUT_DIR
"""

import os
import platform
import sys
import time
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

import common

WORD = dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=150_000,
            lowercase=True, dtype=np.float32)
CHAR = dict(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=150_000,
            lowercase=True, dtype=np.float32)
SVC = dict(C=0.5, class_weight="balanced", loss="squared_hinge", dual=True, max_iter=5000, random_state=1)


def main():
    if len(sys.argv) != 4:
        common.fail("usage: svm.py DATA_DIR WORK_DIR OUT_DIR")
    data_dir, work, out_dir = sys.argv[1:]
    work = os.path.join(work, "svm")
    os.makedirs(work, exist_ok=True)
    try:
        data, provenance = common.load_data(data_dir)
    except common.DataError as e:
        common.fail(str(e))

    timings = {}
    t0, c0 = time.perf_counter(), time.process_time()
    vec = FeatureUnion([("word", TfidfVectorizer(**WORD)), ("char_wb", TfidfVectorizer(**CHAR))])
    print("svm: fitting TF-IDF on %d train units" % len(data["train"]), file=sys.stderr)
    X = {"train": vec.fit_transform([u["text"] for u in data["train"]])}
    timings["tfidf_fit_train_s"] = round(time.perf_counter() - t0, 3)
    timings["tfidf_fit_train_cpu_s"] = round(time.process_time() - c0, 3)
    t0 = time.perf_counter()
    for p in ("dev", "test"):
        X[p] = vec.transform([u["text"] for u in data[p]])
    timings["tfidf_transform_dev_test_s"] = round(time.perf_counter() - t0, 3)
    n_features = {name: len(v.vocabulary_) for name, v in vec.transformer_list}

    scores = {"dev": {}, "test": {}}
    convergence = {}
    for task in common.TASKS:
        y = np.array([u["label"] == task for u in data["train"]])
        clf = LinearSVC(**SVC)
        print("svm: training %s" % task, file=sys.stderr)
        t0, c0 = time.perf_counter(), time.process_time()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            clf.fit(X["train"], y)
        timings["%s_train_s" % task] = round(time.perf_counter() - t0, 3)
        timings["%s_train_cpu_s" % task] = round(time.process_time() - c0, 3)
        convergence[task] = {"n_iter": int(clf.n_iter_),
                             "converged": not any(issubclass(w.category, ConvergenceWarning) for w in caught)}
        t0 = time.perf_counter()
        for p in ("dev", "test"):
            scores[p][task] = common.finite(clf.decision_function(X[p]), "svm %s %s" % (task, p))
        timings["%s_score_dev_test_s" % task] = round(time.perf_counter() - t0, 3)
        print("svm: %s trained in %.1fs (%d iterations)" % (task, timings["%s_train_s" % task], clf.n_iter_),
              file=sys.stderr)

    common.write_scores(os.path.join(work, "scores.tsv"), data, scores)
    ev = common.evaluate(data["dev"], data["test"], scores["dev"], scores["test"])
    result = {
        "baseline": "svm",
        "description": "TF-IDF (word 1-2-grams + char_wb 3-5-grams, sublinear tf) + LinearSVC per task; score = decision_function",
        "versions": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
                     "python": platform.python_version()},
        "hyperparameters": {"tfidf_word": {k: str(v) for k, v in WORD.items()},
                            "tfidf_char": {k: str(v) for k, v in CHAR.items()},
                            "linear_svc": SVC, "n_features": n_features},
        "convergence": convergence,
        "data": provenance,
        "timings": timings,
        **ev,
    }
    path = common.write_result(out_dir, "svm", result)
    print("svm: wrote %s" % path, file=sys.stderr)


if __name__ == "__main__":
    main()
