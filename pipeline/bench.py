"""`thidua bench`: throughput of extract, load and rebuild on a generated corpus of N articles.

The generated articles are realistic mixes of the bundled corpus: sentences of the seeds and dev
articles, with the province and dates changed at random (seeded, so a run is reproducible). The
same run measures the naive baseline (underthesea's NER over every sentence) on a small sample, so
the speed-up is a ratio measured on one machine at one time.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

SEED = 20261124


def _pool() -> tuple[list[str], list[str], list[str]]:
    """(titles, sentences, bylines) from the bundled corpus, after cleaning."""
    from extractors.common import sentences
    from pipeline import corpus
    from pipeline.clean import clean
    from pipeline.reader import read_bytes, read_path

    raws = [read_path(it.path) for it in corpus.manifest()]
    for f in sorted((corpus.ROOT / "dev" / "more").glob("*.json")):
        raws.append(read_bytes(json.loads(f.read_text(encoding="utf-8"))["text"].encode("utf-8"), f.stem))
    titles, sents, bylines = [], [], []
    for raw in raws:
        c = clean(raw)
        if c.title:
            titles.append(c.title)
        lines = c.body.split("\n")
        if lines and len(lines[-1].split()) <= 4:
            bylines.append(lines[-1])
        for s, e in sentences(c.body):
            text = c.body[s:e].strip()
            if len(text) > 60 and text != c.title:
                sents.append(text)
    return titles, sents, bylines or ["Minh Anh"]


def generate(n: int, seed: int = SEED) -> Iterator[tuple[str, str]]:
    """(source, text) for n articles, lazily; the same n and seed give the same articles."""
    import gazetteers

    titles, sents, bylines = _pool()
    provinces = [p.name for p in gazetteers.provinces()]
    prov_rx = re.compile("|".join(sorted((re.escape(v) for p in gazetteers.provinces() for v in p.variants),
                                         key=len, reverse=True)))
    rng = random.Random(seed)
    for i in range(n):
        prov = rng.choice(provinces)
        year = rng.randint(2013, 2025)
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        body = " ".join(rng.sample(sents, rng.randint(10, 22)))  # ~3,400 characters, like the seeds
        body = re.sub(r"\b(19|20)\d{2}\b", str(year), body)
        text = (f"{prov_rx.sub(prov, rng.choice(titles))}\nNgày đăng: {day:02d}/{month:02d}/{year}\n"
                f"{prov_rx.sub(prov, body)}\n{rng.choice(bylines)}\n")
        yield f"gen/{i:06d}", text


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


@dataclass
class Figures:
    n: int
    jobs: int
    extract_sample: int = 0  # articles timed for the two extract rates
    extract_1_per_s: float = 0.0  # single process, on the sample
    extract_jobs_per_s: float = 0.0  # --jobs N, same sample
    parallel_speedup: float = 0.0
    rebuild_s: float = 0.0  # generate + extract + load, end to end, --jobs N
    rebuild_per_s: float = 0.0
    rebuild_load_s: float = 0.0  # of which inside the loader (sharing the cores with the workers)
    load_s: float = 0.0  # loading the same N articles' records into a fresh warehouse, nothing else running
    rows_loaded: int = 0  # article rows + record rows
    load_rows_per_s: float = 0.0
    rss_after_rebuild_mb: float = 0.0
    peak_rss_mb: float = 0.0  # the largest process (main or a worker), whole run
    baseline_per_s: float = 0.0  # underthesea ner() on every sentence
    baseline_sample: int = 0
    speedup_vs_baseline: float = 0.0
    notes: list[str] = field(default_factory=list)


def _extract_rate(texts: list[tuple[str, str]], jobs: int) -> float:
    from pipeline.parallel import Job, extract_many

    t = time.perf_counter()
    n = sum(1 for _ in extract_many((Job(s, text=x) for s, x in texts), jobs))
    return n / (time.perf_counter() - t)


def baseline_rate(texts: list[tuple[str, str]]) -> float:
    """The naive approach measured for comparison: underthesea NER over every sentence of the body."""
    from underthesea import ner

    from extractors.common import sentences
    from pipeline.clean import clean
    from pipeline.reader import read_bytes

    ner("Khởi động mô hình.")
    t = time.perf_counter()
    for src, text in texts:
        body = clean(read_bytes(text.encode("utf-8"), src)).body
        for s, e in sentences(body):
            ner(body[s:e])
    return len(texts) / (time.perf_counter() - t)


def run_bench(n: int, jobs: int = 2, sample: int = 2000, baseline_n: int = 20, batch: int = 500,
              db: str | None = None) -> Figures:
    from pipeline import warehouse
    from pipeline.parallel import Job, extract_many

    fig = Figures(n=n, jobs=jobs)
    head = list(generate(min(n, sample)))
    fig.extract_sample = len(head)
    _extract_rate(head[:20], 1)  # warm caches before timing
    fig.extract_1_per_s = _extract_rate(head, 1)
    fig.extract_jobs_per_s = _extract_rate(head, jobs)
    fig.parallel_speedup = fig.extract_jobs_per_s / fig.extract_1_per_s
    fig.baseline_sample = min(baseline_n, len(head))
    if fig.baseline_sample:  # --baseline 0 skips the slow baseline
        fig.baseline_per_s = baseline_rate(head[:fig.baseline_sample])
        fig.speedup_vs_baseline = fig.extract_1_per_s / fig.baseline_per_s
    del head
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "bench.duckdb")
        con = warehouse.connect(path)
        spool = Path(tmp) / "extractions.pickle"  # the batches again, for the load measured on its own
        t0 = time.perf_counter()
        pending: list = []
        with spool.open("wb") as sp:
            for res in extract_many((Job(s, text=x) for s, x in generate(n)), jobs, chunksize=16):
                if res.extraction is not None:
                    pending.append(warehouse.Loadable(res.extraction))
                if len(pending) >= batch:
                    pickle.dump(pending, sp, protocol=pickle.HIGHEST_PROTOCOL)
                    fig.rebuild_load_s += _timed_load(con, pending)[1]
                    pending = []
            pickle.dump(pending, sp, protocol=pickle.HIGHEST_PROTOCOL)
            fig.rebuild_load_s += _timed_load(con, pending)[1]
        con.close()  # the last checkpoint is part of the rebuild
        fig.rebuild_s = time.perf_counter() - t0
        fig.rss_after_rebuild_mb = _rss_mb()
        # load alone: the same batches into a fresh warehouse, nothing else running
        con = warehouse.connect(Path(tmp) / "load.duckdb")
        with spool.open("rb") as sp:
            while True:
                try:
                    rows, secs = _timed_load(con, pickle.load(sp))
                except EOFError:
                    break
                fig.rows_loaded += rows
                fig.load_s += secs
        t = time.perf_counter()
        con.close()  # writes what the last checkpoint has not: part of the load
        fig.load_s += time.perf_counter() - t
    fig.rebuild_per_s = n / fig.rebuild_s
    fig.load_rows_per_s = fig.rows_loaded / fig.load_s if fig.load_s else 0.0
    fig.peak_rss_mb = _rss_mb()
    return fig


def _timed_load(con, pending: list) -> tuple[int, float]:
    """(rows, seconds) for one load transaction."""
    from pipeline import warehouse

    if not pending:
        return 0, 0.0
    rows = sum(1 + sum(len(getattr(p.extraction, t)) for t in warehouse.RECORD_COLUMNS) for p in pending)
    t = time.perf_counter()
    warehouse.load_many(con, pending)
    return rows, time.perf_counter() - t


def report(fig: Figures) -> str:
    return "\n".join([
        f"thidua bench: N = {fig.n} generated articles, --jobs {fig.jobs}",
        f"  extract, 1 process        {fig.extract_1_per_s:8.1f} articles/s  (sample of {fig.extract_sample})",
        f"  extract, --jobs {fig.jobs:<2}        {fig.extract_jobs_per_s:8.1f} articles/s  "
        f"(x{fig.parallel_speedup:.2f})",
        f"  baseline: underthesea ner on every sentence  {fig.baseline_per_s:6.2f} articles/s "
        f"(sample of {fig.baseline_sample}); extract is x{fig.speedup_vs_baseline:.0f} faster"
        if fig.baseline_sample else "  baseline: not measured (--baseline 0)",
        f"  load                      {fig.load_rows_per_s:8.0f} rows/s  ({fig.rows_loaded} rows of {fig.n} articles in "
        f"{fig.load_s:.1f} s)",
        f"  rebuild end to end        {fig.rebuild_s:8.1f} s  ({fig.rebuild_per_s:.1f} articles/s: generate, extract, load;"
        f" {fig.rebuild_load_s:.1f} s in the loader)",
        f"  peak RSS                  {fig.peak_rss_mb:8.0f} MB  ({fig.rss_after_rebuild_mb:.0f} MB after the rebuild)",
    ])


def cmd_bench(args: argparse.Namespace) -> int:
    out = []
    for n in args.n:
        fig = run_bench(n, jobs=args.jobs, baseline_n=args.baseline, batch=args.batch)
        print(report(fig), flush=True)
        out.append(asdict(fig))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
        print(f"thidua bench: figures written to {args.json}", file=sys.stderr)
    return 0


def register(sub) -> None:
    b = sub.add_parser("bench", help="benchmark extract, load and rebuild on a generated corpus")
    b.add_argument("--n", type=int, nargs="+", default=[1000], help="corpus sizes (e.g. 1000 10000 100000)")
    b.add_argument("--jobs", type=int, default=2)
    b.add_argument("--baseline", type=int, default=20, help="articles for the underthesea-ner baseline")
    b.add_argument("--batch", type=int, default=500, help="articles per load transaction")
    b.add_argument("--json", help="also write the figures to this JSON file")
    b.set_defaults(fn=cmd_bench)
