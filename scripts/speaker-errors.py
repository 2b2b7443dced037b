#!/usr/bin/env python3
"""Sorts the speaker scorer's errors on PolNeAR into kinds, and prints the ceiling they set.

usage: scripts/speaker-errors.py EXPORT.jsonl [--shared DIR] [--examples N]

EXPORT.jsonl is `graf export` of an index of ../shared/corpora/polnear-train/docs (see
scripts/score-polnear.sh). The scorer (../shared/tools/score-speakers) matches a speaker to a gold
item by one key: the last capitalised word of the gold source span, or of a name the corpus's
automatic coreference linked to it. When the source span carries an apposition, the key comes from
the apposition, not from the person: "Brian Fallon, a spokesman for the Clinton campaign," is keyed
`clinton`, so graf's "Brian Fallon" scores as wrong and the item as missed. Several subjects
("Trump and Ryan") are keyed on the last one. This script counts those cases apart from graf's own
errors, so that the figures say how far rules can still go:

  apposition key   graf's speaker is a name at the head of the gold span, before `,` / `of` /
                   `(` / `who`, and the span's key is a later word
  several subjects graf's speaker is a name in a gold span joined by `and`
  pronoun item     the gold item is a pronoun, checked through coreference names
  no gold item     the paragraph has no gold item at all
  other            everything else
"""
import argparse
import collections
import json
import os
import re
from importlib.machinery import SourceFileLoader

HEAD_OF_SPAN = re.compile(r"\s*(,|\bof\b|\(|-LRB-|\bwho\b)", re.I)
JOINED = re.compile(r"\s*\band\b", re.I)


def mentions(key, text):
    """Where the word `key` occurs in `text`, as the end offsets of its occurrences."""
    return [m.end() for m in re.finditer(r"\b" + re.escape(key) + r"\b", text, re.I)]


def artefact(key, items):
    """Whether a speaker keyed `key` heads one of the gold spans (apposition) or is one of
    several joined subjects; None when neither."""
    for item in items:
        for span in [item["source"]] + item.get("names", []):
            for end in mentions(key, span):
                if HEAD_OF_SPAN.match(span, end):
                    return "apposition key"
                if JOINED.match(span, end):
                    return "several subjects"
    return None


def report(headline, figure, good, total, errors, label, unit, good_word):
    """Prints a figure, its errors by kind, and what it would be without the scorer's key artefacts."""
    print(f"{headline} {good / total:.3f}")
    for kind, n in errors.most_common():
        print(f"  {label}, {kind}: {n}")
    artefacts = errors["apposition key"] + errors["several subjects"]
    print(f"{figure} if every {unit} but the {artefacts} keyed on an apposition or on another subject "
          f"were {good_word}: {(total - artefacts) / total:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export")
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--shared", default=os.path.join(repo, "..", "shared"))
    parser.add_argument("--examples", type=int, default=0)
    args = parser.parse_args()

    scorer = SourceFileLoader("score_speakers", os.path.join(args.shared, "tools", "score-speakers")).load_module()
    gold_path = os.path.join(args.shared, "corpora", "polnear-train", "gold.jsonl")
    predictions = scorer.load_predictions(args.export)

    wrong, missed = collections.Counter(), collections.Counter()
    examples = collections.defaultdict(list)
    given = right = quote_items = quote_hits = 0
    with open(gold_path, encoding="utf-8") as gold:
        for line in gold:
            paragraph = json.loads(line)
            speakers = predictions.get((paragraph["file"], paragraph["paragraph"]), [])
            items = [item for item in paragraph["items"] if item.get("source")]
            keyed = [scorer.item_keys(item) for item in items]
            keys = set().union(*keyed) if keyed else set()
            speaker_keys = {scorer.key(s) for s in speakers}
            if all(keyed):
                for speaker in speakers:
                    given += 1
                    key = scorer.key(speaker)
                    if key in keys:
                        right += 1
                        continue
                    if not items:
                        kind = "no gold item"
                    else:
                        kind = artefact(key or "", items) or (
                            "pronoun item" if any(item.get("pronoun") for item in items) else "other")
                    wrong[kind] += 1
                    examples["wrong: " + kind].append(f"{paragraph['file']} #{paragraph['paragraph']}: "
                                                      f"gave {speaker!r}, gold {[i['source'] for i in items]}")
            for item, item_keys in zip(items, keyed):
                if not item_keys or item["kind"] == "indirect":
                    continue
                quote_items += 1
                if item_keys & speaker_keys:
                    quote_hits += 1
                    continue
                kind = next(filter(None, (artefact(k or "", [item]) for k in speaker_keys)), None)
                if kind is None:
                    kind = "pronoun item" if item.get("pronoun") else ("no speaker given" if not speakers else "other")
                missed[kind] += 1
                examples["missed: " + kind].append(f"{paragraph['file']} #{paragraph['paragraph']}: "
                                                   f"gold {item['source']!r}, gave {speakers}")

    report(f"speakers given {given}, right {right}: precision", "precision", right, given, wrong, "wrong",
           "speaker", "right")
    report(f"quotation items {quote_items}, found {quote_hits}: recall_quote", "recall_quote", quote_hits,
           quote_items, missed, "missed", "item", "found")
    for kind in sorted(examples):
        for example in examples[kind][: args.examples]:
            print(f"{kind}: {example}")


if __name__ == "__main__":
    main()
