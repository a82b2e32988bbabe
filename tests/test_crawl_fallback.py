"""A profile without selectors: discovery by feed and sitemap, main text by trafilatura (127.0.0.1 server);
and pages that failed on our side (an ImportError) are retried by the next crawl, not written off."""

import importlib.metadata
import re
import subprocess
import sys

import duckdb
from conftest import SEEDS, run_cli
from portal_server import TEST_FLOOR, Portal, crawl_into, page_outcomes, seed_article, write_profiles

from scrapers.state import CrawlState

LXML_MESSAGE = ("lxml.html.clean module is now a separate project lxml_html_clean.\n"
                "Install lxml[html_clean] or lxml_html_clean directly.")  # what lxml >= 5.2 says


def test_trafilatura_imports_and_its_html_cleaner_is_a_declared_dependency():
    requires = [re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower().replace("-", "_")
                for r in importlib.metadata.requires("thidua")]
    assert "lxml_html_clean" in requires  # justext imports lxml.html.clean; lxml >= 5.2 does not ship it
    proc = subprocess.run([sys.executable, "-c", "import trafilatura, lxml.html.clean"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_profile_without_selectors_loads_through_feed_sitemap_and_trafilatura(tmp_path):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"bare": portal.bare_profile_toml(
            "bare", rss=["/rss.xml"], sitemaps=["/sitemap.xml"])})
        assert prof[0].selectors.body is None and not prof[0].lists
        stats, n = crawl_into(tmp_path, prof)
        o = page_outcomes(tmp_path)
        assert {p: o[p][0] for p in ("/tin-tuc/bai-0.html", "/tin-tuc/bai-1.html", "/tin-tuc/bai-3.html")} == \
            dict.fromkeys(("/tin-tuc/bai-0.html", "/tin-tuc/bai-1.html", "/tin-tuc/bai-3.html"), "loaded")
        assert n == 3 and not stats.failed
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    rows = dict(con.execute("SELECT regexp_extract(source, 'bai-[0-9]+'), body FROM articles").fetchall())
    con.close()
    for i in (0, 1, 3):
        _, _, paragraphs = seed_article(i)
        assert paragraphs[1][:80] in rows[f"bai-{i}"]  # the article's own text, found without a selector
        assert not any(w in rows[f"bai-{i}"] for w in ("Giấy phép", "Nhiệt độ", "Tin liên quan", "Đăng nhập"))


def _broken_trafilatura(folder):
    """A justext that fails to import the way it does without lxml_html_clean, first on PYTHONPATH."""
    pkg = folder / "justext"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(f"raise ImportError({LXML_MESSAGE!r})\n", encoding="utf-8")
    return str(folder)


def test_pages_failed_on_our_side_are_retried_and_rebuild_reports_them(tmp_path, monkeypatch):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"bare": portal.bare_profile_toml("bare", rss=["/rss.xml"])})
        with monkeypatch.context() as broken:  # `import trafilatura` fails in this process, as in a broken install
            broken.setitem(sys.modules, "trafilatura", None)
            stats, n = crawl_into(tmp_path, prof)
        assert n == 0 and sum(stats.failed.values()) == 2 and all("import of trafilatura" in r for r in stats.failed)
        o = page_outcomes(tmp_path)
        assert o["/tin-tuc/bai-0.html"][0] == "error" and "trafilatura" in o["/tin-tuc/bai-0.html"][1]

        # the rebuild, in a process whose justext fails as it does without lxml_html_clean
        monkeypatch.setenv("PYTHONPATH", _broken_trafilatura(tmp_path / "shim"))
        monkeypatch.setenv("THIDUA_TEST_MIN_DELAY", str(TEST_FLOOR))  # the profile's 127.0.0.1 delay
        rebuilt = run_cli("corpus", "rebuild", "--db", str(tmp_path / "r.duckdb"), "--profiles", str(tmp_path / "p"),
                          "--archive", str(tmp_path / "archive"))
        assert rebuilt.returncode == 1 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
        lines = [ln for ln in rebuilt.stderr.splitlines() if "ImportError" in ln]
        assert len(lines) == 2 and all("lxml_html_clean" in ln for ln in lines)  # one line per page, the rest goes on
        monkeypatch.delenv("PYTHONPATH")

        stats, n = crawl_into(tmp_path, prof)  # the install fixed: the next crawl loads them from the archive
        assert stats.from_archive == 2 and stats.new == 2 and n == 2 and not stats.failed, stats.line()
        assert portal.hits["/tin-tuc/bai-0.html"] == 1 and portal.hits["/tin-tuc/bai-1.html"] == 1
        assert {page_outcomes(tmp_path)[f"/tin-tuc/bai-{i}.html"][0] for i in (0, 1)} == {"loaded"}


def test_older_state_with_pages_written_off_for_our_failures_is_reopened(tmp_path):
    st = CrawlState(tmp_path / "s.sqlite")
    for url, reason in [("http://x/a.html", "http://x/a.html: ImportError: lxml.html.clean module is now a separate"),
                        ("http://x/b.html", "http://x/b.html: legacy VNI font encoding suspected; not converted"),
                        ("http://x/c.html", "http://x/c.html: HTML has no body text")]:
        st.record(url, portal="x", kind="article", outcome="unreadable", reason=reason, warc_file="f", warc_offset=0)
    st.close()
    st = CrawlState(tmp_path / "s.sqlite")
    got = {s.url[-6:]: s.outcome for s in map(st.get, ["http://x/a.html", "http://x/b.html", "http://x/c.html"])}
    st.close()
    assert got == {"a.html": "error", "b.html": "unreadable", "c.html": "unreadable"}


def test_fetch_timeouts_are_retried_by_the_next_crawl(tmp_path):
    with Portal() as portal:
        prof = write_profiles(tmp_path / "p", {"t": portal.bare_profile_toml(
            "t", rss=["/feed.xml?u=/tin-tuc/slow.html"], read_timeout=0.3, retries=0)})
        crawl_into(tmp_path, prof)
        assert page_outcomes(tmp_path)["/tin-tuc/slow.html"][0] == "failed"
        crawl_into(tmp_path, prof)
        assert portal.hits["/tin-tuc/slow.html"] == 2  # asked again, not written off
    assert len(SEEDS) >= 4
