"""The DuckDB warehouse: schema, and loading one article's records per transaction.

Plain SQL throughout. An article is keyed by its source; re-loading it replaces its record rows
in the same transaction, so a run interrupted at any point leaves each article either fully old
or fully new, and loading the same input twice gives the same tables row for row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

import duckdb

from pipeline import EXTRACTOR_VERSION
from pipeline.records import Extraction

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY,      -- sha256 of the source, first 16 hex digits
    source VARCHAR NOT NULL UNIQUE,      -- path or URL as given
    url VARCHAR, portal VARCHAR, title VARCHAR, published DATE, author VARCHAR,
    province VARCHAR,                    -- as named (before the 2025 merger when the article is older)
    province_current VARCHAR,            -- the unit from 1 July 2025
    content_sha256 VARCHAR NOT NULL,     -- of the cleaned body
    body VARCHAR NOT NULL,               -- the cleaned body; evidence offsets point into it
    warc_file VARCHAR, warc_offset BIGINT,
    extractor_version VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS events (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL,
    date DATE, ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR, PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS blocs (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, name VARCHAR NOT NULL,
    ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR, PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS agencies (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, name VARCHAR NOT NULL,
    type VARCHAR, agency_class VARCHAR, ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR,
    PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS bloc_roles (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, holder VARCHAR NOT NULL,
    role VARCHAR NOT NULL, year INTEGER, bloc VARCHAR, ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR,
    PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS awards (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL,
    conferred_by VARCHAR, recipient VARCHAR, count INTEGER, percent DOUBLE, status VARCHAR NOT NULL, year INTEGER,
    ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR, PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS people (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, name VARCHAR NOT NULL,
    title VARCHAR, ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR, PRIMARY KEY (article_id, seq));
CREATE TABLE IF NOT EXISTS legal_refs (article_id VARCHAR NOT NULL, seq INTEGER NOT NULL, doc_type VARCHAR,
    number VARCHAR NOT NULL, date DATE, ev_start INTEGER, ev_end INTEGER, ev_text VARCHAR,
    PRIMARY KEY (article_id, seq));
"""

RECORD_COLUMNS = {
    "events": ["kind", "date"],
    "blocs": ["name"],
    "agencies": ["name", "type", "agency_class"],
    "bloc_roles": ["holder", "role", "year", "bloc"],
    "awards": ["kind", "conferred_by", "recipient", "count", "percent", "status", "year"],
    "people": ["name", "title"],
    "legal_refs": ["doc_type", "number", "date"],
}


class WarehouseError(Exception):
    """The database cannot be opened or written; the message says why."""


def article_id(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    p = Path(path)
    if not read_only:
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc).splitlines()[0]
        if "lock" in msg.lower():
            raise WarehouseError(f"{p}: database is locked by another process ({msg})") from None
        raise WarehouseError(f"{p}: cannot open database ({msg})") from None
    if not read_only:
        init(con)
    return con


def init(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    con.execute("INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def load(con: duckdb.DuckDBPyConnection, ex: Extraction, portal: str | None = None,
         warc_file: str | None = None, warc_offset: int | None = None) -> str:
    """Load one article and its records in one transaction; returns 'new', 'updated' or 'unchanged'."""
    aid = article_id(ex.source)
    sha = hashlib.sha256(ex.body.encode("utf-8")).hexdigest()
    row = con.execute("SELECT content_sha256, extractor_version FROM articles WHERE article_id = ?", [aid]).fetchone()
    if row and row[0] == sha and row[1] == EXTRACTOR_VERSION:
        return "unchanged"
    a = ex.article
    con.execute("BEGIN TRANSACTION")
    try:
        for table in RECORD_COLUMNS:
            con.execute(f"DELETE FROM {table} WHERE article_id = ?", [aid])
        con.execute("DELETE FROM articles WHERE article_id = ?", [aid])
        con.execute(
            "INSERT INTO articles (article_id, source, url, portal, title, published, author, province,"
            " province_current, content_sha256, body, warc_file, warc_offset, extractor_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [aid, ex.source, a.url, portal, a.title, a.published, a.author, a.province, a.province_current, sha,
             ex.body, warc_file, warc_offset, EXTRACTOR_VERSION])
        for table, cols in RECORD_COLUMNS.items():
            rows = []
            for seq, rec in enumerate(getattr(ex, table)):
                d = asdict(rec)
                ev = d["evidence"]
                rows.append([aid, seq, *[d.get(c) for c in cols], ev["start"], ev["end"], ev["text"]])
            if rows:
                names = ", ".join(["article_id", "seq", *cols, "ev_start", "ev_end", "ev_text"])
                marks = ", ".join("?" * (len(cols) + 5))
                con.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return "updated" if row else "new"


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ["articles", *RECORD_COLUMNS]}


def dump(con: duckdb.DuckDBPyConnection) -> str:
    """Every table, row for row, as JSON text (for comparing two loads)."""
    out = {}
    for t in ["articles", *RECORD_COLUMNS]:
        cols = "* EXCLUDE (loaded_at)" if t == "articles" else "*"
        out[t] = [list(map(str, r)) for r in con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()]
    return json.dumps(out, ensure_ascii=False)
