"""The crawl: discovery → polite fetch → WARC archive → parse → extract → load, per portal.

Portals are crawled concurrently (one thread each); politeness is per host across all of them (one
`Politeness` per crawl: two profiles on one host share its queue, its delay and its robots.txt).
Results come back to the calling thread, which alone writes the warehouse. State (scrapers.state)
makes the crawl incremental and resumable: an article URL already loaded is not fetched again; list
pages and feeds are revisited (with conditional GET) when the profile says so; the same article
syndicated on two portals is recognised by its content hash and loaded once. Discovery keeps a
visited set and stops at the profile's `max_discovery` requests, so a sitemap that lists itself, or
any cycle, ends. An article whose extraction failed on our side (an ImportError, a bug) is marked
`error` and re-read from the archive by the next crawl; one the page itself makes unreadable (an
InputError: bad encoding, no text) is marked `unreadable` and left alone.
"""

from __future__ import annotations

import hashlib
import queue
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from extractors.records import Extraction
from pipeline.reader import InputError, InternalError
from scrapers import discover
from scrapers.archive import WarcArchive
from scrapers.content import parse_article
from scrapers.fetch import FEED_TYPES, HTML_TYPES, FetchResult, PoliteFetcher, Politeness
from scrapers.profiles import Profile
from scrapers.state import CrawlState


@dataclass
class CrawlStats:
    pages_fetched: int = 0
    not_modified: int = 0
    skipped: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)
    articles: int = 0
    duplicates: int = 0
    already: int = 0
    from_archive: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    records: int = 0

    def line(self) -> str:
        return (f"{self.pages_fetched} pages fetched, {self.not_modified} not modified, {self.articles} articles "
                f"({self.new} new, {self.updated} updated, {self.unchanged} unchanged, {self.duplicates} duplicate), "
                f"{self.already} already seen, {self.from_archive} resumed from the archive, "
                f"{sum(self.skipped.values())} skipped, {sum(self.failed.values())} failed")


DONE = ("loaded", "duplicate", "unreadable")  # article outcomes a later crawl does not redo
RETRY = ("fetched", "error")  # archived but not loaded (interrupted, or failed on our side): redone from the archive


@dataclass
class Page:
    """A response body as fetched now or, when unchanged or already fetched, as archived."""

    url: str  # as requested: the key of the crawl state
    body: bytes
    headers: dict
    warc_file: str
    warc_offset: int
    final_url: str | None = None  # after redirects: the base for relative links

    @property
    def base(self) -> str:
        return self.final_url or self.url


@dataclass
class Found:
    """An article fetched, archived and extracted, on its way to the loader."""

    portal: str
    url: str  # as requested (the crawl state's key); extraction.source is the URL after redirects
    extraction: Extraction
    warc_file: str
    warc_offset: int


def _log(msg: str) -> None:
    print(f"thidua crawl: {msg}", file=sys.stderr, flush=True)


def extract_page(body: bytes, url: str, headers: dict, profile: Profile | None) -> Extraction:
    """A fetched (or archived) article page to records; the profile's province when the text names none."""
    import gazetteers
    from pipeline.extract import extract_raw

    ex = extract_raw(parse_article(body, url, headers, profile))
    if not ex.article.province and profile and profile.province:
        ex.article.province = profile.province
        ex.article.province_current = gazetteers.current_province(profile.province)
    return ex


