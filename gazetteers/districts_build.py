"""Build gazetteers/districts.tsv from the `vietnamadminunits` package's 63-province dataset.

    python gazetteers/districts_build.py [PATH/TO/vietnamadminunits/data/dataset.db]

(without a path, the dataset of the installed package: `pip install '.[admin-units]'`; the wheel also
works unpacked, `pip download --no-deps vietnamadminunits`, since only its data/dataset.db is read).

The package (PyPI `vietnamadminunits`, MIT, 63- and 34-province datasets with the 2025 mapping) is
needed only to rebuild the file; extraction reads the TSV and imports nothing. Rows: province
(before 1 July 2025), district level (huyện | thị xã | thành phố | quận), district name.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path


def main(db: str) -> None:
    con = sqlite3.connect(db)
    rows = sorted(set(con.execute(
        "select provinceShort, districtType, districtShort from admin_units_legacy where district is not null")))
    out = ["# District-level units before 1 July 2025, from the vietnamadminunits dataset (districts_build.py).",
           "# province<TAB>level<TAB>name"]
    out += [f"{p}\t{t.lower()}\t{d}" for p, t, d in rows if p and t and d]
    Path(__file__).with_name("districts.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(len(out) - 2, "districts")


def _installed_db() -> str:
    import importlib.util

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.origin:
        raise SystemExit("give the path of vietnamadminunits/data/dataset.db, or install the package")
    return str(Path(spec.origin).parent / "data" / "dataset.db")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else _installed_db())
