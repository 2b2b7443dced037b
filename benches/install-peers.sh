#!/usr/bin/env bash
# Installs the benchmark peers: tantivy-cli 0.24.0 (binary `tantivy`) into target/bench/tools,
# plus ripgrep, hyperfine and GNU time from Debian's packages.
#
# `cargo install tantivy-cli --version 0.24.0 --locked` fails on current rustc (1.95): its lock
# file pins traitobject 0.1.0 (via iron -> typemap -> unsafe-any), which no longer compiles
# (E0119 conflicting implementations). So we build the published crate source with one lock-file
# change, traitobject 0.1.0 -> 0.1.1, and everything else exactly as locked.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${TOOLS:-$ROOT/target/bench/tools}"
SRC="$ROOT/target/bench/src"
VERSION=0.24.0

if ! command -v rg >/dev/null || ! command -v hyperfine >/dev/null || [ ! -x /usr/bin/time ]; then
    if command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq ripgrep hyperfine time
    else
        echo "install ripgrep, hyperfine and GNU time by hand" >&2
    fi
fi

if [ -x "$TOOLS/bin/tantivy" ]; then
    echo "tantivy-cli already installed: $TOOLS/bin/tantivy"
    exit 0
fi

# Plain attempt first, as the issue asks; fall back to the patched lock file.
if cargo install tantivy-cli --version "$VERSION" --locked --root "$TOOLS"; then
    exit 0
fi
echo "plain --locked install failed; retrying with traitobject 0.1.1" >&2
mkdir -p "$SRC"
crate="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/tantivy-cli-"$VERSION" 2>/dev/null | head -1)"
if [ -z "$crate" ]; then
    echo "tantivy-cli $VERSION source not in the cargo registry cache" >&2
    exit 1
fi
rm -rf "$SRC/tantivy-cli-$VERSION"
cp -r "$crate" "$SRC/"
cd "$SRC/tantivy-cli-$VERSION"
cargo update -p traitobject@0.1.0 --precise 0.1.1
cargo install --path . --locked --root "$TOOLS"
