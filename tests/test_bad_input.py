"""Bad input never crashes or hangs a batch (issue 14, and 'reading inputs' of issue 15).

Real files and real processes: hostile inputs are written to a folder and given to one `thidua extract`
(or `run --corpus`, or `corpus rebuild` over a real WARC file). Every input must give exactly one JSON
line, in input order, no traceback, exit status 0/1 as documented, and every good article still loads.

The seeded fuzz set (`fuzz_inputs`) is also the longer documented run:
    .venv/bin/python tests/test_bad_input.py --n 10000 --seed 14 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.spans import Covered  # noqa: E402

SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
MORE = sorted((ROOT / "corpus" / "dev" / "more").glob("*.json"))
ARTICLES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*"))
AGENCY_LINE = "Sở Y tế tỉnh Gia Lai, Ủy ban nhân dân tỉnh Kon Tum, Công an tỉnh Nghệ An, Sở Nội vụ, "
UNITS = [
    AGENCY_LINE,
    "Phó Chủ tịch UBND tỉnh Nguyễn Văn An, ông Trần Văn Bình, Giám đốc Sở Y tế, bà Lê Thị Cúc phát biểu. ",
    "Tặng Cờ thi đua của Chính phủ cho 12 tập thể, Bằng khen của Thủ tướng Chính phủ cho 5 cá nhân năm 2023; ",
    "Khối thi đua các sở, ngành kinh tế do Sở Tài chính làm Khối trưởng, Cụm thi đua số 3 năm 2024. ",
    "ngày 12/3/2023, Chiều 29/2, ngày 5 tháng 3 năm 2023, Quyết định số 123/QĐ-UBND ngày 1/2/2020 ",
]
BAD_CHARSETS = ["base64", "rot13", "hex", "zlib", "bz2", "uu", "quopri", "idna", "punycode", "undefined",
                "unicode_escape", "no-such-charset", "x-user-defined", "utf-16", "utf-32", "utf-7", "latin-1",
                "windows-1258", "utf-8", "UTF8", "ascii"]
BLOCK = ["p", "div", "li", "section", "article", "td", "tr", "h1", "h2", "br"]
INLINE = ["span", "a", "b", "i", "em", "strong", "font"]
FURNITURE = ["nav", "script", "style", "header", "footer", "aside", "form", "template", "noscript"]


def articles() -> list[str]:
    """Good article texts: the bundled seeds, the 20 dev articles, the held-out fixture texts."""
    out = [p.read_text(encoding="utf-8") for p in SEEDS]
    out += [json.loads(p.read_text(encoding="utf-8"))["text"] for p in MORE]
    out += [p.read_text(encoding="utf-8") for p in ARTICLES if p.suffix == ".txt"]
    return out


def html_page(text: str, charset: str | None = None, wrap: str = "p") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<{wrap}>{ln}</{wrap}>" for ln in text.split("\n") if ln.strip())
    return f"<!doctype html><html><head>{meta}<title>t</title></head><body><article>{paras}</article></body></html>"


def _random_html(rng: random.Random, words: list[str], depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 5)):
        r = rng.random()
        if r < 0.4 or depth > 6:
            out.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 30))))
        elif r < 0.45:
            out.append(rng.choice(["<!-- x -->", "<![CDATA[y]]>", "&nbsp;", "&#0;", "&bogus;", "<", "</", "<?php ?>"]))
        else:
            t = rng.choice(BLOCK + INLINE + FURNITURE)
            attr = rng.choice(["", "", ' itemprop="articleBody"', ' class="x"', " a='<p>'"])
            close = "" if rng.random() < 0.2 else f"</{t}>"
            out.append(f"<{t}{attr}>" + _random_html(rng, words, depth + 1) + close)
    return "".join(out)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        op = rng.random()
        i = rng.randrange(len(b) + 1)
        if op < 0.4 and b:
            b[min(i, len(b) - 1)] = rng.randrange(256)
        elif op < 0.7:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        else:
            del b[i:i + rng.randint(1, 50)]
    return bytes(b)


ODD_CHARS = "\u0300\u0301\u0323\u200b\u200d\u202e\ufeff\ufffd\u00a0\u3000\u2028\r\x0b\x0c<>&\"'/;:.,()[]"


def _mutate_text(rng: random.Random, text: str) -> str:
    """Character edits that keep valid UTF-8: odd Unicode (combining marks, bidi, zero-width, line
    separators), markup and punctuation inserted, characters replaced or deleted."""
    chars = list(text)
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(chars) + 1)
        op = rng.random()
        if op < 0.4 and chars:
            chars[min(i, len(chars) - 1)] = rng.choice(ODD_CHARS)
        elif op < 0.8:
            chars[i:i] = rng.choices(ODD_CHARS, k=rng.randint(1, 6))
        else:
            del chars[i:i + rng.randint(1, 40)]
    return "".join(chars)


def fuzz_inputs(folder: Path, n: int, seed: int) -> list[bytes]:
    """n seeded hostile inputs under folder; returns the paths (as bytes: some names are not UTF-8).

    Articles (some intact, expected to extract), truncated and mutated pages, random bytes, invalid UTF-8,
    NUL bytes, bogus charsets and BOMs, long lines, deep or unclosed nesting, odd file names,
    directories, symlinks (good, broken, looping), missing paths, FIFOs and devices."""
    rng = random.Random(seed)
    texts = articles()
    words = " ".join(texts).split()
    folder.mkdir(parents=True, exist_ok=True)
    base = os.fsencode(folder)
    paths: list[bytes] = []

    def put(name: bytes, data: bytes) -> None:
        p = base + b"/" + b"%05d_" % len(paths) + name
        with open(p, "wb") as fh:
            fh.write(data)
        paths.append(p)

    kinds = ["article", "html", "truncated", "mutated", "random", "nul", "charset", "bom", "invalid_utf8",
             "random_html", "deep", "long_line", "name", "special", "empty"]
    weights = [12, 8, 10, 12, 8, 4, 8, 5, 5, 10, 3, 2, 5, 5, 2]
    for _ in range(n):
        kind = rng.choices(kinds, weights)[0]
        text = rng.choice(texts)
        if kind == "article":
            put(b"article.txt", text.encode())
        elif kind == "html":
            put(b"page.html", html_page(text, rng.choice([None, "utf-8"]), rng.choice(BLOCK)).encode())
        elif kind == "truncated":
            data = rng.choice([text.encode(), html_page(text).encode()])
            put(b"truncated.html", data[:rng.randrange(len(data))])
        elif kind == "mutated":  # bytes (mostly invalid UTF-8 then) or characters (still text)
            page = rng.choice([text, html_page(text)])
            if rng.random() < 0.5:
                put(b"mutated.html", _mutate(rng, page.encode()))
            else:
                put(b"mutated.html", _mutate_text(rng, page).encode())
        elif kind == "random":
            put(b"random.bin", bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))))
        elif kind == "nul":
            data = bytearray(text.encode())
            data[rng.randrange(len(data)):0] = b"\x00" * rng.randint(1, 4)
            put(b"nul.txt", bytes(data))
        elif kind == "charset":
            cs = rng.choice(BAD_CHARSETS)
            page = html_page(text, cs)
            try:
                data = page.encode(cs) if rng.random() < 0.5 else page.encode()
            except (LookupError, UnicodeError, TypeError, ValueError):
                data = page.encode()
            put(b"charset.html", data)
        elif kind == "bom":
            enc, bom = rng.choice([("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                   ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-8", b"\xff\xfe")])
            put(b"bom.txt", bom + text.encode(enc))
        elif kind == "invalid_utf8":
            data = bytearray(text.encode())
            for _ in range(rng.randint(1, 5)):
                data[rng.randrange(len(data)):0] = rng.choice([b"\xc3", b"\xe1\xbb", b"\xff", b"\xed\xa0\x80", b"\xc0\xaf"])
            put(b"invalid.txt", bytes(data))
        elif kind == "random_html":
            put(b"random.html", ("<html><body>" + _random_html(rng, words) + rng.choice(["</body></html>", ""])).encode())
        elif kind == "deep":
            tag = rng.choice(["div", "p", "span", "li", "nav", "table", "b"])
            k = rng.choice([200, 1000, 3000])  # 30,000: test_each_class_of_bad_input_gets_a_clear_line
            close = f"</{tag}>" * k if rng.random() < 0.5 else ""
            put(b"deep.html", f"<html><body>{f'<{tag}>' * k}{text[:500]}{close}</body></html>".encode())
        elif kind == "long_line":
            unit = rng.choice(UNITS + [text.replace("\n", " ") + " "])
            size = rng.choice([5_000, 20_000, 40_000])
            put(b"long.txt", (unit * (size // len(unit) + 1))[:size].encode())
        elif kind == "name":
            name = rng.choice([b"caf\xe9.txt", b"\xff\xfe.txt", b"t\xc3\xaan b\xc3\xa0i.txt", b"space name.txt",
                               b"new\nline.txt", b"-dash.txt", b"tab\tname.txt", b"\xed\xa0\x80.txt", b"quote\".txt"])
            put(name, text.encode())
        elif kind == "special":
            p = base + b"/" + b"%05d_special" % len(paths)
            what = rng.choice(["dir", "link", "broken", "loop", "missing", "fifo", "devnull", "dirlink"])
            if what == "dir":
                os.mkdir(p)
            elif what == "link":
                os.symlink(os.fsencode(SEEDS[0]), p)
            elif what == "broken":
                os.symlink(p + b".nowhere", p)
            elif what == "loop":
                os.symlink(p, p)
            elif what == "fifo":
                os.mkfifo(p)
            elif what == "devnull":
                os.symlink(b"/dev/null", p)
            elif what == "dirlink":
                os.symlink(base, p)
            paths.append(p)
        else:
            put(b"empty.txt", rng.choice([b"", b"   \n\t ", b"\n" * 100]))
    return paths


def run_extract(paths: list[bytes], *extra: str, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", *extra, "--", *paths], cwd=ROOT,
                          capture_output=True, timeout=timeout)
    return proc, time.perf_counter() - t0


def check_batch(paths: list[bytes], proc: subprocess.CompletedProcess) -> list[dict]:
    """The batch contract: one JSON line per input in input order, sources round-trip, no traceback,
    no internal error, exit status 1 exactly when some line is an error."""
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err[-3000:]
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(paths), (len(lines), len(paths), err[-2000:])
    out = [json.loads(line) for line in lines]
    assert [os.fsencode(d["source"]) for d in out] == paths
    internal = [d["error"] for d in out if "internal error" in d.get("error", "")]
    assert not internal, internal[:5]
    failed = sum(1 for d in out if "error" in d)
    assert proc.returncode == (1 if failed else 0), (proc.returncode, failed)
    assert err.count("\n") >= failed  # one stderr line per failure (plus notes)
    return out


# ---------------------------------------------------------------- the seeded fuzz run (>= 2,000 inputs)

def test_fuzzed_batch_of_2000_inputs_gives_one_line_each_and_never_a_traceback(tmp_path):
    paths = fuzz_inputs(tmp_path / "in", 2000, seed=14)
    proc, _ = run_extract(paths, "--jobs", "2", "--time-limit", "20")
    out = check_batch(paths, proc)
    by_name = {p: d for p, d in zip(paths, out, strict=True)}
    good = [d for p, d in by_name.items() if p.endswith((b"_article.txt", b"_page.html"))]
    assert good and all("error" not in d for d in good)  # every intact article extracted
    assert sum(1 for d in good if d["agencies"]) > len(good) / 2
    special = [d["error"] for p, d in by_name.items() if p.endswith(b"_special") and "error" in d]
    assert any("not a regular file" in e for e in special) and any("is a directory" in e for e in special)


# ---------------------------------------------------------------- each class, with what it must say

def test_each_class_of_bad_input_gets_a_clear_line(tmp_path):
    text = SEEDS[1].read_text(encoding="utf-8")
    d = tmp_path
    files: dict[str, bytes] = {}

    def put(name: str | bytes, data: bytes) -> bytes:
        p = os.fsencode(d) + b"/" + (name if isinstance(name, bytes) else name.encode())
        Path(os.fsdecode(p)).write_bytes(data)
        files[os.fsdecode(name) if isinstance(name, bytes) else name] = p
        return p

    put("base64.html", html_page(text, "base64").encode())
    put("rot13.html", html_page(text, "rot13").encode())
    put("bogus.html", html_page(text, "no-such-charset").encode())
    put("utf7.html", html_page("+2D0- " + text, "utf-7").encode())  # would decode to a lone surrogate
    put("base64-latin.html", html_page("Ti\u00eang Vi\u00eat caf\u00e9", "base64").encode("latin-1"))
    put(b"caf\xe9 \xff.txt", text.encode())
    put("line1m.txt", (AGENCY_LINE * (1024 * 1024 // len(AGENCY_LINE.encode()) + 1)).encode()[:1024 * 1024])
    put("deep_div.html", ("<html><body>" + "<div>" * 30000 + text + "</body></html>").encode())
    put("deep_p.html", ("<html><body>" + "".join(f"<p>{ln}" for ln in text.split("\n")) + "<p>" * 30000
                        + "</body></html>").encode())
    one_line = text.replace("\n", " ")
    put("oneline_article.txt", ("Cổng thông tin điện tử tỉnh Kon Tum " + one_line).encode())
    put("article_1mb_line.txt", ((one_line + " ") * (1024 * 1024 // len(one_line.encode()) + 1)).encode())
    put("furniture_only.txt", "Cổng thông tin điện tử tỉnh Kon Tum\nĐộ ẩm: 80%\n".encode())
    fifo = os.fsencode(d / "fifo")
    os.mkfifo(fifo)
    paths = [*files.values(), fifo, b"/dev/zero", os.fsencode(d / "missing.txt"), os.fsencode(d)]
    proc, took = run_extract(paths, "--jobs", "2", timeout=120)
    out = {os.fsdecode(p): line for p, line in zip(paths, check_batch(paths, proc), strict=True)}
    err = proc.stderr.decode("utf-8", "backslashreplace")

    def line(name: str) -> dict:
        return out[os.fsdecode(files[name])]

    for name in ("base64.html", "rot13.html"):  # a bytes codec declared: read as UTF-8, reason on stderr
        assert "error" not in line(name) and line(name)["agencies"]
        assert f"{name}: declared charset '{name.split('.')[0]}' is not a text encoding; read as UTF-8" in err
    assert "error" not in line("bogus.html") and "unknown declared charset 'no-such-charset'" in err
    assert "error" not in line("utf7.html") and "declared charset 'utf-7' is no page encoding; read as UTF-8" in err
    assert "declared charset 'base64' is not a text encoding, and it is not UTF-8" in line("base64-latin.html")["error"]
    assert "error" not in line("caf\udce9 \udcff.txt")  # undecodable name: extracted, source round-trips
    assert "\\xe9" in err or "caf\\udce9" in err or "error" not in line("caf\udce9 \udcff.txt")
    assert "is no article (limit 300,000)" in line("line1m.txt")["error"]
    assert "error" not in line("deep_div.html") and line("deep_div.html")["agencies"]
    assert "error" not in line("deep_p.html") and line("deep_p.html")["agencies"]
    assert "error" not in line("oneline_article.txt") and line("oneline_article.txt")["agencies"]
    assert "is no article" in line("article_1mb_line.txt")["error"]
    assert "no article text left once page furniture is removed" in line("furniture_only.txt")["error"]
    assert "not a regular file (a FIFO); not read" in out[os.fsdecode(fifo)]["error"]
    assert "not a regular file (a character device); not read" in out["/dev/zero"]["error"]
    assert "no such file" in out[str(d / "missing.txt")]["error"]
    assert "is a directory" in out[str(d)]["error"]
    assert proc.returncode == 1


def test_time_budget_turns_into_an_error_line_and_the_batch_goes_on(tmp_path):
    slow = tmp_path / "slow.txt"  # ~1 s of work: 290,000 characters of agency names on one line
    slow.write_text((AGENCY_LINE * 4000)[:290_000], encoding="utf-8")
    small = tmp_path / "small.txt"  # under a millisecond
    small.write_text("Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết công tác thi đua năm 2023.", encoding="utf-8")
    paths = [os.fsencode(slow), os.fsencode(small)]
    proc, _ = run_extract(paths, "--time-limit", "0.05")
    out = check_batch(paths, proc)
    assert "still running after 0.05 s (the per-document time budget)" in out[0]["error"]
    assert "error" not in out[1] and out[1]["agencies"]


def test_an_all_good_batch_exits_0_and_a_bytes_codec_as_encoding_is_refused(tmp_path):
    paths = [os.fsencode(p) for p in SEEDS[:2]]
    proc, _ = run_extract(paths)
    check_batch(paths, proc)
    assert proc.returncode == 0
    proc, _ = run_extract(paths, "--encoding", "base64")
    assert proc.returncode == 2 and b"--encoding: declared charset 'base64' is not a text encoding" in proc.stderr


def test_file_names_with_undecodable_bytes_round_trip_through_explain_and_json(tmp_path):
    p = os.fsencode(tmp_path) + b"/r\xe9sum\xe9.txt"
    Path(os.fsdecode(p)).write_bytes(SEEDS[0].read_bytes())
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--explain", os.fsdecode(p)], cwd=ROOT,
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr


# ---------------------------------------------------------------- run --corpus and corpus rebuild

def _good_and_bad(folder: Path) -> tuple[list[Path], list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    good = []
    for i, t in enumerate(articles()[:12]):
        p = folder / f"good_{i:02d}.txt"
        p.write_text(t, encoding="utf-8")
        good.append(p)
    bad = [os.fsdecode(p) for p in fuzz_inputs(folder / "fuzz", 100, seed=15)]
    bad_paths = [Path(p) for p in bad if not p.endswith(("_article.txt", "_page.html"))]
    return good, bad_paths


def test_run_corpus_with_hostile_files_loads_every_good_article(tmp_path):
    good, bad = _good_and_bad(tmp_path / "c")
    with (tmp_path / "c" / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "file", "sha256", "province", "portal", "url"])
        for p in good + [p for p in bad if str(p).isprintable() and not _undecodable(str(p))]:
            w.writerow([p.name, os.path.relpath(p, tmp_path / "c"), "", "", "", ""])
    db = tmp_path / "w.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(tmp_path / "c"), "--db", str(db),
                           "--jobs", "2"], cwd=ROOT, capture_output=True, timeout=300)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and proc.returncode == 1, err[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    sources = {r[0] for r in con.execute("SELECT source FROM articles").fetchall()}
    assert {f"corpus/{p.name}" for p in good} <= sources
    assert con.execute("SELECT errors FROM runs ORDER BY run_id DESC LIMIT 1").fetchone()[0] > 0
    con.close()
    # a manifest that is not UTF-8 is a bad corpus (exit 2, one line), not a traceback
    (tmp_path / "c" / "manifest.csv").write_bytes(b"id,file\nx,caf\xe9.txt\n")
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(tmp_path / "c"), "--db", str(db)],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 2 and b"manifest.csv: not UTF-8" in proc.stderr and b"Traceback" not in proc.stderr


def _undecodable(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def test_corpus_rebuild_of_an_archive_with_hostile_pages_loads_every_good_article(tmp_path):
    from scrapers.archive import WarcArchive
    from scrapers.fetch import FetchResult

    arch = WarcArchive(tmp_path / "archive")
    rng = random.Random(16)
    good_urls = []
    texts = articles()
    for i, t in enumerate(texts[:12]):
        url = f"http://127.0.0.1/tin/{i}.html"
        body = html_page(t).encode()
        arch.write(FetchResult(url, url, 200, {"content-type": "text/html; charset=utf-8"},
                               [("Content-Type", "text/html; charset=utf-8")], "OK", body), portal="", kind="article")
        good_urls.append(url)
    bad_pages = [p for p in fuzz_inputs(tmp_path / "fuzz", 80, seed=16) if os.path.isfile(p)]
    bad_pages += [os.fsencode(tmp_path / "deep.html")]
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 30000 + texts[0] + "</body></html>")
    for j, p in enumerate(bad_pages):
        ctype = rng.choice(["text/html", "text/html; charset=base64", "text/html; charset=rot13",
                            "text/html; charset=bogus", "text/plain"])
        url = f"http://127.0.0.1/bad/{j}.html"
        with open(p, "rb") as fh:
            data = fh.read()
        arch.write(FetchResult(url, url, 200, {"content-type": ctype}, [("Content-Type", ctype)], "OK", data),
                   portal="", kind="article")
    arch.close()
    db = tmp_path / "r.duckdb"
    proc = subprocess.run([sys.executable, "-m", "pipeline.cli", "corpus", "rebuild", "--db", str(db), "--archive",
                           str(tmp_path / "archive")], cwd=ROOT, capture_output=True, timeout=300)
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    assert proc.returncode == 1 and b" failed" in proc.stdout  # some pages failed, one line each
    con = duckdb.connect(str(db), read_only=True)
    urls = {r[0] for r in con.execute("SELECT url FROM articles").fetchall()}
    assert set(good_urls) <= urls


# ---------------------------------------------------------------- the helpers behind the linear scans

@pytest.mark.parametrize("spans", [[], [(0, 3)], [(5, 9), (0, 3), (2, 4), (9, 12), (20, 20)], [(1, 2)] * 5])
def test_covered_is_exactly_any_over_the_spans(spans):
    cov = Covered(spans)
    for pos in range(-1, 25):
        assert (pos in cov) == any(a <= pos < b for a, b in spans)


# ---------------------------------------------------------------- the longer documented run

def main() -> int:
    ap = argparse.ArgumentParser(description="seeded fuzz run of `thidua extract` (see bench/README.md)")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", default="/tmp/thidua-fuzz")
    a = ap.parse_args()
    import shutil

    shutil.rmtree(a.dir, ignore_errors=True)
    paths = fuzz_inputs(Path(a.dir), a.n, a.seed)
    proc, took = run_extract(paths, "--jobs", str(a.jobs), timeout=3600)
    out = check_batch(paths, proc)
    errors = [d["error"] for d in out if "error" in d]
    print(f"{len(paths)} inputs, {len(out)} lines, {len(errors)} errors, 0 tracebacks, exit {proc.returncode}, "
          f"{took:.0f} s ({took / len(paths) * 1000:.1f} ms per input)")
    kinds: dict[str, int] = {}
    for e in errors:
        k = e.split(": ", 1)[1][:40] if ": " in e else e
        kinds[k] = kinds.get(k, 0) + 1
    for k, c in sorted(kinds.items(), key=lambda x: -x[1])[:15]:
        print(f"  {c:>5}  {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
