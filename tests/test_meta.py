"""Checks on the project itself: every command documented, every kind printable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kubesim.api.kinds import KINDS
from kubesim.cli.app import COMMANDS
from kubesim.printers.columns import COLUMNS
from tests.conftest import REPO, Kubesim


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(kubesim: Kubesim, command: str) -> None:
    result = kubesim(f"{command} --help")
    assert result.code == 0, result.err
    assert "Example" in result.out, f"{command} --help gives no example"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.resource)
def test_every_kind_has_table_columns(kind: object) -> None:
    assert kind.resource in COLUMNS  # type: ignore[attr-defined]


def test_the_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kubesim", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "kubesim" in done.stdout


def test_no_file_keeps_a_merge_conflict() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, cwd=REPO, check=False
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    markers = ("<<<<<<< ", ">>>>>>> ")
    conflicted = [
        name
        for name in tracked
        if name.endswith((".md", ".py", ".yaml", ".toml", ".sh"))
        and any(line.startswith(markers) for line in (REPO / name).read_text().splitlines())
    ]
    assert conflicted == []
