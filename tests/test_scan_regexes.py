"""The whole-text scans of awards and people were rebuilt for speed (first character first, so re skips ahead);
each must find exactly what the plain form of the same pattern finds."""

import re

import pytest

import gazetteers
from extractors import awards, people
from extractors.common import Context
from extractors.records import ArticleMeta
from gazetteers.textnorm import fold
from pipeline.bench import generate
from tests.conftest import SEEDS

TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS] + [t for _, t in generate(60)] + [
    "a1 cá nhân, 1.234 tập thể, 12.34 cá nhân, x/5 đơn vị, 123456 người, 1.234.567 hộ, 12,5 xã và 3 tập thể",
    "1'2Nguyễn Văn An, a'Nguyễn Văn B, _Trần Thị C và 3Lê Văn D; H'Hen Niê, Rah Lan Chung, x’Lê Văn E",
]


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], str]]:
    return [(m.span(), m.group(0)) for m in rx.finditer(text)]


def _flat_conferrers() -> re.Pattern[str]:
    alts = [re.escape(fold(p.rstrip("* ").strip())) + (r"\s+[\wđ\s&,\-–]+?" if p.endswith("*") else "")
            for p, _ in gazetteers.conferrers()]
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)")


@pytest.mark.parametrize("grouped, flat", [
    (awards._kinds, lambda: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(p)) for p, _ in gazetteers.award_kinds())
                                       + r")(?!\w)")),
    (lambda: awards._conferrers()[0], _flat_conferrers),
    (awards._count_rx, lambda: re.compile(r"(?<![\w.,/])(\d{1,3}(?:\.\d{3})+|\d{1,5})(?![\d/%])\s+"
                                          + awards._words_rx("count_unit") + r"(?:\s+(?:và|,)\s+"
                                          + awards._words_rx("count_unit") + r")?(?!\w)")),
], ids=["award kinds", "conferrers", "counts"])
def test_awards_scan_finds_what_the_flat_pattern_finds(grouped, flat) -> None:
    found = 0
    for text in TEXTS:
        f = fold(text)
        assert _spans(grouped(), f) == _spans(flat(), f)
        found += len(_spans(flat(), f))
    assert found > 0


def _runs_word_by_word(ctx: Context) -> list[tuple[int, int]]:
    """people._name_runs as it was: every word of the body asked whether it starts a family name."""
    body, out, end = ctx.body, [], 0
    for m in people.WORD.finditer(body):
        s = m.start()
        if s < end or not people._surname_at(body, s, m.group(0)) or people._blocked(ctx, s):
            continue
        if s > 0 and body[s - 1].isalpha():
            continue
        e = people._name_end(ctx, s, 4)
        if 2 <= len(body[s:e].split()) <= 4:
            out.append((s, e))
            end = e
    return out


def test_name_runs_start_where_the_word_scan_starts_them() -> None:
    found = 0
    for text in TEXTS:
        ctx = Context.of(text, ArticleMeta())
        runs = people._name_runs(ctx)
        assert runs == _runs_word_by_word(ctx)
        found += len(runs)
    assert found > 0
