"""Phrasing rules as data: `gazetteers/rules/<record type>.tsv`, one rule a line, each with an example.

A rule line is `id<TAB>pattern<TAB>example<TAB>expected fields (JSON)`. The pattern is a small
readable format, written in lower case and matched against the atom view (extractors/atoms.py):

    {AGENCY}            one atom of that label            {AGENCY|PERSON}   either label
    {YEAR} {NUMBER} {ROMAN}  a year, a number, a roman numeral (matched on the text, not atoms);
    {DAYMONTH}          '29/2', '06/11/2020'
    {ENTITY:holder}     an atom, captured as `holder`     {ENTITY+:who}     a list of them (',', ';', 'và')
    [làm|là|được bầu làm]   one of these words / phrases  [...]? {...}? word?  optional
    @confer_verb        a word list from gazetteers/rules/words*.tsv
    [...]:name @list:name   the same, captured as `name`
    ~  ~60              a short gap (default 40 characters) that crosses no sentence or clause mark
    , : ; - ( ) %       punctuation, with any spacing around it

Words are matched whole; elements may be separated by any whitespace. The Python side keeps the
mechanisms only (name extent, list expansion, binding, years, merging); which phrasings exist is here.
The tests run every example through the whole pipeline and check the expected fields.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache

import gazetteers
from extractors.atoms import FILL, GROUPS, LABELS
from gazetteers.textnorm import fold


class RuleError(ValueError):
    """A rule that does not compile: the message names the file, line and rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: str
    rx: re.Pattern[str]
    rx_at: re.Pattern[str]  # the same, after optional spaces (a rule tried right where something ends)
    rx_end: re.Pattern[str]  # the same, ending where the search region ends (a cue written before something)
    example: str
    expect: dict = field(default_factory=dict)
    where: str = ""  # file:line, for messages
    # for a pattern that opens on an optional token: where a match can start (extractors/rules.py `_matches`)
    lead: re.Pattern[str] | None = None
    opener: str = ""  # the regex of the first token, when it is not optional (rules sharing it search it once)

    @property
    def record_type(self) -> str:
        return self.id.split(".", 1)[0]


_TOKEN = re.compile(r"\{[^}]*\}\??|\[[^\]]*\](?::\w+)?\??|@[\w_]+(?::\w+)?\??|~\d*|[,:;()%&/\-]\??|[^\s\[\]{}@~,:;()%&/\-?]+\??")
_GAP = "[^.;:!?\\n]{{0,{n}}}?"
_SEP = r"\s*(?:,|;|&|\bvà\b|\bcùng\b)\s*"


# written like atoms but matched on the text itself
TEXT_MACROS = {"YEAR": r"(?<!\d)(?:19|20)\d{2}(?!\d)", "NUMBER": r"(?<!\d)\d{1,4}(?:[.,]\d{3})*(?![\d%])",
               # a day and month, with or without a year: '29/2', '21-2', '25.7', '06/11/2020'
               "DAYMONTH": r"(?<![\d/])\d{1,2}\s*[/\-.]\s*\d{1,2}(?:\s*[/\-.]\s*(?:19|20)\d{2})?(?![\d/]|\.\d)",
               "ROMAN": r"(?<!\w)(?=[ivxl])l?x{0,3}(?:ix|iv|v?i{0,3})(?!\w)"}  # a roman numeral, I to LXXXIX


def _atom(labels: str) -> str:
    if labels in TEXT_MACROS:
        return TEXT_MACROS[labels]
    names: list[str] = []
    for lab in labels.split("|"):
        names.extend(GROUPS.get(lab, (lab,)))
    unknown = [n for n in names if n not in LABELS]
    if unknown:
        raise RuleError(f"unknown atom label(s) {', '.join(unknown)}; known: {', '.join([*LABELS, *GROUPS])}")
    return "[" + "".join(LABELS[n] for n in names) + "]" + FILL + "*"


def _words(phrase: str) -> str:
    # the 'no word character before' check comes after the first word (a look-behind over it), so the pattern
    # starts with a literal and the regex engine can skip ahead to it: same matches, ~30x faster searches
    first, *rest = fold(phrase).split()
    return re.escape(first) + f"(?<!\\w{'.' * len(first)})" + "".join(r"\s+" + re.escape(w) for w in rest) + r"(?!\w)"


