"""Warehouse subcommands: `sql`, `query`, `status`, `export`, `report`. All open the database read-only."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

DEFAULT_DB = "data/thidua.duckdb"
VIEWS = ["bloc_leaders", "awards_by", "awards_per_year", "bloc_memberships", "agency_history", "provinces_2025",
         "article_summary"]
READ_ONLY_SQL = re.compile(r"^\s*(with|select|from|describe|show|summarize|pivot|unpivot|values|table|explain)\b", re.I)


class QueryError(Exception):
    pass


def check_read_only(sql: str) -> str:
    """One read-only statement. The connection is read-only too; this gives the clearer message."""
    stripped = sql.strip().rstrip(";").strip()
    if not stripped:
        raise QueryError("empty query")
    if ";" in re.sub(r"'[^']*'", "", stripped):
        raise QueryError("one statement at a time")
    if not READ_ONLY_SQL.match(stripped):
        raise QueryError("only queries are allowed (SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE...); "
                         "the warehouse is changed only by `thidua run`")
    return stripped


def _open(db: str):
    from pipeline import warehouse

    return warehouse.connect(db, read_only=True)


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
    import duckdb

    from pipeline.warehouse import WarehouseError

    try:
        sql = check_read_only(args.query)
        con = _open(args.db)
        _print(con.execute(sql), _fmt(args))
    except (QueryError, WarehouseError) as exc:
        print(f"thidua sql: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"thidua sql: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline.warehouse import WarehouseError

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
    sql = f"SELECT * FROM {args.name}" + (" WHERE " + " AND ".join(where) if where else "")
    try:
        con = _open(args.db)
        _print(con.execute(sql, params), _fmt(args))
    except WarehouseError as exc:
        print(f"thidua query: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a filter on a view without that column
        print(f"thidua query: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from pipeline.warehouse import WarehouseError

    try:
        con = _open(args.db)
        cur = con.execute("SELECT run_id, started_at, ended_at, command, status, articles_new AS new, "
                          "articles_updated AS updated, articles_unchanged AS unchanged, records_written AS records, "
                          "pages_fetched AS pages, errors, message FROM runs ORDER BY started_at DESC LIMIT ?",
                          [args.last])
        _print(cur, args.format or "table")
    except WarehouseError as exc:
        print(f"thidua status: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Every table and view as Parquet, partitioned by year where the rows have one."""
    from pipeline import warehouse
    from pipeline.warehouse import WarehouseError

    out = Path(args.parquet)
    out.mkdir(parents=True, exist_ok=True)
    try:
        con = _open(args.db)
    except WarehouseError as exc:
        print(f"thidua export: {exc}", file=sys.stderr)
        return 2
    written = []
    for table in ["articles", *warehouse.RECORD_COLUMNS, "runs", "provinces", "department_lineage"]:
        target = out / table
        cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        if table == "articles":
            sql = "SELECT *, coalesce(year(published), 0) AS year_part FROM articles"
        elif "article_id" in cols:
            year = "coalesce(t.year, y.year, 0)" if "year" in cols else "coalesce(y.year, 0)"
            sql = f"SELECT t.*, {year} AS year_part FROM {table} t LEFT JOIN article_year y USING (article_id)"
        else:
            sql = None
        if sql:
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, PARTITION_BY (year_part), OVERWRITE_OR_IGNORE)")
        else:
            con.execute(f"COPY {table} TO '{target}.parquet' (FORMAT parquet)")
        written.append(table)
    print(f"thidua export: {len(written)} tables to {out} (Parquet, partitioned by year_part where rows have a year)")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline.report import render
    from pipeline.warehouse import WarehouseError

    try:
        con = _open(args.db)
    except WarehouseError as exc:
        print(f"thidua report: {exc}", file=sys.stderr)
        return 2
    Path(args.html).parent.mkdir(parents=True, exist_ok=True)
    Path(args.html).write_text(render(con), encoding="utf-8")
    print(f"thidua report: wrote {args.html}")
    return 0


def register(sub) -> None:
    def db(p):
        p.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")

    def fmt(p):
        p.add_argument("--format", choices=["table", "csv", "json"],
                       help="output format (default: table on a terminal, CSV otherwise)")

    s = sub.add_parser("sql", help="run a read-only SQL query on the warehouse")
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
