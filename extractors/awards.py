"""awards extractor (first version)."""

from __future__ import annotations

from extractors.common import Context


def extract(ctx: Context) -> None:
    ctx.records.setdefault("awards", [])
