#!/usr/bin/env python3
"""Lists the people problems of an index: what a reporter reading `graf speakers --all` would trip on.

usage: scripts/people-problems.py [--index PATH] [--graf BINARY] [--examples N] [--json]
       graf speakers --all --json --index PATH | scripts/people-problems.py -

Reads the speaker list (`graf speakers --all --json`: one {"speaker", "paragraphs"} per line), and
sorts the names into these kinds of problem, each with a count and the worst examples:

  bare surname      a one-word name (or a title and a surname: "Mr. Trump") listed beside the one
                    person's full name it belongs to ("Obama" beside "Barack Obama"). A surname that
                    several listed people share ("Bush" beside "Jeb Bush" and "George W. Bush") is
                    listed apart, as "shared surname": graf keeps it as written when the evidence
                    does not decide, so it is not counted as a problem.
  variants          two or more listed names of one person: the same words but for case, accents,
                    apostrophes and full stops ("Martin O'Malley" / "Martin O’Malley"), or the same
                    forename (a common nickname counts as the same: Joe/Joseph) and surname with
                    middle names or initials added ("Donald Trump" / "Donald J. Trump"). A suffix
                    that makes another person (Jr., Sr., III) keeps names apart.
  stray word        a name with a title or descriptor glued to it ("Mr Farage", "Pennsylvania Gov.",
                    "Sen. Ted Cruz"), or with words before a listed person's full name ("Rival
                    Hillary Clinton" beside "Hillary Clinton").
  non-name          a one-word name that is a month or day, a pronoun, a common word of the short
                    list below, or a US state or a country (never a person, though a country's
                    name can speak for its government).

The checks are independent of graf's own code (they read only the list, and the crate's table of
first names for telling a person's full name from other names). The last line sums them up:
`names N bare_surname B shared_surname S variant_groups V variant_names W stray_word T
stray_share P non_name X`.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import unicodedata

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIRST_NAMES = os.path.join(REPO, "crates", "graf-speakers", "src", "first_names.txt")

TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "representative", "gov", "governor",
    "president", "pres", "vice", "secretary", "sec", "general", "lt", "col", "capt", "adm",
    "judge", "justice", "prof", "professor", "rev", "reverend", "sir", "dame", "lord", "lady", "mayor",
    "chairman", "chairwoman", "chancellor", "minister", "premier", "prime", "king", "queen", "prince",
    "princess", "pope", "speaker", "leader", "candidate", "nominee", "sheriff", "attorney", "commissioner",
    "ambassador", "spokesman", "spokeswoman", "spokesperson", "founder", "ceo", "chief", "officer",
    "director", "executive", "host", "anchor", "rival", "donor", "former", "sens", "reps", "govs",
}
SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}
PRONOUNS = {"i", "he", "she", "we", "they", "it", "you", "who", "one"}
COMMON_WORDS = {
    "the", "a", "an", "this", "that", "these", "those", "there", "here", "when", "where", "while", "soon",
    "sooner", "consider", "campaign", "center", "circuit", "other", "others", "members", "friends",
    "figures", "things", "time", "hours", "right", "left", "second", "first", "sure", "cool", "cheers",
    "sign", "subscribe", "along", "throughout", "come", "age", "article", "footage", "growth", "sales",
    "security", "science", "medicine", "development", "engineering", "prevention", "investigations",
    "guidelines", "administration", "police", "state", "senate", "congress", "web", "super", "harsh",
    "celebrated", "charismatic", "conceding", "dropped", "editorialists", "populists", "refugees",
    "allies", "latinos", "independent", "advocate", "electric", "radio", "abstract", "today",
}
PLACES = {
    # US states and their usual abbreviations
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware",
    "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky",
    "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi",
    "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania",
    "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming",
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la",
    "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "nc", "nd", "nh", "nj", "nm",
    "ny", "okla", "ore", "pa", "ri", "sc", "sd", "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
    # countries and large cities often written alone
    "afghanistan", "algeria", "argentina", "australia", "austria", "bahrain", "belgium", "brazil",
    "britain", "canada", "chile", "china", "colombia", "cuba", "denmark", "egypt", "england", "finland",
    "france", "germany", "greece", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy",
    "japan", "jordan", "kenya", "korea", "kuwait", "lebanon", "libya", "mexico", "morocco", "netherlands",
    "nigeria", "norway", "pakistan", "palestine", "peru", "poland", "portugal", "qatar", "russia",
    "scotland", "spain", "sweden", "switzerland", "syria", "taiwan", "turkey", "ukraine", "venezuela",
    "vietnam", "wales", "yemen", "usa", "us", "uk",
    "beijing", "berlin", "brussels", "chicago", "detroit", "london", "manchester", "liverpool", "miami",
    "moscow", "paris", "tokyo", "orlando", "philadelphia", "sacramento", "riyadh", "hollywood", "york",
    "boston", "atlanta", "dallas", "houston", "denver", "seattle", "baltimore", "columbus", "decatur",
    "blackpool",
}
# Words that make a name an organisation's or a place's, not a person's.
ORG_WORDS = {
    "department", "news", "times", "post", "party", "campaign", "committee", "center", "centre",
    "institute", "university", "college", "school", "association", "union", "council", "office",
    "agency", "bureau", "service", "services", "inc", "corp", "co", "ltd", "plc", "llc", "group", "bank",
    "fund", "foundation", "house", "senate", "congress", "court", "police", "team", "state", "states",
    "republicans", "democrats", "gop", "pac", "network", "tv", "radio", "magazine", "journal", "press",
    "review", "company", "administration", "commission", "board", "authority", "ministry", "government",
    "army", "force", "club", "league", "church", "project", "program", "trust", "research", "poll",
    "society", "media", "channel", "daily", "tribune", "herald", "gazette", "circuit", "city", "county",
    "of", "for", "and", "the", "new", "north", "south", "east", "west", "united", "american", "national",
    "international", "federal", "democratic", "republican", "public",
}
NICKNAMES = {
    "joe": "joseph", "joey": "joseph", "rudy": "rudolph", "bill": "william", "billy": "william",
    "will": "william", "bob": "robert", "bobby": "robert", "rob": "robert", "mike": "michael",
    "jim": "james", "jimmy": "james", "tom": "thomas", "tommy": "thomas", "dick": "richard",
    "rick": "richard", "chris": "christopher", "dan": "daniel", "danny": "daniel", "dave": "david",
    "steve": "steven", "stephen": "steven", "tony": "anthony", "andy": "andrew", "ben": "benjamin",
    "sam": "samuel", "matt": "matthew", "nick": "nicholas", "pat": "patrick", "ed": "edward",
    "ted": "edward", "chuck": "charles", "charlie": "charles", "larry": "lawrence", "jerry": "gerald",
    "newt": "newton", "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine", "kathy": "katherine",
    "jen": "jennifer", "jenny": "jennifer", "sue": "susan", "peggy": "margaret", "hank": "henry",
    "al": "albert", "alex": "alexander", "fred": "frederick", "greg": "gregory", "jeff": "jeffrey",
    "ken": "kenneth", "ron": "ronald", "don": "donald", "doug": "douglas", "pete": "peter",
    "tim": "timothy", "vince": "vincent", "walt": "walter",
}


def fold(text):
    """Lower case, without accents, apostrophes as ', and without full stops."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’‘`´ʼ]", "'", text).lower().replace(".", " ")
    return " ".join(text.replace(",", " ").split())


