"""Extraction of one article: read → clean → spaCy pipeline → an `Extraction` record set.

Every document gets a budget (input size, body size, wall-clock seconds); a document that exceeds
it is an `InputError` like any unreadable file, so a batch logs one line and goes on.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from extractors import agencies as agencies_mod
from extractors.common import Context
from extractors.records import ArticleMeta, Extraction
from pipeline.clean import clean
from pipeline.nlp import nlp
from pipeline.reader import MAX_BYTES, InputError, InternalError, RawDocument, read_path

T = TypeVar("T")

# a news article is 2-30k characters; ten times the longest is a dump, not an article
MAX_BODY_CHARS = 300_000
# a 30k-character article takes ~0.1 s; a document still running after this is hostile or a bug
MAX_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Limits:
    """The per-document budget. 0 (or None) switches a limit off."""

    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_BODY_CHARS
    seconds: float | None = MAX_SECONDS


class _Overrun(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` on the way swallows it."""


_budget_running = False


def _ring(_signum, _frame) -> None:
    raise _Overrun


def within_budget(source: str, seconds: float | None, fn: Callable[..., T], *args, **kwargs) -> T:
    """fn(*args, **kwargs), turned into an InputError if it still runs after `seconds`.

    A SIGALRM timer, so it applies only in a process's main thread (elsewhere, and inside another
    budget, fn just runs). Python looks at the signal between bytecodes: a quadratic loop is stopped;
    one long call into C (a single regex search) is stopped when it returns.
    """
    global _budget_running
    if (not seconds or seconds <= 0 or _budget_running or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        return fn(*args, **kwargs)
    previous = signal.signal(signal.SIGALRM, _ring)
    _budget_running = True
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            return fn(*args, **kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # the alarm may still ring here: caught below
    except _Overrun:
        raise InputError(f"{source}: still running after {seconds:g} s (the per-document time budget); "
                            "not extracted") from None
    finally:
        _budget_running = False
        signal.signal(signal.SIGALRM, previous)


def extract_raw(raw: RawDocument, limits: Limits | None = None) -> Extraction:
    """Raises InputError for a document that is no article (see also pipeline.reader)."""
    limits = limits or Limits()
    try:
        return within_budget(raw.source, limits.seconds, _extract, raw, limits)
    except InputError:
        raise
    except Exception as exc:  # a bug on a hostile input: one error line, not a dead batch (tests look for these)
        raise InternalError(f"{raw.source}: internal error: {type(exc).__name__}: {str(exc)[:200]}; "
                            "not extracted") from None


def _extract(raw: RawDocument, limits: Limits) -> Extraction:
    cleaned = clean(raw)
    if limits.max_chars and len(cleaned.body) > limits.max_chars:
        raise InputError(f"{raw.source}: body of {len(cleaned.body):,} characters is no article "
                         f"(limit {limits.max_chars:,}); not extracted")
    if not cleaned.body.strip():
        raise InputError(f"{raw.source}: no article text left once page furniture is removed "
                         f"({cleaned.dropped} line(s) dropped); not extracted")
    meta = ArticleMeta(title=raw.html_title or cleaned.title, published=cleaned.published or _iso(raw.html_published),
                       url=raw.url, author=raw.html_author)
    return extract_body(raw.source, cleaned.body, meta, header=raw.text[:2000])


def extract_body(source: str, body: str, meta: ArticleMeta, header: str = "") -> Extraction:
    """The records of a cleaned body (what the rule examples and tests feed in directly)."""
    ctx = Context.of(body, meta, header=header)
    doc = nlp().make_doc(body)
    doc._.ctx = ctx
    for _name, proc in nlp().pipeline:
        doc = proc(doc)
    r = ctx.records
    return Extraction(
        source=source, article=meta, body=body,
        events=r.get("events", []), blocs=r.get("blocs", []), agencies=agencies_mod.records(ctx),
        bloc_roles=r.get("bloc_roles", []), awards=r.get("awards", []), people=r.get("people", []),
        legal_refs=r.get("legal_refs", []),
    )


def _iso(value: str | None) -> str | None:
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10]
    return None


def read_and_extract(path: str | Path, url: str | None = None, encoding: str | None = None,
                     limits: Limits | None = None) -> tuple[RawDocument, Extraction]:
    """Read and extract one file under one budget (HTML parsing counts too); the raw document comes
    back for its `note` (e.g. a declared charset that was not used)."""
    limits = limits or Limits()

    def run() -> tuple[RawDocument, Extraction]:
        raw = read_path(path, encoding=encoding, max_bytes=limits.max_bytes)
        raw.url = url or raw.url
        return raw, extract_raw(raw, limits)

    return within_budget(str(path), limits.seconds, run)


def extract_path(path: str | Path, url: str | None = None, encoding: str | None = None,
                 limits: Limits | None = None) -> Extraction:
    return read_and_extract(path, url, encoding, limits)[1]
