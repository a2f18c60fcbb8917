"""Tests of compare.py: cd bench/seeds && /usr/bin/python3 -m unittest test_compare"""
import json
import os
import tempfile
import unittest

import compare


def unit(uid, labels, scores, flagged, set_="real", source="x"):
    return {"id": uid, "groups": {"lang": "en", "set": set_, "source": source},
            "labels": labels, "scores": scores, "flagged": flagged}


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
        us = [unit("a", {"grooming": True}, {}, {"grooming": True}),
              unit("b", {"grooming": True}, {}, {"grooming": False}),
              unit("c", {"grooming": False}, {}, {"grooming": True})]
        # precision 0.5, recall 0.5
        self.assertAlmostEqual(compare.f05(us, "grooming"), 0.5)
        self.assertEqual(compare.f05(us[1:2], "grooming"), 0.0)


class MeasureTest(unittest.TestCase):
    def test_measure_and_seeds(self):
        with tempfile.TemporaryDirectory() as d:
            prefix = os.path.join(d, "run")

            def write(name, units):
                with open(name, "w", encoding="utf-8") as f:
                    for u in units:
                        f.write(json.dumps(u) + "\n")

            g = lambda l, s, f, **kw: unit(kw.pop("uid", "u"), {"grooming": l, "sextortion": False},
                                           {"grooming": s, "sextortion": 0.0}, {"grooming": f, "sextortion": False}, **kw)
            dev = [g(True, 0.9, True, source="vtpan"), g(False, 0.2, False, source="vtpan"),
                   g(True, 0.95, True, source="pj")] + [g(False, i / 1000, False, source="nps") for i in range(300)]
            devx = [unit("x1", {"grooming": True}, {"grooming": 0.9}, {"grooming": True}, set_="synthetic"),
                    unit("x2", {"grooming": True}, {"grooming": 0.1}, {"grooming": False}, set_="synthetic"),
                    unit("x3", {"sextortion": True}, {"sextortion": 0.9}, {"sextortion": True}, set_="synthetic")]
            devset = [g(False, 0.99, True, uid="dev-en-01"), g(False, 0.1, False, uid="dev-en-02"),
                      g(True, 0.5, False, uid="dev-en-18"), g(True, 0.97, True, uid="dev-en-20"),
                      unit("dev-fr-22", {"sextortion": True}, {"sextortion": 0.99}, {"sextortion": True})]
            for seed in (3, 11):
                write("%s-s%d-dev.units" % (prefix, seed), dev)
                write("%s-s%d-devx.units" % (prefix, seed), devx)
                write("%s-s%d-devset.units" % (prefix, seed), devset)
            self.assertEqual(compare.seeds_of(prefix), [3, 11])
            m = compare.measure(prefix + "-s3")
            self.assertEqual(m["look"], 1)
            self.assertEqual(m["excerpts"], 1)  # dev-fr-22 found, dev-en-18 missed
            self.assertAlmostEqual(m["auc"], 0.5)  # positives 0.5, 0.97 against negatives 0.1, 0.99
            self.assertEqual(m["real_recall"], 1.0)
            self.assertEqual(m["vtpan_f05"], 1.0)
            self.assertEqual(m["vtpan_auc"], 1.0)
            self.assertEqual(m["excerpt_g"], 0.5)
            self.assertEqual(m["excerpt_s"], 1.0)


if __name__ == "__main__":
    unittest.main()