_META = ".^$*+?{}[]|()\\\n"


def _first_literal(alt: str) -> tuple[str, str] | None:
    """(the literal character an escaped regex alternative opens on, unescaped; the rest of it), or None when it opens
    on anything else (a class, a group, a look-around, a quantified character, a newline)."""
    n = 2 if alt.startswith("\\") else 1
    if len(alt) < n or alt[n:].startswith(("*", "+", "?", "{")):
        return None
    char = alt[n - 1]
    if char == "\n" or (char.isalnum() if n == 2 else char in _META):
        return None
    return char, alt[n:]


def grouped_alternation(alts: list[str], not_before: str = r"\w") -> tuple[str, list[str]]:
    """`(?<!\\w)(?:alt1|alt2|...)` written so that `re` can skip ahead: the alternatives grouped by the literal
    character they open on, the look-behind after that character. Returns the regex and its groups (each
    opening on its character), or the plain form and no groups when an alternative opens otherwise.
    `not_before`: what may not stand before a match (one character: a class or an escape; `\\w` by default).

    Order is kept within a group, and alternatives opening on different characters never match at the same
    place, so the same alternative matches as in the plain form."""
    split = [_first_literal(x) for x in alts]
    if not alts or any(x is None for x in split):
        return rf"(?<!{not_before})(?:" + "|".join(alts) + ")", []
    groups: dict[str, list[str]] = {}
    for first, rest in split:
        groups.setdefault(first, []).append(rest)
    heads = [re.escape(c) + rf"(?<!{not_before}.)" + (f"(?:{'|'.join(rs)})" if len(rs) > 1 else rs[0]) for c, rs in groups.items()]
    return "(?:" + "|".join(heads) + ")", heads


def _word_list(words: tuple[str, ...]) -> tuple[str, list[str]]:
    """A word list as one alternation (longest words first) between word boundaries, and its groups by first
    character, each with the closing boundary (see grouped_alternation)."""
    alts = [r"\s+".join(re.escape(x) for x in fold(w).split()) for w in sorted(words, key=len, reverse=True)]
    rx, heads = grouped_alternation(alts)
    return rx + r"(?!\w)", [h + r"(?!\w)" for h in heads]


def _atom_chars(labels: str) -> list[str] | None:
    """The label characters of an atom token, None for a text macro."""
    if labels in TEXT_MACROS:
        return None
    _atom(labels)  # unknown labels raise
    return [LABELS[n] for lab in labels.split("|") for n in GROUPS.get(lab, (lab,))]


@cache
def _honorific() -> str:
    """An optional honorific before the next item of a list ('Sở Y tế và ông Lê Văn A'): gazetteers/honorifics.txt."""
    words = sorted({fold(h).strip() for h in gazetteers.honorifics() if h.strip()}, key=len, reverse=True)
    return "(?:(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")\s+)?"


def _token(t: str, lists: dict[str, tuple[str, ...]], names: bool) -> str:
    """The regex of one pattern token (without its '?')."""
    if t.startswith("{"):
        labels, _, name = t[1:-1].partition(":")
        many = labels.endswith("+")
        one = _atom(labels.rstrip("+"))
        rx = f"{one}(?:{_SEP}{_honorific()}{one})*" if many else one
        return f"(?P<{name}>{rx})" if name and names else rx
    if t.startswith("["):
        inner, _, name = t[1:].rpartition("]")
        rx = "(?:" + "|".join(_compile(alt, lists, names) for alt in inner.split("|")) + ")"
        return f"(?P<{name[1:]}>{rx})" if name and names else rx
    if t.startswith("@"):
        lname, _, name = t[1:].partition(":")
        words = lists.get(lname)
        if words is None:
            raise RuleError(f"unknown word list @{lname} (gazetteers/rules/words*.tsv)")
        rx = _word_list(words)[0]
        return f"(?P<{name}>{rx})" if name and names else rx
    if t.startswith("~"):
        return _GAP.format(n=int(t[1:] or 40))
    if re.fullmatch(r"[,:;()%&/\-]", t):
        return re.escape(t)
    return _words(t)


