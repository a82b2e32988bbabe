"""The benchmark's generator and parallel extraction (figures are measured, never asserted as timings)."""

import time

from conftest import SEEDS, jsonl, run_cli

from pipeline.bench import Figures, generate, report, run_bench
from pipeline.parallel import Job, extract_many


def test_generator_is_deterministic_and_realistic():
    a, b = list(generate(30)), list(generate(30))
    assert a == b
    assert list(generate(30, seed=1)) != a
    assert len({src for src, _ in a}) == 30
    avg = sum(len(t) for _, t in a) / len(a)
    assert 2000 < avg < 6000  # seed articles average about 3,400 characters
    assert all("Ngày đăng: " in t for _, t in a)


def test_jobs_2_gives_the_same_output_in_the_same_order():
    one = run_cli("extract", *map(str, SEEDS), check=True).stdout
    two = run_cli("extract", "--jobs", "2", *map(str, SEEDS), check=True).stdout
    assert one == two
    assert [o["source"] for o in jsonl(two)] == [str(s) for s in SEEDS]


def test_extract_many_keeps_errors_in_place(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    jobs = [Job(str(SEEDS[0]), path=str(SEEDS[0])), Job(str(bad), path=str(bad)), Job("t", text="Sở Y tế tổ chức.")]
    res = list(extract_many(jobs, 2, chunksize=1))
    assert [r.job.source for r in res] == [j.source for j in jobs]
    assert res[0].extraction.agencies and "empty file" in res[1].error and res[2].extraction is not None


def test_extract_many_holds_input_back_while_the_consumer_is_slow():
    pulled = []

    def jobs():
        for i in range(400):
            pulled.append(i)
            yield Job(f"j{i}", text="Sở Y tế tỉnh Gia Lai nhận Cờ thi đua của UBND tỉnh.")

    it = extract_many(jobs(), 2, chunksize=4)
    for _ in range(10):
        next(it)
    time.sleep(1.0)  # the workers would finish all 400 in this time if nothing held them back
    assert len(pulled) - 10 <= 4 * 2 * 4 + 4
    assert sum(1 for _ in it) == 390


def test_bench_reports_every_figure_on_a_tiny_corpus():
    fig = run_bench(40, jobs=2, sample=40, baseline_n=2, batch=15)
    assert isinstance(fig, Figures) and fig.n == 40 and fig.extract_sample == 40
    assert fig.extract_1_per_s > 0 and fig.extract_jobs_per_s > 0 and fig.baseline_per_s > 0
    assert fig.rows_loaded > 40 and fig.load_s > 0 and fig.rebuild_s > fig.rebuild_load_s > 0 and fig.peak_rss_mb > 0
    text = report(fig)
    assert "(sample of 40)" in text
    for label in ("extract, 1 process", "--jobs 2", "baseline", "load", "rebuild", "peak RSS"):
        assert label in text


def test_bench_without_the_baseline():
    """--baseline 0 skips underthesea's NER (it used to divide by a zero rate)."""
    fig = run_bench(20, jobs=1, sample=20, baseline_n=0, batch=10)
    assert fig.baseline_sample == 0 and fig.speedup_vs_baseline == 0.0
    assert "baseline: not measured" in report(fig)
