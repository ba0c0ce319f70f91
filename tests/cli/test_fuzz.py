"""Property-based: mutated sample manifests through create, apply and replace never end in a
traceback or "failed unexpectedly", fail (if they fail) in kubectl's error shape, and leave the
cluster as it was when nothing was reported created, configured or replaced.

The normal suite runs a few derandomized examples in a few seconds; `pytest -m fuzz` runs the
same property on many random ones.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLES, Kubesim

TEXTS = {path.name: path.read_text() for path in sorted(SAMPLES.glob("*.yaml"))}

# what hostile YAML is made of: tags, anchors, odd keys, separators, control characters
TOKENS = [
    "!!int abc", "!!binary aGk=", "!!binary ###", "!!float", "!foo", "&a", "*a", "<<: *a",
    "? [a, b]", "~", "null", "[", "]", "{", "}", "---", "--- x", "...", "\t", "\x00", "\x01",
    "'", '"', "#", ": ", "- ", "|", ">", "%YAML 1.1", "&a [*a]", "\xff", "\ufeff", "\u2028",
    "yes", "0x1F", "1e400", ".nan", "{a: " * 30, "[" * 40, "kind: List\nitems: [1]",
    "metadata: [name, x]", "spec:", "metadata:", "apiVersion: v2", "kind: Widget",
]  # fmt: skip
KINDS = ["Pod", "Service", "ConfigMap", "List", "Widget", "", "StatefulSet", "Deployment"]
COMMANDS = [
    "create -f -",
    "apply -f -",
    "apply --validate=ignore -f -",
    "create --dry-run=client -o yaml -f -",
    "apply --dry-run=server -f -",
    "replace -f -",
    "create --validate=warn -f -",
]
ERROR_SHAPE = re.compile(r"(error: |Error from server|The |\[|[a-z])")


def nest(depth: int) -> Any:
    value: Any = "leaf"
    for i in range(depth):
        value = {"a": value} if i % 2 else [value]
    return value


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from([[], {}, [None], {"": None}, ["x", 1], {"a": {"b": []}}]),
    st.sampled_from([50, 600]).map(nest),
    st.sampled_from([300_000, 1_100_000]).map(lambda n: "a" * n),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a document a mutation can reach."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += paths(child, (*prefix, i))
    return found


def set_at(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return document


@st.composite
def manifests(draw: st.DrawFn) -> str:
    """A sample manifest with a few changes to its text or to its structure."""
    text = draw(st.sampled_from(sorted(TEXTS.values())))
    if draw(st.booleans()):  # structural: decode, change, encode as YAML or JSON
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
        for _ in range(draw(st.integers(1, 3))):
            index = draw(st.integers(0, len(documents) - 1))
            document = documents[index]
            where = draw(st.sampled_from(paths(document)))
            change = draw(st.sampled_from(["set", "delete", "rename", "kind"]))
            if change == "set":
                documents[index] = set_at(document, where, draw(VALUES))
            elif change == "kind" and isinstance(document, dict):
                document["kind"] = draw(st.sampled_from(KINDS))
            elif where and change in ("delete", "rename"):
                parent = document
                for step in where[:-1]:
                    parent = parent[step]
                value = parent.pop(where[-1]) if isinstance(parent, dict) else None
                if change == "rename" and isinstance(parent, dict):
                    parent[draw(st.text(max_size=8))] = value
        if draw(st.booleans()):
            return "\n".join(json.dumps(d) for d in documents)
        return yaml.safe_dump_all(documents)
    for _ in range(draw(st.integers(1, 4))):  # textual: tokens in, lines out, cut short
        change = draw(st.sampled_from(["insert", "line", "delete", "duplicate", "truncate"]))
        at = draw(st.integers(0, len(text)))
        if change == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif change == "line":
            lines = text.splitlines(keepends=True)
            row = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[row : row + 1] = [draw(st.sampled_from(TOKENS)) + "\n"]
            text = "".join(lines)
        elif change == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif change == "duplicate":
            lines = text.splitlines(keepends=True)
            row = draw(st.integers(0, max(len(lines) - 1, 0)))
            lines[row:row] = lines[row : row + 1]
            text = "".join(lines)
        else:
            text = text[:at]
    return text


def check(kubesim: Kubesim, command: str, manifest: str) -> None:
    before = kubesim("get all,cm,pvc -A -o json").out
    result = kubesim(command, stdin=manifest)
    assert result.code in (0, 1), result.err
    assert "failed unexpectedly" not in result.err, (manifest, result.err)
    assert "Traceback" not in result.err + result.out
    if result.code:
        shown = [line for line in result.err.splitlines() if not line.startswith("Warning: ")]
        assert shown and ERROR_SHAPE.match(shown[0]), result.err
    written = any(
        line.endswith((" created", " configured", " replaced")) for line in result.out.splitlines()
    )
    if not written:
        assert kubesim("get all,cm,pvc -A -o json").out == before, (command, manifest)


FUZZ = settings(
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@settings(FUZZ, max_examples=12, derandomize=True)
@given(manifest=manifests(), command=st.sampled_from(COMMANDS))
def test_mutated_samples(kubesim: Kubesim, manifest: str, command: str) -> None:
    check(kubesim, command, manifest)


@pytest.mark.fuzz
@settings(FUZZ, max_examples=400)
@given(manifest=manifests(), command=st.sampled_from(COMMANDS))
def test_mutated_samples_at_length(kubesim: Kubesim, manifest: str, command: str) -> None:
    check(kubesim, command, manifest)
