"""Reading one input (a file, or bytes fetched from a portal) into text.

Accepts plain text or HTML, UTF-8 or a declared legacy encoding. Anything else is refused with
a one-line `InputError` that says what is wrong, so a batch can log it and go on.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from gazetteers.textnorm import nfc

MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """Raised for input that cannot be read; str(exc) is the one-line reason."""


class InternalError(InputError):
    """A document that failed on our side (a bug, a library that does not import), reported like bad input
    so a batch goes on, but not the document's fault: a crawl tries it again next time."""


@dataclass(slots=True)
class RawDocument:
    source: str
    text: str  # page text, one block per line (HTML flattened); furniture still present
    url: str | None = None
    html_title: str | None = None
    html_published: str | None = None
    html_author: str | None = None
    encoding: str = "utf-8"
    note: str | None = None  # e.g. why a declared charset was not used; reported, not fatal


_SURROGATE = re.compile("[\ud800-\udfff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|div|p|meta|title)\b", re.I)


def _declared_charset(data: bytes, header_charset: str | None) -> str | None:
    if header_charset:
        return header_charset
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_DECL.search(head)
    return m.group(1).decode("ascii") if m else None


# text codecs that are no page charset: they read bytes as escapes or hostnames, or always fail; UTF-7
# (which HTML forbids) also decodes to lone surrogates, which no UTF-8 output or DuckDB string accepts
_NOT_PAGE_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"})


def usable_charset(name: str) -> tuple[str | None, str | None]:
    """(codec name, None) for a charset a page may declare, else (None, why not).

    `codecs.lookup` also knows bytes-to-bytes codecs ('base64', 'rot13', 'zlib'): decoding with
    them raises LookupError, so a page declaring one is read as if it declared nothing."""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None, f"unknown declared charset {name!r}"
    if not getattr(info, "_is_text_encoding", True):
        return None, f"declared charset {name!r} is not a text encoding"
    if info.name in _NOT_PAGE_CHARSETS:
        return None, f"declared charset {name!r} is no page encoding"
    return info.name, None


