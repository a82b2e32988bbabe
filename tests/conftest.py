import importlib.util
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
MORE = sorted((CORPUS / "dev" / "more").glob("*.json"))
SHARED = ROOT.parent / "shared"


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=cwd or ROOT,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return proc


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def extract_text(text: str, **meta):
    """The records of one sentence or passage, fed to the pipeline as a cleaned body."""
    from extractors.records import ArticleMeta
    from pipeline.extract import extract_body

    return extract_body("<test>", text, ArticleMeta(**meta))


def name_after(text: str, head: str, **kw) -> str:
    """The name the shared walker reads after the first `head` in `text`, head included."""
    from extractors import names
    from gazetteers.textnorm import fold

    start = text.index(head)
    return text[start:names.walk(text, fold(text), start + len(head), **kw)]


# a byte-for-byte copy of ../shared/tools/score.py (test_walking checks it), so a clean clone scores too
REFERENCE_SCORER = ROOT / "tests" / "fixtures" / "reference" / "score.py"


@cache
def reference_scorer():
    """The bundled byte copy of ../shared/tools/score.py, as a module (its matching functions score fixtures)."""
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE_SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def more_texts(tmp_path: Path) -> list[Path]:
    """The twenty extra dev articles written out as .txt files named by id."""
    out = []
    for f in MORE:
        d = json.loads(f.read_text(encoding="utf-8"))
        p = tmp_path / f"{d['id']}.txt"
        p.write_text(d["text"], encoding="utf-8")
        out.append(p)
    return out


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes for Vietnamese text: precomposed vowel + combining tone mark, as the code page wants."""
    import unicodedata

    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tone = next(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", d.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)
