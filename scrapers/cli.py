"""`thidua crawl`, `thidua corpus rebuild`, and the crawl behind `thidua run --live`."""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

DEFAULT_ARCHIVE = "data/archive"
DEFAULT_STATE = "data/crawl-state.sqlite"


def _loader(con):
    """Load a crawled article; an article whose text is already loaded from another URL is a duplicate."""
    from pipeline import warehouse

    def load(found) -> str:
        ex = found.extraction
        sha = hashlib.sha256(ex.body.encode("utf-8")).hexdigest()
        other = con.execute("SELECT source FROM articles WHERE content_sha256 = ? AND source <> ? LIMIT 1",
                            [sha, ex.source]).fetchall()
        if other:
            return f"duplicate:{other[0][0]}"
        return warehouse.load(con, ex, portal=found.portal, warc_file=found.warc_file, warc_offset=found.warc_offset)

    return load


def _progress():
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(stats) -> None:
        now = time.monotonic()
        if now - last[0] > 0.2:
            print(f"\r{stats.line()}", end="", file=sys.stderr, flush=True)
            last[0] = now

    return show


def crawl_into(con, args, profiles) -> tuple[int, object]:
    from scrapers.crawl import crawl
    from scrapers.profiles import with_overrides

    profiles = [with_overrides(p, connect_timeout=getattr(args, "connect_timeout", None),
                               read_timeout=getattr(args, "read_timeout", None), retries=getattr(args, "retries", None),
                               max_discovery=getattr(args, "max_discovery", None)) for p in profiles]
    stats = crawl(profiles, archive_dir=args.archive, state_path=args.state, load=_loader(con),
                  max_pages=args.max_pages, since=args.since, progress=_progress())
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return (1 if stats.failed else 0), stats


def _select(args):
    from scrapers.profiles import PROFILE_DIR, ProfileError, load_profiles

    try:
        profiles = load_profiles(args.profiles or PROFILE_DIR)
    except ProfileError as exc:
        print(f"thidua crawl: {exc}", file=sys.stderr)
        return None
    if getattr(args, "portal", None):
        missing = [p for p in args.portal if p not in profiles]
        if missing:
            print(f"thidua crawl: no profile {', '.join(missing)}; known: {', '.join(profiles)}", file=sys.stderr)
            return None
        return [profiles[p] for p in args.portal]
    return list(profiles.values())


def cmd_crawl(args: argparse.Namespace) -> int:
    if not args.portal and not args.all:
        print("thidua crawl: name --portal NAME (repeatable) or --all", file=sys.stderr)
        return 2
    return crawl_and_load(args, "crawl")


