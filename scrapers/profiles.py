"""Portal profiles: one TOML file per portal under scrapers/profiles/ (see scrapers/README.md).

A profile says where a portal's articles are listed (category pages with pagination, RSS feeds,
sitemaps), how to find article links and the parts of an article page (CSS selectors), and how
politely to fetch (minimum delay between requests, timeouts, retries, a bound on discovery).
Fields left out fall back to discovery and the generic main-content extractor, so a bare profile
(name, province, hosts, one start point) works. Every field is checked on load: a wrong type, a
value out of range or an unknown field is refused with the file and the field named.
"""

from __future__ import annotations

import codecs
import ipaddress
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

PROFILE_DIR = Path(__file__).resolve().parent / "profiles"

MIN_DELAY = 1.0  # s: the floor for any real portal (README: at least 1 s between two requests to a host)
TEST_DELAY_ENV = "THIDUA_TEST_MIN_DELAY"  # lowers the floor, for profiles whose hosts are all loopback only


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
    min_delay: float = MIN_DELAY
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    retries: int = 2  # further attempts after the first, for timeouts, truncated bodies, 429 and 5xx
    max_discovery: int = 300  # list, feed and sitemap URLs asked for in one crawl, at most
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


# -- checking values (shared with the CLI overrides, so both say the same thing)

def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def number(v, what: str, *, low: float, high: float) -> float:
    """A number in [low, high] (low excluded when it is 0), else ProfileError naming `what`."""
    if not _is_number(v):
        raise ProfileError(f"{what} must be a number of seconds, not {v!r}")
    if v < low or (low == 0 and v == 0) or v > high:
        lo = f"more than {low:g} s" if low == 0 else f"at least {low:g} s"
        raise ProfileError(f"{what} must be {lo} and at most {high:g} s (got {v!r})")
    return float(v)


def integer(v, what: str, *, low: int, high: int) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise ProfileError(f"{what} must be a whole number, not {v!r}")
    if not low <= v <= high:
        raise ProfileError(f"{what} must be between {low} and {high} (got {v!r})")
    return v


LIMITS = {  # field: (low, high); the CLI overrides use the same
    "connect_timeout": (0.0, 300.0),
    "read_timeout": (0.0, 600.0),
    "retries": (0, 10),
    "max_discovery": (1, 100_000),
    "max_pages": (1, 10_000),  # pages of one list
    "max_requests": (1, 100_000_000),  # thidua crawl --max-pages: requests per portal
}


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def delay_floor(hosts: tuple[str, ...], floor: float | None = None) -> float:
    """The smallest min_delay allowed: MIN_DELAY, lowered (by argument or THIDUA_TEST_MIN_DELAY) only
    for a profile whose hosts are all loopback, i.e. a test server on this machine."""
    if floor is None:
        env = os.environ.get(TEST_DELAY_ENV)
        try:
            floor = float(env) if env else None
        except ValueError:
            raise ProfileError(f"{TEST_DELAY_ENV}={env!r} is not a number") from None
    if floor is None or not hosts or not all(_loopback(h) for h in hosts):
        return MIN_DELAY
    return max(floor, 0.001)


# -- reading a file

_TOP = {"name", "title", "province", "allowed_hosts", "lists", "rss", "sitemaps", "selectors", "article_url_pattern",
        "date_format", "encoding", "min_delay", "connect_timeout", "read_timeout", "retries", "max_discovery",
        "revisit_lists"}
_LIST = {"url", "pagination", "max_pages"}


def _get(d: dict, key: str, typ, where: str, *, required: bool = False, default=None):
    if key not in d:
        if required:
            raise ProfileError(f"{where}: missing required field {key!r}")
        return default
    v = d[key]
    if not isinstance(v, typ) or (typ is not bool and isinstance(v, bool)):
        names = {str: "a string", list: "a list", bool: "true or false", dict: "a table"}
        raise ProfileError(f"{where}: field {key!r} must be {names.get(typ, typ.__name__)}, not {v!r}")
    return v


def _strings(d: dict, key: str, where: str) -> tuple[str, ...]:
    items = _get(d, key, list, where, default=[])
    for v in items:
        if not isinstance(v, str) or not v.strip():
            raise ProfileError(f"{where}: field {key!r} must list strings (URLs), not {v!r}")
    return tuple(v.strip() for v in items)


def _unknown(d: dict, known: set[str], where: str) -> None:
    extra = sorted(set(d) - known)
    if extra:
        raise ProfileError(f"{where}: unknown field {extra[0]!r} (known: {', '.join(sorted(known))})")


def _field(where: str, key: str, fn, *args, **kw):
    try:
        return fn(*args, f"field {key!r}", **kw)
    except ProfileError as exc:
        raise ProfileError(f"{where}: {exc}") from None


