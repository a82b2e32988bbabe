"""Crawling a fixture portal served on 127.0.0.1 (no network): what was fetched, archived, skipped and why."""

import time

import duckdb
import pytest
from conftest import run_cli, to_cp1258
from portal_server import FAST, SEEDS, TEST_FLOOR, Portal, article_page

import gazetteers
from pipeline import warehouse
from pipeline.extract import extract_raw
from pipeline.reader import InputError, decode
from scrapers import crawl as crawl_mod
from scrapers import legacy
from scrapers.archive import iter_responses
from scrapers.cli import _loader, rebuild
from scrapers.content import parse_article
from scrapers.fetch import PoliteFetcher
from scrapers.legacy import detect
from scrapers.profiles import ProfileError, load_profile, load_profiles
from scrapers.state import CrawlState


def do_crawl(portal, tmp, max_pages=None):
    prof_dir = tmp / "profiles"
    prof_dir.mkdir(exist_ok=True)
    (prof_dir / "fixture.toml").write_text(portal.profile_toml(), encoding="utf-8")
    prof = load_profile(prof_dir / "fixture.toml", min_delay_floor=TEST_FLOOR)
    con = warehouse.connect(tmp / "w.duckdb")
    stats = crawl_mod.crawl([prof], archive_dir=tmp / "archive", state_path=tmp / "state.sqlite",
                            load=_loader(con), max_pages=max_pages, fetcher_options=FAST)
    return con, stats, prof


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("crawl")
    with Portal() as portal:
        con, stats, prof = do_crawl(portal, tmp)
        yield portal, tmp, con, stats, prof
        con.close()


def outcomes(tmp):
    st = CrawlState(tmp / "state.sqlite")
    rows = st.db.execute("SELECT url, outcome, reason FROM pages").fetchall()
    st.close()
    return {u.split(":", 2)[-1].split("/", 1)[-1]: (o, r) for u, o, r in rows}


def test_articles_fetched_archived_and_loaded(crawled):
    portal, tmp, con, stats, _ = crawled
    o = outcomes(tmp)
    for i in range(len(SEEDS)):
        assert o[f"tin-tuc/bai-{i}.html"][0] == "loaded"
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == len(SEEDS) + 3  # + flaky, 429, cp1258
    rows = con.execute("SELECT source, warc_file, warc_offset, province FROM articles").fetchall()
    assert all(w and off is not None for _, w, off, _ in rows)
    assert {p for *_, p in rows} >= {"Gia Lai", "Khánh Hòa", "Kon Tum"}
    archived = {r.url for r in iter_responses(tmp / "archive") if r.kind == "article"}
    assert {s for s, *_ in rows} <= archived
    # menus, widgets and footers stay out of the body
    body = con.execute("SELECT body FROM articles WHERE source LIKE '%bai-2.html'").fetchall()[0][0]
    assert "Trang chủ" not in body and "Giấy phép" not in body and "Nhiệt độ" not in body


def test_faults_are_skipped_or_failed_with_reasons(crawled):
    portal, tmp, con, stats, _ = crawled
    o = outcomes(tmp)
    assert o["private/tin-tuc/mat.html"] == ("skipped", "disallowed by robots.txt")
    assert portal.hits["/private/tin-tuc/mat.html"] == 0
    assert o["tin-tuc/offsite.html"][0] == "skipped" and "off the allowed hosts to localhost" in o["tin-tuc/offsite.html"][1]
    assert o["tin-tuc/loop.html"] == ("failed", "redirect loop")
    assert o["tin-tuc/slow.html"][0] == "failed" and "timed out" in o["tin-tuc/slow.html"][1]
    assert o["tin-tuc/truncated.html"][0] == "failed" and "truncated" in o["tin-tuc/truncated.html"][1]
    assert o["tin-tuc/big.html"][0] == "skipped" and "larger than" in o["tin-tuc/big.html"][1]
    assert "files/bao-cao.pdf" not in o  # not an article URL: never requested
    assert portal.hits["/files/bao-cao.pdf"] == 0
    assert o["tin-tuc/syndicated.html"][0] == "duplicate" and "bai-0.html" in o["tin-tuc/syndicated.html"][1]
    assert stats.duplicates == 1


