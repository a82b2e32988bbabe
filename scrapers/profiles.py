"""Portal profiles: one TOML file per portal under scrapers/profiles/ (see scrapers/README.md).

A profile says where a portal's articles are listed (category pages with pagination, RSS feeds,
sitemaps), how to find article links and the parts of an article page (CSS selectors), and how
politely to fetch (minimum delay between requests). Fields left out fall back to discovery and the
generic main-content extractor, so a bare profile (name, province, hosts, one start point) works.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """A profile file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class ListPage:
    url: str
    pagination: str | None = None  # template for page n >= 2, e.g. "?page={page}" or "/trang-{page}.html"
    max_pages: int = 3


@dataclass(frozen=True)
class Selectors:
    article_links: str | None = None
    title: str | None = None
    published: str | None = None
    body: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    province: str | None
    allowed_hosts: tuple[str, ...]
    lists: tuple[ListPage, ...] = ()
    rss: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    selectors: Selectors = field(default_factory=Selectors)
    article_url_pattern: str | None = None
    date_format: str | None = None  # strptime hint for the published selector, e.g. "%d/%m/%Y"
    encoding: str | None = None  # override a wrong or missing charset
    min_delay: float = 1.0
    revisit_lists: bool = True
    title: str | None = None
    path: str | None = None

    def allows(self, url: str) -> bool:
        host = (urlparse(url).hostname or "").lower()
        return host in self.allowed_hosts

    def is_article_url(self, url: str) -> bool:
        if not self.allows(url):
            return False
        if self.article_url_pattern:
            return re.search(self.article_url_pattern, url) is not None
        path = urlparse(url).path
        return bool(re.search(r"\.(html?|aspx|php)$", path)) or path.count("/") >= 3


def _req(d: dict, key: str, typ, where: str):
    if key not in d:
        raise ProfileError(f"{where}: missing required field {key!r}")
    if not isinstance(d[key], typ):
        raise ProfileError(f"{where}: field {key!r} must be {typ.__name__}")
    return d[key]


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    where = str(path)
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from None
    name = _req(d, "name", str, where)
    hosts = tuple(h.lower() for h in _req(d, "allowed_hosts", list, where))
    if not hosts:
        raise ProfileError(f"{where}: allowed_hosts is empty")
    lists = []
    for i, lp in enumerate(d.get("lists", [])):
        url = _req(lp, "url", str, f"{where} [[lists]] #{i + 1}")
        lists.append(ListPage(url, lp.get("pagination"), int(lp.get("max_pages", 3))))
    sel = d.get("selectors", {})
    prof = Profile(
        name=name, province=d.get("province"), allowed_hosts=hosts, lists=tuple(lists),
        rss=tuple(d.get("rss", [])), sitemaps=tuple(d.get("sitemaps", [])),
        selectors=Selectors(**{k: sel.get(k) for k in Selectors.__dataclass_fields__}),
        article_url_pattern=d.get("article_url_pattern"), date_format=d.get("date_format"),
        encoding=d.get("encoding") or None, min_delay=float(d.get("min_delay", 1.0)),
        revisit_lists=bool(d.get("revisit_lists", True)), title=d.get("title"), path=where,
    )
    if not (prof.lists or prof.rss or prof.sitemaps):
        raise ProfileError(f"{where}: give at least one start point (lists, rss or sitemaps)")
    for u in [lp.url for lp in prof.lists] + list(prof.rss) + list(prof.sitemaps):
        if not prof.allows(u):
            raise ProfileError(f"{where}: start point {u} is not on allowed_hosts {list(hosts)}")
    if prof.article_url_pattern:
        try:
            re.compile(prof.article_url_pattern)
        except re.error as exc:
            raise ProfileError(f"{where}: article_url_pattern is not a valid regex ({exc})") from None
    return prof


def load_profiles(directory: str | Path = PROFILE_DIR) -> dict[str, Profile]:
    out = {}
    for f in sorted(Path(directory).glob("*.toml")):
        p = load_profile(f)
        if p.name in out:
            raise ProfileError(f"{f}: profile name {p.name!r} already used by {out[p.name].path}")
        out[p.name] = p
    return out
