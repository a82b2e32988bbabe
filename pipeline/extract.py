"""Extraction of one article: read → clean → spaCy pipeline → an `Extraction` record set."""

from __future__ import annotations

from pathlib import Path

from extractors import agencies as agencies_mod
from extractors.common import Context
from extractors.records import ArticleMeta, Extraction
from pipeline.clean import clean
from pipeline.nlp import nlp
from pipeline.reader import InputError, RawDocument, read_path

MAX_BODY_CHARS = 1_000_000  # a news article is 2-30k characters; beyond this it is a dump, not an article


def extract_raw(raw: RawDocument) -> Extraction:
    """Raises InputError for a document that is no article (see also pipeline.reader)."""
    cleaned = clean(raw)
    if len(cleaned.body) > MAX_BODY_CHARS:
        raise InputError(f"{raw.source}: body of {len(cleaned.body):,} characters is no article "
                         f"(limit {MAX_BODY_CHARS:,}); not extracted")
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


def extract_path(path: str | Path, url: str | None = None, encoding: str | None = None) -> Extraction:
    raw = read_path(path, encoding=encoding)
    raw.url = url or raw.url
    return extract_raw(raw)
