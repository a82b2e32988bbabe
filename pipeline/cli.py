"""The `thidua` command: one subcommand per job, each a thin shell over a module."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from pipeline import __version__

DEFAULT_DB = "data/thidua.duckdb"


_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = re.compile("[\ud800-\udfff\u2028\u2029\x85]")


def _json_line(obj: dict) -> str:
    """One JSON line that any UTF-8 stream accepts and any line reader reads as one line.

    A file name with bytes that are not UTF-8 reaches us with surrogate escapes (PEP 383); they are
    written as JSON \\udcXX escapes, so `json.loads` gives the same str back and `os.fsencode` of it
    the original bytes. U+2028, U+2029 and U+0085 in a page are escaped too: `str.splitlines()` (and
    JavaScript) take them for line ends."""
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False)) + "\n"


def _emit(obj: dict) -> None:
    sys.stdout.write(_json_line(obj))


def _say(msg: str) -> None:
    """A one-line message on stderr; undecodable bytes of a path come out as backslash escapes."""
    sys.stderr.write(_SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xdc00:02x}" if ord(m.group()) >= 0xdc80
                                    else f"\\u{ord(m.group()):04x}", msg) + "\n")


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.reader import usable_charset

    if args.encoding and usable_charset(args.encoding)[0] is None:
        _say(f"thidua extract: --encoding: {usable_charset(args.encoding)[1]}")
        return 2
    from pipeline.extract import Limits
    from pipeline.parallel import Job, extract_many

    # text output (--explain) may carry a file name with undecodable bytes: never fail on it
    sys.stdout.reconfigure(errors="backslashreplace")
    limits = Limits(max_chars=args.max_chars, seconds=args.time_limit)
    failed = 0
    jobs = (Job(f, path=f, url=args.url, encoding=args.encoding) for f in args.files)
    for res in extract_many(jobs, args.jobs, limits=limits):
        f, ex = res.job.source, res.extraction
        if res.error:
            failed += 1
            _say(f"thidua extract: {res.error}")
            _emit({"source": f, "error": res.error})
            continue
        if res.note:
            _say(f"thidua extract: {f}: {res.note}")
        if args.html:
            from pipeline.explain import render_html
            out = Path(args.html) / (Path(f).stem + ".html") if len(args.files) > 1 else Path(args.html)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(render_html(ex), encoding="utf-8")
            _say(f"thidua extract: wrote {out}")
        if args.explain:
            from pipeline.explain import render_text
            sys.stdout.write(render_text(ex) + "\n")
        elif not args.html:
            _emit(ex.to_json(include_body=args.body))
    return 1 if failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipeline.lock import EXIT_LOCKED, Locked, RunLock

    if args.live:
        from scrapers.cli import crawl_and_load

        return crawl_and_load(args, "run --live")
    try:
        with RunLock(args.db):
            return _run_locked(args)
    except Locked as exc:
        print(f"thidua run: {exc}", file=sys.stderr)
        return EXIT_LOCKED


EXIT_DB = 3  # the database could not be opened (in use by a reader, unwritable, corrupt)


def _run_locked(args: argparse.Namespace) -> int:
    """Extract the corpus and load it in batches; each batch is one transaction, so a killed run loses
    at most the batch in flight, and the next run (which skips unchanged articles) completes the work."""
    from pipeline import corpus, warehouse
    from pipeline.parallel import Job, extract_many

    root = Path(args.corpus) if args.corpus else corpus.ROOT
    try:
        items = corpus.manifest(root)
    except (FileNotFoundError, corpus.ManifestError) as exc:
        print(f"thidua run: {exc}", file=sys.stderr)
        return 2
    try:
        con = warehouse.connect(args.db)
    except warehouse.WarehouseError as exc:
        print(f"thidua run: {exc}", file=sys.stderr)
        return EXIT_DB
    interrupted = warehouse.close_interrupted_runs(con)
    if interrupted:
        print(f"thidua run: {interrupted} earlier run(s) did not finish; completing their work now", file=sys.stderr)
    run_id = warehouse.start_run(con, "run", str(root))
    t0 = time.perf_counter()
    status = {"new": 0, "updated": 0, "unchanged": 0}
    errors: list[str] = []
    records = 0
    batch: list[warehouse.Loadable] = []

    def flush() -> None:
        nonlocal records
        for st, b in zip(warehouse.load_many(con, batch), batch, strict=True):
            status[st] += 1
            if st != "unchanged":
                records += sum(len(getattr(b.extraction, t)) for t in warehouse.RECORD_COLUMNS)
        batch.clear()

    jobs = (Job(str(item.path), path=str(item.path), url=item.url) for item in items)
    for item, res in zip(items, extract_many(jobs, args.jobs), strict=True):
        if res.error:
            errors.append(res.error)
            print(f"thidua run: {res.error}", file=sys.stderr)
            continue
        ex = res.extraction
        if item.province and not ex.article.province:
            ex.article.province = item.province
        try:
            ex.source = f"corpus/{item.path.relative_to(root).as_posix()}"
        except ValueError:
            ex.source = str(item.path)
        batch.append(warehouse.Loadable(ex, portal=item.portal))
        if len(batch) >= args.batch:
            flush()
    flush()
    warehouse.finish_run(con, run_id, status="failed" if errors else "ok", new=status["new"],
                         updated=status["updated"], unchanged=status["unchanged"], records=records,
                         errors=len(errors), message="; ".join(errors)[:2000] or None)
    n = warehouse.counts(con)
    con.close()
    print(f"thidua run: {len(items)} articles read in {time.perf_counter() - t0:.1f}s "
          f"({status['new']} new, {status['updated']} updated, {status['unchanged']} unchanged, {len(errors)} failed)")
    for t, c in n.items():
        print(f"  {t:<11} {c:>6}")
    print(f"database: {Path(args.db).resolve()}")
    return 1 if errors else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline import corpus, evaluate
    from pipeline.extract import extract_path, extract_raw
    from pipeline.reader import InputError, read_bytes

    gold = corpus.load_gold(args.gold)
    preds: dict[str, dict] = {}
    if args.pred:
        for line in Path(args.pred).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                preds[Path(str(d.get("source") or d.get("id") or "")).stem] = d
    else:
        for gid, item in gold.items():
            try:
                if item.path:
                    ex = extract_path(item.path, url=item.url)
                else:
                    raw = read_bytes((item.text or "").encode("utf-8"), gid, url=item.url)
                    ex = extract_raw(raw)
                preds[gid] = ex.to_json()
            except InputError as exc:
                print(f"thidua eval: {exc}", file=sys.stderr)
    sc = evaluate.score({k: v.gold for k, v in gold.items()}, preds)
    print(sc.table(verbose=args.verbose))
    return 0


def build_parser() -> argparse.ArgumentParser:
    from pipeline.extract import MAX_BODY_CHARS, MAX_SECONDS
    from scrapers.cli import add_crawl_options

    p = argparse.ArgumentParser(prog="thidua", description=__doc__)
    p.add_argument("--version", action="version", version=f"thidua {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("extract", help="extract records from text or HTML files (JSON Lines on stdout)",
                       description="One JSON line per input, in input order: the records, or {source, error} for "
                                   "an input that cannot be read or exceeds the per-document budget. Exit status: "
                                   "0 every input extracted, 1 some input failed (the others are printed), "
                                   "2 bad arguments.")
    e.add_argument("files", nargs="+")
    e.add_argument("--url", help="the URL the file was fetched from (helps province and dates)")
    e.add_argument("--encoding", help="decode input with this encoding when it declares none")
    e.add_argument("--body", action="store_true", help="include the cleaned body text in the output")
    e.add_argument("--explain", action="store_true", help="show each record with its evidence in context")
    e.add_argument("--jobs", type=int, default=1, help="worker processes (default 1); output keeps input order")
    e.add_argument("--max-chars", type=int, default=MAX_BODY_CHARS, metavar="N",
                   help=f"refuse a cleaned body longer than N characters (default {MAX_BODY_CHARS:,}; 0: no limit)")
    e.add_argument("--time-limit", type=float, default=MAX_SECONDS, metavar="SECONDS",
                   help=f"give up on a document still running after SECONDS (default {MAX_SECONDS:g}; 0: no limit)")
    e.add_argument("--html", metavar="PATH", help="write the article with evidence highlighted (displacy) to PATH "
                   "(a folder when several files are given)")
    e.set_defaults(fn=cmd_extract)

    r = sub.add_parser("run", help="extract the bundled corpus (or --corpus DIR) into the DuckDB warehouse",
                       description="Exit status: 0 ok, 1 some input failed (the rest is loaded), 2 bad arguments or "
                                   "corpus, 3 database cannot be opened, 75 another run holds the lock.")
    r.add_argument("--db", default=DEFAULT_DB, help=f"database file (default {DEFAULT_DB})")
    r.add_argument("--corpus", help="a corpus folder with manifest.csv (default: the bundled corpus)")
    r.add_argument("--batch", type=int, default=500, help="articles per load transaction (default 500)")
    r.add_argument("--jobs", type=int, default=1, help="extraction worker processes (default 1)")
    live = r.add_argument_group("live", "--live crawls the portal profiles (all, or --portal) instead of the corpus")
    live.add_argument("--live", action="store_true", help="crawl + extract + load from the portals (network)")
    add_crawl_options(live)
    r.set_defaults(fn=cmd_run)

    v = sub.add_parser("eval", help="score extraction against labelled articles (P/R/F1 per record type)")
    v.add_argument("gold", help="gold JSONL ({id, file, gold}) or a folder of {id, url, text, gold} JSON files")
    v.add_argument("--pred", help="score this JSONL of `thidua extract` output instead of extracting")
    v.add_argument("--verbose", action="store_true", help="list every missed and extra record")
    v.set_defaults(fn=cmd_eval)

    for register in _plugins():
        register(sub)
    return p


def _plugins():
    """Subcommands contributed by other modules (scrapers, warehouse tools, benchmarks)."""
    import importlib

    out = []
    for mod in ("scrapers.cli", "pipeline.warehouse_cli", "pipeline.bench"):
        try:
            m = importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name == mod or (exc.name and mod.startswith(exc.name)):
                continue
            raise
        out.append(m.register)
    return out


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.fn(args)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("thidua: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
