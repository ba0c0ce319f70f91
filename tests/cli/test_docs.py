"""The transcripts in docs/ are kubesim's real output: every `$ kubesim ...` line of a console
block is run in order on a fresh cluster and its output compared with the lines that follow it.

KUBESIM_UPDATE_DOCS=1 rewrites the outputs instead (review the diff before committing).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, Kubesim, set_runtime

DOCS = ["deployments.md", "image-pulls.md", "statefulset-updates.md", "statefulsets.md"]
WALL = 1_795_000_000.0  # 2026-11-18T09:46:40Z
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def run_transcript(kubesim: Kubesim, text: str) -> str:
    """The document with every console block's outputs replaced by what kubesim prints now."""

    def redo(block: re.Match[str]) -> str:
        lines = [line for line in block.group(1).splitlines() if line.startswith("$ ")]
        out = []
        for line in lines:
            out.append(line)
            command = line[2:]
            if not command.startswith("kubesim "):
                continue  # the shell's own (export): the fixture has set it already
            args = command[len("kubesim ") :].replace("samples/", f"{SAMPLES}/")
            result = kubesim(args)
            out += (result.out + result.err).splitlines()
        return "```console\n" + "\n".join(out) + "\n```"

    return BLOCK.sub(redo, text)


def pin_seed(kubesim: Kubesim, home: Path) -> None:
    """Create the cluster, then fix the seed its uids, names and scheduling draw from, so that
    volume names and node choices are the same on every run."""
    kubesim("get namespaces")
    set_runtime(home, "cluster", "seed", 20261126)


@pytest.mark.parametrize("name", DOCS)
def test_docs_show_real_output(
    kubesim: Kubesim, home: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubesim.engine import clock

    path = REPO / "docs" / name
    text = path.read_text()
    # the cluster's clock starts at a fixed moment: generated names draw on the time
    monkeypatch.setattr(clock, "wall_time", lambda: WALL)
    pin_seed(kubesim, home)
    expected = run_transcript(kubesim, text)
    if os.environ.get("KUBESIM_UPDATE_DOCS"):
        Path(path).write_text(expected)
    assert text == expected
