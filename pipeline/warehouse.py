"""The DuckDB warehouse: schema and migrations, loading, reference tables, the run log.

Plain SQL throughout. An article is keyed by its source; loading it replaces its record rows in
the same transaction as the article row, so a run interrupted at any point (even kill -9) leaves
each article either fully old or fully new, and loading the same input twice changes nothing.
`load_many` does the same for a batch of articles at once with Arrow tables (one transaction per
batch), which is what `thidua run` uses. The analysts' views live in pipeline/views.sql.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

import gazetteers
from extractors.records import Extraction
from pipeline import EXTRACTOR_VERSION

SCHEMA_VERSION = 2
VIEWS_SQL = Path(__file__).with_name("views.sql")

SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS schema_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL UNIQUE,
    url VARCHAR, portal VARCHAR, title VARCHAR, published DATE, author VARCHAR,
    province VARCHAR, province_current VARCHAR,
    content_sha256 VARCHAR NOT NULL, body VARCHAR NOT NULL,
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

# each migration takes the schema from version N-1 to N; they run in order, inside one transaction
MIGRATIONS: dict[int, str] = {
    2: """
ALTER TABLE agencies ADD COLUMN member_of VARCHAR;
ALTER TABLE awards ADD COLUMN award_name VARCHAR;
CREATE TABLE IF NOT EXISTS runs (
    run_id BIGINT PRIMARY KEY, started_at TIMESTAMP NOT NULL, ended_at TIMESTAMP, command VARCHAR NOT NULL,
    source VARCHAR, pages_fetched INTEGER DEFAULT 0, articles_new INTEGER DEFAULT 0,
    articles_updated INTEGER DEFAULT 0, articles_unchanged INTEGER DEFAULT 0, records_written BIGINT DEFAULT 0,
    errors INTEGER DEFAULT 0, status VARCHAR NOT NULL, message VARCHAR
);
CREATE TABLE IF NOT EXISTS provinces (province VARCHAR PRIMARY KEY, province_current VARCHAR NOT NULL,
    unit_kind_current VARCHAR);
CREATE TABLE IF NOT EXISTS department_lineage (old_name VARCHAR NOT NULL, new_name VARCHAR NOT NULL,
    effective DATE, note VARCHAR);
""",
}

RECORD_COLUMNS = {
    "events": ["kind", "date"],
    "blocs": ["name"],
    "agencies": ["name", "type", "agency_class", "member_of"],
    "bloc_roles": ["holder", "role", "year", "bloc"],
    "awards": ["kind", "conferred_by", "recipient", "count", "percent", "status", "year", "award_name"],
    "people": ["name", "title"],
    "legal_refs": ["doc_type", "number", "date"],
}
ARTICLE_COLUMNS = ["article_id", "source", "url", "portal", "title", "published", "author", "province",
                   "province_current", "content_sha256", "body", "warc_file", "warc_offset", "extractor_version"]


# Writers checkpoint every 256 MB of WAL instead of DuckDB's 16 MB: at the default, a 100k-article
# rebuild spends half its load time re-compressing in small checkpoints (bench: 67 s vs 39 s); the
# WAL still makes every committed batch durable. The memory limit keeps the writer's buffer pool
# flat; THIDUA_DB_MEMORY_LIMIT raises it for very large warehouses (DuckDB spills beyond it).
WRITER_SETTINGS = {"checkpoint_threshold": "256MB", "memory_limit": "1GB"}


class WarehouseError(Exception):
    """The database cannot be opened or written; the message says why."""


def article_id(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A writer connection (schema created or migrated), or with read_only=True the readers' sandbox."""
    p = Path(path)
    if read_only:
        return connect_reader(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    settings = dict(WRITER_SETTINGS)
    settings["memory_limit"] = _memory_limit(os.environ.get("THIDUA_DB_MEMORY_LIMIT", settings["memory_limit"]))
    con = _open_file(p, read_only=False)
    try:
        for key, value in settings.items():
            con.execute(f"SET {key} = ?", [value])  # a bound value, never spliced into SQL
    except duckdb.Error as exc:
        con.close()
        raise WarehouseError(f"cannot apply {key} = {value!r}: {str(exc).splitlines()[0]}") from None
    init(con)
    return con


# DuckDB sizes: a number and a unit (KB, MiB, GB...), or a percentage of the machine's memory
_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B|%)", re.IGNORECASE)