def test_retries_503_and_honours_retry_after(crawled):
    portal, tmp, con, stats, _ = crawled
    o = outcomes(tmp)
    assert o["tin-tuc/flaky.html"][0] == "loaded" and portal.hits["/tin-tuc/flaky.html"] == 2
    assert o["tin-tuc/ratelimited.html"][0] == "loaded" and portal.hits["/tin-tuc/ratelimited.html"] == 2
    t = portal.times["/tin-tuc/ratelimited.html"]
    assert t[1] - t[0] >= 0.9  # Retry-After: 1


def test_windows_1258_page_is_decoded(crawled):
    _, _, con, _, _ = crawled
    aid = con.execute("SELECT article_id FROM articles WHERE source LIKE '%cp1258.html'").fetchall()[0][0]
    assert ("Sở Y tế",) in con.execute("SELECT name FROM agencies WHERE article_id = ?", [aid]).fetchall()
    assert con.execute("SELECT recipient, status FROM awards WHERE article_id = ?", [aid]).fetchall() == [
        ("Bệnh viện Đa khoa tỉnh", "conferred")]
    assert con.execute("SELECT published FROM articles WHERE article_id = ?", [aid]).fetchall()[0][0].isoformat() \
        == "2023-01-05"


def test_rebuild_from_the_archive_alone_reproduces_the_tables(crawled, tmp_path):
    _, tmp, con, _, prof = crawled
    other = warehouse.connect(tmp_path / "rebuilt.duckdb")
    counts = rebuild(other, tmp / "archive", {prof.name: prof})
    assert counts["new"] == con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    assert counts["duplicate"] == 1
    assert warehouse.dump(other) == warehouse.dump(con)


def test_interrupted_crawl_resumes_without_refetching(tmp_path):
    with Portal() as portal:
        con, first, _ = do_crawl(portal, tmp_path, max_pages=6)  # stopped early, as by a time limit
        n1 = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        assert 0 < n1 < len(SEEDS) + 3
        con.close()
        before = dict(portal.hits)
        con, second, _ = do_crawl(portal, tmp_path)
        articles = [p for p in portal.hits if p.startswith("/tin-tuc/bai-")]
        assert all(portal.hits[p] == 1 for p in articles), {p: portal.hits[p] for p in articles}
        assert second.already >= 1 and second.not_modified >= 1  # list page 1 answered 304 to its ETag
        assert portal.hits["/tin-tuc"] == before.get("/tin-tuc", 0) + 1
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == len(SEEDS) + 3
        con.close()


def test_articles_archived_but_not_loaded_are_resumed_from_the_archive(tmp_path):
    with Portal() as portal:
        prof_dir = tmp_path / "profiles"
        prof_dir.mkdir()
        (prof_dir / "fixture.toml").write_text(portal.profile_toml(), encoding="utf-8")
        prof = load_profile(prof_dir / "fixture.toml", min_delay_floor=TEST_FLOOR)
        con = warehouse.connect(tmp_path / "w.duckdb")
        load, calls = _loader(con), []

        def dying_load(found):  # the warehouse goes away after two articles, as under a kill
            calls.append(found.url)
            if len(calls) > 2:
                raise KeyboardInterrupt
            return load(found)

        kw = dict(archive_dir=tmp_path / "archive", state_path=tmp_path / "state.sqlite", fetcher_options=FAST)
        with pytest.raises(KeyboardInterrupt):
            crawl_mod.crawl([prof], load=dying_load, **kw)
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 2
        fetched_once = {p for p, n in portal.hits.items() if p.startswith("/tin-tuc/bai-") and n == 1}
        stats = crawl_mod.crawl([prof], load=_loader(con), **kw)
        assert stats.from_archive >= 1 and stats.already == 2
        assert all(portal.hits[p] == 1 for p in fetched_once)  # archived before the interruption: not asked again
        assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == len(SEEDS) + 3
        con.close()


def test_per_host_delay_is_respected():
    with Portal() as portal:
        f = PoliteFetcher(("127.0.0.1",), min_delay=0.3, respect_robots=False)
        t = time.monotonic()
        for _ in range(3):
            assert f.fetch(f"{portal.base}/tin-tuc/bai-0.html").ok
        assert time.monotonic() - t >= 0.6
        assert "thidua/" in f.session.headers["User-Agent"]


