"""Every function in extractors/ stays readable: cyclomatic complexity (radon's measure) at most 20.

A function above the bar is a sign that several decisions share one body; split it into named steps."""

from pathlib import Path

import pytest
from radon.complexity import cc_visit

MAX_COMPLEXITY = 20
EXTRACTORS = sorted((Path(__file__).resolve().parent.parent / "extractors").glob("*.py"))


def _over(source: str) -> list[str]:
    """'name (complexity)' of each function or method in `source` above the bar."""
    return [f"{b.fullname} ({b.complexity})" for b in cc_visit(source)
            if b.complexity > MAX_COMPLEXITY and not hasattr(b, "methods")]  # a class is judged by its methods


@pytest.mark.parametrize("path", EXTRACTORS, ids=lambda p: p.name)
def test_functions_under_the_bar(path: Path) -> None:
    over = _over(path.read_text(encoding="utf-8"))
    assert not over, f"{path.name}: complexity above {MAX_COMPLEXITY}: {', '.join(over)}"


def test_the_bar_catches_a_tangled_function() -> None:
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(MAX_COMPLEXITY))
    assert _over(f"def tangled(x):\n{branches}    return -1\n") == [f"tangled ({MAX_COMPLEXITY + 1})"]
    assert _over("def plain(x):\n    return x\n") == []