class PortalCrawler:
    def __init__(self, profile: Profile, fetcher: PoliteFetcher, archive: WarcArchive, state: CrawlState,
                 stats: CrawlStats, out: queue.Queue, max_pages: int | None, since: str | None,
                 lock: threading.Lock, stop: threading.Event):
        self.p, self.f, self.archive, self.state, self.stats = profile, fetcher, archive, state, stats
        self.out, self.max_pages, self.since, self.lock, self.stop = out, max_pages, since, lock, stop
        self.budget = max_pages
        self.visited: set[str] = set()  # discovery URLs asked for in this crawl
        self.discovery_requests = 0

    def _spend(self) -> bool:
        if self.stop.is_set():
            return False
        if self.budget is None:
            return True
        if self.budget <= 0:
            return False
        self.budget -= 1
        return True

    def _discover(self, url: str, kind: str, accept) -> Page | None:
        """A list page, feed or sitemap: each at most once per crawl, and at most max_discovery of them."""
        key = url.split("#", 1)[0]
        if key in self.visited:
            return None
        if self.discovery_requests >= self.p.max_discovery:
            reason = f"discovery bound reached (max_discovery = {self.p.max_discovery})"
            with self.lock:
                first = not self.stats.skipped[reason]
                self.stats.skipped[reason] += 1
            if first:
                _log(f"{self.p.name}: {reason}; not asked for: {url} (and any further list, feed or sitemap)")
            return None
        self.visited.add(key)
        self.discovery_requests += 1
        return self._fetch(url, kind, accept)

    def _fetch(self, url: str, kind: str, accept=HTML_TYPES) -> Page | None:
        """Fetch (conditionally, if seen before); the fetcher has archived every response by then;
        a 304 gives back the copy archived earlier."""
        prev = self.state.get(url)
        if not self._spend():
            return None
        res = self.f.fetch(url, etag=prev.etag if prev else None, last_modified=prev.last_modified if prev else None,
                           accept=accept, kind=kind)
        with self.lock:
            if res.outcome == "fetched":
                self.stats.pages_fetched += 1
            elif res.outcome == "not_modified":
                self.stats.not_modified += 1
            elif res.outcome == "skipped":
                self.stats.skipped[res.reason] += 1
            else:
                self.stats.failed[res.reason] += 1
        if res.outcome == "not_modified" and prev and prev.warc_file:
            self.state.touch(url, outcome="not_modified")
            old = self.archive.read(prev.warc_file, prev.warc_offset)
            return Page(url, old.body, old.headers, prev.warc_file, prev.warc_offset)
        if res.outcome != "fetched":
            _log(f"{self.p.name}: {res.outcome} {url}: {res.reason}")
            self.state.record(url, portal=self.p.name, kind=kind, outcome=res.outcome, reason=res.reason,
                              status=res.status)
            return None
        warc_file, offset = res.warc_file, res.warc_offset
        if warc_file is None:  # a fetcher without an archive hook
            warc_file, offset = self.archive.write(res, portal=self.p.name, kind=kind)
        self.state.record(url, portal=self.p.name, kind=kind, outcome="fetched", status=res.status,
                          etag=res.headers.get("etag"), last_modified=res.headers.get("last-modified"),
                          content_sha256=hashlib.sha256(res.body).hexdigest(), warc_file=warc_file, warc_offset=offset)
        return Page(url, res.body, res.headers, warc_file, offset, res.final_url)

    def discover(self) -> list[str]:
        found: list[str] = []
        seen: set[str] = set()  # a sitemap may list tens of thousands of URLs

        def add(urls):
            for u in urls:
                if u not in seen and self.p.is_article_url(u):
                    seen.add(u)
                    found.append(u)

        for lp in self.p.lists:
            for url in discover.page_urls(lp, self.max_pages):
                prev = self.state.get(url)
                if prev and prev.outcome == "fetched" and not self.p.revisit_lists:
                    continue
                got = self._discover(url, "list", HTML_TYPES)
                if got:
                    add(discover.links_from_list(got.body, got.base, self.p))
        for url in self.p.rss:
            got = self._discover(url, "feed", FEED_TYPES + HTML_TYPES)
            if got:
                add([u for u, d in discover.urls_from_feed(got.body) if self._recent(d)])
        todo = list(self.p.sitemaps)
        while todo:
            url = todo.pop(0)
            got = self._discover(url, "sitemap", FEED_TYPES)
            if got:
                pages, nested = discover.urls_from_sitemap(got.body)
                add([u for u, d in pages if self._recent(d)])
                todo += [n for n in nested if self.p.allows(n) and n.split("#", 1)[0] not in self.visited
                         and n not in todo]
        return found

    def _recent(self, date_text: str | None) -> bool:
        if not self.since or not date_text:
            return True
        from extractors.dates import parse_full

        iso = parse_full(date_text) or (date_text[:10] if date_text[:4].isdigit() else None)
        return iso is None or iso >= self.since

    def run(self) -> None:
        for url in self.discover():
            if self.stop.is_set():
                return
            prev = self.state.get(url)
            if prev and prev.kind == "article" and prev.outcome in DONE:
                with self.lock:
                    self.stats.already += 1
                continue
            if prev and prev.kind == "article" and prev.outcome in RETRY and prev.warc_file:
                # archived but never loaded (the last crawl was interrupted, or failed on our side): no need
                # to ask the portal again
                old = self.archive.read(prev.warc_file, prev.warc_offset)
                with self.lock:
                    self.stats.from_archive += 1
                self._handle(Page(url, old.body, old.headers, prev.warc_file, prev.warc_offset))
                continue
            got = self._fetch(url, "article")
            if got:
                self._handle(got)

    def _failed(self, url: str, outcome: str, reason: str) -> None:
        with self.lock:
            self.stats.failed[reason.split(": ", 1)[-1][:200]] += 1
        self.state.touch(url, outcome=outcome, reason=reason)
        _log(f"{self.p.name}: {reason}" + (" (kept for the next crawl)" if outcome == "error" else ""))

    def _handle(self, page: Page) -> None:
        url, warc_file, offset = page.url, page.warc_file, page.warc_offset
        try:
            ex = extract_page(page.body, page.base, page.headers, self.p)
        except InternalError as exc:  # our side, caught on the way (pipeline.extract): the next crawl tries again
            self._failed(url, "error", str(exc))
            return
        except InputError as exc:  # the page itself: final, it would fail the same way again
            self._failed(url, "unreadable", str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - our side (ImportError, a bug): the next crawl tries again
            self._failed(url, "error", f"{url}: {type(exc).__name__}: {exc}".replace("\n", " "))
            return
        if self.since and ex.article.published and ex.article.published < self.since:
            with self.lock:  # left 'fetched': a later crawl with an earlier --since reads it from the archive
                self.stats.skipped[f"published before {self.since}"] += 1
            return
        found = Found(self.p.name, url, ex, warc_file, offset)
        while not self.stop.is_set():
            try:
                self.out.put(found, timeout=0.2)
                return
            except queue.Full:
                continue


def crawl(profiles: list[Profile], *, archive_dir: str | Path, state_path: str | Path,
          load: Callable[[Found], str], max_pages: int | None = None, since: str | None = None,
          fetcher_options: dict | None = None,
          progress: Callable[[CrawlStats], None] | None = None) -> CrawlStats:
    """Crawl the portals concurrently; `load` (called on this thread only) writes each article.

    `fetcher_options` are extra PoliteFetcher keywords (tests: a short backoff, a small size limit)."""
    archive = WarcArchive(archive_dir)
    state = CrawlState(state_path)
    stats = CrawlStats()
    lock = threading.Lock()
    out: queue.Queue = queue.Queue(maxsize=256)
    politeness = Politeness()  # one per crawl, shared: per host, whichever profile asks

    def make(p: Profile) -> PoliteFetcher:
        def keep(res: FetchResult, kind: str, refused: str | None) -> tuple[str, int]:
            return archive.write(res, portal=p.name, kind=kind, refused=refused)

        return PoliteFetcher.for_profile(p, politeness=politeness, archive=keep, **(fetcher_options or {}))

    for p in profiles:  # every host's delay is the longest any profile asks, before the first request
        for h in p.allowed_hosts:
            politeness.require(h, p.min_delay)
    errors: list[str] = []
    stop = threading.Event()

    def work(p: Profile) -> None:
        try:
            PortalCrawler(p, make(p), archive, state, stats, out, max_pages, since, lock, stop).run()
        except Exception as exc:  # a broken portal must not stop the others
            errors.append(f"{p.name}: {type(exc).__name__}: {exc}")
            _log(f"{p.name}: stopped: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(p,), name=f"crawl-{p.name}", daemon=True) for p in profiles]
    for t in threads:
        t.start()
    try:
        while any(t.is_alive() for t in threads) or not out.empty():
            try:
                found: Found = out.get(timeout=0.1)
            except queue.Empty:
                continue
            status = load(found)  # 'new' | 'updated' | 'unchanged' | 'duplicate:<source>'
            if status.startswith("duplicate"):
                stats.duplicates += 1
                state.touch(found.url, outcome="duplicate", reason=f"same text as {status.split(':', 1)[1]}")
                continue
            state.touch(found.url, outcome="loaded")
            stats.articles += 1
            setattr(stats, status, getattr(stats, status) + 1)
            stats.records += sum(len(getattr(found.extraction, t)) for t in
                                 ("events", "blocs", "agencies", "bloc_roles", "awards", "people", "legal_refs"))
            if progress:
                progress(stats)
    finally:  # interrupted (Ctrl-C, a failing load): workers stop at their next request; what they archived stays
        stop.set()
        for t in threads:
            t.join(timeout=60)
        archive.close()
        state.close()
    for e in errors:
        stats.failed[e] += 1
    return stats
