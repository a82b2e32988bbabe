"""A polite HTTP client for provincial portals.

robots.txt is honoured; each host gets a minimum delay between requests (several hosts can be
crawled at once, each from its own thread); timeouts, 429 and 5xx are retried with exponential
backoff, honouring Retry-After; conditional GET (ETag / Last-Modified) avoids downloading what has
not changed; bodies are size-capped and checked against Content-Length; redirects are followed by
hand, a few at most, and never off the profile's allowed hosts; non-HTML responses are skipped.
Every outcome is a `FetchResult` with a reason, never an exception.
"""

from __future__ import annotations

import email.utils
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse
from urllib.robotparser import RobotFileParser

import requests

from pipeline import __version__

USER_AGENT = f"thidua/{__version__} (+https://github.com/thidua/thidua; research crawler, contact: thidua@users.noreply.github.com)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/xml", "text/xml", "application/atom+xml", "text/plain")


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

    @property
    def ok(self) -> bool:
        return self.outcome == "fetched" and self.status == 200


class PoliteFetcher:
    def __init__(self, allowed_hosts: tuple[str, ...] | None = None, *, min_delay: float = 1.0,
                 timeout: tuple[float, float] = (5.0, 20.0), max_bytes: int = 5 * 1024 * 1024,
                 max_redirects: int = 5, retries: int = 3, backoff: float = 1.0, max_retry_after: float = 60.0,
                 user_agent: str = USER_AGENT, respect_robots: bool = True):
        self.allowed_hosts = tuple(h.lower() for h in allowed_hosts) if allowed_hosts else None
        self.min_delay = min_delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.respect_robots = respect_robots
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "vi,en;q=0.5"})
        self.user_agent = user_agent
        self._last: dict[str, float] = {}
        self._delay: dict[str, float] = {}  # a host's robots.txt Crawl-delay, when longer than min_delay
        self._lock = threading.Lock()
        self._robots: dict[str, RobotFileParser | None] = {}
        self.requests_made = 0

    # -- politeness
    def _wait(self, host: str) -> None:
        with self._lock:
            last = self._last.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else self._delay.get(host, self.min_delay) - (now - last)
            self._last[host] = now + max(0.0, wait)
        if wait > 0:
            time.sleep(wait)

    def allowed_by_robots(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        p = urlparse(url)
        base = f"{p.scheme}://{p.netloc}"
        if base not in self._robots:
            rp = RobotFileParser()
            res = self._get(urljoin(base, "/robots.txt"), accept=None, check_robots=False)
            if res.status == 200 and res.outcome == "fetched":
                rp.parse(res.body.decode("utf-8", "replace").splitlines())
            elif res.status is not None and 400 <= res.status < 500:
                rp.allow_all = True  # no robots.txt: everything allowed
            else:
                rp.disallow_all = True  # robots.txt unreachable or 5xx: stay away this time
            self._robots[base] = rp
            delay = rp.crawl_delay(self.user_agent)
            if delay and float(delay) > self.min_delay:
                self._delay[(p.hostname or "").lower()] = min(float(delay), 60.0)
        rp = self._robots[base]
        return rp.can_fetch(self.user_agent, url)

    def host_allowed(self, url: str) -> bool:
        return self.allowed_hosts is None or (urlparse(url).hostname or "").lower() in self.allowed_hosts

    # -- fetching
    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: tuple[str, ...] | None = HTML_TYPES) -> FetchResult:
        if not self.host_allowed(url):
            return FetchResult(url, outcome="skipped", reason=f"host not in allowed hosts: {urlparse(url).hostname}")
        if not self.allowed_by_robots(url):
            return FetchResult(url, outcome="skipped", reason="disallowed by robots.txt")
        cond = {}
        if etag:
            cond["If-None-Match"] = etag
        if last_modified:
            cond["If-Modified-Since"] = last_modified
        return self._get(url, accept=accept, extra_headers=cond)

    def _get(self, url: str, *, accept: tuple[str, ...] | None, extra_headers: dict | None = None,
             check_robots: bool = True) -> FetchResult:
        seen = [url]
        current = url
        for _hop in range(self.max_redirects + 1):
            res = self._get_one(current, accept, extra_headers or {})
            res.url = url
            if res.outcome != "fetched" or res.status not in (301, 302, 303, 307, 308):
                return res
            loc = res.headers.get("location")
            if not loc:
                return FetchResult(url, status=res.status, outcome="failed", reason="redirect without Location")
            nxt = urljoin(current, loc)
            if not self.host_allowed(nxt):
                return FetchResult(url, final_url=nxt, status=res.status, outcome="skipped",
                                   reason=f"redirect off the allowed hosts to {urlparse(nxt).hostname}")
            if nxt in seen:
                return FetchResult(url, final_url=nxt, status=res.status, outcome="failed", reason="redirect loop")
            if check_robots and not self.allowed_by_robots(nxt):
                return FetchResult(url, final_url=nxt, outcome="skipped", reason="redirect target disallowed by robots.txt")
            seen.append(nxt)
            current = nxt
        return FetchResult(url, final_url=current, outcome="failed", reason=f"more than {self.max_redirects} redirects")

    def _get_one(self, url: str, accept: tuple[str, ...] | None, extra: dict) -> FetchResult:
        host = (urlparse(url).hostname or "").lower()
        last_reason = "unknown error"
        for attempt in range(1, self.retries + 1):
            self._wait(host)
            self.requests_made += 1
            try:
                resp = self.session.get(url, headers=extra, timeout=self.timeout, allow_redirects=False, stream=True)
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
                if resp.status_code == 429 or resp.status_code >= 500:
                    last_reason = f"HTTP {resp.status_code}"
                    if attempt < self.retries:
                        self._sleep_retry_after(headers.get("retry-after"), attempt)
                        continue
                    res.outcome, res.reason = "failed", f"HTTP {resp.status_code} after {attempt} attempts"
                    return res
                if resp.status_code == 304:
                    res.outcome, res.reason = "not_modified", "not modified since last fetch"
                    return res
                if resp.status_code in (301, 302, 303, 307, 308):
                    return res
                if resp.status_code >= 400:
                    res.outcome, res.reason = "failed", f"HTTP {resp.status_code}"
                    return res
                ctype = headers.get("content-type", "").split(";")[0].strip().lower()
                if accept and ctype and ctype not in accept:
                    res.outcome, res.reason = "skipped", f"not HTML: {ctype}"
                    return res
                declared = headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    res.outcome, res.reason = "skipped", f"body larger than {self.max_bytes} bytes ({declared} declared)"
                    return res
                try:
                    body = bytearray()
                    for chunk in resp.iter_content(64 * 1024):
                        body += chunk
                        if len(body) > self.max_bytes:
                            res.outcome, res.reason = "skipped", f"body larger than {self.max_bytes} bytes"
                            return res
                except (requests.exceptions.ChunkedEncodingError, requests.ConnectionError) as exc:
                    last_reason = f"truncated download ({type(exc).__name__})"
                    self._sleep_backoff(attempt)
                    continue
                except requests.Timeout:
                    last_reason = f"timed out while reading (read {self.timeout[1]} s)"
                    self._sleep_backoff(attempt)
                    continue
                if declared and declared.isdigit() and len(body) < int(declared):
                    last_reason = f"truncated download: {len(body)} of {declared} bytes"
                    self._sleep_backoff(attempt)
                    continue
                res.body = bytes(body)
                return res
        return FetchResult(url, outcome="failed", reason=f"{last_reason} after {self.retries} attempts",
                           attempts=self.retries)

    def _sleep_backoff(self, attempt: int) -> None:
        if attempt < self.retries:
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
