#!/usr/bin/env python3
"""Where graf's speaker errors on PolNeAR are: the scorer's figures for the whole corpus and for
each half, the errors sorted into kinds, and the precision of each rule.

usage: scripts/speaker-errors.py PREDICTIONS.jsonl [--shared DIR] [--examples N] [--half even|odd]
                                 [--rule RULE]

PREDICTIONS.jsonl is `graf export` of an index of ../shared/corpora/polnear-train/docs, or the
output of graf-speakers' `attribute` example; with `attribute … --explain` each wrong speaker is
also counted under the rule (and pronoun step) that gave it, and examples show the paragraph.

Scoring is the shared scorer's own (`../shared/tools/score-speakers`, loaded as a module): a
speaker matches a gold item when their name keys agree, a gold source span being keyed by the
names it is about. The kinds of error:

  pronoun item      the gold item is a pronoun, checked through the corpus's automatic
                    coreference names (often wrong or empty)
  no speaker given  a quotation item in a paragraph where graf gave nobody
  no gold item      graf gave a speaker where the paragraph has no gold item at all
  other             everything else

The halves split the articles by the CRC-32 of their file name (even / odd), so that rules can
be tuned on one half and checked on the other: a rule fitted to one half's names or phrasings
shows as a gap between the halves.
"""
import argparse
import collections
import json
import os
import zlib
from importlib.machinery import SourceFileLoader


def half_of(name):
    """`even` or `odd`: the parity of the CRC-32 of an article's file name."""
    return "odd" if zlib.crc32(name.encode("utf-8")) % 2 else "even"


class Tally:
    """The scorer's three figures over some of the paragraphs."""

    def __init__(self):
        self.given = self.right = self.quote_items = self.quote_hits = self.items = self.hits = 0

    def line(self):
        def ratio(a, b):
            return a / b if b else 0.0
        return (f"precision {ratio(self.right, self.given):.3f} ({self.right}/{self.given})  "
                f"recall_quote {ratio(self.quote_hits, self.quote_items):.3f} "
                f"({self.quote_hits}/{self.quote_items})  "
                f"recall_all {ratio(self.hits, self.items):.3f} ({self.hits}/{self.items})")


def load_explained(path):
    """Evidence and text by (file, paragraph), when the predictions carry them."""
    explained = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if "evidence" in r:
                name = os.path.basename(r.get("path") or r.get("file") or "")
                explained[(name, int(r["paragraph"]))] = (r.get("text", ""), r["evidence"])
    return explained


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("predictions")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--shared", default=os.path.join(repo, "..", "shared"))
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--half", choices=["even", "odd"], help="examples from this half only")
    parser.add_argument("--rule", help="examples of wrong speakers given by this rule only")
    args = parser.parse_args()

    scorer = SourceFileLoader("score_speakers", os.path.join(args.shared, "tools", "score-speakers")).load_module()
    gold_path = os.path.join(args.shared, "corpora", "polnear-train", "gold.jsonl")
    predictions = scorer.load_predictions(args.predictions)
    explained = load_explained(args.predictions)

    tallies = collections.defaultdict(Tally)
    wrong, missed = collections.Counter(), collections.Counter()
    rules = collections.defaultdict(lambda: [0, 0])  # rule -> [given, right]
    examples = collections.defaultdict(list)
    with open(gold_path, encoding="utf-8") as gold:
        for line in gold:
            paragraph = json.loads(line)
            where = (paragraph["file"], paragraph["paragraph"])
            half = half_of(paragraph["file"])
            show = args.half in (None, half)
            speakers = predictions.get(where, [])
            text, evidence = explained.get(where, ("", []))
            items = [item for item in paragraph["items"] if item.get("source")]
            keyed = [scorer.item_keys(item) for item in items]
            keys = set().union(*keyed) if keyed else set()
            speaker_keys = {scorer.key(s) for s in speakers}
            for tally in (tallies["all"], tallies[half]):
                if all(keyed):
                    tally.given += len(speakers)
                    tally.right += sum(scorer.key(s) in keys for s in speakers)
                for item, item_keys in zip(items, keyed):
                    if not item_keys:
                        continue
                    got = bool(item_keys & speaker_keys)
                    tally.items += 1
                    tally.hits += got
                    if item["kind"] != "indirect":
                        tally.quote_items += 1
                        tally.quote_hits += got
            context = f"{paragraph['file']} #{paragraph['paragraph']}"
            if all(keyed):
                for speaker in speakers:
                    ok = scorer.key(speaker) in keys
                    found_by = [e for e in evidence if e["speaker"] == speaker]
                    rule = "/".join(sorted({e["rule"] + (":" + e["via"] if e["via"] else "")
                                            for e in found_by})) or "?"
                    rules[rule][0] += 1
                    rules[rule][1] += ok
                    if ok:
                        continue
                    if not items:
                        kind = "no gold item"
                    elif any(item.get("pronoun") for item in items):
                        kind = "pronoun item"
                    else:
                        kind = "other"
                    wrong[kind] += 1
                    if show and (args.rule is None or args.rule in rule):
                        examples["wrong: " + kind].append(
                            f"{context}: gave {speaker!r} ({rule}), gold {[i['source'] for i in items]}"
                            + (f"\n    {text}" if text else ""))
            for item, item_keys in zip(items, keyed):
                if not item_keys or item["kind"] == "indirect" or item_keys & speaker_keys:
                    continue
                if item.get("pronoun"):
                    kind = "pronoun item"
                else:
                    kind = "no speaker given" if not speakers else "other"
                missed[kind] += 1
                if show and args.rule is None:
                    examples["missed: " + kind].append(
                        f"{context}: gold {item['source']!r} {item.get('names', [])}, gave {speakers}"
                        + (f"\n    {text}" if text else ""))

    for name in ("all", "even", "odd"):
        print(f"{name:>4}: {tallies[name].line()}")
    print("wrong speakers: " + ", ".join(f"{kind} {n}" for kind, n in wrong.most_common()))
    print("missed quotation items: " + ", ".join(f"{kind} {n}" for kind, n in missed.most_common()))
    if explained:
        print("precision by rule (given, right):")
        for rule, (given, right) in sorted(rules.items(), key=lambda r: -r[1][0]):
            print(f"  {rule:<32} {given:>5} {right / given:.3f}")
    for kind in sorted(examples):
        for example in examples[kind][: args.examples]:
            print(f"{kind}: {example}")


if __name__ == "__main__":
    main()