def load_first_names():
    try:
        with open(FIRST_NAMES, encoding="utf-8") as f:
            return {line.split()[0] for line in f if line.strip() and not line.startswith("#")}
    except OSError:
        return set()


class Name:
    """A listed name, read: its words folded, its title, forename, middles, surname and suffix."""

    def __init__(self, written, paragraphs, first_names):
        self.written, self.paragraphs = written, paragraphs
        words = fold(written).split()
        self.words = words
        self.title = []
        # A title before a name (not before an organisation's word: "Justice Department").
        while len(words) > 1 and words[0] in TITLES and words[1] not in ORG_WORDS:
            self.title.append(words.pop(0))
        self.trailing_title = len(words) > 1 and words[-1] in TITLES and written.rstrip().endswith(".")
        self.suffix = ""
        while len(words) > 1 and words[-1] in SUFFIXES:
            self.suffix = words.pop()
        self.core = words
        self.person = person_like(words, written, first_names)
        self.forename = NICKNAMES.get(words[0], words[0]) if self.person else None
        self.middles = words[1:-1] if self.person else []
        self.surname = words[-1] if words else ""
        self.single = len(words) == 1

    def person_key(self):
        return (self.forename, self.surname, self.suffix)


def person_like(words, written, first_names):
    """Two to four words, none an organisation's or a place's, and a forename or an initial first
    (or every word capitalised, for forenames the census table lacks: "Barack Obama")."""
    if not 2 <= len(words) <= 4 or any(w in ORG_WORDS or w in TITLES for w in words):
        return False
    if words[0] in PLACES or words[-1] in PLACES or words[0] in first_names or len(words[0]) == 1:
        return words[0] not in PLACES and words[-1] not in PLACES
    written_words = [w for w in written.replace(".", " ").split() if w.lower().strip(",") not in SUFFIXES]
    return all(w[:1].isupper() and not w.isupper() for w in written_words[-len(words):])


def middles_agree(a, b):
    """Middle names agree when one's are missing, or each pair matches, an initial matching a name."""
    if not a or not b:
        return True
    if len(a) != len(b):
        return False
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)) for x, y in zip(a, b))