def test_robots_crawl_delay_longer_than_ours_is_honoured():
    with Portal(robots=b"User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n") as portal:
        f = PoliteFetcher(("127.0.0.1",), min_delay=0.05)
        t = time.monotonic()
        for _ in range(3):
            assert f.fetch(f"{portal.base}/tin-tuc/bai-0.html").ok
        assert time.monotonic() - t >= 2.0  # three pages 1 s apart (the stdlib parser reads whole seconds)


def test_bundled_profiles_load_and_bad_profiles_say_why(tmp_path):
    profiles = load_profiles()
    assert {"gialai", "kontum", "khanhhoa", "kiengiang-sldtbxh", "phuyen-sldtbxh"} <= set(profiles)
    assert all(p.min_delay >= 1.0 for p in profiles.values())
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nallowed_hosts = ["a.gov.vn"]\nrss = ["https://b.gov.vn/rss"]\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="not on allowed_hosts"):
        load_profile(bad)
    bad.write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="missing required field 'allowed_hosts'"):
        load_profile(bad)


def test_undeclared_windows_1258_page_is_detected():
    page = article_page("Sở Y tế tỉnh Gia Lai tổng kết công tác thi đua năm 2022", "05/01/2023",
                        ["Chiều 4/1, Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết công tác thi đua, khen thưởng "
                         "năm 2022. Dịp này, UBND tỉnh tặng Cờ thi đua cho Bệnh viện Đa khoa tỉnh."])
    body = to_cp1258(page.replace('<meta charset="utf-8">', ""))
    with pytest.raises(InputError, match="not UTF-8"):
        decode(body, "x.html")  # files given to thidua extract: no guessing, the user passes --encoding
    raw = parse_article(body, "http://127.0.0.1/tin-tuc/x.html", {"content-type": "text/html"}, None)
    assert raw.encoding == "cp1258" and "Bệnh viện Đa khoa tỉnh" in raw.text


TCVN3_MOTTO = "Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp Tù do H¹nh phóc Së Y tÕ tØnh"  # as such pages show


def test_legacy_font_encodings_are_flagged():
    assert detect(TCVN3_MOTTO) == "TCVN3"
    assert detect("Cộng hòa xã hội chủ nghĩa Việt Nam, Sở Y tế tỉnh Gia Lai tổ chức hội nghị") is None
    assert detect("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam, Sôû Y teá tænh Gia Lai toå chöùc hoäi nghò") == "VNI"


def test_vietnamese_share_separates_text_from_mojibake():
    for seed in SEEDS:
        assert legacy.vietnamese_share(seed.read_text(encoding="utf-8")) > 0.95
    assert legacy.vietnamese_share(TCVN3_MOTTO) < 0.5
    vni = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Sôû Y teá tænh Gia Lai toå chöùc hoäi nghò toång keát."
    assert legacy.vietnamese_share(vni) < 0.5
    assert legacy.vietnamese_share(legacy.tcvn3_to_unicode(vni.encode("cp1252"))) < 0.5  # VNI is not TCVN3
    assert legacy.vietnamese_share(legacy.tcvn3_to_unicode(TCVN3_MOTTO.encode("latin-1"))) == 1.0


def _tcvn3_page(charset: str) -> bytes:
    """A TCVN3 page: the motto as the font's bytes, then an article sentence written with the table."""
    to_tcvn3 = {v: k for k, v in gazetteers.tcvn3_letters().items()}
    sentence = ("Chiều 4/1, Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm 2022. "
                "Dịp này, UBND tỉnh tặng Cờ thi đua cho Bệnh viện Đa khoa tỉnh.")
    body = bytes(to_tcvn3.get(c, ord(c)) for c in sentence.replace("Chiều", "chiều").replace("Dịp", "dịp"))
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>Tin tuc</title></head><body><h1>Tin tuc</h1><p>").encode("ascii") + \
        TCVN3_MOTTO.encode("latin-1") + b"</p><p>" + body * 3 + b"</p></body></html>"


