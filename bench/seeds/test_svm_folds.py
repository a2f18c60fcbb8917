"""Tests of svm_folds.py: cd bench/seeds && /usr/bin/python3 -m unittest test_svm_folds"""
import contextlib
import io
import json
import os
import tempfile
import unittest

import svm_folds


class TestHelpers(unittest.TestCase):
    def test_fold_of_matches_vigie(self):
        # datasets.VTPANSplit: odd rows are test; even row r is dev of fold (r/2) mod 5.
        self.assertIsNone(svm_folds.fold_of(7))
        self.assertEqual([svm_folds.fold_of(r) for r in (0, 2, 4, 8, 10, 12)], [0, 1, 2, 4, 0, 1])
        self.assertEqual(svm_folds.vtpan_row("vtpan-42"), 42)
        self.assertIsNone(svm_folds.vtpan_row("pj-x-w0"))

    def test_best_f05(self):
        # Perfect ranking: 1. Labels 1,0,1 by score: cut after the first gives P 1, R 0.5
        # (F0.5 0.833); after all three P 2/3, R 1 (0.714).
        self.assertEqual(svm_folds.best_f05([1, 1, 0], [3, 2, 1]), 1.0)
        self.assertAlmostEqual(svm_folds.best_f05([1, 0, 1], [3, 2, 1]), 1.25 * 0.5 / (0.25 + 0.5))
        # A tie is flagged whole: scores 1, 1 for labels 1, 0 give P 0.5, R 1 whatever the order.
        for y in ([1, 0], [0, 1]):
            self.assertAlmostEqual(svm_folds.best_f05(y, [1, 1]), 1.25 * 0.5 / (0.125 + 1))


class TestWeighting(unittest.TestCase):
    def test_norms(self):
        import numpy as np
        texts = ["alpha beta", "alpha alpha alpha beta gamma", "delta"]
        l2 = svm_folds.Weighting("l2").fit(texts).transform(texts)
        vig = svm_folds.Weighting("vigie").fit(texts).transform(texts)
        # l2: unit rows. vigie: count x idf over sqrt(sum count x idf^2), so the squared norm of a row
        # is sum c^2 idf^2 / sum c idf^2: 1 when no n-gram repeats, above 1 when some do.
        np.testing.assert_allclose(np.asarray(l2.multiply(l2).sum(axis=1)).ravel(), 1.0)
        norms = np.asarray(vig.multiply(vig).sum(axis=1)).ravel()
        self.assertGreater(norms[1], 1.0)
        # Same direction: the two differ by a factor per row.
        for i in range(len(texts)):
            a, b = l2[i].toarray().ravel(), vig[i].toarray().ravel()
            np.testing.assert_allclose(b, a * np.sqrt(norms[i]), rtol=1e-9)
        with self.assertRaises(ValueError):
            svm_folds.Weighting("sublinear")


class TestRuleThreshold(unittest.TestCase):
    def test_rule(self):
        import numpy as np
        s = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4] + [0.1] * 198)
        y = np.array([1, 1, 0, 1, 1, 0] + [0] * 198)
        # 200 negatives: one false positive is 0.5%, within the FPR cap; at 0.5 precision is 4/5 < 0.95.
        self.assertEqual(svm_folds.rule_threshold(s, y), 0.8)
        self.assertEqual(svm_folds.rule_threshold(s, y, min_precision=0.75), 0.5)
        self.assertEqual(svm_folds.rule_threshold(s, y, min_precision=0.75, max_fpr=0.0), 0.8)
        self.assertEqual(svm_folds.rule_threshold(np.array([0.5, 0.5]), np.array([1, 0])), float("inf"))


class TestRank(unittest.TestCase):
    def test_rank_reads_both_and_checks_rows(self):
        with tempfile.TemporaryDirectory() as d:
            run = os.path.join(d, "cv")
            for k in range(svm_folds.FOLDS):
                rows = [2 * (k + 5 * j) for j in range(4)]  # even rows of fold k
                labels = [1, 0, 1, 0]
                with open("%s-s%d-dev.units" % (run, k + 1), "w") as f:
                    for r, y, s in zip(rows, labels, (0.9, 0.8, 0.3, 0.1)):
                        f.write(json.dumps({"id": "vtpan-%d" % r, "labels": {"grooming": bool(y)},
                                            "scores": {"grooming": s}}) + "\n")
                    f.write(json.dumps({"id": "pj-a-w0", "labels": {"grooming": True}, "scores": {"grooming": 1}}) + "\n")
                with open(os.path.join(d, "svm-fold%d.tsv" % k), "w") as f:
                    for r, y, s in zip(rows, labels, (2, -1, 1, -2)):
                        f.write("vtpan-%d\t%d\t%f\n" % (r, y, s))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                svm_folds.rank(d, run, 1)
            text = out.getvalue()
            self.assertIn("svm              1.0000 / 1.000 / 1.000", text)
            self.assertIn("vigie            0.7500", text)
            # A row scored by one side only is an error.
            with open(os.path.join(d, "svm-fold4.tsv"), "a") as f:
                f.write("vtpan-998\t0\t0\n")
            with self.assertRaises(SystemExit), contextlib.redirect_stdout(io.StringIO()):
                svm_folds.rank(d, run, 1)


if __name__ == "__main__":
    unittest.main()
