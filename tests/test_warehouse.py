"""The warehouse against real DuckDB files: schema and migration, atomic loads, views, locking, kill -9."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, SEEDS, run_cli

import gazetteers
from extractors.records import Agency, ArticleMeta, Award, Bloc, BlocRole, Event, Evidence, Extraction
from pipeline import warehouse
from pipeline.lock import EXIT_LOCKED, RunLock
from pipeline.warehouse_cli import QueryError, check_read_only


def ev(body: str, text: str) -> Evidence:
    i = body.index(text)
    return Evidence(i, i + len(text), text)


def article(source: str, province: str, year: int, holder: str, recipient: str) -> Extraction:
    body = (f"Ngày 20/12/{year}, Khối thi đua Nội chính tổ chức tổng kết. {holder} làm Khối trưởng năm {year}. "
            f"UBND tỉnh tặng Cờ thi đua năm {year} cho {recipient}.")
    return Extraction(
        source=source, body=body,
        article=ArticleMeta(title="t", published=f"{year}-12-21", province=province,
                            province_current=gazetteers.current_province(province)),
        events=[Event("tong_ket", f"{year}-12-20", ev(body, "tổng kết"))],
        blocs=[Bloc("Khối thi đua Nội chính", ev(body, "Khối thi đua Nội chính"))],
        agencies=[Agency(holder, ev(body, holder), "Sở", "state", "Khối thi đua Nội chính"),
                  Agency(recipient, ev(body, recipient), "Sở", "state")],
        bloc_roles=[BlocRole(holder, "truong_khoi", year, "Khối thi đua Nội chính", ev(body, "Khối trưởng"))],
        awards=[Award("co_thi_dua", "UBND tỉnh", recipient, None, None, "conferred", year, ev(body, "Cờ thi đua"),
                      "Cờ thi đua")],
    )


@pytest.fixture
def con(tmp_path):
    c = warehouse.connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def test_schema_created_with_version_and_reference_tables(con):
    assert warehouse.schema_version(con) == warehouse.SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM provinces").fetchone()[0] == 63
    assert con.execute("SELECT province_current FROM provinces WHERE province = 'Bình Định'").fetchone()[0] == "Gia Lai"
    assert con.execute("SELECT count(*) FROM department_lineage WHERE new_name = 'Sở Nông nghiệp và Môi trường'"
                       ).fetchone()[0] == 2


def test_writer_settings_are_applied_and_a_bad_override_is_a_clear_error(tmp_path, monkeypatch):
    con = warehouse.connect(tmp_path / "w.duckdb")
    threshold, limit = con.execute(
        "SELECT current_setting('checkpoint_threshold'), current_setting('memory_limit')").fetchone()
    con.close()
    assert threshold.startswith("244") and limit.startswith("953")  # 256 MB and 1 GB, printed in MiB
    monkeypatch.setenv("THIDUA_DB_MEMORY_LIMIT", "2GB")
    con = warehouse.connect(tmp_path / "w.duckdb")
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0].startswith("1.8")
    con.close()
    monkeypatch.setenv("THIDUA_DB_MEMORY_LIMIT", "plenty")
    with pytest.raises(warehouse.WarehouseError, match="memory_limit"):
        warehouse.connect(tmp_path / "w.duckdb")


def test_migration_from_version_1_keeps_data(tmp_path):
    db = tmp_path / "old.duckdb"
    c = duckdb.connect(str(db))
    c.execute(warehouse.SCHEMA_V1)
    c.execute("INSERT INTO schema_info VALUES ('schema_version', '1')")
    c.execute("INSERT INTO articles (article_id, source, content_sha256, body, extractor_version) "
              "VALUES ('a1', 's1', 'x', 'body', 'old')")
    c.execute("INSERT INTO awards (article_id, seq, kind, status) VALUES ('a1', 0, 'bang_khen', 'conferred')")
    c.close()
    c = warehouse.connect(db)
    assert warehouse.schema_version(c) == 2
    assert c.execute("SELECT kind, award_name FROM awards").fetchall() == [("bang_khen", None)]
    assert "member_of" in [r[0] for r in c.execute("DESCRIBE agencies").fetchall()]
    assert c.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    c.close()
    c = warehouse.connect(db)  # opening again is a no-op
    assert warehouse.schema_version(c) == 2


def test_load_is_idempotent_and_replaces_records_atomically(con, monkeypatch):
    a = article("s/1", "Gia Lai", 2022, "Sở Y tế", "Sở Nội vụ")
    assert warehouse.load(con, a) == "new"
    before = warehouse.dump(con)
    assert warehouse.load(con, a) == "unchanged"
    assert warehouse.dump(con) == before
    # a newer extractor version replaces the article's records
    monkeypatch.setattr(warehouse, "EXTRACTOR_VERSION", "next")
    b = article("s/1", "Gia Lai", 2022, "Sở Tư pháp", "Thanh tra tỉnh")
    assert warehouse.load(con, b) == "updated"
    assert con.execute("SELECT holder FROM bloc_roles").fetchall() == [("Sở Tư pháp",)]
    assert con.execute("SELECT extractor_version FROM articles").fetchone()[0] == "next"
    # a load that fails half way leaves the previous version whole
    monkeypatch.setattr(warehouse, "EXTRACTOR_VERSION", "broken")
    c = article("s/1", "Gia Lai", 2022, "Sở Tài chính", "Công an tỉnh")
    c.awards[0].status = None  # violates NOT NULL after the article row and other records are written
    with pytest.raises(duckdb.Error):
        warehouse.load(con, c)
    assert con.execute("SELECT holder FROM bloc_roles").fetchall() == [("Sở Tư pháp",)]
    assert con.execute("SELECT recipient FROM awards").fetchall() == [("Thanh tra tỉnh",)]
    assert con.execute("SELECT extractor_version FROM articles").fetchone()[0] == "next"


def test_load_many_matches_one_by_one(tmp_path):
    arts = [article(f"s/{i}", ["Gia Lai", "Kon Tum"][i % 2], 2018 + i % 5, f"Sở {i}", f"Ban {i}") for i in range(40)]
    c1 = warehouse.connect(tmp_path / "a.duckdb")
    for a in arts:
        warehouse.load(c1, a)
    c2 = warehouse.connect(tmp_path / "b.duckdb")
    assert warehouse.load_many(c2, [warehouse.Loadable(a) for a in arts]) == ["new"] * 40
    assert warehouse.dump(c1) == warehouse.dump(c2)


def test_views_answer_the_analysts_questions(con):
    for i, (prov, year, holder, rec) in enumerate([("Gia Lai", 2022, "Sở Y tế", "Sở Nội vụ"),
                                                   ("Gia Lai", 2023, "Sở Giáo dục và Đào tạo", "Sở Y tế"),
                                                   ("Bình Định", 2023, "Sở Tư pháp", "Sở Kế hoạch và Đầu tư")]):
        warehouse.load(con, article(f"s/{i}", prov, year, holder, rec))
    assert con.execute("SELECT province, year, holder FROM bloc_leaders WHERE role = 'truong_khoi'").fetchall() == [
        ("Bình Định", 2023, "Sở Tư pháp"), ("Gia Lai", 2022, "Sở Y tế"), ("Gia Lai", 2023, "Sở Giáo dục và Đào tạo")]
    assert con.execute("SELECT recipient FROM awards_by WHERE kind = 'co_thi_dua' AND year = 2023 "
                       "ORDER BY recipient").fetchall() == [("Sở Kế hoạch và Đầu tư",), ("Sở Y tế",)]
    assert con.execute("SELECT year, records, units FROM awards_per_year").fetchall() == [(2022, 1, 1), (2023, 2, 2)]
    assert con.execute("SELECT DISTINCT agency FROM bloc_memberships WHERE year = 2023 ORDER BY agency").fetchall() == [
        ("Sở Giáo dục và Đào tạo",), ("Sở Tư pháp",)]
    hist = con.execute("SELECT year, roles, awards FROM agency_history WHERE agency = 'Sở Y tế' AND province = 'Gia Lai' "
                       "ORDER BY year").fetchall()
    assert hist == [(2022, "truong_khoi", None), (2023, None, "co_thi_dua (conferred)")]
    assert con.execute("SELECT successors_2025 FROM agency_history WHERE agency = 'Sở Kế hoạch và Đầu tư'"
                       ).fetchone()[0] == "Sở Tài chính"
    assert con.execute("SELECT articles_as_named, articles_in_current_unit FROM provinces_2025 "
                       "WHERE province = 'Bình Định'").fetchone() == (1, 3)  # Gia Lai absorbed Bình Định


@pytest.mark.parametrize("sql", ["DELETE FROM awards", "DROP TABLE awards", "SELECT 1; DELETE FROM awards",
                                 "INSERT INTO awards VALUES (1)", "COPY awards TO '/tmp/x.csv'", "ATTACH 'x.db'",
                                 "UPDATE articles SET title = 'x'", "PRAGMA threads=1", ""])
def test_sql_cannot_write(sql):
    with pytest.raises(QueryError):
        check_read_only(sql)


def test_sql_cli_is_read_only_end_to_end(tmp_path):
    db = tmp_path / "w.duckdb"
    run_cli("run", "--db", str(db), check=True)
    n = run_cli("sql", "SELECT count(*) AS n FROM awards", "--db", str(db), "--format", "json", check=True).stdout
    proc = run_cli("sql", "DELETE FROM awards", "--db", str(db))
    assert proc.returncode == 2 and "only queries" in proc.stderr
    # even a query that slips past the check meets a read-only connection
    proc = run_cli("sql", "WITH x AS (SELECT 1) DELETE FROM awards", "--db", str(db))
    assert proc.returncode == 2
    assert run_cli("sql", "SELECT count(*) AS n FROM awards", "--db", str(db), "--format", "json").stdout == n
    out = run_cli("query", "bloc_leaders", "--db", str(db), "--province", "Kon Tum", "--format", "csv",
                  check=True).stdout
    assert "Trường Cao đẳng Kon Tum" in out and "Gia Lai" not in out
    assert "ok" in run_cli("status", "--db", str(db), check=True).stdout
    pq = tmp_path / "pq"
    run_cli("export", "--parquet", str(pq), "--db", str(db), check=True)
    assert (pq / "awards" / "year_part=2023").is_dir()
    back = duckdb.sql(f"SELECT count(*) FROM read_parquet('{pq}/awards/*/*.parquet')").fetchall()[0][0]
    assert back == duckdb.connect(str(db), read_only=True).execute("SELECT count(*) FROM awards").fetchone()[0]
    html = tmp_path / "r.html"
    run_cli("report", "--html", str(html), "--db", str(db), check=True)
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "Kon Tum" in text and "Sở Y tế" in text


def test_second_run_exits_at_once_while_the_lock_is_held(tmp_path):
    db = tmp_path / "w.duckdb"
    with RunLock(db):
        t = time.perf_counter()
        proc = run_cli("run", "--db", str(db))
    assert proc.returncode == EXIT_LOCKED
    assert "another thidua run" in proc.stderr and str(os.getpid()) in proc.stderr
    assert time.perf_counter() - t < 30 and not db.exists()
    assert run_cli("run", "--db", str(db)).returncode == 0  # the lock went with its holder


def _big_corpus(root: Path, n: int) -> None:
    (root / "a").mkdir(parents=True)
    rows = ["id,file,sha256,province,portal,url,published_as_printed,obtained"]
    for i in range(n):
        src = SEEDS[i % len(SEEDS)]
        (root / "a" / f"{i:04d}.txt").write_bytes(src.read_bytes())
        rows.append(f"{i:04d},a/{i:04d}.txt,,,,,,")
    (root / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_run_killed_mid_load_leaves_whole_articles_and_next_run_completes(tmp_path):
    corpus, db, n = tmp_path / "corpus", tmp_path / "w.duckdb", 600
    _big_corpus(corpus, n)
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--db", str(db), "--corpus", str(corpus), "--batch", "20"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wal = Path(str(db) + ".wal")
    deadline = time.time() + 60
    while time.time() < deadline and (not wal.exists() or wal.stat().st_size < 400_000):
        time.sleep(0.02)  # wait until some batches are committed to the write-ahead log
    # a reader meanwhile: no snapshot exists before the first run ends, and it says so
    busy = run_cli("sql", "SELECT count(*) FROM articles", "--db", str(db))
    assert proc.poll() is None
    assert busy.returncode == 75 and f"thidua run (pid {proc.pid}" in busy.stderr and "no snapshot yet" in busy.stderr
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not warehouse.snapshot_path(db).exists()  # a killed run publishes nothing
    con = duckdb.connect(str(db), read_only=True)
    loaded = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < loaded < n, loaded
    # no half-loaded article: each one has exactly the records its seed gives
    per_seed = dict(con.execute(
        "SELECT right(source, 8), count(g.name) FROM articles a LEFT JOIN agencies g USING (article_id) "
        "GROUP BY article_id, source").fetchall())
    expected = {0: 10, 1: 9, 2: 3, 3: 3, 4: 3}
    for src, k in per_seed.items():
        assert k == expected[int(src[:4]) % 5], (src, k)
    assert con.execute("SELECT status FROM runs").fetchall() == [("running",)]
    con.close()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "did not finish" in done.stderr
    assert f"{n - loaded} new" in done.stdout and f"{loaded} unchanged" in done.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == n
    assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall() == [("interrupted",), ("ok",)]
    con.close()
    assert warehouse.snapshot_path(db).read_bytes() == db.read_bytes()


def _wait_until_writing(proc: subprocess.Popen, db: Path) -> None:
    """Until the run holds the lock and has committed its `runs` row (the write-ahead log exists)."""
    from pipeline.lock import lock_holder

    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        holder = lock_holder(db)
        if holder and holder[0] == proc.pid and Path(str(db) + ".wal").exists():
            return
        time.sleep(0.02)
    raise AssertionError(f"the run did not start writing (exit {proc.poll()})")


def test_readers_see_the_last_completed_run_while_a_run_writes(tmp_path, capsys):
    from pipeline.cli import main

    db, small, big = tmp_path / "w.duckdb", tmp_path / "small", tmp_path / "big"
    _big_corpus(small, 3)
    _big_corpus(big, 300)  # the same first 3 sources, then 297 more
    warehouse.connect(db).close()
    db.chmod(0o600)  # a warehouse only its owner may read: so is its copy
    run_cli("run", "--db", str(db), "--corpus", str(small), check=True)
    snap = warehouse.snapshot_path(db)
    assert snap.read_bytes() == db.read_bytes()  # published when the run released its lock
    assert snap.stat().st_mode & 0o777 == 0o600
    held = warehouse.open_reader(db)  # a reader open when the run starts does not keep it out
    assert held.path == snap and held.note is None
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--db", str(db), "--corpus", str(big), "--batch", "20"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_writing(proc, db)
        held.close()
        with pytest.raises(duckdb.IOException, match="lock"):  # the warehouse itself is the writer's
            duckdb.connect(str(db), read_only=True).close()
        q = run_cli("sql", "SELECT count(*) AS n FROM articles", "--db", str(db), "--format", "json")
        assert q.returncode == 0 and q.stdout == '{"n": 3}\n', q.stderr
        assert f"being written by a thidua run (pid {proc.pid}" in q.stderr and "snapshot of" in q.stderr
        capsys.readouterr()
        assert main(["status", "--db", str(db), "--format", "table"]) == 0
        out = capsys.readouterr().out
        assert f"in progress: a thidua run (pid {proc.pid}" in out and "| ok " in out
        analyst = duckdb.connect(str(snap), read_only=True)  # a long session on the snapshot
        assert proc.poll() is None, "the run ended before the readers could test it"
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "297 new, 0 updated, 3 unchanged" in out.decode()
    # the run's result is the new snapshot; the analyst's open copy still reads what it read
    assert analyst.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    analyst.close()
    assert snap.read_bytes() == db.read_bytes()
    q = run_cli("sql", "SELECT count(*) AS n FROM articles", "--db", str(db), "--format", "json")
    assert q.stdout == '{"n": 300}\n' and q.stderr == ""


# ---------------------------------------------------------------- export
def _warehouse(path: Path, n: int, years: range) -> Path:
    con = warehouse.connect(path)
    warehouse.load_many(con, [warehouse.Loadable(article(f"s/{i}", "Gia Lai", years[i % len(years)], f"Sở {i}",
                                                         f"Ban {i}")) for i in range(n)])
    con.close()
    return path


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _read_back(folder: Path) -> int:
    files = sorted(str(p) for p in folder.rglob("*.parquet"))
    return duckdb.execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchone()[0]


def test_reexport_replaces_every_table_whole_and_leaves_other_files(tmp_path):
    big = _warehouse(tmp_path / "big.duckdb", 300, range(2013, 2026))
    small = _warehouse(tmp_path / "small.duckdb", 5, range(2020, 2022))
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    run_cli("export", "--parquet", str(out), "--db", str(big), check=True)
    assert _read_back(out / "awards") == 300 and len(list((out / "awards").iterdir())) == 13
    run_cli("export", "--parquet", str(out), "--db", str(small), check=True)
    assert _read_back(out / "awards") == 5 and _read_back(out / "articles") == 5
    assert sorted(p.name for p in (out / "awards").iterdir()) == ["year_part=2020", "year_part=2021"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no temp folder left
    assert (out / "runs.parquet").is_file()


@pytest.mark.parametrize("name", ["O'Brien", "x' (FORMAT csv); COPY awards TO 'pwned.csv' (FORMAT csv); --",
                                  "a''b", "tab\tand \"quote\" and $$dollar$$ and \\back"])
def test_export_to_any_folder_name_no_injection(tmp_path, monkeypatch, name):
    from pipeline.cli import main

    db = _warehouse(tmp_path / "w.duckdb", 12, range(2021, 2024))
    before = db.read_bytes()
    out = tmp_path / name
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--parquet", str(out), "--db", str(db)]) == 0
    assert _read_back(out / "awards") == 12
    assert sorted(p.name for p in (out / "awards").iterdir()) == [f"year_part={y}" for y in (2021, 2022, 2023)]
    assert not list(tmp_path.rglob("pwned*")) and not list(ROOT.glob("pwned*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["w.duckdb", name])
    assert db.read_bytes() == before


def test_a_failed_export_keeps_the_previous_one(tmp_path):
    db = _warehouse(tmp_path / "w.duckdb", 12, range(2021, 2024))
    out = tmp_path / "out"
    run_cli("export", "--parquet", str(out), "--db", str(db), check=True)
    before = _files(out)
    proc = run_cli("export", "--parquet", str(out), "--db", str(tmp_path / "missing.duckdb"))
    assert proc.returncode == 2 and "no such database" in proc.stderr
    assert _files(out) == before and not [p for p in out.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("value", ["1GB'; DROP TABLE awards; --", "1GB; SET threads = 1", "'", "4GB OR 1=1"])
def test_memory_limit_from_the_environment_cannot_inject(tmp_path, monkeypatch, value):
    db = _warehouse(tmp_path / "w.duckdb", 3, range(2021, 2022))
    monkeypatch.setenv("THIDUA_DB_MEMORY_LIMIT", value)
    with pytest.raises(warehouse.WarehouseError, match="THIDUA_DB_MEMORY_LIMIT.*is not a size"):
        warehouse.connect(db)
    monkeypatch.delenv("THIDUA_DB_MEMORY_LIMIT")
    con = warehouse.connect(db)
    assert con.execute("SELECT count(*) FROM awards").fetchone()[0] == 3
    con.close()
