"""Warehouse subcommands: `sql`, `query`, `status`, `export`, `report`. All read through the sandbox.

User SQL is classified by DuckDB's own parser (not by its first keyword) and runs on a connection
that is read-only, cannot touch files or the network and has its configuration locked, so a
statement that got past the check still cannot write anything.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import duckdb

DEFAULT_DB = "data/thidua.duckdb"
VIEWS = ["bloc_leaders", "awards_by", "awards_per_year", "bloc_memberships", "agency_history", "provinces_2025",
         "article_summary"]
ALLOWED = "only queries are allowed (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PIVOT, EXPLAIN " \
          "without ANALYZE), one at a time; the warehouse is changed only by `thidua run`"
# query nodes that only read; DuckDB also parses INSERT/UPDATE/DELETE/COPY/MERGE inside WITH as a SELECT
READ_NODES = {"SELECT_NODE", "SET_OPERATION_NODE", "RECURSIVE_CTE_NODE", "CTE_NODE"}
# keywords that may not appear in a PIVOT, which DuckDB runs as several statements (type MULTI) and
# which therefore cannot be checked node by node
WRITE_KEYWORDS = {"insert", "update", "delete", "copy", "merge", "attach", "detach", "install", "load", "export",
                  "import", "create", "drop", "alter", "set", "reset", "pragma", "call", "checkpoint", "vacuum",
                  "use", "prepare", "execute", "truncate"}
EXIT_BUSY = 75  # a run holds the warehouse and there is no snapshot yet: try again later


class QueryError(Exception):
    pass


def _refuse(kind: str, why: str = "") -> QueryError:
    return QueryError(f"refused: {kind} statement{why}; {ALLOWED}")


def check_read_only(sql: str) -> duckdb.Statement:
    """The one query in `sql`, as DuckDB parsed it; QueryError naming the statement type otherwise."""
    statements = _parse(sql)
    if not statements:
        raise QueryError("empty query (nothing but whitespace or comments)")
    if len(statements) > 1:
        kinds = ", ".join(_kind(s) for s in statements)
        raise QueryError(f"one statement at a time (got {len(statements)}: {kinds})")
    _check(statements[0])
    return statements[0]


def _parse(sql: str) -> list[duckdb.Statement]:
    try:
        return duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from None


def _type(st: duckdb.Statement) -> str:
    try:
        return st.type.name
    except ValueError:  # a statement type the Python binding has no name for (UPDATE EXTENSIONS...)
        return "UNKNOWN"


def _kind(st: duckdb.Statement) -> str:
    """How a user would name it: the statement type, and the leading keyword when that differs
    (DuckDB files INSTALL under LOAD, USE under SET, COPY FROM DATABASE under PRAGMA)."""
    kind = _type(st).replace("_", " ")
    words = [text.upper() for typ, text, _ in _tokens(st.query)[:2]]
    if kind == "UNKNOWN":
        return " ".join(words)
    first = words[0] if words else ""
    if not first.isalpha() or first in ("WITH", kind.split()[0]):
        return kind
    return f"{first} ({kind})"


def _check(st: duckdb.Statement, inside_explain: bool = False) -> None:
    kind = _type(st)
    if kind == "SELECT":
        _check_nodes(st.query)
    elif kind == "MULTI":
        _check_pivot(st.query)
    elif kind == "EXPLAIN" and not inside_explain:
        inner = _parse(_explained(st.query))
        if len(inner) != 1:
            raise QueryError("EXPLAIN takes one query")
        if _type(inner[0]) not in ("SELECT", "MULTI"):
            raise _refuse(f"EXPLAIN {_kind(inner[0])}")
        _check(inner[0], inside_explain=True)
    else:
        raise _refuse(_kind(st))


def _tokens(sql: str) -> list[tuple[str, str, int]]:
    """(type, text, offset) of DuckDB's own tokens, comments dropped."""
    toks = duckdb.tokenize(sql)
    out = []
    for i, (start, typ) in enumerate(toks):
        if typ.name == "comment":
            continue
        end = toks[i + 1][0] if i + 1 < len(toks) else len(sql)
        out.append((typ.name, sql[start:end].strip(), start))
    return out


