"""`thidua sql` and every reader against real DuckDB files: what an analyst may run, and every way
found to make it write. Each refusal is checked three ways: exit 2 with a message naming the
statement, no file appeared anywhere (working folder, HOME), and the warehouse and the other
database are byte-for-byte unchanged."""

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import run_cli

from pipeline import warehouse
from pipeline.cli import main
from pipeline.warehouse_cli import QueryError, check_read_only


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The bundled corpus loaded by a real `thidua run`, and a second database an attacker would like to empty."""
    d = tmp_path_factory.mktemp("base")
    run_cli("run", "--db", str(d / "w.duckdb"), check=True)
    other = duckdb.connect(str(d / "other.duckdb"))
    other.execute("CREATE TABLE awards AS SELECT range AS id FROM range(10)")
    other.close()
    (d / "w.duckdb.snapshot").unlink()  # this module is about the sandbox, not the snapshot
    return d


@pytest.fixture
def place(base, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the two databases as the working folder, with an empty HOME."""
    for f in base.iterdir():
        shutil.copy2(f, tmp_path / f.name)
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def digest(root: Path) -> dict[str, str]:
    """Every file and folder under root with the sha256 of its bytes."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(root.rglob("*"))}


def sql(place: Path, query: str, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["sql", query, "--db", str(place / "w.duckdb"), "--format", "json"])
    out = capsys.readouterr()
    return code, out.out, out.err


# the bypasses that got through the old first-keyword check, run as a user would: the real command
ISSUE_BYPASSES = [
    ("-- note\nCOPY (SELECT * FROM awards) TO 'x.csv'", "COPY statement"),
    ("-- note\nCOPY (SELECT $$a$$ AS v FROM awards) TO 'x.csv'", "COPY statement"),
    ("SELECT $$;$$; COPY (SELECT * FROM awards) TO 'x.csv'", "one statement at a time (got 2: SELECT, COPY)"),
    ("-- note\nEXPORT DATABASE 'dir'", "EXPORT statement"),
    ("-- note\nATTACH 'other.duckdb' (READ_WRITE); DELETE FROM other.awards", "got 2: ATTACH, DELETE"),
    ("-- note\nATTACH 'other.duckdb' AS o (READ_WRITE)", "ATTACH statement"),
    ("EXPLAIN ANALYZE COPY (SELECT * FROM awards) TO 'x.csv'", "EXPLAIN ANALYZE"),
    ("-- note\nSET threads = 1", "SET statement"),
    ("-- note\nPRAGMA enable_profiling", "PRAGMA statement"),
    ("-- note\nCALL pragma_version()", "CALL statement"),
    ("-- note\nINSTALL httpfs", "INSTALL (LOAD) statement"),
]


@pytest.mark.parametrize("query,message", ISSUE_BYPASSES)
def test_the_issues_bypasses_are_refused_by_the_real_command(place, query, message):
    before = digest(place)
    proc = run_cli("sql", query, "--db", str(place / "w.duckdb"), cwd=place)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert proc.stdout == ""
    assert digest(place) == before


# more statement types and tricks, in process (same code path, a fraction of the time)
REFUSED = [
    ("DELETE FROM awards", "DELETE statement"),
    ("WITH x AS (SELECT 1) DELETE FROM awards", "DELETE statement"),
    ("INSERT INTO awards SELECT * FROM awards", "INSERT statement"),
    ("UPDATE articles SET title = 'x'", "UPDATE statement"),
    ("DROP TABLE awards", "DROP statement"),
    ("ALTER TABLE awards RENAME TO a2", "ALTER statement"),
    ("CREATE TABLE x AS SELECT * FROM awards", "CREATE statement"),
    ("CREATE TEMP MACRO m() AS 1", "CREATE statement"),
    ("MERGE INTO awards USING awards s ON true WHEN MATCHED THEN DELETE", "MERGE INTO statement"),
    ("COPY awards TO 'x.parquet' (FORMAT parquet)", "COPY statement"),
    ("COPY FROM DATABASE memory TO other", "COPY (PRAGMA) statement"),
    ("EXPORT DATABASE 'dir' (FORMAT parquet)", "EXPORT statement"),
    ("IMPORT DATABASE 'dir'", "PRAGMA"),
    ("DETACH other", "DETACH statement"),
    ("USE other", "USE (SET) statement"),
    ("LOAD httpfs", "LOAD statement"),
    ("FORCE INSTALL httpfs", "FORCE (LOAD) statement"),
    ("UPDATE EXTENSIONS", "UPDATE EXTENSIONS statement"),
    ("CHECKPOINT", "CHECKPOINT (CALL) statement"),
    ("VACUUM", "VACUUM statement"),
    ("BEGIN TRANSACTION", "BEGIN (TRANSACTION) statement"),
    ("PREPARE p AS DELETE FROM awards", "PREPARE statement"),
    ("RESET threads", "RESET (SET) statement"),
    ("SET VARIABLE x = 1", "SET statement"),
    ("CREATE SECRET (TYPE s3, KEY_ID 'a', SECRET 'b')", "CREATE"),
    # data-modifying WITH clauses: DuckDB parses these as SELECT statements
    ("WITH x AS (DELETE FROM awards RETURNING *) SELECT count(*) FROM x", "DELETE statement inside the query"),
    ("WITH x AS (INSERT INTO awards SELECT * FROM awards RETURNING *) SELECT 1", "INSERT statement inside"),
    ("WITH x AS (UPDATE articles SET title = 'x' RETURNING *) SELECT 1", "UPDATE statement inside"),
    ("WITH x AS (COPY awards TO 'x.csv') SELECT 1", "COPY statement inside"),
    ("SELECT * FROM awards WHERE seq IN (WITH d AS (DELETE FROM awards RETURNING seq) SELECT seq FROM d)",
     "DELETE statement inside"),
    ("WITH y AS (SELECT 1), x AS (WITH z AS (DELETE FROM awards RETURNING *) SELECT * FROM z) SELECT * FROM x",
     "DELETE statement inside"),
    ("WITH x AS (DELETE FROM awards RETURNING *) PIVOT x ON status", "DELETE statement inside a PIVOT"),
    # EXPLAIN: only of a query, never ANALYZE (which runs it)
    ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN ANALYZE"),
    ("explain analyse select 1", "EXPLAIN ANALYZE"),
    ("EXPLAIN /* c */ ANALYZE DELETE FROM awards", "EXPLAIN ANALYZE"),
    ("EXPLAIN (ANALYZE) DELETE FROM awards", "EXPLAIN (ANALYZE)"),
    ("EXPLAIN (FORMAT json, ANALYZE true) SELECT 1", "EXPLAIN (ANALYZE)"),
    ("EXPLAIN (\"analyze\") SELECT 1", "EXPLAIN (ANALYZE)"),  # a quoted option is the same option
    ("EXPLAIN (FORMAT \"json\", \"ANALYZE\") SELECT 1", "EXPLAIN (ANALYZE)"),
    ("EXPLAIN(ANALYZE)SELECT 1", "EXPLAIN (ANALYZE)"),
    ("EXPLAIN ANALYZE (FORMAT json) SELECT 1", "EXPLAIN ANALYZE"),
    ("EXPLAIN (U&\"an\\0061lyze\") SELECT 1", "explain type"),
    ("EXPLAIN DELETE FROM awards", "EXPLAIN DELETE"),
    ("EXPLAIN COPY awards TO 'x.csv'", "EXPLAIN COPY"),
    ("EXPLAIN WITH x AS (DELETE FROM awards RETURNING *) SELECT 1", "DELETE statement inside"),
    # comment, whitespace and quoting tricks
    ("/* SELECT */ COPY awards TO 'x.csv'", "COPY statement"),
    ("/* /* nested */ SELECT */ DELETE FROM awards", "DELETE statement"),
    ("-- ;\nDELETE FROM awards", "DELETE statement"),
    ("--SELECT\nDELETE FROM awards --", "DELETE statement"),
    ("\t\n\f\v DELETE\tFROM\nawards", "DELETE statement"),
    ("cOpY awards TO 'x.csv'", "COPY statement"),
    ("SELECT 'a;'; DELETE FROM awards", "got 2: SELECT, DELETE"),
    ("SELECT E'\\';'; DELETE FROM awards", "got 2: SELECT, DELETE"),
    ("SELECT $x$ ; $x$ ; DELETE FROM awards", "got 2: SELECT, DELETE"),
    ("SELECT 1;;DELETE FROM awards;", "got 2: SELECT, DELETE"),
    ("SELECT \"a;b\" FROM (SELECT 1 AS \"a;b\"); DELETE FROM awards", "got 2: SELECT, DELETE"),
    # unicode: a BOM, no-break and zero-width spaces, look-alike letters, full-width semicolons, bidi controls
    ("\ufeffCOPY awards TO 'x.csv'", "COPY statement"),
    ("COPY\u00a0awards\u00a0TO 'x.csv'", "COPY statement"),
    ("\u200bCOPY awards TO 'x.csv'", ""),
    ("\u0421OPY awards TO 'x.csv'", "syntax error"),  # Cyrillic С
    ("SELECT 1\uff1b DELETE FROM awards", "syntax error"),  # full-width semicolon
    ("\u202eSELECT 1; DELETE FROM awards", ""),
    ("SELECT 1 -- \u2028 DELETE FROM awards\n; DELETE FROM awards", "got 2"),
    ("", "empty query"),
    ("  ; -- only a comment\n /* and another */ ;", "empty query"),
]


@pytest.mark.parametrize("query,message", REFUSED)
def test_refused_with_one_line_and_nothing_written(place, capsys, query, message):
    before = digest(place)
    code, out, err = sql(place, query, capsys)
    assert code == 2 and out == ""
    assert err.startswith("thidua sql: ") and message in err and len(err.strip().splitlines()) == 1, err
    assert digest(place) == before
    with pytest.raises(QueryError):
        check_read_only(query)


# the second line of defence: statements sent straight to the sandboxed connection, past the check
PAST_THE_CHECK = [
    "COPY (SELECT * FROM awards) TO 'x.csv'",
    "COPY awards TO 'x.parquet' (FORMAT parquet)",
    "EXPORT DATABASE 'dir'",
    "ATTACH 'other.duckdb' AS o (READ_WRITE)",
    "ATTACH 'other.duckdb' AS o (READ_ONLY)",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('other.duckdb')",
    "SELECT * FROM 'other.duckdb'",
    "SELECT * FROM glob('*')",
    "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')",
    "DELETE FROM awards",
    "WITH x AS (DELETE FROM awards RETURNING *) SELECT * FROM x",
    "WITH x AS (COPY awards TO 'y.csv') SELECT 1",
    "SELECT * FROM query('WITH x AS (DELETE FROM awards RETURNING *) SELECT * FROM x')",
    "EXPLAIN ANALYZE COPY awards TO 'x.csv'",
    "SET enable_external_access = true",
    "RESET enable_external_access",
    "SET lock_configuration = false",
    "SET autoload_known_extensions = true",
    "SET allowed_directories = ['/']",
    "CREATE SECRET (TYPE s3, KEY_ID 'a', SECRET 'b')",
    "CREATE TABLE t AS SELECT 1",
]


@pytest.mark.parametrize("statement", PAST_THE_CHECK)
def test_the_connection_itself_cannot_write_or_reach_out(place, statement):
    before = digest(place)
    con = warehouse.connect(place / "w.duckdb", read_only=True)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(statement).fetchall()
        # and the sandbox is still in force afterwards
        assert con.execute("SELECT current_setting('enable_external_access'), "
                           "current_setting('lock_configuration')").fetchone() == (False, True)
    finally:
        con.close()
    assert digest(place) == before


def test_no_temp_directory_to_write_into(place):
    """DuckDB keeps its spill folder writable even with external access off; the sandbox has none."""
    for d in ("w.duckdb.tmp", "w.duckdb.snapshot.tmp"):
        (place / d).mkdir()
    before = digest(place)
    con = warehouse.connect(place / "w.duckdb", read_only=True)
    try:
        assert con.execute("SELECT current_setting('temp_directory')").fetchone()[0] == ""
        for d in ("w.duckdb.tmp", "w.duckdb.snapshot.tmp"):
            with pytest.raises(duckdb.Error, match="disabled by configuration"):
                con.execute(f"COPY awards TO '{place / d / 'x.csv'}'")
    finally:
        con.close()
    assert digest(place) == before


README_QUERIES = [
    """SELECT a.province, r.year, r.role, r.holder, coalesce(r.bloc, '') AS bloc
  FROM bloc_roles r JOIN articles a USING (article_id)
  ORDER BY a.province, r.year, r.role""",
    """SELECT a.province, w.year, w.status, w.recipient, w.count, w.conferred_by, w.ev_text
  FROM awards w JOIN articles a USING (article_id)
  WHERE w.kind = 'co_thi_dua' ORDER BY a.province, w.year""",
    """SELECT year, kind, status, count(*) AS records, sum(coalesce(count, 1)) AS units
  FROM awards GROUP BY ALL ORDER BY year, kind""",
]
ANALYST_QUERIES = README_QUERIES + [
    "WITH per AS (SELECT article_id, count(*) AS n FROM awards GROUP BY ALL) SELECT max(n) AS n FROM per",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT sum(n) AS n FROM r",
    "SELECT kind, row_number() OVER (PARTITION BY kind ORDER BY seq) AS rn, "
    "sum(coalesce(count, 1)) OVER w AS running FROM awards WINDOW w AS (ORDER BY article_id, seq) QUALIFY rn = 1",
    "SUMMARIZE awards",
    "SUMMARIZE SELECT year, kind FROM awards",
    "DESCRIBE awards",
    "DESCRIBE SELECT * FROM bloc_leaders",
    "SHOW TABLES",
    "SHOW ALL TABLES",
    "FROM awards SELECT kind, count(*) GROUP BY kind",
    "TABLE provinces",
    "VALUES (1, 'a'), (2, 'b')",
    "PIVOT awards ON status USING count(*) GROUP BY kind",
    "PIVOT awards ON status IN ('conferred', 'proposed') USING count(*) GROUP BY kind",
    "UNPIVOT (SELECT article_id, events, awards FROM article_summary) ON events, awards INTO NAME k VALUE v",
    "SELECT kind FROM awards UNION SELECT kind FROM awards EXCEPT SELECT 'khac'",
    "EXPLAIN SELECT * FROM awards WHERE year = 2023",
    "EXPLAIN (FORMAT json) SELECT count(*) FROM awards",
    "EXPLAIN(FORMAT 'json')SELECT 1",
    "-- the delete is only in this comment: DELETE FROM awards\nSELECT count(*) AS n FROM awards; -- done",
    "SELECT 'COPY awards TO ''x.csv''; DELETE FROM awards' AS harmless_text",
    "SELECT * FROM duckdb_tables()",
    "SELECT * FROM query('SELECT count(*) FROM awards')",
    "SELECT '{\"a\": 1}'::JSON ->> 'a' AS a, strftime(DATE '2023-01-02', '%d/%m/%Y') AS d",
    "SELECT kind, list(DISTINCT status ORDER BY status) AS statuses, "
    "list_transform([1, 2], lambda x: x * 2) AS l FROM awards GROUP BY kind",
    *[f"SELECT count(*) AS n FROM {v}" for v in ["article_year", "bloc_leaders", "awards_by", "awards_per_year",
                                                "bloc_memberships", "agency_history", "provinces_2025",
                                                "article_summary"]],
]


@pytest.mark.parametrize("query", ANALYST_QUERIES)
def test_analyst_queries_still_work(place, capsys, query):
    before = digest(place)
    code, out, err = sql(place, query, capsys)
    assert code == 0, err
    assert out.strip() and err == ""
    assert digest(place) == before


def test_the_answers_are_the_warehouses(place, capsys):
    code, out, _ = sql(place, README_QUERIES[0], capsys)
    assert code == 0 and "Trường Cao đẳng Kon Tum" in out
    direct = duckdb.connect(str(place / "w.duckdb"), read_only=True)
    n = direct.execute("SELECT count(*) FROM awards").fetchone()[0]
    direct.close()
    code, out, _ = sql(place, "-- c\nSELECT count(*) AS n FROM awards;", capsys)
    assert out.strip() == f'{{"n": {n}}}' and n > 0


@pytest.mark.parametrize("view", ["bloc_leaders", "awards_by", "awards_per_year", "bloc_memberships",
                                  "agency_history", "provinces_2025", "article_summary"])
def test_every_saved_view_through_thidua_query(place, capsys, view):
    before = digest(place)
    capsys.readouterr()
    assert main(["query", view, "--db", str(place / "w.duckdb"), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) > 1, out
    assert digest(place) == before


def test_query_filters_are_bound_not_spliced(place, capsys):
    before = digest(place)
    capsys.readouterr()
    code = main(["query", "bloc_leaders", "--db", str(place / "w.duckdb"), "--format", "csv",
                 "--province", "x' OR 1=1; DELETE FROM awards; --"])
    out = capsys.readouterr().out
    assert code == 0 and len(out.splitlines()) == 1  # the header only: no province has that name
    assert main(["query", "awards_by; DELETE FROM awards", "--db", str(place / "w.duckdb")]) == 2
    assert digest(place) == before


def test_report_and_status_read_through_the_sandbox(place, capsys):
    before = digest(place)
    assert main(["status", "--db", str(place / "w.duckdb"), "--format", "csv"]) == 0
    assert ",ok," in capsys.readouterr().out
    assert main(["report", "--html", str(place / "out" / "r.html"), "--db", str(place / "w.duckdb")]) == 0
    after = digest(place)
    assert set(after) - set(before) == {"out", "out/r.html"}
    assert {k: v for k, v in after.items() if not k.startswith("out")} == before
