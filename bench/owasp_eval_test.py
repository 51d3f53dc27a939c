#!/usr/bin/env python3
"""Checks of the scoring in owasp_eval.py: python3 bench/owasp_eval_test.py"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import owasp_eval as ev  # noqa: E402


def write(root, rel, text="x = 1\n"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class CweNumber(unittest.TestCase):
    def test_forms(self):
        self.assertEqual(ev.cwe_number("CWE-089"), 89)
        self.assertEqual(ev.cwe_number("CWE-89: Improper Neutralization ..."), 89)
        self.assertEqual(ev.cwe_number("cwe-1004"), 1004)
        self.assertEqual(ev.cwe_number(78), 78)
        self.assertEqual(ev.cwe_number("327"), 327)

    def test_not_a_cwe(self):
        self.assertIsNone(ev.cwe_number("OWASP:A03:2021"))
        self.assertIsNone(ev.cwe_number(None))
        self.assertIsNone(ev.cwe_number("external/cwe/cwe-89"))


class Corpus(unittest.TestCase):
    def test_layout_errors_are_reported_with_the_file(self):
        with tempfile.TemporaryDirectory() as root:
            write(root, "89/python/pos_a.py")
            write(root, "89/python/other.py")
            write(root, "sql/python/pos_b.py")
            write(root, "89/python/pos_c.rs")
            with self.assertRaises(ev.CorpusError) as err:
                ev.load_corpus(root)
            msg = str(err.exception)
            self.assertIn("89/python/other.py: file name must start with pos_ or neg_", msg)
            self.assertIn("sql/python/pos_b.py: first directory `sql` is not a CWE number", msg)
            self.assertIn("89/python/pos_c.rs: not a source file of a known language (.rs)", msg)

    def test_labels_and_opaque_staging(self):
        with tempfile.TemporaryDirectory() as root:
            write(root, "PROVENANCE.md", "# notes\n")
            write(root, "CWE-089/python/pos_a.py", "a = 1\n")
            write(root, "89/java/neg_b.java", "class B {}\n")
            items = ev.load_corpus(root)
            self.assertEqual(sorted((i["cwe"], i["label"], i["lang"]) for i in items),
                             [(89, "neg", "java"), (89, "pos", "python")])
            tree, tmp = ev.stage(root, items, keep_names=False)
            try:
                for it in items:
                    self.assertNotIn("pos", it["scan"])
                    self.assertNotIn("neg", it["scan"])
                    self.assertNotIn("89", it["scan"])
                    self.assertTrue(os.path.isfile(os.path.join(tree, it["scan"])))
            finally:
                import shutil
                shutil.rmtree(tmp)


class Scoring(unittest.TestCase):
    def items(self):
        return [
            {"scan": "p1", "cwe": 89, "label": "pos", "lang": "python"},
            {"scan": "p2", "cwe": 89, "label": "pos", "lang": "python"},
            {"scan": "n1", "cwe": 89, "label": "neg", "lang": "python"},
            {"scan": "n2", "cwe": 89, "label": "neg", "lang": "go"},
            {"scan": "q1", "cwe": 798, "label": "pos", "lang": "python"},
            {"scan": "m1", "cwe": 798, "label": "neg", "lang": "python"},
        ]

    def test_tpr_fpr_per_cwe_and_average(self):
        found = {"p1": {89}, "p2": {78}, "n1": {89}, "q1": {798}}
        per, avg = ev.summarise(ev.score(self.items(), found))
        self.assertEqual(per[89], (0.5, 0.5, 0.0))
        self.assertEqual(per[798], (1.0, 0.0, 1.0))
        self.assertEqual(avg, (0.75, 0.25, 0.5))

    def test_other_cwe_on_a_file_does_not_count(self):
        found = {"p1": {79}, "n1": {79}}
        per, _ = ev.summarise(ev.score(self.items(), found))
        self.assertEqual(per[89], (0.0, 0.0, 0.0))

    def test_lenient_maps_child_to_parent_only_when_asked(self):
        found = {"q1": {259}}
        exact, _ = ev.summarise(ev.score(self.items(), found))
        lenient, _ = ev.summarise(ev.score(self.items(), found, lenient=True))
        self.assertEqual(exact[798][0], 0.0)
        self.assertEqual(lenient[798][0], 1.0)

    def test_one_language(self):
        found = {"n2": {89}}
        per, _ = ev.summarise(ev.score(self.items(), found, only_lang="go"))
        self.assertIsNone(per[89])  # go has a negative but no positive: not scored
        per, _ = ev.summarise(ev.score(self.items(), found))
        self.assertEqual(per[89], (0.0, 0.5, -0.5))


if __name__ == "__main__":
    unittest.main()
