#!/usr/bin/env python3
"""Checks that corpus.py's port of graf's paragraph rules agrees with src/text/document.rs's tests.

Run: python3 benches/test_corpus.py   (standard library only; no download needed)
"""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import graf_parse, seed_format  # noqa: E402

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_5396bad1f1bcf893.txt"


class GrafRules(unittest.TestCase):
    def test_seed_has_27_dated_paragraphs(self):
        date, paragraphs = graf_parse(SEED.read_text(encoding="utf-8"))
        self.assertEqual(date, "2018-02-02")
        self.assertEqual(len(paragraphs), 27)
        self.assertTrue(paragraphs[0].startswith("Secretary of State Rex Tillerson insisted"))

    def test_header_alone_on_its_line_is_not_a_paragraph(self):
        self.assertEqual(graf_parse("date 2020-01-31\nFirst.\n\nSecond.\n"),
                         ("2020-01-31", ["First.", "Second."]))

    def test_indented_header_and_multi_line_first_paragraph(self):
        self.assertEqual(graf_parse("   date 2020-01-31   One\ntwo\n\n\n  Three  \n"),
                         ("2020-01-31", ["One\ntwo", "Three"]))

    def test_no_header(self):
        self.assertEqual(graf_parse("Just a paragraph.\n\nAnd another."),
                         (None, ["Just a paragraph.", "And another."]))
        self.assertEqual(graf_parse("date night was fun\n\nYes."),
                         (None, ["date night was fun", "Yes."]))

    def test_malformed_date_is_no_date_but_still_a_header(self):
        self.assertEqual(graf_parse(" date 2018-13-45 Body text."), (None, ["Body text."]))
        self.assertEqual(graf_parse(" date 2023-02-30 Body."), (None, ["Body."]))

    def test_whitespace_only_lines_separate(self):
        self.assertEqual(graf_parse("a\n \t \nb\n\n\n\nc")[1], ["a", "b", "c"])
        # U+00A0 is whitespace to Rust's trim(); U+001F is not (Python's isspace() says yes).
        self.assertEqual(graf_parse("a\n\u00a0\nb")[1], ["a", "b"])
        self.assertEqual(graf_parse("a\n\x1f\nb")[1], ["a\n\x1f\nb"])

    def test_crlf_and_cr(self):
        want = ("2018-02-02", ["One", "Two\nlines", "Four"])
        self.assertEqual(graf_parse(" date 2018-02-02 One\n\nTwo\nlines\n\nFour"), want)
        self.assertEqual(graf_parse(" date 2018-02-02 One\r\n\r\nTwo\r\nlines\r\n\r\nFour")[1],
                         ["One", "Two\r\nlines", "Four"])
        self.assertEqual(graf_parse(" date 2018-02-02 One\r\rTwo\rlines\r\rFour")[1],
                         ["One", "Two\rlines", "Four"])

    def test_empty(self):
        self.assertEqual(graf_parse(""), (None, []))
        self.assertEqual(graf_parse(" date 2018-02-02 "), ("2018-02-02", []))

    def test_bom(self):
        self.assertEqual(graf_parse("\ufeff date 2018-02-02 Text"), ("2018-02-02", ["Text"]))

    def test_seed_format_round_trips(self):
        paragraphs = ["First line\nwrapped", "Second", "Reuter"]
        for date in ("1987-02-26", None):
            self.assertEqual(graf_parse(seed_format(date, paragraphs)), (date, paragraphs))


if __name__ == "__main__":
    unittest.main()
