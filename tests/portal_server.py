"""A fixture provincial portal on 127.0.0.1: realistic pages around the seed texts, and faults on purpose.

Pages: a category list with pagination, an RSS feed, a sitemap index, article pages with menus,
widgets and footers. Faults: a path disallowed by robots.txt, a 503 then 200, a 429 with
Retry-After, a response slower than the client's timeout, a redirect loop, a redirect to another
host, a Windows-1258 page, a truncated body, an oversized body, a PDF link, and the same article
syndicated under a second URL.

For the crawler's own checks: a feed of any paths (`/feed.xml?u=/a.html&u=/b.html`, with an ETag),
numbered distinct copies of the seed articles (`/b/7.html`), a sitemap index that lists itself, a
two-sitemap cycle, an endless chain of sitemaps, a page redirected on the host, a PDF under an
article URL, an oversized body without Content-Length; and `log`, every request in arrival order
with its monotonic time, taken before anything is answered.
"""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from conftest import SEEDS, to_cp1258

FAULTS = ["flaky", "ratelimited", "slow", "loop", "offsite", "cp1258", "truncated", "big"]


def article_page(title: str, date: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="{charset}"><title>{html.escape(title)} | Cổng TTĐT</title></head>
<body><div class="top">Thứ 2, Ngày 24/11/2026 | Đăng nhập</div>
<nav><a href="/">Trang chủ</a> <a href="/tin-tuc">Tin tức</a> <a href="/lien-he">Liên hệ</a></nav>
<div class="weather">Nhiệt độ: 28°C | Độ ẩm: 80%</div>
<div class="article"><h1 class="title">{html.escape(title)}</h1><div class="date">Ngày đăng: {date}</div>
<div class="content">{body}</div></div>
<aside><h3>Tin liên quan</h3><a href="/tin-tuc/bai-1.html">Bài khác</a></aside>
<footer>© Cổng thông tin điện tử tỉnh. Giấy phép số 09/GP-TTĐT. Người phụ trách: ông Nguyễn Văn Lộc</footer>
</body></html>"""


def seed_article(i: int) -> tuple[str, str, list[str]]:
    lines = [ln.strip() for ln in SEEDS[i].read_text(encoding="utf-8").split("\n") if len(ln.strip()) > 40]
    title = next((ln for ln in lines if len(ln) < 160), lines[0])
    return title, f"{10 + i:02d}/03/2023", [ln for ln in lines if ln != title]


SM = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _index(base: str, names: list[str], pages: list[int]) -> str:
    maps = "".join(f"<sitemap><loc>{base}/sm/{n}</loc></sitemap>" for n in names)
    urls = "".join(f"<url><loc>{base}/b/{k}.html</loc></url>" for k in pages)
    # a sitemap index with <url> entries too: portals mix them, and the parser reads both
    return f"<?xml version='1.0'?><sitemapindex xmlns='{SM}'>{maps}{urls}</sitemapindex>"


class Portal:
    def __init__(self, robots: bytes = b"User-agent: *\nDisallow: /private/\n"):
        self.robots = robots
        self.hits: Counter = Counter()
        self.times: dict[str, list[float]] = {}
        self.log: list[tuple[float, str]] = []  # (monotonic time of arrival, path), in arrival order
        self._log_lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Portal:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def profile_toml(self, **over) -> str:
        fields = {"min_delay": 0.01, "max_pages": 2, "connect_timeout": 1.0, "read_timeout": 0.5, "retries": 1}
        fields.update(over)
        return f"""name = "fixture"
title = "Fixture portal"
province = "Gia Lai"
allowed_hosts = ["127.0.0.1"]
min_delay = {fields['min_delay']}
connect_timeout = {fields['connect_timeout']}
read_timeout = {fields['read_timeout']}
retries = {fields['retries']}
article_url_pattern = "/tin-tuc/.+\\\\.html$"
rss = ["{self.base}/rss.xml"]
sitemaps = ["{self.base}/sitemap.xml"]

[[lists]]
url = "{self.base}/tin-tuc"
pagination = "?page={{page}}"
max_pages = {fields['max_pages']}

[selectors]
title = "h1.title"
published = ".date"
body = ".content"
"""

    def bare_profile_toml(self, name: str = "bare", *, rss: list[str] = (), sitemaps: list[str] = (),
                          pattern: str | None = None, **fields) -> str:
        """A profile with no selectors and no list pages: discovery through feeds/sitemaps only."""
        def urls(paths):
            return "[" + ", ".join(f'"{self.base}{u}"' for u in paths) + "]"

        fields = {"min_delay": TEST_FLOOR, **fields}
        extra = "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in fields.items())
        pat = f'article_url_pattern = "{pattern}"\n' if pattern else ""
        return (f'name = "{name}"\nprovince = "Gia Lai"\nallowed_hosts = ["127.0.0.1"]\n{pat}'
                f"rss = {urls(rss)}\nsitemaps = {urls(sitemaps)}\n{extra}")

    def sitemap(self, name: str) -> str:
        """self.xml lists itself; a.xml and b.xml list each other; chain-N.xml lists chain-(N+1).xml, forever."""
        if name == "self.xml":
            return _index(self.base, ["self.xml"], [30])
        if name == "a.xml":
            return _index(self.base, ["b.xml"], [31])
        if name == "b.xml":
            return _index(self.base, ["a.xml#top"], [32])  # the same sitemap, written differently
        if name.startswith("chain-"):
            n = int(name[6:].split(".")[0])
            return _index(self.base, [f"chain-{n + 1}.xml"], [40 + n] if n < 3 else [])
        return _index(self.base, [], [])

    def _handler(self):
        portal = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=None,
                     length: int | None = None):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body) if length is None else length))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - http.server's API
                path = self.path
                now = time.monotonic()
                with portal._log_lock:
                    portal.log.append((now, path))
                    portal.hits[path] += 1
                    portal.times.setdefault(path, []).append(now)
                    n = portal.hits[path]
                if path.startswith("/feed.xml"):  # a feed of the paths given as ?u=...
                    etag = f'"feed-{hash(path) & 0xffff}"'
                    if self.headers.get("If-None-Match") == etag:
                        return self.send(304, b"", headers={"ETag": etag})
                    paths = parse_qs(urlparse(path).query).get("u", [])
                    items = "".join(f"<item><title>{u}</title><link>{portal.base}{u}</link></item>" for u in paths)
                    return self.send(200, f"<?xml version='1.0'?><rss><channel>{items}</channel></rss>".encode(),
                                     "application/rss+xml", headers={"ETag": etag})
                if path.startswith("/b/"):  # distinct copies of the seeds: /b/7.html
                    k = int(path[3:].split(".")[0])
                    t, d, ps = seed_article(k % len(SEEDS))
                    return self.send(200, article_page(f"{t} (bản {k})", d, ps[:1] + [f"(Bản {k}) {ps[1]}"] + ps[2:]).encode())
                if path.startswith("/sm/"):  # sitemaps in cycles
                    return self.send(200, portal.sitemap(path[4:]).encode(), "application/xml")
                if path == "/tin-tuc/moved.html":
                    return self.send(301, b"", headers={"Location": "/b/20.html"})
                if path == "/tin-tuc/bao-cao.html":
                    return self.send(200, b"%PDF-1.4 ...", "application/pdf")
                if path == "/tin-tuc/big-stream.html":  # no Content-Length: the limit is hit while reading
                    self.close_connection = True
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    for _ in range(24):
                        self.wfile.write(b"<p>" + b"y" * (64 * 1024) + b"</p>")
                    return
                if path == "/robots.txt":
                    return self.send(200, portal.robots, "text/plain")
                if path.startswith("/tin-tuc?page=") or path == "/tin-tuc":
                    page = int(path.split("=")[1]) if "=" in path else 1
                    etag = f'"list-{page}"'
                    if self.headers.get("If-None-Match") == etag:
                        return self.send(304, b"", headers={"ETag": etag})
                    links = ([f"/tin-tuc/bai-{i}.html" for i in range(len(SEEDS))] if page == 1 else
                             [f"/tin-tuc/{f}.html" for f in FAULTS] + ["/private/tin-tuc/mat.html",
                                                                      "/files/bao-cao.pdf", "/tin-tuc/syndicated.html"])
                    items = "".join(f'<li><a href="{u}">{u}</a></li>' for u in links)
                    body = (f"<html><body><nav><a href='/'>Trang chủ</a></nav><ul class='list'>{items}</ul>"
                            f"<a href='/tin-tuc?page={page + 1}'>Trang sau</a></body></html>").encode()
                    return self.send(200, body, headers={"ETag": etag})
                if path == "/rss.xml":
                    items = "".join(f"<item><title>b{i}</title><link>{portal.base}/tin-tuc/bai-{i}.html</link>"
                                    f"<pubDate>Mon, 1{i} Mar 2023 08:00:00 +0700</pubDate></item>"
                                    for i in range(2))
                    return self.send(200, f"<?xml version='1.0'?><rss><channel>{items}</channel></rss>".encode(),
                                     "application/rss+xml")
                if path == "/sitemap.xml":
                    body = (f"<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                            f"<sitemap><loc>{portal.base}/sitemap-1.xml</loc></sitemap></sitemapindex>")
                    return self.send(200, body.encode(), "application/xml")
                if path == "/sitemap-1.xml":
                    body = (f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                            f"<url><loc>{portal.base}/tin-tuc/bai-3.html</loc><lastmod>2023-03-13</lastmod></url>"
                            f"</urlset>")
                    return self.send(200, body.encode(), "application/xml")
                if path.startswith("/tin-tuc/bai-"):
                    i = int(path.rsplit("-", 1)[1].split(".")[0])
                    return self.send(200, article_page(*seed_article(i)).encode())
                if path == "/tin-tuc/syndicated.html":  # the same article under another URL and template
                    t, d, ps = seed_article(0)
                    page = article_page(t, d, ps).replace("<aside>", "<aside>Chia sẻ</aside><aside>")
                    return self.send(200, page.encode())
                if path == "/tin-tuc/flaky.html":
                    if n == 1:
                        return self.send(503, b"busy")
                    t, d, ps = seed_article(1)
                    return self.send(200, article_page(t, d, ["Bài viết được cập nhật thêm thông tin."] + ps).encode())
                if path == "/tin-tuc/ratelimited.html":
                    if n == 1:
                        return self.send(429, b"slow down", headers={"Retry-After": "1"})
                    t, d, ps = seed_article(3)
                    return self.send(200, article_page(t, d, ["Bài viết được đăng lại từ số trước."] + ps).encode())
                if path == "/tin-tuc/slow.html":
                    time.sleep(1.2)
                    return self.send(200, b"<html><body>late</body></html>")
                if path == "/tin-tuc/loop.html":
                    return self.send(302, b"", headers={"Location": "/tin-tuc/loop.html"})
                if path == "/tin-tuc/offsite.html":
                    return self.send(302, b"", headers={"Location": f"http://localhost:{portal.port}/tin-tuc/bai-1.html"})
                if path == "/tin-tuc/cp1258.html":
                    page = article_page("Sở Y tế tỉnh Gia Lai tổng kết công tác thi đua năm 2022", "05/01/2023",
                                        ["Chiều 4/1, Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết công tác thi đua, "
                                         "khen thưởng năm 2022. Dịp này, UBND tỉnh tặng Cờ thi đua cho Bệnh viện Đa "
                                         "khoa tỉnh.", "Hồng Thi"], charset="windows-1258")
                    return self.send(200, to_cp1258(page), "text/html")
                if path == "/tin-tuc/truncated.html":
                    self.close_connection = True  # the connection drops mid-body
                    return self.send(200, b"<html><body><p>Chi", length=5000)
                if path == "/tin-tuc/big.html":
                    return self.send(200, b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>")
                if path == "/files/bao-cao.pdf":
                    return self.send(200, b"%PDF-1.4 ...", "application/pdf")
                return self.send(404, b"not found")

            def finish(self):
                try:
                    super().finish()
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return H



TEST_FLOOR = 0.01  # the smallest min_delay a test profile may use: allowed only because its host is 127.0.0.1
FAST = dict(backoff=0.05, max_bytes=1024 * 1024, max_retry_after=2.0)  # test fetcher keywords


def write_profiles(folder, tomls: dict[str, str]):
    """Write profile files and load them, the test floor allowed (their host is 127.0.0.1)."""
    from scrapers.profiles import load_profile

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, text in tomls.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
        out.append(load_profile(folder / f"{name}.toml", min_delay_floor=TEST_FLOOR))
    return out


def crawl_into(tmp, profiles, **kw):
    """One crawl of these profiles into tmp's warehouse, archive and state, as `thidua crawl` does it."""
    from pipeline import warehouse
    from scrapers import crawl as crawl_mod
    from scrapers.cli import _loader

    con = warehouse.connect(tmp / "w.duckdb")
    try:
        stats = crawl_mod.crawl(profiles, archive_dir=tmp / "archive", state_path=tmp / "state.sqlite",
                                load=_loader(con), fetcher_options=kw.pop("fetcher_options", FAST), **kw)
        return stats, con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()


def page_outcomes(tmp) -> dict[str, tuple[str, str | None]]:
    """path -> (outcome, reason) from the crawl state."""
    import sqlite3

    db = sqlite3.connect(tmp / "state.sqlite")
    try:
        return {urlparse(u).path: (o, r) for u, o, r in db.execute("SELECT url, outcome, reason FROM pages")}
    finally:
        db.close()
