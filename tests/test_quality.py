"""The project's own checks, so CI fails on a lint or type error like on a failing test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["ruff", "check", "server", "tests", "bench"], id="ruff"),
        pytest.param(["ruff", "format", "--check", "server", "tests", "bench"], id="ruff-format"),
        # Half a minute from a fresh checkout (a second run reads .mypy_cache): started first.
        pytest.param(["mypy"], id="mypy", marks=pytest.mark.slow),
    ],
)
def test_code_is_clean(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