@pytest.mark.parametrize("charset", ["windows-1252", "windows-1258"])
def test_tcvn3_page_is_converted_from_its_bytes(charset):
    # windows-1258 would turn some TCVN3 bytes into combining marks: the conversion must start from the bytes
    raw = parse_article(_tcvn3_page(charset), "http://127.0.0.1/tin-tuc/tcvn3.html", {}, None)
    assert raw.encoding == "TCVN3"
    assert "Cộng hoà xã hội chủ nghĩa Việt Nam Độc lập Tự do Hạnh phúc Sở Y tế tỉnh" in raw.text
    assert "tặng Cờ thi đua cho Bệnh viện Đa khoa tỉnh" in raw.text
    ex = extract_raw(raw)
    assert any(a.award_name == "Cờ thi đua" and a.recipient == "Bệnh viện Đa khoa tỉnh" for a in ex.awards)


def test_vni_page_is_flagged_not_loaded():
    page = ('<html><head><meta charset="windows-1252"></head><body><p>'
            + "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Sôû Y teá tænh Gia Lai toå chöùc hoäi nghò toång keát. " * 5
            + "</p></body></html>").encode("cp1252")
    with pytest.raises(InputError, match="legacy VNI font encoding"):
        parse_article(page, "http://127.0.0.1/tin-tuc/vni.html", {}, None)


def test_crawl_and_rebuild_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_TEST_MIN_DELAY", str(TEST_FLOOR))
    with Portal() as portal:
        prof = tmp_path / "profiles"
        prof.mkdir()
        (prof / "fixture.toml").write_text(portal.profile_toml(), encoding="utf-8")
        args = ["--profiles", str(prof), "--db", str(tmp_path / "w.duckdb"), "--archive", str(tmp_path / "a")]
        proc = run_cli("crawl", "--all", "--state", str(tmp_path / "s.sqlite"), "--max-pages", "8", *args)
        assert "pages fetched" in proc.stdout, proc.stderr
    proc = run_cli("corpus", "rebuild", *args[:2], "--db", str(tmp_path / "r.duckdb"), "--archive",
                   str(tmp_path / "a"), check=True)
    assert "new" in proc.stdout
    a = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True).execute("SELECT count(*) FROM articles").fetchall()
    b = duckdb.connect(str(tmp_path / "r.duckdb"), read_only=True).execute("SELECT count(*) FROM articles").fetchall()
    assert a == b and a[0][0] > 0


def test_run_live_crawls_extracts_loads_and_is_incremental(tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_TEST_MIN_DELAY", str(TEST_FLOOR))
    with Portal() as portal:
        prof = tmp_path / "profiles"
        prof.mkdir()
        (prof / "fixture.toml").write_text(portal.profile_toml(), encoding="utf-8")
        args = ["run", "--live", "--profiles", str(prof), "--db", str(tmp_path / "w.duckdb"), "--archive",
                str(tmp_path / "a"), "--state", str(tmp_path / "s.sqlite")]
        first = run_cli(*args)
        assert first.returncode == 1, first.stderr  # the fixture's faults are failures, reported in the exit status
        assert "redirect loop" in first.stdout
        assert "no article" in first.stdout  # the 3 MB page (under the default size limit) is refused, not fatal
        con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
        n_articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        con.close()
        assert n_articles >= len(SEEDS) + 3
        st = CrawlState(tmp_path / "s.sqlite")
        done = st.db.execute(f"SELECT count(*) FROM pages WHERE kind = 'article' AND outcome IN {crawl_mod.DONE}").fetchall()
        st.close()
        hits = dict(portal.hits)
        second = run_cli(*args)
        # every article loaded, syndicated or unreadable is not asked for again
        assert "0 new" in second.stdout and f"{done[0][0]} already seen" in second.stdout, second.stdout
        assert {p: n for p, n in portal.hits.items() if p.startswith("/tin-tuc/bai-")} == \
            {p: n for p, n in hits.items() if p.startswith("/tin-tuc/bai-")}
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == n_articles
    assert [r[0] for r in con.execute("SELECT command FROM runs ORDER BY run_id").fetchall()] == ["run --live"] * 2
