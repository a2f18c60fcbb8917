"""Tests of halves.py: cd bench/seeds && /usr/bin/python3 -m unittest test_halves"""
import contextlib
import io
import os
import tempfile
import unittest

import halves
from test_compare import g, write


class FitTest(unittest.TestCase):
    def test_fit_best_f05_among_allowed(self):
        # 400 easy other units: 200 positives at 0.99, 200 negatives at 0.01..0.2. The rule
        # (precision >= 0.95, FPR <= 0.005 over 200 + 3 negatives: at most one false positive)
        # allows every threshold down to the second-highest fitting negative.
        other = [(0.99, True)] * 200 + [(0.01 + i * 0.001, False) for i in range(200)]
        fitting = [(0.95, True), (0.9, False), (0.85, True), (0.8, True), (0.7, False), (0.6, True)]
        allp = other + fitting
        # Allowed steps: 0.99, 0.95, 0.9 (1 FP), 0.85, 0.8 (still 1 FP); 0.7 makes 2 FP: refused.
        # Fitting-half F0.5: 0.95 -> (1,0,3) 0.556; 0.9 -> (1,1,3) 0.357; 0.85 -> (2,1,2) 0.588;
        # 0.8 -> (3,1,1) 0.75: 0.8 wins, halfway to 0.7.
        self.assertAlmostEqual(halves.fit(allp, fitting), 0.75)
        # Precision >= 0.95 on the fitting half: only 0.95 and 0.99 qualify; 0.95 has more TP overall.
        self.assertAlmostEqual(halves.fit(allp, fitting, mode="precision"), (0.95 + 0.9) / 2)
        # Nothing allowed when every negative outranks the positives.
        self.assertIsNone(halves.fit([(0.9, False), (0.1, True)], [(0.9, False), (0.1, True)]))

    def test_half_is_stable(self):
        self.assertEqual(halves.half("vtpan-10"), halves.half("vtpan-10"))
        self.assertEqual({halves.half("vtpan-%d" % i) for i in range(0, 40, 2)}, {0, 1})


class MeasureTest(unittest.TestCase):
    def test_every_row_measured_once_per_seed(self):
        with tempfile.TemporaryDirectory() as d:
            prefix = os.path.join(d, "run")
            for seed in (1, 2):
                other = [g(True, 0.99, True, uid="o%d" % i) for i in range(200)]
                other += [g(False, i / 1000, False, uid="n%d" % i) for i in range(200)]
                vt = [g(i % 3 == 0, (i % 7) / 7 + 0.1, False, uid="vtpan-%d" % (2 * i), source="vtpan") for i in range(30)]
                write(prefix + "-s%d-dev.units" % seed, other + vt)
                write(prefix + "-s%d-devset.units" % seed, [g(False, 0.5, False, uid="dev-en-01")])
                write(prefix + "-s%d-devx.units" % seed, [g(True, 0.9, True, uid="x", set_="synthetic")])
            r = halves.measure(prefix, [1, 2])
            pos = 2 * sum(1 for i in range(30) if i % 3 == 0)
            self.assertEqual(r["base"][0] + r["base"][2], pos)
            self.assertEqual(r["new"][0] + r["new"][2], pos)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(halves.main(["--seeds", "1-2", prefix], out=out), 0)
            self.assertIn("| run | 1-2 |", out.getvalue())
            self.assertEqual(halves.main([]), 2)


if __name__ == "__main__":
    unittest.main()
