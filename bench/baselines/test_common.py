#!/usr/bin/python3
"""Tests of the threshold rule and the metrics: /usr/bin/python3 -m unittest test_common (in this folder)."""

import unittest

import common


class ThresholdTest(unittest.TestCase):
    def test_lowest_threshold_meeting_both_targets(self):
        # 100 negatives at 0.0..0.99 (step 0.01), 100 positives at 2.0..2.99 plus one at 0.5.
        # Precision >= 0.95 and FPR <= 0.01 hold from t = 0.99 (1 FP of 100 negatives,
        # 100 TP) downwards only to 0.99: at 0.98 there are 2 FP (FPR 0.02).
        y = [False] * 100 + [True] * 101
        s = [i / 100 for i in range(100)] + [2 + i / 100 for i in range(100)] + [0.5]
        t, rule = common.choose_threshold(y, s)
        self.assertAlmostEqual(t, 0.99)
        self.assertTrue(rule.startswith("lowest threshold"))
        m = common.metrics(y, s, t)
        self.assertEqual(m["confusion"], {"tp": 100, "fp": 1, "fn": 1, "tn": 99})

    def test_ties_are_one_candidate(self):
        # All scores equal: flagging everything gives precision 0.5, so no threshold
        # meets the target and max-F0.5 picks the single candidate.
        y = [True, False, True, False]
        t, rule = common.choose_threshold(y, [1.0] * 4)
        self.assertEqual(t, 1.0)
        self.assertTrue(rule.startswith("max-F0.5"))

    def test_max_f05_fallback(self):
        # Positives and negatives interleaved: precision never reaches 0.95 below the top.
        y = [True, False, True, False, True, False]
        s = [6, 5, 4, 3, 2, 1]
        t, rule = common.choose_threshold(y, s)
        # t=6: P=1 R=1/3 -> F0.5 = 0.714; t=4: P=2/3 R=2/3 -> 0.667; t=2: P=0.6 R=1 -> 0.652.
        # But t=6 also has P=1 and FPR=0, so the first rule applies there.
        self.assertEqual(t, 6)
        self.assertTrue(rule.startswith("lowest threshold"))
        y = [False, True, True, False, True, False]
        t, rule = common.choose_threshold(y, s)
        # t=6: P=0; t=5: P=.5 R=1/3 F0.5=.455; t=4: P=2/3 R=2/3 .667; t=2: P=.6 R=1 .652.
        self.assertEqual(t, 4)
        self.assertTrue(rule.startswith("max-F0.5"))


class MetricsTest(unittest.TestCase):
    def test_values(self):
        y = [True, True, False, False, False]
        s = [0.9, 0.2, 0.8, 0.1, 0.0]
        m = common.metrics(y, s, 0.5)
        self.assertEqual(m["confusion"], {"tp": 1, "fp": 1, "fn": 1, "tn": 2})
        self.assertAlmostEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["recall"], 0.5)
        self.assertAlmostEqual(m["f0_5"], 0.5)
        self.assertAlmostEqual(m["fpr"], 1 / 3)
        # Pairs (pos, neg) ranked right: 0.9 beats all 3; 0.2 beats 0.1 and 0.0 -> 5/6.
        self.assertAlmostEqual(m["roc_auc"], 5 / 6)

    def test_one_class_has_no_auc(self):
        m = common.metrics([False, False], [0.3, 0.7], 0.5)
        self.assertIsNone(m["roc_auc"])
        self.assertEqual(m["precision"], 0.0)
        self.assertIsNone(m["recall"])
        self.assertAlmostEqual(m["fpr"], 0.5)


if __name__ == "__main__":
    unittest.main()
