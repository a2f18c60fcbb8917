"""Tests of ensemble.py: cd bench/seeds && /usr/bin/python3 -m unittest test_ensemble"""
import contextlib
import io
import os
import tempfile
import unittest

import ensemble
from test_compare import g, write


class CalibrateTest(unittest.TestCase):
    def test_fpr_bound(self):
        # 400 negatives 0.0000..0.9975; FPR <= 0.005 allows 2 of them. All 100 positives are
        # above the second highest negative (0.995), and the highest threshold with that recall is
        # the lower positive score, 0.9965: the threshold sits halfway from it to 0.995.
        neg = [(i / 400, False) for i in range(400)]
        pos = [(0.999, True)] * 50 + [(0.9965, True)] * 50
        t = ensemble.calibrate(neg + pos)
        self.assertAlmostEqual(t, (0.9965 + 0.9950) / 2)

    def test_precision_bound(self):
        # 1 positive over 1 negative: precision 0.5 at the lower step, so only the top is flagged.
        pairs = [(0.9, True), (0.8, False), (0.7, True)] + [(0.1, False)] * 1000
        self.assertAlmostEqual(ensemble.calibrate(pairs), 0.85)

    def test_precision_unreachable(self):
        # The top score is a negative, so no step reaches precision 0.95 (1/2, then 2/3): the rule
        # falls back to the highest recall within the FPR bound, both positives with that negative.
        pairs = [(0.95, False), (0.9, True), (0.8, True)] + [(0.1, False)] * 1000
        self.assertAlmostEqual(ensemble.calibrate(pairs), (0.8 + 0.1) / 2)

    def test_unreachable(self):
        # Every step breaks the FPR bound: nothing is flagged.
        t = ensemble.calibrate([(0.9, False), (0.8, True)])
        self.assertGreater(t, 0.9)
        with self.assertRaises(ValueError):
            ensemble.calibrate([(0.9, True)])


class EnsembleTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.prefix = os.path.join(self.dir.name, "cv")
        negs = [g(False, i / 1000, False, uid="n%d" % i) for i in range(900)]
        # Two VTPAN positives and one VTPAN negative. Seed 1 ranks positive a below the negative,
        # seed 2 ranks positive b below it; their mean ranks both positives above it.
        for seed, (a, b, n) in ((1, (0.93, 0.99, 0.95)), (2, (0.99, 0.93, 0.95))):
            units = negs + [g(True, a, False, uid="vtpan-0", source="vtpan"),
                            g(True, b, False, uid="vtpan-2", source="vtpan"),
                            g(False, n, False, uid="vtpan-4", source="vtpan")]
            write("%s-s%d-dev.units" % (self.prefix, seed), units)

    def tearDown(self):
        self.dir.cleanup()

    def test_measure(self):
        m = ensemble.measure([(self.prefix, [1]), (self.prefix, [2])])
        # Alone, a seed cannot flag its low positive (0.93) without the negative above it
        # (precision 2/3 < 0.95), so it flags its high positive only: summed over the two seeds,
        # TP 2, FN 2. Their mean puts both positives (0.96) above the negative (0.95).
        self.assertEqual(m["single"][:3], (2, 0, 2))
        self.assertEqual(m["prob"][:3], (2, 0, 0))
        self.assertEqual(m["logit"][:3], (2, 0, 0))
        # VTPAN ROC-AUC: alone, one of the two positives is below the negative (0.5); the mean
        # ranks both above it (1.0).
        self.assertAlmostEqual(m["single"][3], 0.5)
        self.assertAlmostEqual(m["prob"][3], 1.0)

    def test_main(self):
        out = io.StringIO()
        self.assertEqual(ensemble.main([self.prefix + ":1-1", self.prefix + ":2-2"], out), 0)
        lines = out.getvalue().splitlines()
        self.assertEqual(len(lines), 5)
        self.assertIn("mean of logits", lines[4])
        with contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(ensemble.main([self.prefix + ":1-1"], io.StringIO()), 2)
            self.assertEqual(ensemble.main([self.prefix + ":2-1", self.prefix + ":1-1"], io.StringIO()), 2)
            self.assertEqual(ensemble.main([self.prefix + ":1-1", self.prefix + ":3-3"], io.StringIO()), 1)
        self.assertIn("cv-s3-dev.units", err.getvalue())


if __name__ == "__main__":
    unittest.main()
