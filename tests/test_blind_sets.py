"""Blind labelled sets written for issue 12 by annotators who had read CONTRACT.md and the five seeds but neither the
extractors nor the dev articles (tests/fixtures/blind/<set>/*.json, the dev/more format):

- bn, bs (32 articles, 6 negatives): provincial portal pages with their furniture, North and South, 2013-2025, merged
  provinces after July 2025. First look (main at 6d0f131): micro-F1 0.913. Their annotators gave a school year and a
  period their last year, where the dev conventions give the first year and null: award years are not floored.
- mx, my (24 articles, 4 negatives): written to be as messy as real scraped pages and heavy with awards (flattened
  tables, rows run together, a page without spaces after punctuation, captions, abbreviations). First look (main at
  12bbd34): 0.712 and 0.854.

The first half of each set by id was tuned on; the second half is check-only. The floors guard the figures reached
(see the issue-12 closing note), not the issue's bars.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REFERENCE_SCORER, ROOT

BLIND = ROOT / "tests" / "fixtures" / "blind"
FLOOR = {"tune": 0.92, "check": 0.88}  # reached: 0.929 and 0.889
SIZE = {"bn": 16, "bs": 16, "mx": 12, "my": 12}


def _half(path: Path) -> str:
    return "tune" if int(path.stem.split("-")[1]) <= SIZE[path.parent.name] // 2 else "check"


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict[str, float]:
    out: dict[str, float] = {}
    for half in ("tune", "check"):
        d = tmp_path_factory.mktemp(half)
        gold = d / "gold.jsonl"
        with gold.open("w", encoding="utf-8") as g:
            for f in sorted(BLIND.glob("*/*.json")):
                if _half(f) != half:
                    continue
                a = json.loads(f.read_text(encoding="utf-8"))
                (d / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
                g.write(json.dumps({"id": a["id"], "gold": a["gold"]}, ensure_ascii=False) + "\n")
        pred = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *sorted(map(str, d.glob("*.txt")))],
                              cwd=ROOT, capture_output=True, text=True, check=True).stdout
        (d / "pred.jsonl").write_text(pred, encoding="utf-8")
        for line in pred.splitlines():
            p = json.loads(line)
            out.setdefault("invented", 0.0)
            if json.loads((BLIND / Path(p["source"]).stem[:2] / f"{Path(p['source']).stem}.json").read_text(
                    encoding="utf-8")).get("negative"):
                out["invented"] += len(p["awards"]) + len(p["bloc_roles"])
        report = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(gold), str(d / "pred.jsonl")],
                                capture_output=True, text=True, check=True).stdout
        out[half] = float(re.search(r"overall micro-F1 = ([\d.]+)", report).group(1))
    return out


def test_blind_sets_are_well_formed():
    files = sorted(BLIND.glob("*/*.json"))
    assert len(files) == sum(SIZE.values())
    for f in files:
        a = json.loads(f.read_text(encoding="utf-8"))
        assert a["id"] == f.stem and a["text"] and set(a["gold"]) >= {"agencies", "awards", "bloc_roles", "people"}
        if a.get("negative"):
            assert not a["gold"]["awards"] and not a["gold"]["bloc_roles"]


@pytest.mark.parametrize("half", ["tune", "check"])
def test_blind_set_floor(scored, half):
    assert scored[half] >= FLOOR[half], f"blind {half} half: micro-F1 {scored[half]:.3f} < {FLOOR[half]}"


def test_no_award_or_bloc_role_is_invented_in_a_negative(scored):
    assert scored["invented"] == 0
