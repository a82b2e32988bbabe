"""Extraction time of the hostile inputs of issue 14, in one process, after a warm-up.

    .venv/bin/python bench/hostile.py              # this checkout
    cd /path/to/older/checkout && /work/wt-14/.venv/bin/python /work/wt-14/bench/hostile.py   # before

Each input runs in its own child process with a timeout (an older checkout may never finish); the
figure is the best of --repeat runs of read + clean + extract, model loading excluded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

AGENCY_LINE = "Sở Y tế tỉnh Gia Lai, Ủy ban nhân dân tỉnh Kon Tum, Công an tỉnh Nghệ An, Sở Nội vụ, "
SENTENCE = "Sở Y tế tỉnh Gia Lai tổ chức hội nghị tổng kết công tác thi đua, khen thưởng năm 2023."


def inputs(folder: Path) -> dict[str, Path]:
    mib = 1024 * 1024
    out = {
        "1 MiB line of agency names": ("line.txt", (AGENCY_LINE * (mib // len(AGENCY_LINE.encode()) + 1))
                                       .encode()[:mib]),
        "30,000 unclosed <div>": ("deep_div.html", f"<html><body>{'<div>' * 30000}{SENTENCE}</body></html>".encode()),
        "30,000 nested <div> (closed, 300 KB)": (
            "deep_closed.html", f"<html><body>{'<div>' * 30000}{SENTENCE}{'</div>' * 30000}</body></html>".encode()),
        "30,000 unclosed <p>": ("deep_p.html", f"<html><body>{'<p>x ' * 30000}{SENTENCE}</body></html>".encode()),
    }
    paths = {}
    for label, (name, data) in out.items():
        p = folder / name
        p.write_bytes(data)
        paths[label] = p
    return paths


CHILD = """
import json, sys, time
from pipeline import extract
from pipeline.parallel import _warm
_warm()
path, repeat, no_limit = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
kw = {}
if no_limit and hasattr(extract, "Limits"):
    kw = {"limits": extract.Limits(max_chars=0, seconds=0)}
elif no_limit:
    extract.MAX_BODY_CHARS = 10**9
best, outcome = 1e9, ""
for _ in range(repeat):
    t = time.perf_counter()
    try:
        ex = extract.extract_path(path, **kw)
        outcome = f"{len(ex.body):,} chars, {len(ex.agencies)} agencies"
    except Exception as exc:
        outcome = f"{type(exc).__name__}: {str(exc)[-70:]}"
    best = min(best, time.perf_counter() - t)
print(json.dumps({"seconds": best, "outcome": outcome}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for label, path in inputs(Path(tmp)).items():
            for no_limit in ((False, True) if "line" in label else (False,)):
                name = label + (" (size limit off)" if no_limit else "")
                try:
                    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(a.repeat), "1" if no_limit else "0"],
                                          capture_output=True, text=True, timeout=a.timeout + 30)
                    r = json.loads(proc.stdout.strip().splitlines()[-1])
                    print(f"{name:<45} {r['seconds']:>8.3f} s   {r['outcome']}")
                except subprocess.TimeoutExpired:
                    print(f"{name:<45} {'>' + str(int(a.timeout)):>8} s   no answer (killed)")
                except (IndexError, json.JSONDecodeError):
                    print(f"{name:<45} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