def _unquote(word: str) -> str:
    """An identifier as DuckDB reads it: `"ANALYZE"` is the option analyze."""
    if len(word) >= 2 and word[0] == word[-1] == '"':
        word = word[1:-1].replace('""', '"')
    return word.lower()


EXPLAIN_OPTIONS = {"format"}  # what EXPLAIN (...) may ask for; ANALYZE runs the statement


def _explained(sql: str) -> str:
    """The statement after EXPLAIN [(options)]; refused when it would ANALYZE (run) it."""
    toks = _tokens(sql)
    i = 1  # toks[0] is EXPLAIN
    if i < len(toks) and _unquote(toks[i][1]) in ("analyze", "analyse"):
        raise _refuse("EXPLAIN ANALYZE", " (it runs the statement)")
    if i < len(toks) and toks[i][1].startswith("("):
        items: list[list[str]] = [[]]
        depth = 0
        while i < len(toks):
            text = toks[i][1]
            depth += text.count("(") - text.count(")")
            i += 1
            if depth <= 0:
                break
            word = text.strip("(),")
            if text.startswith(",") or (depth == 1 and text.endswith(",") and not word):
                items.append([])
            if word:
                items[-1].append(_unquote(word))
            if text.endswith(",") and word:
                items.append([])
        for item in items:
            if item and item[0] in ("analyze", "analyse"):
                raise _refuse("EXPLAIN (ANALYZE)", " (it runs the statement)")
            if item and item[0] not in EXPLAIN_OPTIONS:
                raise _refuse(f"EXPLAIN ({item[0].upper()})", " (only FORMAT may be given)")
    if i >= len(toks):
        raise QueryError("EXPLAIN of nothing")
    return sql[toks[i][2]:]


