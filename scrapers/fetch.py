"""A polite HTTP client for provincial portals.

Politeness is per host, not per portal: one `Politeness` object per crawl is shared by the fetchers
of every profile, so two profiles on one host take turns in one queue (one request in flight per
host) and robots.txt is read once per host. The next request to a host starts `min_delay` (plus a
small margin) after the previous one's response headers arrived, on the monotonic clock, so the gap
the server sees between two requests is never shorter than `min_delay`.

Timeouts, 429 and 5xx are retried with exponential backoff, honouring Retry-After; conditional GET
(ETag / Last-Modified) avoids downloading what has not changed; bodies are size-capped and checked
against Content-Length; redirects are followed by hand, a few at most, and never off the profile's
allowed hosts; non-HTML responses are refused. Every HTTP response received (robots.txt, retried
503s, redirects, refused pages) is handed to the archive hook before anything else happens to it.
Every outcome is a `FetchResult` with a reason, never an exception.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse
from urllib.robotparser import RobotFileParser

import requests

from pipeline import __version__

USER_AGENT = f"thidua/{__version__} (+https://github.com/thidua/thidua; research crawler, contact: thidua@users.noreply.github.com)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/xml", "text/xml", "application/atom+xml", "text/plain")
MARGIN = 0.01  # s added to every wait: the spacing stays above min_delay, never at it


@dataclass
class FetchResult:
    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    header_list: list[tuple[str, str]] = field(default_factory=list)
    reason_phrase: str = ""
    body: bytes = b""
    request_headers: dict[str, str] = field(default_factory=dict)
    outcome: str = "fetched"  # fetched | not_modified | skipped | failed
    reason: str | None = None
    attempts: int = 0
    truncated: str | None = None  # WARC-Truncated: length | disconnect | time | unspecified (body not all read)
    warc_file: str | None = None  # where the archive hook put this response
    warc_offset: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "fetched" and self.status == 200


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)  # held while a request to the host is in flight
    last: float | None = None  # monotonic time the last response (or error) came back
    delay: float = 0.0  # the longest min_delay any profile asked for this host, or its Crawl-delay


class Politeness:
    """Per-host spacing and robots.txt, shared by every fetcher of one crawl."""

    def __init__(self, margin: float = MARGIN):
        self.margin = margin
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.robots_fetches: Counter = Counter()

    def host(self, name: str) -> _Host:
        with self._lock:
            return self._hosts.setdefault(name.lower(), _Host())

    def require(self, host: str, delay: float) -> None:
        """At least `delay` seconds between two requests to `host`, whoever asks."""
        h = self.host(host)
        with self._lock:
            h.delay = max(h.delay, delay)

    @contextmanager
    def slot(self, host: str, delay: float) -> Iterator[None]:
        """One request to `host`: waits its turn and the delay, and stamps the time it came back."""
        self.require(host, delay)
        h = self.host(host)
        with h.lock:
            if h.last is not None:
                wait = h.last + h.delay + self.margin - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                yield
            finally:
                h.last = time.monotonic()

    def robots(self, origin: str, fetch: Callable[[str], RobotFileParser]) -> RobotFileParser:
        """The origin's robots.txt rules, fetched by the first fetcher that asks, once per crawl."""
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = fetch(origin)
                self.robots_fetches[origin] += 1
            return self._robots[origin]