def _token_heads(t: str, lists: dict[str, tuple[str, ...]]) -> list[str] | None:
    """Alternatives (no named groups) that each open on one literal character and together match what the
    token matches where it starts; None when the token can start otherwise (a gap, a text macro)."""
    if t.startswith("{"):
        labels = t[1:-1].partition(":")[0]
        chars = _atom_chars(labels.rstrip("+"))
        if chars is None:
            return None
        one = _atom(labels.rstrip("+"))
        more = f"(?:{_SEP}{_honorific()}{one})*" if labels.endswith("+") else ""
        return [re.escape(c) + FILL + "*" + more for c in chars]
    if t.startswith("["):
        out: list[str] = []
        for alt in t[1:].rpartition("]")[0].split("|"):
            heads = _heads(alt, lists)
            if heads is None:
                return None
            out += heads
        return out
    if t.startswith("@"):
        return _word_list(lists[t[1:].partition(":")[0]])[1] or None
    if t.startswith("~"):
        return None
    return [_token(t, lists, False)]  # a word or a punctuation mark: opens on its first character


def _tokens(src: str) -> list[tuple[str, bool]]:
    """(token, optional) for each token of a pattern."""
    out = []
    for tok in _TOKEN.findall(src):
        opt = tok.endswith("?") and len(tok) > 1
        out.append((tok[:-1] if opt else tok, opt))
    return out


def _compile(src: str, lists: dict[str, tuple[str, ...]], names: bool = True) -> str:
    parts = []
    for t, opt in _tokens(src):
        rx = _token(t, lists, names)
        parts.append(f"(?:{rx})?" if opt else rx)
    return r"\s*".join(parts)


def _heads(src: str, lists: dict[str, tuple[str, ...]]) -> list[str] | None:
    """Alternatives that each open on a literal character and that, together, match at exactly the non-space
    positions where the pattern matches: an optional token either opens the match or is skipped."""
    toks = _tokens(src)
    out: list[str] = []
    for i, (t, opt) in enumerate(toks):
        heads = _token_heads(t, lists)
        if heads is None:
            return None
        rest = r"\s*".join(f"(?:{_token(u, lists, False)})?" if o else _token(u, lists, False) for u, o in toks[i + 1:])
        out += [h + (r"\s*" + rest if rest else "") for h in heads]
        if not opt:
            return out
    return None  # every token optional: the pattern may match nothing


def compile_pattern(src: str, scope: str) -> re.Pattern[str]:
    """One pattern in the rule format, compiled (for data files that reuse the format without being rules)."""
    return re.compile(_compile(src, word_lists(scope)))


@cache
def word_lists(scope: str) -> dict[str, tuple[str, ...]]:
    """The word lists a `scope` (a record type: words_<scope>.tsv) sees: its own, then those of other files.

    A name defined in the scope's own file wins over the same name elsewhere, so two record types may
    each keep a list called `unit_head` without mixing them; a name only another file defines is shared."""
    by_scope = gazetteers.rule_word_lists()
    out: dict[str, tuple[str, ...]] = {}
    for sc, lists in by_scope.items():
        if sc != scope:
            for name, words in lists.items():
                out[name] = tuple(dict.fromkeys(out.get(name, ()) + words))
    out.update(by_scope.get(scope, {}))
    return out


@cache
def all_rules() -> tuple[Rule, ...]:
    out = []
    seen: set[str] = set()
    for where, cols in gazetteers.rule_rows():
        rid, pattern = cols[0], cols[1]
        lists = word_lists(where.split("/")[-1].split(".tsv")[0])
        example = cols[2] if len(cols) > 2 else ""
        try:
            expect = json.loads(cols[3]) if len(cols) > 3 and cols[3] else {}
            src = _compile(pattern, lists)
            rx, rx_at, rx_end = re.compile(src), re.compile(f"\\s*(?:{src})"), re.compile(f"(?:{src})\\s*\\Z")
            lead = _lead(pattern, lists)
            toks = _tokens(pattern)
            # (not a gap: it matches nothing, anywhere)
            opener = _token(toks[0][0], lists, False) if toks and not toks[0][1] and toks[0][0][0] != "~" else ""
        except (RuleError, re.error, json.JSONDecodeError) as exc:
            raise RuleError(f"{where}: rule {rid}: {exc}") from exc
        if rid in seen:
            raise RuleError(f"{where}: rule id {rid} is used twice")
        seen.add(rid)
        out.append(Rule(rid, pattern, rx, rx_at, rx_end, example, expect, where, lead, opener))
    return tuple(out)


