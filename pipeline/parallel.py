"""Extraction across processes, in input order, streaming.

Each worker loads the spaCy pipeline and the gazetteers once (pool initializer); inputs are fed
in small chunks through `imap`, so results come back in input order, and held back while too many
are in flight, so memory stays flat however large the corpus. jobs=1 runs in this process with no pool at all.
"""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from pipeline.reader import InputError, RawDocument, read_bytes


@dataclass(frozen=True)
class Job:
    """One article to extract: a file path, or text with a source name."""

    source: str
    path: str | None = None
    text: str | None = None
    url: str | None = None
    encoding: str | None = None


@dataclass
class Result:
    job: Job
    extraction: object | None = None  # extractors.records.Extraction
    error: str | None = None
    note: str | None = None  # read, with a remark (e.g. a declared charset that was not a text encoding)


def _warm() -> None:
    from pipeline.nlp import nlp

    nlp()
    from pipeline.extract import extract_raw

    extract_raw(RawDocument("warm-up", "Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết."))


def _run(job: Job, limits=None) -> Result:
    """One job to a Result; never raises for a bad document, so one input costs one error line.

    An exception other than InputError is a bug, but the batch still goes on: it becomes an error
    naming the exception (`internal error: ...`), which the fuzz tests look for."""
    from pipeline.extract import Limits, extract_raw, read_and_extract

    limits = limits or Limits()
    try:
        if job.path is not None:
            raw, ex = read_and_extract(job.path, url=job.url, encoding=job.encoding, limits=limits)
            return Result(job, ex, note=raw.note)
        raw = read_bytes((job.text or "").encode("utf-8"), job.source, url=job.url, max_bytes=limits.max_bytes)
        return Result(job, extract_raw(raw, limits), note=raw.note)
    except InputError as exc:
        return Result(job, error=str(exc))
    except Exception as exc:  # MemoryError and RecursionError included: a batch must survive any one document
        return Result(job, error=f"{job.source}: internal error: {type(exc).__name__}: {str(exc)[:200]}; not extracted")


def extract_many(jobs: Iterable[Job], n_jobs: int = 1, chunksize: int = 8, limits=None) -> Iterator[Result]:
    """Results in input order. n_jobs <= 1 means in-process.

    At most `4 * n_jobs * chunksize` articles are in flight: Pool.imap buffers finished results
    without bound when the consumer (the loader) is slower than the workers, so the input is held
    back until results are taken. `limits` (pipeline.extract.Limits) is each document's budget.
    """
    run = partial(_run, limits=limits)
    if n_jobs <= 1:
        _warm()  # models and gazetteers load before the first document's time budget starts
        for job in jobs:
            yield run(job)
        return
    in_flight = threading.Semaphore(4 * n_jobs * chunksize)
    done = threading.Event()

    def feed() -> Iterator[Job]:  # runs in the pool's task thread
        for job in jobs:
            while not in_flight.acquire(timeout=0.1):
                if done.is_set():
                    return
            yield job

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(n_jobs, initializer=_warm) as pool:
        try:
            for res in pool.imap(run, feed(), chunksize=chunksize):
                in_flight.release()
                yield res
        finally:
            done.set()