class PoliteFetcher:
    def __init__(self, allowed_hosts: tuple[str, ...] | None = None, *, min_delay: float = 1.0,
                 timeout: tuple[float, float] = (5.0, 20.0), max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 5, attempts: int = 3, backoff: float = 1.0, max_retry_after: float = 60.0,
                 user_agent: str = USER_AGENT, respect_robots: bool = True, politeness: Politeness | None = None,
                 archive: Callable[[FetchResult, str], tuple[str, int]] | None = None):
        self.allowed_hosts = tuple(h.lower() for h in allowed_hosts) if allowed_hosts else None
        self.min_delay = min_delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.respect_robots = respect_robots
        self.politeness = politeness or Politeness()
        self.archive = archive  # called with every response received and its kind; returns (file, offset)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "vi,en;q=0.5"})
        self.user_agent = user_agent
        self.requests_made = 0
        for h in self.allowed_hosts or ():
            self.politeness.require(h, min_delay)

    @classmethod
    def for_profile(cls, profile, **kw) -> PoliteFetcher:
        """A fetcher with the profile's hosts, delay, timeouts and retries (keywords override)."""
        opts = dict(min_delay=profile.min_delay, timeout=(profile.connect_timeout, profile.read_timeout),
                    attempts=profile.retries + 1)
        opts.update(kw)
        return cls(profile.allowed_hosts, **opts)

    # -- politeness
    def _read_robots(self, origin: str) -> RobotFileParser:
        rp = RobotFileParser()
        res = self._get(urljoin(origin, "/robots.txt"), accept=None, check_robots=False, kind="robots")
        if res.status == 200 and res.outcome == "fetched":
            rp.parse(res.body.decode("utf-8", "replace").splitlines())
        elif res.status is not None and 400 <= res.status < 500:
            rp.allow_all = True  # no robots.txt: everything allowed
        else:
            rp.disallow_all = True  # robots.txt unreachable or 5xx: stay away this time
        delay = rp.crawl_delay(self.user_agent)
        if delay:
            self.politeness.require(urlparse(origin).hostname or "", min(float(delay), 60.0))
        return rp

    def allowed_by_robots(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        p = urlparse(url)
        rp = self.politeness.robots(f"{p.scheme}://{p.netloc}", self._read_robots)
        return rp.can_fetch(self.user_agent, url)

    def host_allowed(self, url: str) -> bool:
        return self.allowed_hosts is None or (urlparse(url).hostname or "").lower() in self.allowed_hosts

    # -- fetching
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: tuple[str, ...] | None = HTML_TYPES, kind: str = "page") -> FetchResult:
        if not self.host_allowed(url):
            return FetchResult(url, outcome="skipped", reason=f"host not in allowed hosts: {urlparse(url).hostname}")
        if not self.allowed_by_robots(url):
            return FetchResult(url, outcome="skipped", reason="disallowed by robots.txt")
        cond = {}
        if etag:
            cond["If-None-Match"] = etag
        if last_modified:
            cond["If-Modified-Since"] = last_modified
        return self._get(url, accept=accept, extra_headers=cond, kind=kind)

    def _get(self, url: str, *, accept: tuple[str, ...] | None, extra_headers: dict | None = None,
             check_robots: bool = True, kind: str = "page") -> FetchResult:
        seen = [url]
        current = url
        for _hop in range(self.max_redirects + 1):
            res = self._get_one(current, accept, extra_headers or {}, kind)
            res.url = url
            if res.outcome != "fetched" or res.status not in (301, 302, 303, 307, 308):
                return res
            loc = res.headers.get("location")
            if not loc:
                return self._refuse(res, "failed", "redirect without Location")
            nxt = urljoin(current, loc)
            res.final_url = nxt
            if not self.host_allowed(nxt):
                return self._refuse(res, "skipped", f"redirect off the allowed hosts to {urlparse(nxt).hostname}")
            if nxt in seen:
                return self._refuse(res, "failed", "redirect loop")
            if check_robots and not self.allowed_by_robots(nxt):
                return self._refuse(res, "skipped", "redirect target disallowed by robots.txt")
            seen.append(nxt)
            current = nxt
        return FetchResult(url, final_url=current, outcome="failed", reason=f"more than {self.max_redirects} redirects")

    @staticmethod
    def _refuse(res: FetchResult, outcome: str, reason: str) -> FetchResult:
        """A redirect not followed: the outcome of the request, without the redirect's (archived) body."""
        return FetchResult(res.url, final_url=res.final_url, status=res.status, outcome=outcome, reason=reason,
                           attempts=res.attempts, warc_file=res.warc_file, warc_offset=res.warc_offset)

    def _keep(self, res: FetchResult, kind: str, refused: str | None = None) -> None:
        """Hand the response to the archive (every response is kept, refused or not)."""
        if self.archive is not None:
            res.warc_file, res.warc_offset = self.archive(res, kind, refused)

    def _read(self, resp, res: FetchResult) -> str | None:
        """Read the body, at most max_bytes; returns why reading stopped early, or None."""
        body = bytearray()
        why = None
        try:
            for chunk in resp.iter_content(64 * 1024):
                body += chunk
                if len(body) > self.max_bytes:
                    del body[self.max_bytes:]
                    res.truncated, why = "length", f"body larger than {self.max_bytes} bytes"
                    break
        except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as exc:
            res.truncated, why = "disconnect", f"truncated download ({type(exc).__name__})"
        except requests.Timeout:
            res.truncated, why = "time", f"timed out while reading (read {self.timeout[1]} s)"
        declared = res.headers.get("content-length", "")
        if why is None and declared.isdigit() and len(body) < int(declared):
            res.truncated, why = "disconnect", f"truncated download: {len(body)} of {declared} bytes"
        res.body = bytes(body)
        return why

    def _get_one(self, url: str, accept: tuple[str, ...] | None, extra: dict, kind: str) -> FetchResult:
        host = (urlparse(url).hostname or "").lower()
        last_reason = "unknown error"
        for attempt in range(1, self.attempts + 1):
            try:
                with self.politeness.slot(host, self.min_delay):
                    self.requests_made += 1
                    resp = self.session.get(url, headers=extra, timeout=self.timeout, allow_redirects=False,
                                            stream=True)
            except requests.Timeout:
                last_reason = f"timed out (connect {self.timeout[0]} s / read {self.timeout[1]} s)"
                self._sleep_backoff(attempt)
                continue
            except requests.ConnectionError as exc:
                last_reason = f"connection failed: {type(exc).__name__}"
                self._sleep_backoff(attempt)
                continue
            with resp:
                headers = {k.lower(): v for k, v in resp.headers.items()}
                res = FetchResult(url, final_url=url, status=resp.status_code, headers=headers,
                                  header_list=list(resp.raw.headers.items()) if resp.raw is not None else [],
                                  reason_phrase=resp.reason or "", request_headers=dict(resp.request.headers),
                                  attempts=attempt)
                code = resp.status_code
                ctype = headers.get("content-type", "").split(";")[0].strip().lower()
                declared = headers.get("content-length", "")
                success = 200 <= code < 300
                if success and accept and ctype and ctype not in accept:
                    res.truncated = "unspecified"  # not downloaded
                    self._keep(res, kind, f"not HTML: {ctype}")
                    res.outcome, res.reason = "skipped", f"not HTML: {ctype}"
                    return res
                if success and declared.isdigit() and int(declared) > self.max_bytes:
                    res.truncated = "length"  # not downloaded
                    reason = f"body larger than {self.max_bytes} bytes ({declared} declared)"
                    self._keep(res, kind, reason)
                    res.outcome, res.reason = "skipped", reason
                    return res
                why = self._read(resp, res)
                too_big = res.truncated == "length"  # an error page over the limit is kept cut, not refused
                self._keep(res, kind, None if too_big and not success else why)
                if too_big and success:
                    res.body = b""
                    res.outcome, res.reason = "skipped", why
                    return res
                if why and not too_big:  # cut off while reading: try again
                    last_reason = why
                    self._sleep_backoff(attempt)
                    continue
                if code == 429 or code >= 500:
                    last_reason = f"HTTP {code}"
                    if attempt < self.attempts:
                        self._sleep_retry_after(headers.get("retry-after"), attempt)
                        continue
                    res.outcome, res.reason = "failed", f"HTTP {code} after {attempt} attempts"
                    return res
                if code == 304:
                    res.outcome, res.reason = "not_modified", "not modified since last fetch"
                    return res
                if code in (301, 302, 303, 307, 308):
                    return res
                if code >= 400:
                    res.outcome, res.reason = "failed", f"HTTP {code}"
                    return res
                return res
        return FetchResult(url, outcome="failed", reason=f"{last_reason} after {self.attempts} attempts",
                           attempts=self.attempts)

    def _sleep_backoff(self, attempt: int) -> None:
        if attempt < self.attempts:
            time.sleep(self.backoff * 2 ** (attempt - 1))

    def _sleep_retry_after(self, value: str | None, attempt: int) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        if value:
            if value.strip().isdigit():
                delay = float(value.strip())
            else:
                try:
                    when = email.utils.parsedate_to_datetime(value)
                    delay = max(0.0, when.timestamp() - time.time())
                except (TypeError, ValueError):
                    pass
        time.sleep(min(delay, self.max_retry_after))
