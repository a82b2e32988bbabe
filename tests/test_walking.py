"""The walking pipeline: contract shape, idempotent run, bad input, eval vs the reference scorer."""

import json
import subprocess
import sys

import duckdb
import pytest
from conftest import CORPUS, REFERENCE_SCORER, SEEDS, SHARED, jsonl, run_cli, to_cp1258

from pipeline import warehouse

RECORD_KEYS = {
    "events": {"kind", "date", "evidence"},
    "blocs": {"name", "evidence"},
    "agencies": {"name", "evidence"},
    "bloc_roles": {"holder", "role", "year", "bloc", "evidence"},
    "awards": {"kind", "conferred_by", "recipient", "count", "percent", "status", "year", "evidence"},
    "people": {"name", "title", "evidence"},
    "legal_refs": {"doc_type", "number", "date", "evidence"},
}


def test_extract_contract_shape_on_every_seed():
    proc = run_cli("extract", "--body", *map(str, SEEDS), check=True)
    objs = jsonl(proc.stdout)
    assert [o["source"] for o in objs] == [str(s) for s in SEEDS]
    for o in objs:
        assert set(o["article"]) >= {"title", "published", "province", "url", "author"}
        for t, keys in RECORD_KEYS.items():
            assert isinstance(o[t], list)
            for rec in o[t]:
                assert keys <= set(rec), (t, rec)
                ev = rec["evidence"]
                assert o["body"][ev["start"]:ev["end"]] == ev["text"], (t, rec)
                assert ev["text"].strip()
        assert o["agencies"], "every seed names agencies"


def test_run_twice_gives_identical_tables(tmp_path):
    db = tmp_path / "w.duckdb"
    run_cli("run", "--db", str(db), check=True)
    con = duckdb.connect(str(db), read_only=True)
    first = warehouse.dump(con)
    n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    proc = run_cli("run", "--db", str(db), check=True)
    assert "5 unchanged" in proc.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert warehouse.dump(con) == first
    assert n == len(SEEDS)
    # every record row points to an article and carries its evidence
    for t in warehouse.RECORD_COLUMNS:
        orphans = con.execute(f"SELECT count(*) FROM {t} LEFT JOIN articles USING (article_id) "
                              f"WHERE articles.article_id IS NULL OR ev_text IS NULL").fetchone()[0]
        assert orphans == 0, t
    bad = con.execute("SELECT count(*) FROM agencies g JOIN articles a USING (article_id) "
                      "WHERE substr(a.body, g.ev_start + 1, g.ev_end - g.ev_start) <> g.ev_text").fetchone()[0]
    assert bad == 0


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.bin", b"\x00\x01\x02PK\x00\xff" * 20, "binary file"),
    ("legacy.txt", to_cp1258("Sở Y tế tỉnh Gia Lai tổ chức hội nghị"), "not UTF-8"),
    ("nobody.html", b"<html><head><title>x</title></head><body>  </body></html>", "HTML has no body"),
])
def test_bad_input_is_reported_and_batch_goes_on(tmp_path, name, content, message):
    bad = tmp_path / name
    bad.write_bytes(content)
    proc = run_cli("extract", str(bad), str(SEEDS[0]))
    assert proc.returncode == 1
    objs = jsonl(proc.stdout)
    assert objs[0]["source"] == str(bad) and message in objs[0]["error"]
    assert not any(objs[0].get(t) for t in RECORD_KEYS)
    assert objs[1]["source"] == str(SEEDS[0]) and objs[1]["agencies"]
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_missing_path_is_reported(tmp_path):
    proc = run_cli("extract", str(tmp_path / "nope.txt"))
    assert proc.returncode == 1
    assert "no such file" in jsonl(proc.stdout)[0]["error"]


def test_declared_legacy_encoding_is_decoded(tmp_path):
    html = ("<html><head><meta charset='windows-1258'><title>t</title></head><body><p>"
            "Chiều 21-2, Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết.</p></body></html>")
    f = tmp_path / "cp1258.html"
    f.write_bytes(to_cp1258(html))
    obj = jsonl(run_cli("extract", str(f), check=True).stdout)[0]
    assert [a["name"] for a in obj["agencies"]] == ["Sở Y tế"]


def test_run_keeps_loaded_articles_when_a_file_fails(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    rows = ["id,file,sha256,province,portal,url,published_as_printed,obtained"]
    for s in SEEDS[:2]:
        (corpus / "seeds" / s.name).write_bytes(s.read_bytes())
        rows.append(f"{s.stem},seeds/{s.name},,,,,,")
    (corpus / "seeds" / "bad.txt").write_bytes(b"")
    rows.append("bad,seeds/bad.txt,,,,,,")
    (corpus / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    proc = run_cli("run", "--db", str(db), "--corpus", str(corpus))
    assert proc.returncode == 1 and "empty file" in proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2




@pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists(), reason="shared/ not beside the repo")
def test_the_bundled_reference_scorer_is_the_shared_one():
    assert REFERENCE_SCORER.read_bytes() == (SHARED / "tools" / "score.py").read_bytes()


@pytest.mark.parametrize("gold", ["gold.jsonl", "more"])
def test_eval_agrees_with_reference_scorer(tmp_path, gold):
    gold_path = CORPUS / "dev" / gold
    pred = tmp_path / "pred.jsonl"
    if gold == "gold.jsonl":
        out = run_cli("extract", *map(str, SEEDS), check=True).stdout
    else:
        files = []
        for f in sorted(gold_path.glob("*.json")):
            d = json.loads(f.read_text(encoding="utf-8"))
            t = tmp_path / f"{d['id']}.txt"
            t.write_text(d["text"], encoding="utf-8")
            files.append(str(t))
        out = run_cli("extract", *files, check=True).stdout
    pred.write_text(out, encoding="utf-8")
    ref = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(gold_path), str(pred), "--verbose"],
                         capture_output=True, text=True, check=True).stdout
    ours = run_cli("eval", str(gold_path), "--pred", str(pred), "--verbose", check=True).stdout
    assert ours == ref
    assert "overall micro-F1" in ours