def decode(data: bytes, source: str, header_charset: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (with or without BOM) or a declared encoding only."""
    text, enc, _note = decode_noted(data, source, header_charset)
    return text, enc


def decode_noted(data: bytes, source: str, header_charset: str | None = None) -> tuple[str, str, str | None]:
    """`decode`, plus a note when a declared charset was unusable and the bytes were read as UTF-8."""
    if not data.strip():
        raise InputError(f"{source}: empty file")
    if b"\x00" in data[:8192] or data[:4] in (b"%PDF", b"PK\x03\x04", b"\x89PNG") or data[:3] == b"\xff\xd8\xff":
        raise InputError(f"{source}: binary file, not text or HTML")
    declared = _declared_charset(data, header_charset)
    note = None
    if declared:
        codec, note = usable_charset(declared)
        if codec:
            try:
                text = data.decode(codec)
                if "\ud800" <= max(text, default="") and _SURROGATE.search(text):
                    raise InputError(f"{source}: not valid {declared} (decodes to a lone surrogate)")
                return text, declared.lower(), None
            except UnicodeError as exc:  # UnicodeDecodeError, or the bare UnicodeError of e.g. utf-16
                # declared utf-8 but is not: fall through to the check below for a clear message
                if codec != "utf-8":
                    where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
                    raise InputError(f"{source}: not valid {declared}{where}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not note:
            raise InputError(
                f"{source}: not UTF-8 (invalid byte at offset {exc.start}) and no encoding declared; "
                "convert it to UTF-8 or pass --encoding"
            ) from None
        raise InputError(f"{source}: {note}, and it is not UTF-8 (invalid byte at offset {exc.start}); "
                         "convert it to UTF-8 or pass --encoding") from None
    return text, "utf-8", (f"{note}; read as UTF-8" if note else None)


_BLOCK_TAGS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "section", "article")
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")


def block_text(root: Tag, blocks: Collection[str], skip: Collection[str] = (), after: bool = True) -> str:
    """The text of `root` with a newline before (and after) every tag named in `blocks`, leaving out the
    subtrees of tags named in `skip`; what `get_text()` gives after `insert_before("\\n")` on each block
    tag, in one pass over the tree and without changing it.

    Why not the tree edits: each insertion walks the tree, so a page of 30,000 nested or unclosed
    <div>/<p> took minutes. The walk keeps its own stack, so nesting depth costs nothing (no recursion).
    """
    types = root.interesting_string_types or Tag.MAIN_CONTENT_STRING_TYPES
    exact = types if isinstance(types, type) else None
    out: list[str] = []
    stack: list[tuple[Iterator[PageElement], bool]] = [(iter(root.contents), False)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            _, closes = stack.pop()
            if closes:
                out.append("\n")
            continue
        if isinstance(node, Tag):
            if node.name in skip:
                continue
            block = node.name in blocks
            if block:
                out.append("\n")
            stack.append((iter(node.contents), block and after))
        elif isinstance(node, NavigableString) and (type(node) is exact if exact else type(node) in types):
            out.append(str(node))
    return "".join(out)


def _first(root: Tag, skip: Collection[str], match) -> Tag | None:
    """The first tag under root (document order) that `match` accepts, outside the subtrees of `skip`."""
    stack: list[Iterator[PageElement]] = [iter(root.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag) and node.name not in skip:
            if match(node):
                return node
            stack.append(iter(node.contents))
    return None


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
    # page furniture (_DROP_TAGS) is skipped, not removed: removing a tag also walks the tree
    marked = {id(t) for t in body.find_all(attrs={"itemprop": "articleBody"})}
    main = _first(body, _DROP_TAGS, lambda t: t.name == "article") \
        or _first(body, _DROP_TAGS, lambda t: id(t) in marked) or body
    text = block_text(main, _BLOCK_TAGS, skip=_DROP_TAGS)
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.split("\n")]
    text = "\n".join(ln for ln in lines if ln)
    if not text.strip():
        raise InputError(f"{source}: HTML has no body text")
    return text, title, published, author


_SPACES = re.compile(r"[ \t\u00a0]+")


def is_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:2048].encode("utf-8", "ignore")))


def read_bytes(data: bytes, source: str, url: str | None = None, header_charset: str | None = None,
               content_type: str | None = None, max_bytes: int | None = MAX_BYTES) -> RawDocument:
    if max_bytes and len(data) > max_bytes:
        raise InputError(f"{source}: larger than {_size(max_bytes)}; not read")
    text, enc, note = decode_noted(data, source, header_charset)
    text = nfc(text)
    if (content_type and "html" in content_type) or is_html(text):
        body, title, published, author = html_to_text(text, source)
        return RawDocument(source, body, url, title, published, author, enc, note)
    if not text.strip():
        raise InputError(f"{source}: empty file")
    return RawDocument(source, text, url, encoding=enc, note=note)


def read_limited(path: str | Path, source: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing anything else before reading it and reading at most
    limit + 1 bytes: a FIFO would block the batch for ever and /dev/zero never ends."""
    limit = limit or (1 << 62)  # 0/None: no limit (still refuses FIFOs and devices)
    try:
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{source}: is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{source}: not a regular file ({_file_kind(st.st_mode)}); not read")
        if st.st_size > limit:
            raise InputError(f"{source}: larger than {_size(limit)}; not read")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # the file grew while being read
            raise InputError(f"{source}: larger than {_size(limit)}; not read")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a plain file"


def read_path(path: str | Path, encoding: str | None = None, max_bytes: int | None = MAX_BYTES) -> RawDocument:
    source = str(path)
    if encoding:
        codec, why = usable_charset(encoding)
        if codec is None:
            raise InputError(f"{source}: --encoding: {why}")
    return read_bytes(read_limited(path, source, max_bytes), source, header_charset=encoding, max_bytes=max_bytes)
