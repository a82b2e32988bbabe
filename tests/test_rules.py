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
