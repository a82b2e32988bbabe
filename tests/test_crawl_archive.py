"""The archive keeps every response the server sent: robots.txt, 503, 429, redirects, 304, refused pages."""

from collections import Counter
from urllib.parse import urlparse

from portal_server import Portal, crawl_into, page_outcomes, write_profiles
from warcio.archiveiterator import ArchiveIterator

from pipeline import warehouse
from scrapers.archive import iter_responses
from scrapers.cli import rebuild

PAGES = ["/tin-tuc/flaky.html", "/tin-tuc/ratelimited.html", "/tin-tuc/loop.html", "/tin-tuc/offsite.html",
         "/tin-tuc/moved.html", "/tin-tuc/big.html", "/tin-tuc/big-stream.html", "/tin-tuc/bao-cao.html",
         "/tin-tuc/truncated.html", "/tin-tuc/missing.html", "/b/21.html", "/private/tin-tuc/mat.html"]


def warc_records(folder) -> list[tuple[str, str, int | None, dict]]:
    """(type, path, HTTP status, WARC headers) of every record in the archive."""
    out = []
    for f in sorted(folder.glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for r in ArchiveIterator(fh):
                url = urlparse(r.rec_headers.get_header("WARC-Target-URI"))
                path = url.path + (f"?{url.query}" if url.query else "")
                status = int(r.http_headers.get_statuscode()) if r.rec_type == "response" else None
                out.append((r.rec_type, path, status, dict(r.rec_headers.headers)))
    return out


def test_every_response_the_server_sent_is_in_the_warc(tmp_path):
    with Portal() as portal:
        feed = "/feed.xml?" + "&".join(f"u={p}" for p in PAGES)
        prof = write_profiles(tmp_path / "p", {"all": portal.bare_profile_toml("all", rss=[feed])})
        for crawl_no in (1, 2):  # the second crawl: the feed answers 304, failed pages are asked again
            stats, n = crawl_into(tmp_path, prof)
            records = warc_records(tmp_path / "archive")  # robots.txt: once per crawl
            responses = Counter(p for t, p, *_ in records if t == "response")
            assert responses == Counter(p for _, p in portal.log), crawl_no  # the same requests, one by one
            assert sum(responses.values()) == len(portal.log)
            assert Counter(p for t, p, *_ in records if t == "request") == responses
        assert n == 4  # flaky, ratelimited, moved (to /b/20.html) and /b/21.html
        assert portal.hits["/private/tin-tuc/mat.html"] == 0  # disallowed: never asked, nothing to archive

    by = {}
    for t, path, status, h in records:
        if t == "response":
            by.setdefault(path, []).append((status, h))
    assert [s for s, _ in by["/robots.txt"]] == [200, 200] and by["/robots.txt"][0][1]["WARC-Thidua-Kind"] == "robots"
    assert [s for s, _ in by["/tin-tuc/flaky.html"]] == [503, 200]
    assert [s for s, _ in by["/tin-tuc/ratelimited.html"]] == [429, 200]
    assert [s for s, _ in by["/tin-tuc/moved.html"]] == [301] and [s for s, _ in by["/b/20.html"]] == [200]
    assert [s for s, _ in by[feed]] == [200, 304]
    assert all(s == 302 for s, _ in by["/tin-tuc/loop.html"]) and all(s == 302 for s, _ in by["/tin-tuc/offsite.html"])
    big, stream, pdf = by["/tin-tuc/big.html"][0][1], by["/tin-tuc/big-stream.html"][0][1], by["/tin-tuc/bao-cao.html"][0][1]
    assert big["WARC-Truncated"] == "length" and "larger than" in big["WARC-Thidua-Refused"]
    assert stream["WARC-Truncated"] == "length" and "larger than" in stream["WARC-Thidua-Refused"]
    assert pdf["WARC-Thidua-Refused"] == "not HTML: application/pdf"
    assert all(h["WARC-Truncated"] == "disconnect" for _, h in by["/tin-tuc/truncated.html"])
    assert [s for s, _ in by["/tin-tuc/missing.html"]] == [404, 404]

    o = page_outcomes(tmp_path)
    assert o["/tin-tuc/big-stream.html"] == ("skipped", "body larger than 1048576 bytes")
    assert o["/tin-tuc/moved.html"][0] == "loaded"
    # refused and cut-off responses are archived, but not articles: the rebuild loads what the crawl loaded
    con = warehouse.connect(tmp_path / "rebuilt.duckdb")
    counts = rebuild(con, tmp_path / "archive", {prof[0].name: prof[0]})
    con.close()
    assert counts["articles"] == 4 and counts["failed"] == 0
    assert sum(1 for r in iter_responses(tmp_path / "archive") if r.kind == "article" and r.usable) == 4