@lru_cache(maxsize=1)
def _parser() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database in the sandbox, used only to turn a query into its syntax tree."""
    from pipeline.warehouse import sandbox

    return sandbox(duckdb.connect(":memory:"))


def _check_nodes(sql: str) -> None:
    """Every query node of a SELECT must read: DuckDB parses `WITH x AS (DELETE ... RETURNING *)
    SELECT ...` and `WITH x AS (COPY ... TO ...)` as SELECT statements."""
    tree = json.loads(_parser().execute("SELECT json_serialize_sql(?::VARCHAR)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise QueryError(f"cannot check this query: {tree.get('error_message')}")
    stack = [tree]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            t = o.get("type")
            if isinstance(t, str) and t.endswith("_NODE") and t not in READ_NODES:
                raise _refuse(t.removesuffix("_NODE").removesuffix("_QUERY").replace("_", " "),
                              " inside the query (a WITH clause that writes)")
            stack.extend(o.values())
        elif isinstance(o, list):
            stack.extend(o)


def _check_pivot(sql: str) -> None:
    words = {text.lower() for typ, text, _ in _tokens(sql) if typ == "keyword"}
    if not words & {"pivot", "unpivot"}:
        raise _refuse("MULTI")
    bad = sorted(words & WRITE_KEYWORDS)
    if bad:
        raise _refuse(bad[0].upper(), " inside a PIVOT")


def _open(db: str):
    """The sandboxed reader; while a run writes, the snapshot (and a note on stderr saying so)."""
    from pipeline import warehouse

    reader = warehouse.open_reader(db)
    if reader.note:
        print(f"thidua: note: {reader.note}", file=sys.stderr)
    return reader


def _exit_for(exc: Exception) -> int:
    from pipeline.warehouse import WarehouseBusy

    return EXIT_BUSY if isinstance(exc, WarehouseBusy) else 2


def _print(cur, fmt: str, out=None) -> None:
    out = out or sys.stdout
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    if fmt == "csv":
        w = csv.writer(out)
        w.writerow(cols)
        w.writerows(rows)
    elif fmt == "json":
        for r in rows:
            out.write(json.dumps(dict(zip(cols, r, strict=True)), ensure_ascii=False, default=str) + "\n")
    else:
        widths = [min(60, max([len(str(c))] + [len(_cell(r[i])) for r in rows])) for i, c in enumerate(cols)]
        out.write(" | ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)) + "\n")
        out.write("-+-".join("-" * w for w in widths) + "\n")
        for r in rows:
            out.write(" | ".join(_cell(v)[:w].ljust(w) for v, w in zip(r, widths, strict=True)) + "\n")
        out.write(f"({len(rows)} rows)\n")


def _cell(v) -> str:
    return "" if v is None else str(v).replace("\n", " ")


def _fmt(args) -> str:
    return args.format or ("table" if sys.stdout.isatty() else "csv")


def cmd_sql(args: argparse.Namespace) -> int:
    try:
        statement = check_read_only(args.query)
    except QueryError as exc:
        print(f"thidua sql: {exc}", file=sys.stderr)
        return 2
    return _run_query("sql", args, statement)


def _run_query(cmd: str, args: argparse.Namespace, sql: str, params: list | None = None) -> int:
    """One query on a sandboxed reader, printed; a failure is one line on stderr and its exit status."""
    from pipeline.warehouse import WarehouseError

    try:
        reader = _open(args.db)
    except WarehouseError as exc:
        print(f"thidua {cmd}: {exc}", file=sys.stderr)
        return _exit_for(exc)
    try:
        _print(reader.con.execute(sql, params or []), _fmt(args))
    except duckdb.Error as exc:  # includes what the sandbox itself refuses, and a filter on a view without that column
        print(f"thidua {cmd}: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        reader.close()
    return 0


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def cmd_query(args: argparse.Namespace) -> int:

    if args.name not in VIEWS:
        print(f"thidua query: no view {args.name!r}; the saved views are: {', '.join(VIEWS)}", file=sys.stderr)
        return 2
    where, params = [], []
    if args.province:
        where.append("(province = ? OR province_current = ?)")
        params += [args.province, args.province]
    if args.year:
        where.append("year = ?")
        params.append(args.year)
    sql = f"SELECT * FROM {_ident(args.name)}" + (" WHERE " + " AND ".join(where) if where else "")
    return _run_query("query", args, sql, params)


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.warehouse import WarehouseError

    try:
        reader = _open(args.db)
    except WarehouseError as exc:
        print(f"thidua status: {exc}", file=sys.stderr)
        return _exit_for(exc)
    try:
        cur = reader.con.execute(
            "SELECT run_id, started_at, ended_at, command, status, articles_new AS new, "
            "articles_updated AS updated, articles_unchanged AS unchanged, records_written AS records, "
            "pages_fetched AS pages, errors, message FROM runs ORDER BY started_at DESC LIMIT ?", [args.last])
        fmt = args.format or "table"
        if reader.note and fmt == "table":  # the run in progress is not in the snapshot: say it is there
            print(f"in progress: {reader.note.split(' is being written by ')[-1].split(';')[0]}")
        _print(cur, fmt)
    except duckdb.Error as exc:
        print(f"thidua status: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        reader.close()
    return 0


EXPORT_TABLES_EXTRA = ["runs", "provinces", "department_lineage"]
EXPORT_BATCH = 10_000  # rows per Arrow batch: bounded memory whatever the warehouse's size


def cmd_export(args: argparse.Namespace) -> int:
    """Every table as Parquet, partitioned by year where the rows have one.

    DuckDB streams Arrow batches and pyarrow writes the files, so the folder name never enters SQL
    (no quoting to get wrong; DuckDB's COPY would also read a backslash in a name as a separator).
    Everything is written into a temp folder inside DIR, then each table's folder is swapped in
    whole: a re-export leaves no stale partition, other files in DIR are left alone, and a failed
    export leaves the previous one as it was.
    """
    import pyarrow.dataset as pads
    import pyarrow.parquet as pq

    from pipeline import warehouse
    from pipeline.warehouse import WarehouseError

    out = Path(args.parquet)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _clean_stale_exports(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".thidua-export-{os.getpid()}-", dir=out))
    except OSError as exc:
        print(f"thidua export: {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        try:
            reader = _open(args.db)
        except WarehouseError as exc:
            print(f"thidua export: {exc}", file=sys.stderr)
            return _exit_for(exc)
        written = []
        try:
            con = reader.con
            for table in ["articles", *warehouse.RECORD_COLUMNS, *EXPORT_TABLES_EXTRA]:
                cols = [r[0] for r in con.execute(f"DESCRIBE {_ident(table)}").fetchall()]
                if table == "articles":
                    sql = "SELECT *, coalesce(year(published), 0) AS year_part FROM articles"
                elif "article_id" in cols:
                    year = "coalesce(t.year, y.year, 0)" if "year" in cols else "coalesce(y.year, 0)"
                    sql = (f"SELECT t.*, {year} AS year_part FROM {_ident(table)} t "
                           "LEFT JOIN article_year y USING (article_id)")
                else:
                    sql = None
                if sql:
                    batches = con.sql(sql).to_arrow_reader(EXPORT_BATCH)
                    pads.write_dataset(batches, tmp / table, format="parquet", partitioning=["year_part"],
                                       partitioning_flavor="hive", min_rows_per_group=EXPORT_BATCH)
                    (tmp / table).mkdir(exist_ok=True)  # an empty table is an empty folder, replacing the old one
                    written.append(table)
                else:
                    batches = con.sql(f"SELECT * FROM {_ident(table)}").to_arrow_reader(EXPORT_BATCH)
                    with pq.ParquetWriter(tmp / f"{table}.parquet", batches.schema) as w:
                        for batch in batches:
                            w.write_batch(batch)
                    written.append(f"{table}.parquet")
        except (duckdb.Error, OSError) as exc:
            print(f"thidua export: {str(exc).splitlines()[0]} (the previous export in {out} is unchanged)",
                  file=sys.stderr)
            return 2
        finally:
            reader.close()
        for name in written:  # each table replaced whole: old moved aside, new moved in, old removed
            old = out / name
            if old.exists() or old.is_symlink():
                os.replace(old, tmp / f".old-{name}")
            os.replace(tmp / name, old)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"thidua export: {len(written)} tables to {out} (Parquet, partitioned by year_part where rows have a year)")
    return 0


def _clean_stale_exports(out: Path) -> None:
    """Temp folders left by an export that was killed (its pid is gone)."""
    for d in out.glob(".thidua-export-*-*"):
        try:
            pid = int(d.name.split("-")[2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            continue


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import render
    from pipeline.warehouse import WarehouseError

    try:
        reader = _open(args.db)
    except WarehouseError as exc:
        print(f"thidua report: {exc}", file=sys.stderr)
        return _exit_for(exc)
    try:
        html = render(reader.con)
    except duckdb.Error as exc:
        print(f"thidua report: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    finally:
        reader.close()
    Path(args.html).parent.mkdir(parents=True, exist_ok=True)
    Path(args.html).write_text(html, encoding="utf-8")
    print(f"thidua report: wrote {args.html}")
    return 0


def register(sub) -> None:
    def db(p):
        p.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")

    def fmt(p):
        p.add_argument("--format", choices=["table", "csv", "json"],
                       help="output format (default: table on a terminal, CSV otherwise)")

    s = sub.add_parser("sql", help="run one read-only SQL query on the warehouse",
                       description="One query (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, "
                                   "PIVOT, EXPLAIN without ANALYZE). Anything else is refused with exit 2; "
                                   "75: a run is writing and no snapshot exists yet.")
    s.add_argument("query")
    db(s)
    fmt(s)
    s.set_defaults(fn=cmd_sql)

    q = sub.add_parser("query", help=f"show a saved view: {', '.join(VIEWS)}")
    q.add_argument("name")
    q.add_argument("--province", help="only this province (old or post-2025 name)")
    q.add_argument("--year", type=int, help="only this year")
    db(q)
    fmt(q)
    q.set_defaults(fn=cmd_query)

    st = sub.add_parser("status", help="the last runs (start, end, articles new/updated/unchanged, errors)")
    st.add_argument("--last", type=int, default=10)
    db(st)
    fmt(st)
    st.set_defaults(fn=cmd_status)

    e = sub.add_parser("export", help="export the warehouse as Parquet, partitioned by year")
    e.add_argument("--parquet", required=True, metavar="DIR")
    db(e)
    e.set_defaults(fn=cmd_export)

    r = sub.add_parser("report", help="a one-page HTML report: bloc leadership and awards per province")
    r.add_argument("--html", required=True, metavar="FILE")
    db(r)
    r.set_defaults(fn=cmd_report)