def crawl_and_load(args: argparse.Namespace, command: str) -> int:
    """Crawl the selected portals into the archive and the warehouse, under the run lock, logged in `runs`."""
    from pipeline import warehouse
    from pipeline.lock import EXIT_LOCKED, Locked, RunLock

    profiles = _select(args)
    if profiles is None:
        return 2
    try:
        with RunLock(args.db):
            con = warehouse.connect(args.db)
            warehouse.close_interrupted_runs(con)
            run_id = warehouse.start_run(con, command, ",".join(p.name for p in profiles))
            code, stats = crawl_into(con, args, profiles)
            warehouse.finish_run(con, run_id, status="ok" if code == 0 else "failed", new=stats.new,
                                 updated=stats.updated, unchanged=stats.unchanged, records=stats.records,
                                 errors=sum(stats.failed.values()), pages=stats.pages_fetched,
                                 message="; ".join(f"{k} ({v})" for k, v in stats.failed.items())[:2000] or None)
            counts = warehouse.counts(con)
            con.close()
    except Locked as exc:
        print(f"thidua {command}: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except warehouse.WarehouseError as exc:
        print(f"thidua {command}: {exc}", file=sys.stderr)
        return 3
    print(f"thidua {command}: {stats.line()}")
    for reason, n in sorted(stats.skipped.items()):
        print(f"  skipped {n:>4}  {reason}")
    for reason, n in sorted(stats.failed.items()):
        print(f"  failed  {n:>4}  {reason}")
    print("  " + ", ".join(f"{t} {c}" for t, c in counts.items()))
    print(f"database: {Path(args.db).resolve()}")
    return code


def _checked(kind: str, key: str):
    """An argparse type that checks a value as the profile field `key` is checked (same limits, same words)."""
    from scrapers.profiles import LIMITS, ProfileError, integer, number

    low, high = LIMITS[key]

    def parse(text: str):
        try:
            v = float(text) if kind == "number" else int(text)
        except ValueError:
            v = text
        try:
            return (number if kind == "number" else integer)(v, "the value", low=low, high=high)
        except ProfileError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    """The options `thidua crawl` and `thidua run --live` share."""
    p.add_argument("--portal", action="append", help="a profile name (repeatable)")
    p.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    p.add_argument("--max-pages", type=_checked("int", "max_requests"), help="at most this many requests per portal")
    p.add_argument("--connect-timeout", type=_checked("number", "connect_timeout"), metavar="S",
                   help="seconds to wait for a connection (default: the profile's, else 5)")
    p.add_argument("--read-timeout", type=_checked("number", "read_timeout"), metavar="S",
                   help="seconds to wait for data (default: the profile's, else 20)")
    p.add_argument("--retries", type=_checked("int", "retries"), metavar="N",
                   help="further attempts after a timeout, a cut-off body, 429 or 5xx (default: the profile's, else 2)")
    p.add_argument("--max-discovery", type=_checked("int", "max_discovery"), metavar="N",
                   help="list, feed and sitemap URLs asked for per portal and crawl (default: the profile's, else 300)")
    p.add_argument("--state", default=DEFAULT_STATE, help=f"crawl state file (default {DEFAULT_STATE})")
    p.add_argument("--archive", default=DEFAULT_ARCHIVE, help=f"WARC folder (default {DEFAULT_ARCHIVE})")
    p.add_argument("--profiles", help="folder of portal profiles (default: scrapers/profiles)")


def rebuild(con, archive: str | Path, profiles: dict) -> dict[str, int]:
    """Re-parse, re-extract and load every archived article response; no network."""
    from pipeline.reader import InputError
    from scrapers.archive import iter_responses
    from scrapers.crawl import Found, extract_page

    load = _loader(con)
    counts = {"articles": 0, "new": 0, "updated": 0, "unchanged": 0, "duplicate": 0, "failed": 0}
    for r in iter_responses(archive):
        if r.kind != "article" or not r.usable:  # refused or cut-off pages are archived, not articles
            continue
        try:
            ex = extract_page(r.body, r.url, r.headers, profiles.get(r.portal))
        except InputError as exc:
            counts["failed"] += 1
            print(f"thidua corpus rebuild: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # noqa: BLE001 - our side (e.g. an ImportError): one line, and the rest goes on
            counts["failed"] += 1
            msg = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            print(f"thidua corpus rebuild: {r.url}: {msg}", file=sys.stderr)
            continue
        status = load(Found(r.portal or "", r.url, ex, r.warc_file, r.offset))
        counts["articles"] += 1
        counts[status.split(":")[0]] += 1
    return counts


def cmd_rebuild(args: argparse.Namespace) -> int:
    from pipeline import warehouse
    from pipeline.lock import EXIT_LOCKED, Locked, RunLock
    from scrapers.profiles import PROFILE_DIR, ProfileError, load_profiles

    if not Path(args.archive).is_dir():
        print(f"thidua corpus rebuild: {args.archive}: no such archive folder", file=sys.stderr)
        return 2
    try:
        profiles = load_profiles(args.profiles or PROFILE_DIR)
    except ProfileError as exc:
        print(f"thidua corpus rebuild: {exc}", file=sys.stderr)
        return 2
    try:
        with RunLock(args.db):
            con = warehouse.connect(args.db)
            run_id = warehouse.start_run(con, "corpus rebuild", str(args.archive))
            counts = rebuild(con, args.archive, profiles)
            warehouse.finish_run(con, run_id, status="ok" if not counts["failed"] else "failed",
                                 new=counts["new"], updated=counts["updated"], unchanged=counts["unchanged"],
                                 errors=counts["failed"])
            con.close()
    except Locked as exc:
        print(f"thidua corpus rebuild: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    print("thidua corpus rebuild: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 1 if counts["failed"] else 0


def register(sub) -> None:
    c = sub.add_parser("crawl", help="fetch portals politely into the WARC archive and load their articles",
                       description="Exit status: 0 ok, 1 some page failed (the rest is archived and loaded), "
                                   "2 bad arguments or profile, 3 database cannot be opened, 75 another run holds the lock.")
    c.add_argument("--all", action="store_true", help="every profile")
    c.add_argument("--db", default="data/thidua.duckdb", help="warehouse file (default data/thidua.duckdb)")
    add_crawl_options(c)
    c.set_defaults(fn=cmd_crawl)

    corpus = sub.add_parser("corpus", help="corpus tools")
    csub = corpus.add_subparsers(dest="corpus_command", required=True)
    r = csub.add_parser("rebuild", help="re-parse and re-extract the whole archive into the warehouse (no network)")
    r.add_argument("--db", default="data/thidua.duckdb", help="warehouse file (default data/thidua.duckdb)")
    r.add_argument("--archive", default=DEFAULT_ARCHIVE, help=f"WARC folder (default {DEFAULT_ARCHIVE})")
    r.add_argument("--profiles", help="folder of portal profiles (default: scrapers/profiles)")
    r.set_defaults(fn=cmd_rebuild)
