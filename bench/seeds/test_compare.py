"""Tests of compare.py: cd bench/seeds && /usr/bin/python3 -m unittest test_compare"""
import contextlib
import io
import json
import os
import tempfile
import unittest

import compare


def unit(uid, labels, scores, flagged, set_="real", source="x"):
    return {"id": uid, "groups": {"lang": "en", "set": set_, "source": source},
            "labels": labels, "scores": scores, "flagged": flagged}


def g(label, score, flagged, uid="u", set_="real", source="x"):
    """A unit with both heads, only the grooming one set."""
    return unit(uid, {"grooming": label, "sextortion": False}, {"grooming": score, "sextortion": 0.0},
                {"grooming": flagged, "sextortion": False}, set_=set_, source=source)


def write(path, units):
    with open(path, "w", encoding="utf-8") as f:
        for u in units:
            f.write(json.dumps(u) + "\n")


class MetricsTest(unittest.TestCase):
    def test_roc_auc(self):
        self.assertEqual(compare.roc_auc([(0.9, True), (0.1, False)]), 1.0)
        self.assertEqual(compare.roc_auc([(0.1, True), (0.9, False)]), 0.0)
        self.assertEqual(compare.roc_auc([(0.5, True), (0.5, False)]), 0.5)
        self.assertAlmostEqual(compare.roc_auc([(0.8, True), (0.3, True), (0.5, False), (0.1, False)]), 0.75)
        with self.assertRaises(ValueError):
            compare.roc_auc([(0.5, True)])

    def test_recall_at_fpr(self):
        # 200 negatives from 0.000 to 0.995: at 0.5%, the threshold is the second highest (0.990)
        # and one negative (0.995) is above it.
        neg = [(i / 200, False) for i in range(200)]
        pos = [(0.999, True), (0.993, True), (0.990, True), (0.5, True)]
        self.assertEqual(compare.recall_at_fpr(neg + pos, 0.005), 0.5)

    def test_f05(self):
        tp = g(True, 0.9, True)
        fn = g(True, 0.1, False)
        fp = g(False, 0.9, True)
        # precision 1, recall 0.5: F0.5 = 1.25 * 0.5 / (0.25 + 0.5) = 0.8333 (F1 would be 0.667)
        self.assertAlmostEqual(compare.f05([tp, fn], "grooming"), 1.25 * 0.5 / 0.75)
        # precision 0.5, recall 1: F0.5 = 1.25 * 0.5 / (0.125 + 1) = 0.5556
        self.assertAlmostEqual(compare.f05([tp, fp], "grooming"), 1.25 * 0.5 / 1.125)
        self.assertEqual(compare.f05([fn], "grooming"), 0.0)


class MeasureTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.prefix = os.path.join(self.dir.name, "run")
        for seed, vt_neg in ((3, False), (11, True)):
            dev = [
                # VTPAN: one positive found; in seed 11 a VTPAN negative is flagged too.
                g(True, 0.9, True, uid="vtpan-0", source="vtpan"),
                g(False, 0.95 if vt_neg else 0.2, vt_neg, uid="vtpan-%d" % (2 if seed == 3 else 4), source="vtpan"),
                # a flagged negative of another source, which VTPAN's F0.5 must not count
                g(False, 0.99, True, source="nps"),
                # real positives: one above every real negative but the top one, one below the
                # threshold (0.299, see test_measure)
                g(True, 0.995, True, source="pj"), g(True, 0.25, False, source="pj"),
                # synthetic negatives above everything, which the real recall must ignore
                g(False, 1.0, True, set_="synthetic", source="synth-benign"),
                g(False, 1.0, True, set_="synthetic", source="synth-benign"),
            ] + [g(False, i / 1000, False, source="nps") for i in range(300)]
            devx = [unit("x1", {"grooming": True}, {"grooming": 0.9}, {"grooming": True}, set_="synthetic"),
                    unit("x2", {"grooming": True}, {"grooming": 0.1}, {"grooming": False}, set_="synthetic"),
                    unit("x3", {"sextortion": True}, {"sextortion": 0.9}, {"sextortion": seed == 3}, set_="synthetic")]
            devset = [g(False, 0.99, True, uid="dev-en-01"), g(False, 0.1, False, uid="dev-en-02"),
                      g(True, 0.5, False, uid="dev-en-18"), g(True, 0.97, True, uid="dev-en-20"),
                      unit("dev-fr-22", {"sextortion": True}, {"sextortion": 0.99}, {"sextortion": True})]
            write("%s-s%d-dev.units" % (self.prefix, seed), dev)
            write("%s-s%d-devx.units" % (self.prefix, seed), devx)
            write("%s-s%d-devset.units" % (self.prefix, seed), devset)

    def tearDown(self):
        self.dir.cleanup()

    def test_measure(self):
        self.assertEqual(compare.seeds_of(self.prefix), [3, 11])
        m = compare.measure(self.prefix + "-s3")
        self.assertEqual(m["look"], 1)
        self.assertEqual(m["excerpts"], 1)  # dev-fr-22 found, dev-en-18 missed
        self.assertAlmostEqual(m["auc"], 0.5)  # positives 0.5, 0.97 against negatives 0.1, 0.99
        # Real negatives: 0.99 (nps), 0.2 (vtpan) and 0.000 to 0.299: at 0.5% of 302, the threshold
        # is the second highest, 0.299, and 0.9 and 0.995 are above it, 0.25 below. Counting the
        # synthetic negatives (1.0) would put the threshold at 1.0 and the recall at 0.
        self.assertAlmostEqual(m["real_recall"], 2 / 3)
        self.assertEqual(m["vtpan_f05"], 1.0)
        self.assertEqual(m["vtpan_auc"], 1.0)
        self.assertEqual(m["excerpt_g"], 0.5)
        self.assertEqual(m["excerpt_s"], 1.0)
        m = compare.measure(self.prefix + "-s11")
        self.assertAlmostEqual(m["vtpan_f05"], 1.25 * 0.5 / 1.125)  # precision 0.5, recall 1
        self.assertEqual(m["vtpan_auc"], 0.0)
        self.assertEqual(m["excerpt_s"], 0.0)

    def test_main(self):
        out = io.StringIO()
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(compare.main(["--per-seed", self.prefix], out), 0)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 5)  # header, rule, two seeds, the mean
        self.assertTrue(lines[2].startswith("| run, seed 3 |"))
        self.assertTrue(lines[4].startswith("| run (mean of seeds 3, 11) |"))
        cells = [c.strip() for c in lines[4].strip("|").split("|")]
        self.assertEqual(cells[6], "0.5000")  # VTPAN dev ROC-AUC: mean of 1.0 and 0.0
        out = io.StringIO()
        self.assertEqual(compare.main(["--seeds", "3-3", self.prefix], out), 0)
        self.assertIn("mean of seeds 3)", out.getvalue())
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(compare.main(["--seeds", "3-4", self.prefix], io.StringIO()), 1)

    def test_pooled(self):
        # Seed 3: the positive found, its negative not flagged; seed 11: the positive found and its
        # negative flagged. Pooled: TP 2, FP 1, FN 0, precision 2/3, recall 1; three distinct rows.
        m = compare.pooled([self.prefix + "-s3", self.prefix + "-s11"])
        self.assertEqual((m["tp"], m["fp"], m["fn"], m["tn"], m["rows"]), (2, 1, 0, 1, 3))
        self.assertAlmostEqual(m["f05"], 1.25 * (2 / 3) / (0.25 * (2 / 3) + 1))
        # Bootstrap interval: reproducible, and around the value. With 4 rows, a resample without
        # the FP row reaches 1, one with only the FP row or TN rows reaches 0.
        self.assertEqual(compare.pooled([self.prefix + "-s3", self.prefix + "-s11"])["f05_low"], m["f05_low"])
        self.assertLessEqual(m["f05_low"], m["f05"])
        self.assertGreaterEqual(m["f05_high"], m["f05"])
        self.assertEqual(m["f05_high"], 1.0)
        self.assertEqual(m["f05_low"], 0.0)
        out = io.StringIO()
        self.assertEqual(compare.main(["--pooled", self.prefix], out), 0)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 3)
        cells = [c.strip() for c in lines[2].strip("|").split("|")]
        self.assertEqual(cells[:6], ["run", "3, 11", "3", "2", "1", "0"])
        self.assertEqual(cells[8], "0.714")
        self.assertEqual(cells[9], "0.000–1.000")
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(compare.main(["--pooled", "--per-seed", self.prefix], io.StringIO()), 2)
        # Seeds 3 and 11 hold out different rows here (3 rows, 4 held out): a row held out twice
        # (vtpan-0) is said.
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(compare.main(["--pooled", self.prefix], io.StringIO()), 0)
        self.assertIn("3 VTPAN dev rows held out 4 times", err.getvalue())

    def test_pooled_max_fpr(self):
        # Grooming negatives of a seed's dev: 300 nps (0.000 to 0.299), 0.99 (nps), one VTPAN
        # negative, two synthetic ones at 1.0: 304 in all. Positives 0.9 (VTPAN), 0.995 and 0.25.
        # At max_fpr 0: no negative may be flagged, and the synthetic 1.0s top everything, so the
        # rule falls back to no precision bound and flags nothing: TP 0, FN 2.
        m = compare.pooled([self.prefix + "-s3", self.prefix + "-s11"], max_fpr=0.0)
        self.assertEqual((m["tp"], m["fp"], m["fn"]), (0, 0, 2))
        # At 5% (15 of 304 negatives may be flagged): precision 0.95 is never reached (two
        # negatives top the list), so the rule keeps the highest recall within the rate: 0.9 and
        # 0.995 are above at most 4 negatives, 0.25 has over 49 nps negatives above it. The
        # threshold falls halfway under 0.9: seed 11's VTPAN negative at 0.95 is flagged, seed 3's
        # at 0.2 is not, and both VTPAN positives are found.
        m = compare.pooled([self.prefix + "-s3", self.prefix + "-s11"], max_fpr=0.05)
        self.assertEqual((m["tp"], m["fp"], m["fn"]), (2, 1, 0))
        out = io.StringIO()
        self.assertEqual(compare.main(["--pooled", "--max-fpr", "0", self.prefix], out), 0)
        cells = [c.strip() for c in out.getvalue().splitlines()[2].strip("|").split("|")]
        self.assertEqual(cells[3:6], ["0", "0", "2"])
        for bad in (["--max-fpr", "x", "--pooled", self.prefix], ["--max-fpr", "2", "--pooled", self.prefix],
                    ["--max-fpr", "0.01", self.prefix]):
            with contextlib.redirect_stderr(io.StringIO()):
                self.assertEqual(compare.main(bad, io.StringIO()), 2, bad)


if __name__ == "__main__":
    unittest.main()
