"""Imports run one way: gazetteers (data and text normalisation) ← extractors ← pipeline / scrapers."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"gazetteers": {"extractors", "pipeline", "scrapers"}, "extractors": {"pipeline", "scrapers"}}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_no_import_runs_back_up():
    bad = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).glob("*.py")):
            for name in sorted(_imports(path) & forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, "; ".join(bad)
