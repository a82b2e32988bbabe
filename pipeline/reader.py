"""Reading one input (a file, or bytes fetched from a portal) into text.

Accepts plain text or HTML, UTF-8 or a declared legacy encoding. Anything else is refused with
a one-line `InputError` that says what is wrong, so a batch can log it and go on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from gazetteers.textnorm import nfc

MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """Raised for input that cannot be read; str(exc) is the one-line reason."""


@dataclass(slots=True)
class RawDocument:
    source: str
    text: str  # page text, one block per line (HTML flattened); furniture still present
    url: str | None = None
    html_title: str | None = None
    html_published: str | None = None
    html_author: str | None = None
    encoding: str = "utf-8"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|div|p|meta|title)\b", re.I)


def _declared_charset(data: bytes, header_charset: str | None) -> str | None:
    if header_charset:
        return header_charset
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii") if m else None


def decode(data: bytes, source: str, header_charset: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (with or without BOM) or a declared encoding only."""
    if not data.strip():
        raise InputError(f"{source}: empty file")
    if b"\x00" in data[:8192] or data[:4] in (b"%PDF", b"PK\x03\x04", b"\x89PNG") or data[:3] == b"\xff\xd8\xff":
        raise InputError(f"{source}: binary file, not text or HTML")
    declared = _declared_charset(data, header_charset)
    if declared:
        try:
            codecs.lookup(declared)
        except LookupError:
            raise InputError(f"{source}: unknown declared encoding {declared!r}") from None
        try:
            return data.decode(declared), declared.lower()
        except UnicodeDecodeError as exc:
            # declared utf-8 but is not: fall through to the check below for a clear message
            if declared.lower().replace("_", "-") not in ("utf-8", "utf8"):
                raise InputError(f"{source}: not valid {declared} at byte {exc.start}") from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not UTF-8 (invalid byte at offset {exc.start}) and no encoding declared; "
            "convert it to UTF-8 or pass --encoding"
        ) from None


_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "section", "article")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")


def html_to_text(html: str, source: str) -> tuple[str, str | None, str | None, str | None]:
    """HTML -> (text with one block per line, title, published meta, author meta)."""
    soup = BeautifulSoup(html, "html.parser")
    meta = {}
    for m in soup.find_all("meta"):
        k = (m.get("property") or m.get("name") or m.get("itemprop") or "").lower()
        if k and m.get("content"):
            meta.setdefault(k, m["content"].strip())
    h1 = soup.find("h1")
    title = (h1.get_text(" ", strip=True) if h1 else None) or meta.get("og:title") \
        or (soup.title.get_text(" ", strip=True) if soup.title else None)
    published = meta.get("article:published_time") or meta.get("pubdate") or meta.get("date") \
        or meta.get("datepublished")
    author = meta.get("author") or meta.get("article:author")
    body = soup.body
    if body is None or not body.get_text(strip=True):
        raise InputError(f"{source}: HTML has no body text")
    for tag in body.find_all(_DROP_TAGS):
        tag.decompose()
    main = body.find("article") or body.find(attrs={"itemprop": "articleBody"}) or body
    for tag in main.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = main.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    if not text.strip():
        raise InputError(f"{source}: HTML has no body text")
    return text, title, published, author


def is_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:2048].encode("utf-8", "ignore")))


def read_bytes(data: bytes, source: str, url: str | None = None, header_charset: str | None = None,
               content_type: str | None = None) -> RawDocument:
    if len(data) > MAX_BYTES:
        raise InputError(f"{source}: larger than {MAX_BYTES // (1024 * 1024)} MiB")
    text, enc = decode(data, source, header_charset)
    text = nfc(text)
    if (content_type and "html" in content_type) or is_html(text):
        body, title, published, author = html_to_text(text, source)
        return RawDocument(source, body, url, title, published, author, enc)
    if not text.strip():
        raise InputError(f"{source}: empty file")
    return RawDocument(source, text, url, encoding=enc)


def read_path(path: str | Path, encoding: str | None = None) -> RawDocument:
    source = str(path)
    p = Path(path)
    if not p.exists():
        raise InputError(f"{source}: no such file")
    if p.is_dir():
        raise InputError(f"{source}: is a directory")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    return read_bytes(data, source, header_charset=encoding)
