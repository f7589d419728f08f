"""README shows the how-to examples exactly as they are tested."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("test_howto_*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_readme__shows_the_example_verbatim(example: Path) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")

    assert f"```python\n{example.read_text('utf-8')}```" in readme