def analyse(rows, first_names):
    names = [Name(r["speaker"], r["paragraphs"], first_names) for r in rows]
    problems = collections.defaultdict(list)
    # Variants: the same folded text, or one person's key with agreeing middles.
    by_text = collections.defaultdict(list)
    for n in names:
        by_text[" ".join(n.title + n.core + ([n.suffix] if n.suffix else []))].append(n)
    groups = [g for g in by_text.values() if len(g) > 1]
    by_person = collections.defaultdict(list)
    for n in names:
        if n.person and not n.title:
            by_person[n.person_key()].append(n)
    for members in by_person.values():
        distinct = {" ".join(m.core) for m in members}
        if len(distinct) < 2:
            continue
        # Names whose middles agree with every other's are one person; a bare "George Bush" beside
        # both "George W. Bush" and "George H. W. Bush" is not counted.
        agreeing = [m for m in members if all(middles_agree(m.middles, o.middles) for o in members)]
        if len({" ".join(m.core) for m in agreeing}) >= 2:
            groups.append(agreeing)
    seen = set()
    for g in groups:
        key = tuple(sorted(m.written for m in g))
        if key not in seen:
            seen.add(key)
            problems["variants"].append(" / ".join(f"{m.written} {m.paragraphs}" for m in sorted(g, key=lambda m: -m.paragraphs)))
    # Stray words, first: a name with words glued before a listed full name is not a person of
    # its own.
    full_names = {" ".join(n.core) for n in names if n.person and not n.title}
    glued_names = set()
    for n in names:
        glued = None
        if n.title:
            glued = "title " + " ".join(n.title)
        elif n.trailing_title:
            glued = "trailing title"
        else:
            for cut in range(1, len(n.core) - 1):
                lead = n.core[:cut]
                if " ".join(n.core[cut:]) in full_names and not all(w in first_names or len(w) == 1 for w in lead):
                    glued = "words before " + " ".join(n.core[cut:])
                    break
        if glued:
            glued_names.add(n.written)
            problems["stray word"].append(f"{n.written} {n.paragraphs} ({glued})")
    # Bare surnames: persons (merged by key) with that surname.
    persons_by_surname = collections.defaultdict(set)
    for n in names:
        if n.person and not n.title and n.written not in glued_names:
            persons_by_surname[n.surname].add(n.person_key())
    for n in names:
        if not n.single or n.written.isupper() or n.surname in PLACES or n.surname in MONTHS_AND_DAYS:
            continue
        persons = persons_by_surname.get(n.surname, set())
        if len(persons) == 1:
            full = [m.written for m in names if m.person and not m.title and m.surname == n.surname and m.written not in glued_names]
            problems["bare surname"].append(f"{n.written} {n.paragraphs} beside {', '.join(full)}")
        elif len(persons) > 1:
            problems["shared surname"].append(f"{n.written} {n.paragraphs} ({len(persons)} people)")
    # Non-names.
    for n in names:
        if len(n.words) == 1:
            w = n.words[0]
            kind = ("month or day" if w in MONTHS_AND_DAYS else "pronoun" if w in PRONOUNS
                    else "common word" if w in COMMON_WORDS else "place" if w in PLACES else None)
            if kind:
                problems["non-name"].append(f"{n.written} {n.paragraphs} ({kind})")
    return names, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", nargs="?", help="a file of `graf speakers --all --json`, or - for stdin")
    ap.add_argument("--index", help="run graf speakers on this index instead")
    ap.add_argument("--graf", default="graf", help="the graf binary (default: graf on PATH)")
    ap.add_argument("--examples", type=int, default=15, help="examples shown per kind (default 15)")
    ap.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    args = ap.parse_args()
    if args.index:
        out = subprocess.run([args.graf, "speakers", "--all", "--json", "--index", args.index],
                             check=False, capture_output=True, text=True)
        if out.returncode not in (0, 1):
            sys.exit(f"graf speakers failed: {out.stderr.strip()}")
        lines = out.stdout.splitlines()
    elif args.input and args.input != "-":
        with open(args.input, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        lines = sys.stdin.read().splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    first_names = load_first_names()
    if not first_names:
        print(f"warning: {FIRST_NAMES} not found; no name reads as a person's full name", file=sys.stderr)
    names, problems = analyse(rows, first_names)
    variant_names = sum(p.count(" / ") + 1 for p in problems["variants"])
    counts = {
        "names": len(names),
        "bare_surname": len(problems["bare surname"]),
        "shared_surname": len(problems["shared surname"]),
        "variant_groups": len(problems["variants"]),
        "variant_names": variant_names,
        "stray_word": len(problems["stray word"]),
        "stray_share": round(len(problems["stray word"]) / max(len(names), 1), 4),
        "non_name": len(problems["non-name"]),
    }
    if args.json:
        print(json.dumps(counts))
        return
    for kind in ("bare surname", "shared surname", "variants", "stray word", "non-name"):
        found = problems[kind]
        print(f"{kind}: {len(found)}")
        for example in found[: args.examples]:
            print(f"    {example}")
    print(" ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
