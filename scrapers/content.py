"""From an article page to the text the pipeline reads: profile selectors first, then a generic
main-content extractor (trafilatura), then the plain HTML flattening of pipeline.reader.

The result is a `RawDocument`, so crawled pages go through exactly the same cleaning and extraction
as files given to `thidua extract`.
"""

from __future__ import annotations

import re
from datetime import datetime

from bs4 import BeautifulSoup

from gazetteers.textnorm import nfc
from pipeline.reader import InputError, InternalError, RawDocument, block_text, decode, html_to_text
from scrapers import legacy
from scrapers.profiles import Profile


def _charset(headers: dict[str, str]) -> str | None:
    m = re.search(r"charset=([\w\-]+)", headers.get("content-type", ""), re.I)
    return m.group(1) if m else None


def _detect(body: bytes) -> str | None:
    """An encoding guessed from the bytes (charset-normalizer, which knows windows-1258) when nothing
    is declared and the page is not UTF-8; None for binary or undecidable bytes."""
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best is not None and best.encoding not in ("utf_8", "ascii") else None


def _date(text: str | None, fmt: str | None) -> str | None:
    if not text:
        return None
    text = text.strip()
    if fmt:
        m = re.search(r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}", text)
        if m:
            try:
                return datetime.strptime(m.group(0), fmt).date().isoformat()
            except ValueError:
                pass
    from extractors.dates import parse_full

    return parse_full(text)


_BODY_BLOCKS = frozenset({"p", "div", "br", "li", "h2", "h3", "tr"})


def parse_article(body: bytes, url: str, headers: dict[str, str], profile: Profile | None) -> RawDocument:
    """Raises InputError with a one-line reason for a page that cannot be read, never anything else: a
    rebuild of the archive goes on past any one page (the per-document time budget applies too)."""
    from pipeline.extract import MAX_SECONDS, within_budget

    try:
        return within_budget(url, MAX_SECONDS, _parse_article, body, url, headers, profile)
    except InputError:
        raise
    except Exception as exc:  # a library failing on a hostile page: one error, not a dead rebuild
        raise InternalError(f"{url}: internal error: {type(exc).__name__}: {str(exc)[:200]}; not extracted") from None


def _parse_article(body: bytes, url: str, headers: dict[str, str], profile: Profile | None) -> RawDocument:
    charset = (profile.encoding if profile and profile.encoding else None) or _charset(headers)
    try:
        html, enc = decode(body, url, charset)
    except InputError:
        guess = _detect(body)
        if not guess:
            raise
        html, enc = decode(body, url, guess)
    html = nfc(html)
    soup = BeautifulSoup(html, "html.parser")
    shown = soup.get_text(" ")[:20000]
    kind = legacy.detect(shown)
    if enc.replace("_", "-") not in ("utf-8", "utf-8-sig"):
        share = legacy.vietnamese_share(shown)
        if kind == "TCVN3" or (kind is None and share < 0.6):  # mojibake under the declared code page: is it TCVN3?
            converted = nfc(legacy.tcvn3_to_unicode(body))
            csoup = BeautifulSoup(converted, "html.parser")
            if legacy.vietnamese_share(csoup.get_text(" ")[:20000]) >= max(0.8, share + 0.2):
                html, enc, soup, kind = converted, "TCVN3", csoup, None
    if kind:
        raise InputError(f"{url}: legacy {kind} font encoding suspected; not converted (page archived, not loaded)")
    sel = profile.selectors if profile else None

    def pick(css: str | None) -> str | None:
        if not css:
            return None
        el = soup.select_one(css)
        return el.get_text(" ", strip=True) if el else None

    title = pick(sel.title) if sel else None
    published = _date(pick(sel.published), profile.date_format if profile else None) if sel else None
    author = pick(sel.author) if sel else None
    text = None
    if sel and sel.body and (el := soup.select_one(sel.body)):
        # one pass, no tree edits: insert_before per tag was quadratic on deeply nested pages
        text = "\n".join(ln.strip() for ln in block_text(el, _BODY_BLOCKS, after=False).split("\n") if ln.strip())
    if not text:
        import trafilatura

        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_recall=True)
    flat, h_title, h_published, h_author = html_to_text(html, url)
    if not published and not h_published:
        # no selector or meta: the page's own date line ("Ngày đăng: ..."), as for text files
        from pipeline.clean import clean

        h_published = clean(RawDocument(url, flat)).published
    if not text:
        text = flat
    return RawDocument(source=url, text=text, url=url, html_title=title or h_title,
                       html_published=published or h_published, html_author=author or h_author, encoding=enc)