def _memory_limit(value: str) -> str:
    """THIDUA_DB_MEMORY_LIMIT checked before DuckDB sees it: a size, nothing else."""
    value = value.strip()
    if not _SIZE.fullmatch(value):
        raise WarehouseError(f"THIDUA_DB_MEMORY_LIMIT / memory_limit = {value!r} is not a size "
                             "(give e.g. 4GB, 512MB, 2GiB or 50%)")
    return value


class WarehouseBusy(WarehouseError):
    """A writer (a run) holds the database file; readers fall back to the snapshot."""


def _open_file(p: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(p), read_only=read_only)
    except duckdb.Error as exc:
        msg = str(exc).splitlines()[0]
        if "lock" in msg.lower():
            raise WarehouseBusy(f"{p}: database is in use by another process ({msg})") from None
        raise WarehouseError(f"{p}: cannot open database ({msg})") from None


# ---------------------------------------------------------------- readers: a sandbox, and the snapshot
# Every reader (thidua sql, query, status, report, export) gets this connection: read-only, no file or
# network access beyond the database itself (no COPY, ATTACH, read_csv, INSTALL), no extension
# auto-install/-load, and then the configuration locked so a statement cannot undo any of it.
SANDBOX_SETTINGS = ("enable_external_access", "autoinstall_known_extensions", "autoload_known_extensions",
                    "allow_community_extensions")


def sandbox(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Lock a connection down; the settings apply in order, the lock last.

    No temp directory either: DuckDB keeps `<db>.tmp/` writable for spilling even with external
    access off, so a COPY that got past the check could write there. A query needing more than
    DuckDB's memory limit (80% of RAM) fails with "Out of Memory" instead of spilling.
    """
    con.execute("SET temp_directory = ''")
    for key in SANDBOX_SETTINGS:
        con.execute(f"SET {key} = false")
    con.execute("SET lock_configuration = true")
    return con


def snapshot_path(db: str | Path) -> Path:
    """The readers' copy of the warehouse as the last completed run left it."""
    return Path(str(db) + ".snapshot")


@dataclass
class Reader:
    """A sandboxed connection and what it reads: the warehouse, or its snapshot while a run writes."""

    con: duckdb.DuckDBPyConnection
    path: Path
    note: str | None = None  # set when reading the snapshot: say so to the user

    def close(self) -> None:
        self.con.close()


def connect_reader(path: str | Path) -> duckdb.DuckDBPyConnection:
    return open_reader(path).con


def open_reader(path: str | Path) -> Reader:
    """Open the warehouse read-only in the sandbox; while a run holds it, open the last snapshot."""
    p = Path(path)
    if not p.exists():
        raise WarehouseError(f"{p}: no such database (run `thidua run` first)")
    snap = snapshot_path(p)
    if _is_copy_of(snap, p):  # the same bytes: read the copy, so that a reader never keeps a run out
        try:
            return Reader(sandbox(_open_file(snap, read_only=True)), snap)
        except WarehouseError:
            pass
    try:
        return Reader(sandbox(_open_file(p, read_only=True)), p)
    except WarehouseBusy:
        holder = writer_description(p)
        if not snap.exists():
            raise WarehouseBusy(f"{p} is being written by {holder} and has no snapshot yet (one is published "
                                "when a run ends); try again when it finishes") from None
        when = datetime.fromtimestamp(snap.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
        con = sandbox(_open_file(snap, read_only=True))
        return Reader(con, snap, f"{p} is being written by {holder}; showing the last completed run's "
                                 f"state (snapshot of {when})")


def writer_description(db: str | Path) -> str:
    """'thidua run pid N (since T)' from the run lock file, or 'another process' (e.g. a DuckDB shell)."""
    from pipeline.lock import lock_holder

    holder = lock_holder(db)
    if holder is None:
        return "another process (not a thidua run)"
    pid, since = holder
    return f"a thidua run (pid {pid}" + (f", since {since})" if since else ")")


def publish_snapshot(db: str | Path) -> Path | None:
    """Copy the closed warehouse to <db>.snapshot (temp file, then an atomic rename).

    Called by the run lock on a clean exit, so no writer is active. Readers open this copy while it
    is current (so a long read never makes the next run exit 3) and while the next run writes.
    Skipped when the copy is already current. Returns the snapshot path, or None when nothing was
    published.
    """
    p = Path(db)
    snap, tmp = snapshot_path(p), Path(str(snapshot_path(p)) + ".new")
    if not p.exists():
        return None
    if Path(str(p) + ".wal").exists():  # a closed writer normally leaves none; fold it in first
        c = _open_file(p, read_only=False)
        c.execute("CHECKPOINT")
        c.close()
    if _is_copy_of(snap, p):
        return None
    guard = _open_file(p, read_only=True)  # a shared DuckDB lock: no other program writes during the copy
    try:
        st = p.stat()
        _copy_file(p, tmp)
        os.chmod(tmp, st.st_mode & 0o7777)  # readable by whoever may read the warehouse, no one else
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))  # the fingerprint of what it copies
        os.replace(tmp, snap)
    finally:
        guard.close()
        tmp.unlink(missing_ok=True)
    return snap


