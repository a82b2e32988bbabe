"""Finding article URLs: category list pages (with pagination), RSS feeds and sitemaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup

from scrapers.profiles import ListPage, Profile


def page_urls(lp: ListPage, max_pages: int | None = None) -> list[str]:
    """The list page and its following pages ('?page={page}' or a path template)."""
    n = min(lp.max_pages, max_pages) if max_pages else lp.max_pages
    out = [lp.url]
    if lp.pagination:
        for page in range(2, n + 1):
            t = lp.pagination.format(page=page)
            out.append(t if t.startswith("http") else (lp.url + t if t.startswith("?") else urljoin(lp.url, t)))
    return out


def links_from_list(html: bytes | str, base_url: str, profile: Profile) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    anchors = soup.select(profile.selectors.article_links) if profile.selectors.article_links else soup.find_all("a")
    out: list[str] = []
    for a in anchors:
        href = a.get("href") if a.name == "a" else (a.find("a") or {}).get("href") if a.find("a") else None
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if profile.is_article_url(url) and url not in out:
            out.append(url)
    return out


def _strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def urls_from_feed(xml: bytes) -> list[tuple[str, str | None]]:
    """(url, date as written) from RSS 2.0 or Atom."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return []
    out = []
    for el in root.iter():
        tag = _strip_ns(el.tag)
        if tag in ("item", "entry"):
            link, date = None, None
            for child in el:
                ct = _strip_ns(child.tag)
                if ct == "link":
                    link = (child.text or child.get("href") or "").strip() or link
                elif ct in ("pubDate", "published", "updated", "date"):
                    date = (child.text or "").strip() or None
            if link:
                out.append((link, date))
    return out


def urls_from_sitemap(xml: bytes) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(page URLs with lastmod, nested sitemap URLs) from a sitemap or sitemap index."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return [], []
    pages, nested = [], []
    for el in root:
        tag = _strip_ns(el.tag)
        loc = next((c.text.strip() for c in el if _strip_ns(c.tag) == "loc" and c.text), None)
        lastmod = next((c.text.strip() for c in el if _strip_ns(c.tag) == "lastmod" and c.text), None)
        if not loc:
            continue
        (nested.append(loc) if tag == "sitemap" else pages.append((loc, lastmod)))
    return pages, nested


def same_site(url: str, profile: Profile) -> bool:
    return (urlparse(url).hostname or "").lower() in profile.allowed_hosts
