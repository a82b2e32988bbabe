"""Every phrasing rule in gazetteers/rules/ compiles, has an example of its own, and its example works."""

import json
import re
from dataclasses import asdict

import pytest

from extractors import rules
from extractors.atoms import Atom, view
from extractors.records import ArticleMeta
from gazetteers.textnorm import key
from pipeline.extract import extract_body
from tests.conftest import CORPUS, MORE, SEEDS, SHARED

RULES = rules.all_rules()


def _dev_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    texts += [json.loads(p.read_text(encoding="utf-8"))["text"] for p in MORE]
    for folder in (CORPUS / "dev" / "wide", SHARED / "dev" / "wide", SHARED / "dev" / "more"):
        texts += [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(folder.glob("*.json"))]
    return [key(t) for t in texts]


def test_there_are_rules_and_each_has_an_example():
    assert len(RULES) >= 5
    for r in RULES:
        assert r.example.strip(), f"{r.where}: rule {r.id} has no example"
        assert r.expect, f"{r.where}: rule {r.id} has no expected fields"
        assert r.record_type in {"events", "blocs", "agencies", "bloc_roles", "awards", "people", "legal_refs"}, r.id


def test_examples_are_not_copied_from_dev_articles():
    dev = _dev_texts()
    for r in RULES:
        k = key(r.example)
        # a long shared stretch means the example was lifted from an article we score on
        for chunk in re.findall(r"(?:\S+ ){9}\S+", k):
            assert not any(chunk in t for t in dev), f"{r.where}: rule {r.id}'s example is copied from a dev article"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_example(rule):
    ex = extract_body("<example>", rule.example, ArticleMeta())
    recs = [asdict(x) for x in getattr(ex, rule.record_type)]
    made = [x for x in recs if rule.id in (x.get("rule") or "").split("+")]
    assert made, f"{rule.where}: rule {rule.id} made no {rule.record_type} record from its example; got {recs}"
    want = rule.expect
    assert any(all(key(str(x.get(k))) == key(str(v)) for k, v in want.items()) for x in made), \
        f"{rule.where}: rule {rule.id}: expected {want}, got {made}"


def test_pattern_format():
    lists = {"give": ("cho", "giao cho")}
    rx = re.compile(rules._compile("{ENTITY+:who} [được bầu làm|làm]? @give {YEAR}?", lists))
    atoms = [Atom(0, 7, "AGENCY"), Atom(11, 17, "PERSON")]
    text = "sở y tế và ông an làm cho 2024"
    v = view(text, atoms)
    assert len(v) == len(text)
    m = rx.match(v)
    assert m and m.end() == len(text) and m.span("who") == (0, 17)
    assert not rx.match(view("sở y tế chom", atoms[:1]))  # whole words only


def test_bad_rules_say_where():
    with pytest.raises(rules.RuleError, match="unknown atom label"):
        rules._compile("{AGENCYY:holder} làm", {})
    with pytest.raises(rules.RuleError, match="unknown word list"):
        rules._compile("{AGENCY} @nowhere", {})


def _speed_texts() -> list[str]:
    """Rule examples and seed articles, folded, once as written and once with the spaces doubled and a
    space before each line (matches that open on spaces are where a lead could go wrong)."""
    from gazetteers.textnorm import fold

    base = [fold(" ".join(r.example for r in RULES))] + [fold(p.read_text(encoding="utf-8")) for p in SEEDS[:6]]
    return base + [re.sub(r"(?m)^", " ", t.replace(" ", "  ")) for t in base]


def test_lead_finds_the_same_matches_as_the_rule_itself():
    """rules._matches (through the lead) gives exactly what the rule's regex gives, from any start."""
    texts = _speed_texts()
    led = [r for r in RULES if r.lead is not None]
    assert any(r.id == "events.date.day" for r in led)
    found = 0
    for r in led:
        for t in texts:
            for a, b in ((0, len(t)), (len(t) // 3, len(t) - 7)):
                want = [(m.span(), m.groupdict()) for m in r.rx.finditer(t, a, b)]
                assert [(m.span(), m.groupdict()) for m in rules._matches(r, t, a, b)] == want, r.id
                found += len(want)
    assert found > 50


def test_word_lists_grouped_by_first_character_match_like_one_alternation():
    texts = _speed_texts()
    from gazetteers.textnorm import fold

    for scope in ("agencies", "awards", "events", "bloc_roles", "people"):
        for name, words in rules.word_lists(scope).items():
            plain = re.compile(r"(?<!\w)(?:" + "|".join(r"\s+".join(re.escape(x) for x in fold(w).split())
                                                      for w in sorted(words, key=len, reverse=True)) + r")(?!\w)")
            grouped = re.compile(rules._word_list(words)[0])
            for t in texts:
                assert [m.span() for m in grouped.finditer(t)] == [m.span() for m in plain.finditer(t)], name


def test_grouped_alternation_matches_like_the_plain_one():
    """Agency heads, provinces and legal document types, grouped by first character (rules.grouped_alternation),
    find the same spans and groups as `(?<!\\w)(?:...)(?!\\w)` over the same alternatives."""
    import gazetteers
    from extractors import agencies, legal
    from gazetteers.textnorm import flex_pattern

    texts = _speed_texts()
    alts = sorted({flex_pattern(p.pattern) for p in gazetteers.agency_patterns()}, key=len, reverse=True)
    pairs = [(re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)"), agencies._compiled()[2]),
             (re.compile(r"(?<!\w)(?P<p>" + gazetteers.province_alternation() + r")(?!\w)"), gazetteers.province_regex()),
             (re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(legal._types()[1], key=len, reverse=True))
                         + r")(?!\w)"), legal._types()[0])]
    for plain, grouped in pairs:
        assert grouped.pattern != plain.pattern
        for t in texts:
            want = [(m.span(), m.groups()) for m in plain.finditer(t)]
            assert [(m.span(), m.groups()) for m in grouped.finditer(t)] == want
    assert rules.grouped_alternation(["ab", r"\sx"])[1] == []  # an alternative that opens on a class: plain form


def test_groups_sharing_a_first_token_find_what_each_rule_finds():
    """rules.finditer searches a first token that several rules share once; the matches are each rule's own."""
    texts = _speed_texts()
    prefixes = {r.id.rsplit(".", 1)[0] for r in RULES} | {".".join(r.id.split(".")[:2]) for r in RULES}
    shared = [p for p in prefixes if rules._shared_openers(p)]
    assert "agencies.unit_list" in shared
    for p in shared:
        for t in texts:
            want = sorted(((m.start(), -m.end(), i), r.id, m.groupdict()) for i, r in enumerate(rules.group(p))
                          for m in r.rx.finditer(t))
            got = [((m.start(), -m.end(), i), r.id, m.groupdict())
                   for r, m in rules.finditer(p, t) for i in [rules.group(p).index(r)]]
            assert got == want, p