def load_profile(path: str | Path, *, min_delay_floor: float | None = None) -> Profile:
    """Read and check one profile; `min_delay_floor` (tests) lowers MIN_DELAY for loopback hosts only."""
    path = Path(path)
    where = str(path)
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{where}: cannot read ({exc})") from None
    _unknown(d, _TOP, where)
    name = _get(d, "name", str, where, required=True)
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", name):
        raise ProfileError(f"{where}: field 'name' must be lower-case letters, digits, '-' or '_', not {name!r}")
    hosts = tuple(h.lower() for h in _strings(d, "allowed_hosts", where)) if "allowed_hosts" in d else None
    if hosts is None:
        raise ProfileError(f"{where}: missing required field 'allowed_hosts'")
    if not hosts:
        raise ProfileError(f"{where}: allowed_hosts is empty")
    lists = []
    for i, lp in enumerate(_get(d, "lists", list, where, default=[])):
        lw = f"{where} [[lists]] #{i + 1}"
        if not isinstance(lp, dict):
            raise ProfileError(f"{lw}: must be a table with url, pagination, max_pages")
        _unknown(lp, _LIST, lw)
        url = _get(lp, "url", str, lw, required=True)
        pagination = _get(lp, "pagination", str, lw)
        if pagination is not None and "{page}" not in pagination:
            raise ProfileError(f"{lw}: field 'pagination' must contain {{page}}, not {pagination!r}")
        low, high = LIMITS["max_pages"]
        max_pages = _field(lw, "max_pages", integer, lp.get("max_pages", 3), low=low, high=high)
        lists.append(ListPage(url, pagination, max_pages))
    sel = _get(d, "selectors", dict, where, default={})
    _unknown(sel, set(Selectors.__dataclass_fields__), f"{where} [selectors]")
    for k, v in sel.items():
        if not isinstance(v, str) or not v.strip():
            raise ProfileError(f"{where} [selectors]: field {k!r} must be a CSS selector string, not {v!r}")
    encoding = _get(d, "encoding", str, where) or None
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ProfileError(f"{where}: field 'encoding' is not a known encoding: {encoding!r}") from None
    floor = delay_floor(hosts, min_delay_floor)
    nums = {k: _field(where, k, number, d[k], low=LIMITS[k][0], high=LIMITS[k][1])
            for k in ("connect_timeout", "read_timeout") if k in d}
    ints = {k: _field(where, k, integer, d[k], low=LIMITS[k][0], high=LIMITS[k][1])
            for k in ("retries", "max_discovery") if k in d}
    min_delay = _field(where, "min_delay", number, d.get("min_delay", MIN_DELAY), low=floor, high=600.0)
    prof = Profile(
        name=name, province=_get(d, "province", str, where), allowed_hosts=hosts, lists=tuple(lists),
        rss=_strings(d, "rss", where), sitemaps=_strings(d, "sitemaps", where),
        selectors=Selectors(**{k: sel.get(k) for k in Selectors.__dataclass_fields__}),
        article_url_pattern=_get(d, "article_url_pattern", str, where), date_format=_get(d, "date_format", str, where),
        encoding=encoding, min_delay=min_delay, revisit_lists=_get(d, "revisit_lists", bool, where, default=True),
        title=_get(d, "title", str, where), path=where, **nums, **ints,
    )
    if not (prof.lists or prof.rss or prof.sitemaps):
        raise ProfileError(f"{where}: give at least one start point (lists, rss or sitemaps)")
    for u in [lp.url for lp in prof.lists] + list(prof.rss) + list(prof.sitemaps):
        if urlparse(u).scheme not in ("http", "https"):
            raise ProfileError(f"{where}: start point {u!r} is not an http(s) URL")
        if not prof.allows(u):
            raise ProfileError(f"{where}: start point {u} is not on allowed_hosts {list(hosts)}")
    if prof.article_url_pattern:
        try:
            re.compile(prof.article_url_pattern)
        except re.error as exc:
            raise ProfileError(f"{where}: article_url_pattern is not a valid regex ({exc})") from None
    return prof


def with_overrides(prof: Profile, **over) -> Profile:
    """The profile with CLI settings (already checked by the CLI's argument types) in place of its own."""
    return replace(prof, **{k: v for k, v in over.items() if v is not None})


def load_profiles(directory: str | Path = PROFILE_DIR, *, min_delay_floor: float | None = None) -> dict[str, Profile]:
    out = {}
    for f in sorted(Path(directory).glob("*.toml")):
        p = load_profile(f, min_delay_floor=min_delay_floor)
        if p.name in out:
            raise ProfileError(f"{f}: profile name {p.name!r} already used by {out[p.name].path}")
        out[p.name] = p
    return out