@cache
def group(prefix: str) -> tuple[Rule, ...]:
    """The rules whose id starts with `prefix` ('bloc_roles.holder'), in file order."""
    return tuple(r for r in all_rules() if r.id == prefix or r.id.startswith(prefix + "."))


def _lead(pattern: str, lists: dict[str, tuple[str, ...]]) -> re.Pattern[str] | None:
    """For a pattern that opens on an optional token ('[từ|vào]? ngày {DAYMONTH}'): one regex of alternatives
    that each open on a literal character, matching at the non-space positions where the pattern matches.
    `re` skips ahead to a literal; a pattern that opens on '(?:...)?' is tried at every position (most of
    the cost of the rules, ~2 ms an article)."""
    toks = _tokens(pattern)
    if not toks or not toks[0][1]:
        return None
    heads = _heads(pattern, lists)
    return re.compile("|".join(f"(?:{h})" for h in heads)) if heads else None


_SPACE = re.compile(r"\s")


def _matches(r: Rule, view: str, start: int, end: int):
    """r.rx.finditer(view, start, end), the same matches, found through r.lead where the rule has one.

    A match opens either where the lead matches (a non-space position) or on spaces: the optional token
    skipped, `\\s*` takes them and the rest of the pattern matches right after them, where the lead matches
    too. So the next match opens at the lead's next match, or at the start of the spaces just before it."""
    if r.lead is None:
        yield from r.rx.finditer(view, start, end)
        return
    pos = start
    while (h := r.lead.search(view, pos, end)) is not None:
        s = w = h.start()
        while w > pos and _SPACE.match(view, w - 1):
            w -= 1
        m = (r.rx.match(view, w, end) if w < s else None) or r.rx.match(view, s, end)
        yield m
        pos = m.end()


@cache
def _shared_openers(prefix: str) -> dict[str, re.Pattern[str]]:
    """The first tokens that two or more rules of a group open on ('@unit_head:head ...'), compiled."""
    count: dict[str, int] = {}
    for r in group(prefix):
        if r.opener and r.lead is None:
            count[r.opener] = count.get(r.opener, 0) + 1
    return {o: re.compile(o) for o, n in count.items() if n > 1}


def _opener_starts(rx: re.Pattern[str], view: str, start: int, end: int) -> list[int]:
    """Every position in [start, end) where rx matches, overlapping ones too."""
    out = []
    while (m := rx.search(view, start, end)) is not None:
        out.append(m.start())
        start = m.start() + 1
    return out


def _matches_from(r: Rule, view: str, starts: list[int], start: int, end: int):
    """r.rx.finditer(view, start, end) when every match of r opens at one of `starts` (where its first token
    matches): r.rx tried only there."""
    pos = start
    for s in starts:
        if s >= pos and (m := r.rx.match(view, s, end)) is not None:
            yield m
            pos = m.end()


def finditer(prefix: str, view: str, start: int = 0, end: int | None = None):
    """Every (rule, match) of a group over the atom view, in text order. A first token that several rules of
    the group share is searched once (three agencies.unit_list rules open on one long word list)."""
    end = len(view) if end is None else end
    shared = _shared_openers(prefix)
    starts = {o: _opener_starts(rx, view, start, end) for o, rx in shared.items()}
    found = [(m.start(), -m.end(), i, r, m) for i, r in enumerate(group(prefix))
             for m in (_matches_from(r, view, starts[r.opener], start, end) if r.opener in starts and r.lead is None
                       else _matches(r, view, start, end))]
    found.sort(key=lambda x: x[:3])
    for *_, r, m in found:
        yield r, m


def match_at(prefix: str, view: str, pos: int, end: int | None = None):
    """The first rule of a group (file order) that matches at `pos`, with its match, or (None, None)."""
    end = len(view) if end is None else end
    for r in group(prefix):
        m = r.rx_at.match(view, pos, end)
        if m:
            return r, m
    return None, None


def search_back(prefix: str, view: str, start: int, pos: int):
    """The first rule of a group whose match ends at `pos` (a cue written right before something)."""
    for r in group(prefix):
        m = r.rx_end.search(view, start, pos)
        if m:
            return r, m
    return None, None
