"""Build gazetteers/districts.tsv from the `vietnamadminunits` package's 63-province dataset.

    python gazetteers/districts_build.py PATH/TO/vietnamadminunits/data/dataset.db

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


if __name__ == "__main__":
    main(sys.argv[1])
