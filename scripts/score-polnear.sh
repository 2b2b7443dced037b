#!/usr/bin/env bash
# Reproduces graf's speaker score on the PolNeAR train split (see docs/speakers.md).
#
#   scripts/score-polnear.sh [--errors N]
#
# Builds the attribution example, runs it over ../shared/corpora/polnear-train/docs and scores
# the predictions with ../shared/tools/score-speakers. Skips (exit 0) when ../shared is absent.
# Once `graf ingest` + `graf export` write speakers, this script can score their export instead.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="${GRAF_SHARED:-$repo/../shared}"
corpus="$shared/corpora/polnear-train"
scorer="$shared/tools/score-speakers"

if [[ ! -d "$corpus/docs" || ! -x "$scorer" ]]; then
    echo "skipped: $corpus or $scorer not found (the corpus is not part of the repository)"
    exit 0
fi

predictions="$(mktemp)"
trap 'rm -f "$predictions"' EXIT
cd "$repo"
cargo build --quiet --release --example attribute
./target/release/examples/attribute "$corpus/docs" > "$predictions"
"$scorer" "$corpus/gold.jsonl" "$predictions" "$@"
