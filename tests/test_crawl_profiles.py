"""Profile checks: wrong values are refused with the file and the field named, never a traceback;
timeouts and retries are profile settings that the CLI can override (checked the same way)."""

import pytest
from conftest import run_cli
from portal_server import TEST_FLOOR, Portal, page_outcomes

from pipeline.cli import main
from scrapers.profiles import MIN_DELAY, ProfileError, load_profile

BASE = 'name = "x"\nallowed_hosts = ["x.gov.vn"]\nrss = ["https://x.gov.vn/rss"]\n'
LOCAL = 'name = "t"\nallowed_hosts = ["127.0.0.1"]\nrss = ["http://127.0.0.1:9/rss"]\n'


@pytest.mark.parametrize("line, field, words", [
    ("min_delay = 0", "min_delay", "at least 1"),
    ("min_delay = -3", "min_delay", "at least 1"),
    ("min_delay = 0.5", "min_delay", "at least 1"),
    ('min_delay = "abc"', "min_delay", "must be a number"),
    ("min_delay = true", "min_delay", "must be a number"),
    ("connect_timeout = 0", "connect_timeout", "more than 0"),
    ('read_timeout = "20s"', "read_timeout", "must be a number"),
    ("read_timeout = 1e9", "read_timeout", "at most 600"),
    ("retries = -1", "retries", "between 0 and 10"),
    ("retries = 1.5", "retries", "whole number"),
    ("max_discovery = 0", "max_discovery", "between 1 and"),
    ('revisit_lists = "yes"', "revisit_lists", "true or false"),
    ('rss = "https://x.gov.vn/rss"', "rss", "must be a list"),
    ('encoding = "klingon-8"', "encoding", "not a known encoding"),
    ("min_dealy = 2", "min_dealy", "unknown field"),
])
def test_bad_fields_are_refused_naming_file_and_field(tmp_path, line, field, words):
    f = tmp_path / "p.toml"
    text = BASE.replace('rss = ["https://x.gov.vn/rss"]\n', "") if line.startswith("rss") else BASE
    f.write_text(text + line + "\n", encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(f)
    msg = str(exc.value)
    assert msg.startswith(str(f)) and repr(field) in msg and words in msg and "\n" not in msg, msg


@pytest.mark.parametrize("table, words", [
    ('[[lists]]\nurl = "https://x.gov.vn/tin"\nmax_pages = "many"\n', "field 'max_pages' must be a whole number"),
    ('[[lists]]\nurl = "https://x.gov.vn/tin"\nmax_pages = 0\n', "field 'max_pages' must be between 1"),
    ('[[lists]]\nurl = "https://x.gov.vn/tin"\npagination = "?p=2"\n', "must contain {page}"),
    ('[selectors]\nbody = 3\n', "field 'body' must be a CSS selector"),
])
def test_bad_list_and_selector_fields_are_refused(tmp_path, table, words):
    f = tmp_path / "p.toml"
    f.write_text(BASE + table, encoding="utf-8")
    with pytest.raises(ProfileError, match=words) as exc:
        load_profile(f)
    assert str(exc.value).startswith(str(f))


def test_the_min_delay_floor_is_lowered_only_for_a_loopback_test_server(tmp_path, monkeypatch):
    f = tmp_path / "p.toml"
    f.write_text(BASE + "min_delay = 0.2\n", encoding="utf-8")
    monkeypatch.setenv("THIDUA_TEST_MIN_DELAY", "0.01")
    with pytest.raises(ProfileError, match="at least 1"):  # a real portal: the test setting does not apply
        load_profile(f, min_delay_floor=0.01)
    with pytest.raises(ProfileError, match="at least 1"):
        load_profile(f)
    f.write_text(LOCAL + "min_delay = 0.2\n", encoding="utf-8")
    assert load_profile(f).min_delay == 0.2  # 127.0.0.1 and the test setting: allowed
    monkeypatch.delenv("THIDUA_TEST_MIN_DELAY")
    with pytest.raises(ProfileError, match="at least 1"):
        load_profile(f)
    f.write_text(LOCAL + "min_delay = 0\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="min_delay"):
        load_profile(f, min_delay_floor=0.01)  # never zero, even for a test server
    assert MIN_DELAY == 1.0


def test_crawl_command_refuses_a_bad_profile_in_one_line(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.toml").write_text(BASE + 'min_delay = "abc"\n', encoding="utf-8")
    proc = run_cli("crawl", "--all", "--profiles", str(tmp_path / "p"), "--db", str(tmp_path / "w.duckdb"))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"thidua crawl: {tmp_path / 'p' / 'x.toml'}: field 'min_delay' must be a number of seconds, not 'abc'"]


def test_run_live_refuses_max_pages_many(tmp_path, capsys):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.toml").write_text(BASE + '[[lists]]\nurl = "https://x.gov.vn/tin"\nmax_pages = "many"\n',
                                           encoding="utf-8")
    assert main(["run", "--live", "--profiles", str(tmp_path / "p"), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "x.toml [[lists]] #1: field 'max_pages' must be a whole number, not 'many'" in err


@pytest.mark.parametrize("option, value, words", [
    ("--read-timeout", "abc", "must be a number"), ("--connect-timeout", "0", "more than 0"),
    ("--retries", "-1", "between 0 and 10"), ("--retries", "two", "whole number"),
    ("--max-discovery", "0", "between 1 and"), ("--max-pages", "many", "whole number"),
])
def test_cli_overrides_are_checked_like_profile_fields(tmp_path, capsys, option, value, words):
    with pytest.raises(SystemExit) as exc:
        main(["crawl", "--all", "--db", str(tmp_path / "w.duckdb"), option, value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and words in err and "Traceback" not in err


def test_cli_timeout_and_retries_override_the_profile(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THIDUA_TEST_MIN_DELAY", str(TEST_FLOOR))
    with Portal() as portal:
        (tmp_path / "p").mkdir()
        (tmp_path / "p" / "t.toml").write_text(portal.bare_profile_toml(
            "t", rss=["/feed.xml?u=/tin-tuc/slow.html"], read_timeout=5.0, retries=3), encoding="utf-8")
        code = main(["crawl", "--all", "--profiles", str(tmp_path / "p"), "--db", str(tmp_path / "w.duckdb"),
                     "--archive", str(tmp_path / "archive"), "--state", str(tmp_path / "state.sqlite"),
                     "--read-timeout", "0.3", "--retries", "0"])
        assert code == 1
        assert portal.hits["/tin-tuc/slow.html"] == 1  # no retry
    outcome, reason = page_outcomes(tmp_path)["/tin-tuc/slow.html"]
    assert outcome == "failed" and "read 0.3 s" in reason and "after 1 attempts" in reason, reason
    capsys.readouterr()