def _is_copy_of(snap: Path, db: Path) -> bool:
    """The snapshot carries the size and mtime of the file it copied: equal means the warehouse has
    not been written since."""
    try:
        a, b = snap.stat(), db.stat()
    except OSError:
        return False
    return (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns) and not Path(str(db) + ".wal").exists()


def _copy_file(src: Path, dst: Path) -> None:
    """In-kernel copy (copy_file_range: a reflink on filesystems that have them), flushed to disk."""
    with open(src, "rb") as fi, open(dst, "wb") as fo:
        size = os.fstat(fi.fileno()).st_size
        done = 0
        try:
            while done < size:
                n = os.copy_file_range(fi.fileno(), fo.fileno(), size - done)
                if n == 0:
                    break
                done += n
        except OSError:
            fi.seek(done)
            fo.seek(done)
            shutil.copyfileobj(fi, fo, 1 << 20)
        fo.flush()
        os.fsync(fo.fileno())


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        rows = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return 0
    return int(rows[0][0]) if rows else 0


def init(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema, or migrate an older one, then (re)create reference tables and views."""
    version = schema_version(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if version == 0:
            con.execute(SCHEMA_V1)
            version = 1
        for target in range(version + 1, SCHEMA_VERSION + 1):
            con.execute(MIGRATIONS[target])
        con.execute("INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        _reference_tables(con)
        con.execute(VIEWS_SQL.read_text(encoding="utf-8"))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM provinces")
    con.executemany("INSERT INTO provinces VALUES (?, ?, ?)",
                    [[p.name, p.current, p.current_kind] for p in gazetteers.provinces()])
    con.execute("DELETE FROM department_lineage")
    con.executemany("INSERT INTO department_lineage VALUES (?, ?, ?, ?)",
                    [[x.old, x.new, x.effective or None, x.note] for x in gazetteers.department_lineage_2025()])


@dataclass
class Loadable:
    """One extraction and where it came from."""

    extraction: Extraction
    portal: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None


def _content_sha(ex: Extraction) -> str:
    return hashlib.sha256(ex.body.encode("utf-8")).hexdigest()


def load(con: duckdb.DuckDBPyConnection, ex: Extraction, portal: str | None = None,
         warc_file: str | None = None, warc_offset: int | None = None) -> str:
    """Load one article and its records in one transaction; returns 'new', 'updated' or 'unchanged'."""
    return load_many(con, [Loadable(ex, portal, warc_file, warc_offset)])[0]


def load_many(con: duckdb.DuckDBPyConnection, items: Iterable[Loadable]) -> list[str]:
    """Load a batch of articles in one transaction, records as Arrow tables (no row-by-row inserts).

    Returns each article's status ('new', 'updated', 'unchanged') in input order. An article whose
    cleaned body and extractor version are unchanged is left as it is.
    """
    items = list(items)
    ids = [article_id(it.extraction.source) for it in items]
    shas = [_content_sha(it.extraction) for it in items]
    known = {}
    if ids:
        con.register("_ids", pa.table({"article_id": ids}))
        known = {r[0]: (r[1], r[2]) for r in con.execute(
            "SELECT a.article_id, a.content_sha256, a.extractor_version FROM articles a "
            "JOIN _ids USING (article_id)").fetchall()}
        con.unregister("_ids")
    status, todo, seen = [], [], set()
    for aid, sha, it in zip(ids, shas, items, strict=True):
        old = known.get(aid)
        if (old and old == (sha, EXTRACTOR_VERSION)) or aid in seen:
            status.append("unchanged")
            continue
        seen.add(aid)
        status.append("updated" if old else "new")
        todo.append((aid, sha, it))
    if not todo:
        return status
    art_rows = {c: [] for c in ARTICLE_COLUMNS}
    rec_rows: dict[str, dict[str, list]] = {t: {c: [] for c in ["article_id", "seq", *cols, "ev_start", "ev_end",
                                                                "ev_text"]} for t, cols in RECORD_COLUMNS.items()}
    for aid, sha, it in todo:
        ex, a = it.extraction, it.extraction.article
        for c, v in zip(ARTICLE_COLUMNS, [aid, ex.source, a.url, it.portal, a.title, a.published, a.author,
                                          a.province, a.province_current, sha, ex.body, it.warc_file,
                                          it.warc_offset, EXTRACTOR_VERSION], strict=True):
            art_rows[c].append(v)
        for table, cols in RECORD_COLUMNS.items():
            rows = rec_rows[table]
            for seq, rec in enumerate(getattr(ex, table)):  # attribute reads: asdict() was 3/4 of load time
                rows["article_id"].append(aid)
                rows["seq"].append(seq)
                for c in cols:
                    rows[c].append(getattr(rec, c, None))
                ev = rec.evidence
                rows["ev_start"].append(ev.start)
                rows["ev_end"].append(ev.end)
                rows["ev_text"].append(ev.text)
    # only articles already in the warehouse have rows to replace: a fresh rebuild deletes nothing
    con.register("_batch", pa.table({"article_id": [t[0] for t in todo if t[0] in known]}))
    con.register("_articles", pa.table({c: pa.array(v, type=pa.int64() if c == "warc_offset" else pa.string())
                                        for c, v in art_rows.items()}))
    con.execute("BEGIN TRANSACTION")
    try:
        if any(t[0] in known for t in todo):
            for table in RECORD_COLUMNS:
                con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM _batch)")
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT article_id FROM _batch)")
        cols = ", ".join(ARTICLE_COLUMNS)
        con.execute(f"INSERT INTO articles ({cols}) SELECT {cols.replace('published', 'published::DATE')} FROM _articles")
        for table, rows in rec_rows.items():
            if not rows["article_id"]:
                continue
            con.register("_records", _arrow(rows))
            select = ", ".join(f"{c}::DATE" if c == "date" else c for c in rows)
            con.execute(f"INSERT INTO {table} ({', '.join(rows)}) SELECT {select} FROM _records")
            con.unregister("_records")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in ("_batch", "_articles", "_records"):
            try:
                con.unregister(name)
            except duckdb.Error:
                pass
    return status


def _arrow(rows: dict[str, list]) -> pa.Table:
    out = {}
    for c, v in rows.items():
        if c in ("seq", "ev_start", "ev_end", "year", "count"):
            out[c] = pa.array(v, type=pa.int64())
        elif c == "percent":
            out[c] = pa.array([None if x is None else float(x) for x in v], type=pa.float64())
        else:
            out[c] = pa.array(v, type=pa.string())
    return pa.table(out)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in ["articles", *RECORD_COLUMNS]}


def dump(con: duckdb.DuckDBPyConnection) -> str:
    """Every table, row for row, as JSON text (for comparing two loads)."""
    out = {}
    for t in ["articles", *RECORD_COLUMNS]:
        cols = "* EXCLUDE (loaded_at)" if t == "articles" else "*"
        out[t] = [list(map(str, r)) for r in con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall()]
    return json.dumps(out, ensure_ascii=False)


# ---------------------------------------------------------------- the run log
def start_run(con: duckdb.DuckDBPyConnection, command: str, source: str | None) -> int:
    run_id = int(datetime.now().timestamp() * 1000)
    con.execute("INSERT INTO runs (run_id, started_at, command, source, status) VALUES (?, now(), ?, ?, 'running')",
                [run_id, command, source])
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, *, status: str, new: int = 0, updated: int = 0,
               unchanged: int = 0, records: int = 0, errors: int = 0, pages: int = 0,
               message: str | None = None) -> None:
    con.execute("UPDATE runs SET ended_at = now(), status = ?, articles_new = ?, articles_updated = ?,"
                " articles_unchanged = ?, records_written = ?, errors = ?, pages_fetched = ?, message = ?"
                " WHERE run_id = ?", [status, new, updated, unchanged, records, errors, pages, message, run_id])


def close_interrupted_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Runs still 'running' when a new run starts were killed: say so in the log."""
    n = con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchall()[0][0]
    con.execute("UPDATE runs SET status = 'interrupted', message = coalesce(message, 'process ended before the run"
                " finished') WHERE status = 'running'")
    return n
