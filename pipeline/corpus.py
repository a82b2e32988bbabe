"""The bundled corpus (corpus/ at the repository root): articles, manifest and dev labels."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class CorpusItem:
    id: str
    path: Path
    url: str | None
    province: str | None
    portal: str | None


class ManifestError(ValueError):
    """A manifest that cannot be read; str(exc) names the file and what is wrong."""


def manifest(root: Path = ROOT) -> list[CorpusItem]:
    path = root / "manifest.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: the corpus manifest is missing")
    out = []
    try:
        with path.open(encoding="utf-8") as fh:
            rows = csv.DictReader(fh)
            for row in rows:
                if not row.get("id") or not row.get("file"):
                    raise ManifestError(f"{path}: line {rows.line_num}: needs an id and a file")
                out.append(CorpusItem(row["id"], root / row["file"], row.get("url") or None,
                                      row.get("province") or None, row.get("portal") or None))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 (invalid byte at offset {exc.start})") from None
    except csv.Error as exc:
        raise ManifestError(f"{path}: not a valid CSV ({exc})") from None
    return out


@dataclass(frozen=True)
class GoldItem:
    id: str
    gold: dict
    path: Path | None  # a file to extract
    text: str | None  # or the text itself
    url: str | None


def load_gold(path: str | Path) -> dict[str, GoldItem]:
    """A JSONL of {id, file, gold} or a folder of JSON files {id, url, text, gold}."""
    p = Path(path)
    items: dict[str, GoldItem] = {}
    if p.is_dir():
        for f in sorted(p.glob("**/*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            items[d["id"]] = GoldItem(d["id"], d["gold"], None, d.get("text"), d.get("url"))
    else:
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                file = (p.parent / d["file"]).resolve() if d.get("file") else None
                items[d["id"]] = GoldItem(d["id"], d["gold"], file, d.get("text"), d.get("url"))
    return items
