#!/usr/bin/env python3
"""Build eventwire's derived trigger lexicon from the openly licensed training material.

Reads (from ``../shared/train`` or ``--train DIR``):

- ``petrarch2/CAMEO.2.0.txt``: the PETRARCH2 / Phoenix CAMEO verb-pattern dictionary (MIT,
  Open Event Data Alliance): verb synonym blocks, each with a default CAMEO code and patterns of
  the words around the verb that give a more specific code;
- ``cameo/CAMEO2PLOVER-2021.txt``: the CAMEO-to-PLOVER conversion table (CC BY-SA 4.0,
  openeventdata/PLOVER) giving each CAMEO code's PLOVER type, mode and context;

and writes ``src/eventwire/coding/data/derived/verb_patterns.tsv``: one row per (verb lemma,
pattern) with the PLOVER type, mode, context and CAMEO code.  Only the structure is kept (lemmas,
prepositions and the word sets a pattern needs); the dictionary's comments and examples are not.
Rows derived from CAMEO2PLOVER carry its share-alike licence, recorded in the file header.

Pattern rows: ``lemma  particle  pre  post  cameo  event  mode  context  specificity``, where
``pre`` and ``post`` are requirement lists ``;``-separated; each requirement is
``[prep:]word|word|...`` (one of the words must occur before / after the verb in its clause,
inside a prepositional phrase of ``prep`` when given).  ``cameo`` ``---`` marks a pattern that
PETRARCH codes as no event ("killed in an accident").

Usage: ``python scripts/build_lexicon.py [--train ../shared/train]`` (deterministic output).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "eventwire" / "coding" / "data" / "derived"

# CAMEO 02 ("appeal") is a request in PLOVER (REQUEST covers "all requests, demands and orders");
# the conversion table lists only the demand codes (10x), so appeals take the mode of the
# matching demand.  CAMEO 01 (statements) has no PLOVER event.
APPEAL_AS_DEMAND = {
    "020": "100", "021": "101", "0211": "1011", "0212": "1012", "0213": "1013", "0214": "1014",
    "022": "102", "023": "103", "0231": "1031", "0232": "1032", "0233": "1033", "0234": "1034",
    "024": "104", "0241": "1041", "0242": "1042", "0243": "1043", "0244": "1044", "025": "105",
    "0251": "1051", "0252": "1052", "0253": "1053", "0254": "1054", "0255": "1055", "0256": "1056",
    "026": "106", "027": "107", "028": "108",
}  # fmt: skip
STOP = frozenset({"A", "AN", "THE", "ITS", "THEIR", "HIS", "HER", "OF"})
PREPS = frozenset(
    "ABOUT ABOVE ACROSS AFTER AGAINST ALONG AMID AMONG AROUND AS AT BEFORE BEHIND BELOW BENEATH "
    "BESIDE BETWEEN BEYOND BY DESPITE DOWN DURING FOR FROM IN INSIDE INTO NEAR OF OFF ON ONTO OUT "
    "OUTSIDE OVER PAST SINCE THROUGH THROUGHOUT TO TOWARD TOWARDS UNDER UNTIL UP UPON VIA WITH "
    "WITHIN WITHOUT".split()
)


@dataclass
class Verb:
    lemma: str
    particle: str
    block: int
    cameo: str | None  # the verb's own default code, else the block's; None: patterns only


@dataclass
class Pattern:
    block: int
    pre: list[str]
    post: list[str]
    cameo: str  # "---": no event


def read_plover_map(path: Path) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m or not m.group(2):
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        parts += [""] * (3 - len(parts))
        etype, mode, ctx = parts[0], parts[1], parts[2]
        if not etype:
            continue
        ctx = ctx.split(";")[0].strip().replace(" ", "")
        out.setdefault(m.group(1), (etype, mode.strip().replace(" ", ""), ctx))
    return out


def plover_for(code: str, table: dict[str, tuple[str, str, str]]) -> tuple[str, str, str] | None:
    code = APPEAL_AS_DEMAND.get(code, code)
    for k in (code, code[:3], code[:2]):
        if k in table:
            return table[k]
    return None


def _word(w: str) -> list[str]:
    w = w.strip("_").strip()
    return [x.lower() for x in w.split("_") if x and x.upper() not in STOP]


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    cur: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("&"):
            cur = line[1:].strip().strip("_")
            sets[cur] = []
        elif line.startswith("+") and cur is not None:
            words = _word(line[1:])
            if words:
                sets[cur].append(" ".join(words))
        elif not line.strip():
            continue
        elif line.startswith("#"):
            continue
        else:
            cur = None
    return sets


_TOKEN = re.compile(r"\(|\)|\{|\}|[^\s(){}]+")


def parse_pattern(text: str, synsets: dict[str, list[str]]) -> tuple[list[str], list[str]] | None:
    """(pre, post) requirement strings of one pattern, or None when it cannot be used."""
    toks = _TOKEN.findall(text)
    if "*" not in toks:
        return None
    star = toks.index("*")

    def requirements(part: list[str]) -> list[str]:
        reqs: list[str] = []
        i = 0
        prep_stack: list[str] = []
        while i < len(part):
            t = part[i]
            if t == "(":
                # "(PREP words...)": the next token is the preposition
                prep = part[i + 1].upper() if i + 1 < len(part) else ""
                if prep in PREPS:
                    prep_stack.append(prep.lower())
                    i += 2
                    # a bare "(TO)" or "(WITH IT)": the preposition itself is required
                    if i < len(part) and part[i] == ")":
                        reqs.append(f"{prep.lower()}:")
                else:
                    prep_stack.append("")
                    i += 1
                continue
            if t == ")":
                if prep_stack:
                    prep_stack.pop()
                i += 1
                continue
            if t == "{":
                j = part.index("}", i) if "}" in part[i:] else len(part)
                words: list[str] = []
                for w in part[i + 1 : j]:
                    if w.startswith("&"):
                        if synsets.get(w[1:].strip("_")):
                            words.append("&" + w[1:].strip("_").lower())
                    elif w not in ("$", "+", "^", "%") and w.upper() not in STOP:
                        ws = _word(w)
                        if ws:
                            words.append(ws[-1])
                prep = next((p for p in reversed(prep_stack) if p), "")
                # a phrase: every word of it is required (the head last)
                for w in words:
                    reqs.append(f"{prep}:{w}" if prep else w)
                i = j + 1
                continue
            if t in ("$", "+", "^", "%", "|") or t.upper() in STOP or not re.search(r"[A-Za-z]", t):
                i += 1
                continue
            prep = next((p for p in reversed(prep_stack) if p), "")
            if t.startswith("&"):
                if not synsets.get(t[1:].strip("_")):
                    i += 1
                    continue
                reqs.append((f"{prep}:" if prep else "") + "&" + t[1:].strip("_").lower())
            else:
                ws = _word(t)
                if ws:
                    if t.upper() in PREPS and not prep:
                        reqs.append(f"{ws[-1]}:")
                    else:
                        reqs.append((f"{prep}:" if prep else "") + ws[-1])
            i += 1
        # a preposition requirement is implied by a word requirement in it
        worded = {r.split(":")[0] for r in reqs if ":" in r and not r.endswith(":")}
        return [r for r in dict.fromkeys(reqs) if not (r.endswith(":") and r[:-1] in worded)]

    return requirements(toks[:star]), requirements(toks[star + 1 :])


def read_verbs(lines: list[str], start: int, synsets: dict[str, list[str]]) -> tuple[list[Verb], list[Pattern]]:
    verbs: list[Verb] = []
    patterns: list[Pattern] = []
    block = -1
    block_code: str | None = None
    in_block: list[Verb] = []
    for raw in lines[start:]:
        if raw.startswith("########"):
            break
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---", line)
        if m:
            code = m.group(2).split(":")[0].strip()
            block_code = None if code in ("---", "") else code
            block += 1
            in_block = []
            continue
        if block < 0:
            continue
        if line.startswith("- "):
            pm = re.match(r"^-\s+(.*?)\s*\[([^\]]*)\]\s*$", line)
            if not pm:
                continue
            parsed = parse_pattern(pm.group(1), synsets)
            if parsed is None or not (parsed[0] or parsed[1]):
                continue
            code = pm.group(2).split(":")[0].strip() or "---"
            patterns.append(Pattern(block, parsed[0], parsed[1], code))
            continue
        # a verb entry: "VERB {FORMS} [code]" or "+MULTI_WORD {FORMS} [code]"
        entry = re.sub(r"\{[^}]*\}", " ", line).strip()
        cm = re.search(r"\[([^\]]*)\]", entry)
        own = cm.group(1).split(":")[0].strip() if cm else None
        entry = re.sub(r"\[[^\]]*\]", " ", entry).strip()
        if not entry:
            continue
        multi = entry.startswith("+")
        words = [w.lower() for w in entry.lstrip("+").strip("_").split("_") if w]
        if not words or not re.fullmatch(r"[a-z][a-z-]*", words[0]):
            continue
        if multi and len(words) > 2:
            continue  # "+KIDNAPPED_AND_KILLED": inflected phrases the parse reads word by word
        particle = words[1] if multi and len(words) == 2 else ""
        if particle in ("and", "or"):
            continue
        code = own if own not in (None, "") else block_code
        v = Verb(words[0], particle, block, None if code in (None, "---") else code)
        verbs.append(v)
        in_block.append(v)
    return verbs, patterns


def _plover_cols(code: str | None, table: dict[str, tuple[str, str, str]]) -> list[str] | None:
    """[cameo, event, mode, context] or None where the code has no PLOVER event."""
    if code is None:
        return ["", "", "", ""]
    if code == "---":
        return ["---", "", "", ""]
    mapped = plover_for(code, table)
    return None if mapped is None else [code, *mapped]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=ROOT.parent / "shared" / "train")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--no-nouns", action="store_true", help="only the verb table (no corpus parse)")
    args = ap.parse_args(argv)
    verb_file = args.train / "petrarch2" / "CAMEO.2.0.txt"
    map_file = args.train / "cameo" / "CAMEO2PLOVER-2021.txt"
    for f in (verb_file, map_file):
        if not f.is_file():
            print(f"build_lexicon: {f}: not found (pass --train)", file=sys.stderr)
            return 2
    lines = verb_file.read_text(encoding="utf-8", errors="replace").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("####### VERB PATTERNS"))
    synsets = read_synsets(lines[:start])
    verbs, patterns = read_verbs(lines, start, synsets)
    table = read_plover_map(map_file)
    digest = hashlib.sha256(verb_file.read_bytes() + map_file.read_bytes()).hexdigest()[:16]
    out: list[str] = []
    used_sets: set[str] = set()
    seen: set[tuple[str, ...]] = set()
    for v in verbs:
        cols = _plover_cols(v.cameo, table) or ["", "", "", ""]
        key = ("V", v.lemma, v.particle, str(v.block))
        if key in seen:
            continue
        seen.add(key)
        out.append("\t".join(["V", v.lemma, v.particle, str(v.block), *cols]))
    for p in patterns:
        cols = _plover_cols(p.cameo, table)
        if cols is None:
            continue  # CAMEO 01 statements: no PLOVER event
        key = ("P", str(p.block), ";".join(p.pre), ";".join(p.post))
        if key in seen:
            continue
        seen.add(key)
        for r in p.pre + p.post:
            used_sets.update(w[1:] for w in r.split(":")[-1].split("|") if w.startswith("&"))
        out.append("\t".join(["P", ";".join(p.pre), ";".join(p.post), str(p.block), *cols]))
    for name in sorted(used_sets):
        words = sorted({w.split()[-1] for w in synsets.get(name.upper(), [])})
        out.append("\t".join(["S", name, "|".join(words)]))
    args.out.mkdir(parents=True, exist_ok=True)
    n_v = sum(1 for r in out if r[0] == "V")
    n_p = sum(1 for r in out if r[0] == "P")
    header = [
        "# eventwire derived verb-pattern lexicon, made by scripts/build_lexicon.py; do not edit by hand.",
        "# Sources: PETRARCH2 CAMEO.2.0.txt (openeventdata/petrarch2 @676801c, MIT, (c) 2015 Open Event Data",
        "#   Alliance) and CAMEO2PLOVER-2021.txt (openeventdata/PLOVER @5e0c24f, CC BY-SA 4.0).",
        "# Licence of this table: CC BY-SA 4.0 (it maps CAMEO codes through CAMEO2PLOVER).",
        f"# input digest {digest}; {n_v} verbs, {n_p} patterns, {len(used_sets)} word sets",
        "# V lemma particle block cameo event mode context   (a verb of a synonym block; its default code)",
        "# P pre post block cameo event mode context         (a pattern of the block's verbs)",
        "# S name words                                       (a word set that patterns name as &name)",
        "# pre/post: ';'-separated requirements '[prep:]word|word|&set' before/after the verb; cameo '---': no event",
    ]
    (args.out / "verb_patterns.tsv").write_text("\n".join(header + out) + "\n", encoding="utf-8")
    print(f"build_lexicon: {n_v} verbs, {n_p} patterns, {len(used_sets)} word sets")
    if not args.no_nouns:
        verb_types = {}
        for v in verbs:
            cols = _plover_cols(v.cameo, table)
            if cols and cols[1] and not v.particle:
                verb_types.setdefault(v.lemma, cols)
        n = build_nouns(args.train, args.out, verb_types, table)
        print(f"build_lexicon: {n} event nouns")
    return 0

# -- event nouns -----------------------------------------------------------------------------------
# Nouns that name an event ("negotiations", "deployment", "abduction") are derived from the typed
# verbs above and checked against the training text: a candidate must be a nominal form of a typed
# verb (or an annotated RAMS trigger) and must be used as an event in the corpus - the object of a
# support verb ("launched an offensive", "imposed a curfew"), the subject of an occurrence verb
# ("clashes erupted", "the blast killed"), the object of a temporal preposition ("after the
# talks") or a noun with a target ("attack on", "embargo against").
SUPPORT_VERBS = frozenset(
    "launch carry conduct stage hold mount impose sign reach call organize organise begin start end "
    "halt resume announce claim lead join continue intensify escalate order approve negotiate broker "
    "violate break observe declare lift attend host suspend extend condemn denounce".split()
)
OCCURRENCE_VERBS = frozenset(
    "erupt break occur happen take continue end kill injure wound leave target hit begin rock shake "
    "spark follow resume intensify escalate destroy damage".split()
)
TEMPORAL_PREPS = frozenset("during after following amid before since".split())
MIN_COUNT = 3
MIN_EVENTIVE_SHARE = 0.12
MIN_EVENTIVE_USES = 2
# Nouns that pass the corpus tests but name no event of their own in news (weather, sport, money,
# moods, institutions); written here, reviewed by reading the derived table.
NOT_EVENT_NOUNS = frozenset(
    "storm fire match impact improvement tension rule ruling take plan study swearing sweep advertisement "
    "concert celebration bidding journey founding easing domination upset fund funding email telephone "
    "contest decline pressure push provision monitor penalty convention hearing hit consideration "
    "confrontation engagement asylum oath email telephone fund funding".split()
)
# Event nouns whose derived type is wrong for the noun (the verb's commonest code is not the noun's).
NOUN_TYPES = {
    "deal": "AGREE", "accord": "AGREE", "settlement": "AGREE", "intervention": "ASSAULT",
    "vote": "AGREE", "parade": "MOBILIZE", "campaign": "PROTEST", "truce": "AGREE",
    "referendum": "CONSULT", "summit": "CONSULT", "talks": "CONSULT",
}  # fmt: skip


def verb_of_nominal(noun: str, verbs: set[str]) -> str | None:
    """The verb ``noun`` is a nominal form of ("negotiation" -> "negotiate"), if it is one."""
    if noun in verbs:
        return noun  # zero derivation: attack, protest, arrest, visit
    stems: list[str] = []

    def strip(suffix: str, *endings: str) -> None:
        if noun.endswith(suffix) and len(noun) - len(suffix) >= 3:
            base = noun[: -len(suffix)]
            stems.extend(base + e for e in endings)

    strip("ing", "", "e")
    if noun.endswith("ing") and len(noun) > 6 and noun[-4] == noun[-5]:
        stems.append(noun[:-4])  # kidnapping -> kidnap
    strip("ation", "ate", "e", "", "y", "ize", "ise")
    strip("ition", "ite", "ish")
    strip("ention", "ene", "ain")
    strip("ion", "e", "")
    strip("sion", "d", "de", "t")
    strip("ment", "")
    strip("al", "", "e")
    strip("ial", "y")
    strip("ance", "", "e")
    strip("ence", "", "e")
    strip("ure", "e", "")
    strip("y", "")
    strip("age", "")
    for v in stems:
        if v in verbs:
            return v
    return None


def build_nouns(train: Path, out_dir: Path, verb_types: dict[str, list[str]], table: dict) -> int:
    """Write ``derived/event_nouns.tsv``; returns the number of rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import _corpus

    from eventwire.coding.lexicon import load_hand_entries
    from eventwire.evaluate import trainsets
    from eventwire.nlp import load

    hand = load_hand_entries()
    hand_nouns = {e.lemma for e in hand if e.pos in ("n", "")}
    typed: dict[str, list[str]] = dict(verb_types)
    for e in hand:  # the hand lexicon's bare verbs come first
        if e.pos in ("v", "") and not e.condition:
            typed[e.lemma] = [e.cameo or "", e.event, e.mode or "", e.context or ""]
    verbs = set(typed)
    nlp = load()
    counts: dict[str, dict[str, int]] = {}
    for _source, doc in _corpus.training_docs(nlp, train):
        for t in doc:
            if t.pos_ != "NOUN" or not t.is_alpha or t.ent_type_ in ("DATE", "TIME"):
                continue
            c = counts.setdefault(t.lemma_.lower(), {"n": 0, "eventive": 0})
            c["n"] += 1
            head = t.head.lemma_.lower()
            if (
                (t.dep_ in ("dobj", "nsubjpass") and head in SUPPORT_VERBS)
                or (t.dep_ == "nsubj" and head in OCCURRENCE_VERBS)
                or (t.dep_ == "pobj" and t.head.lower_ in TEMPORAL_PREPS)
                or any(x.dep_ == "prep" and x.lower_ in ("on", "against") for x in t.children)
            ):
                c["eventive"] += 1
    # annotated noun triggers of the RAMS training side, with their PLOVER type
    rams_types: dict[str, dict[str, int]] = {}
    items = trainsets.read_rams(train / "rams", "train")
    for item, doc in zip(items, _corpus.parse_cached(nlp, [x.document.text for x in items], _corpus.model_key(nlp)), strict=True):
        if item.event in (None, "?", "-"):
            continue
        span = doc.char_span(item.trigger.start, item.trigger.end, alignment_mode="expand")
        if span is None or span.root.pos_ != "NOUN":
            continue
        by = rams_types.setdefault(span.root.lemma_.lower(), {})
        by[item.event] = by.get(item.event, 0) + 1
    from eventwire.coding.actors import load_actor_dictionary

    roles = load_actor_dictionary()
    rows = []
    for lemma in sorted(set(counts) | set(rams_types)):
        if lemma in hand_nouns or lemma in NOT_EVENT_NOUNS or roles.role([lemma]) is not None:
            continue
        c = counts.get(lemma, {"n": 0, "eventive": 0})
        rams = rams_types.get(lemma, {})
        verb = verb_of_nominal(lemma, verbs)
        eventive = c["n"] >= MIN_COUNT and c["eventive"] >= MIN_EVENTIVE_USES and c["eventive"] >= MIN_EVENTIVE_SHARE * c["n"]
        verb_cols = typed.get(verb or "")
        if lemma in NOUN_TYPES:
            event, via = NOUN_TYPES[lemma], "reviewed"
        elif sum(rams.values()) >= 2:
            event, via = max(sorted(rams), key=lambda k: rams[k]), "rams"
        elif verb_cols is not None and verb_cols[1] and eventive:
            event, via = verb_cols[1], "corpus"
        else:
            continue
        cols = verb_cols if verb_cols is not None and verb_cols[1] == event else ["", event, "", ""]
        if verb is not None:
            via += f"+verb:{verb}"
        rows.append([lemma, cols[1], cols[2], cols[0], cols[3], via, str(c["n"]), str(c["eventive"])])
    header = [
        "# eventwire derived event nouns, made by scripts/build_lexicon.py; do not edit by hand.",
        "# A noun is listed when it is a nominal form of a typed verb of the hand lexicon or of the derived",
        "# verb table (PETRARCH2 CAMEO.2.0.txt, MIT; CAMEO2PLOVER-2021.txt, CC BY-SA 4.0) and the training",
        "# text (synthetic stories and RAMS passages, training side of the fixed split, and ECB+) uses it as an",
        "# event, or when it is an annotated RAMS trigger (CC BY-SA 4.0) at least twice.  Only the words and",
        "# counts are kept.  Licence of this table: CC BY-SA 4.0.",
        "# lemma\tevent\tmode\tcameo\tcontext\tvia\tcorpus_count\teventive_uses",
    ]
    (out_dir / "event_nouns.tsv").write_text("\n".join(header + ["\t".join(r) for r in rows]) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    raise SystemExit(main())
