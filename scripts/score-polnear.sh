#!/usr/bin/env bash
# Reproduces graf's speaker score on the PolNeAR train split (see crates/graf-speakers/README.md).
#
#   scripts/score-polnear.sh [--errors N]
#
# Builds graf-speakers' `attribute` example, runs it over ../shared/corpora/polnear-train/docs
# and scores the predictions with ../shared/tools/score-speakers. Skips (exit 0) when ../shared is
# absent. An export of the ingested corpus can be scored the same way (tests/speakers.rs does).
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
cargo build --quiet --release -p graf-speakers --example attribute
./target/release/examples/attribute "$corpus/docs" > "$predictions"
"$scorer" "$corpus/gold.jsonl" "$predictions" "$@"
