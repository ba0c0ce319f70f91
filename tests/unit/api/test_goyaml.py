"""One YAML document as kubectl reads it (go-yaml v2, then sigs.k8s.io/yaml's JSON)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from kubesim.api import goyaml
from kubesim.api.goyaml import YAMLError, yaml_to_json

PREFIX = "error converting YAML to JSON: "


def error(text: str) -> str:
    with pytest.raises(YAMLError) as caught:
        yaml_to_json(text)
    return str(caught.value).removeprefix(PREFIX)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("x: yes", {"x": True}),  # YAML 1.1, as go-yaml v2 resolves
        ("x: Off", {"x": False}),
        ("x: ~", {"x": None}),
        ("x: 0777", {"x": 511}),
        ("x: 0x1F", {"x": 31}),
        ("x: 1_000", {"x": 1000}),
        ("x: 1.0", {"x": 1}),  # json.Marshal writes 1, which reads back as an integer
        ("x: 1.5", {"x": 1.5}),
        ("x: 2001-12-14", {"x": "2001-12-14"}),  # timestamps stay text
        ("x: !!timestamp 2001-12-14", {"x": "2001-12-14"}),
        ('x: "yes"', {"x": "yes"}),
        ("x: !!str 5", {"x": "5"}),
        ("x: !!float 1", {"x": 1}),
        ("x: !foo bar", {"x": "bar"}),  # an unknown tag leaves the text
        ("x: !!binary aGVsbG8=", {"x": "hello"}),
        ("x: 99999999999999999999", {"x": 1e20}),  # past int64: a float64 in JSON
        ("x: 18446744073709551615", {"x": 18446744073709551615.0}),  # a uint64
        ("y: 1", {"true": 1}),  # a key resolves too, then becomes text
        ("{1: a, true: b, 1.5: c, 0.1: d}", {"1": "a", "true": "b", "1.5": "c", "0.1": "d"}),
        ("x: 1\nx: 2", {"x": 2}),  # without strict mode the last value wins
        ("a: &a {x: 1}\nb:\n  <<: *a\n  z: 2", {"a": {"x": 1}, "b": {"x": 1, "z": 2}}),
        ("b:\n  x: 0\n  <<: {x: 1}", {"b": {"x": 1}}),  # v2 merges into the map as it goes
        ("a: &a [1]\nb: [*a, *a]", {"a": [1], "b": [[1], [1]]}),
        ("", None),
        ("# only a comment\n", None),
        ("--- |\n  text\n", "text\n"),
    ],
)
def test_values(text: str, value: Any) -> None:
    assert yaml_to_json(text + "\n") == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!int abc", "yaml: cannot decode !!str `abc` as a !!int"),
        ("x: !!bool 1", "yaml: cannot decode !!int `1` as a !!bool"),
        ("x: !!timestamp abc", "yaml: cannot decode !!str `abc` as a !!timestamp"),
        ("x: !!binary '%%%'", "yaml: !!binary value contains invalid base64 data"),
        ("{? [a, b] : x}", 'yaml: invalid map key: []interface {}{"a", "b"}'),
        ("{~: x}", 'unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'),
        ("x: .nan", "json: unsupported value: NaN"),
        ("x: -.inf", "json: unsupported value: -Inf"),
        ("a: *b", "yaml: unknown anchor 'b' referenced"),
        ("a: &a [*a]", "yaml: anchor 'a' value contains itself"),
        ("<<: [x]", "yaml: map merge requires map or sequence of maps as the value"),
        ("a: b: c", "yaml: mapping values are not allowed in this context"),
        ("a: {b: 1", "yaml: line 1: did not find expected ',' or '}'"),
        ("a:\n  - x\n y: 2", "yaml: line 2: did not find expected key"),
        ("a: \x01", "yaml: control characters are not allowed"),
        ("\ta: 1", "yaml: found character that cannot start any token"),
    ],
)
def test_errors(text: str, message: str) -> None:
    assert error(text + "\n") == message


def test_lines_count_what_was_cut_off_the_front() -> None:
    assert error("a: {b: 1\n") == "yaml: line 1: did not find expected ',' or '}'"
    with pytest.raises(YAMLError) as caught:
        yaml_to_json("a: {b: 1\n", first_line=3)
    assert str(caught.value) == PREFIX + "yaml: line 4: did not find expected ',' or '}'"


def billion_laughs(levels: int) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text


def test_a_billion_laughs_fails_fast() -> None:
    started = time.monotonic()
    assert error(billion_laughs(9)) == "yaml: document contains excessive aliasing"
    assert time.monotonic() - started < 1


def test_a_little_aliasing_is_allowed() -> None:
    assert len(yaml_to_json(billion_laughs(3))["a2"]) == 9  # 729 strings from 30 nodes


def test_go_yamls_own_limit_case() -> None:
    # limit_test.go: "1000kb of maps with 100 aliases", scaled down to stay quick: a hundred
    # aliases of a large anchored list are mostly alias expansion
    text = "{a: &a [{a}" + ",{a}" * 2500 + "], b: &b [*a" + ",*a" * 99 + "]}"
    assert error(text) == "yaml: document contains excessive aliasing"


@pytest.mark.parametrize("depth", [600, 999, 1000, 10000])
def test_nesting_up_to_go_yamls_limit(depth: int) -> None:
    flow = "x: " + "[" * depth + "]" * depth + "\n"
    value = yaml_to_json(flow)["x"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_nesting_past_the_limit() -> None:
    started = time.monotonic()
    flow = "a: 1\nx: " + "[" * 10001 + "]" * 10001 + "\n"
    assert error(flow) == "yaml: line 2: exceeded max depth of 10000"
    block = "a: 1\nx:\n  " + "- " * 10001 + "b\n"
    assert error(block) == "yaml: line 3: exceeded max depth of 10000"
    assert error("[" * 100000) == "yaml: exceeded max depth of 10000"
    assert time.monotonic() - started < 5


def test_resolve_matches_go_yaml() -> None:
    assert goyaml.resolve("", "1e3") == (goyaml.FLOAT, 1000.0)
    assert goyaml.resolve("", "1e400") == (goyaml.STR, "1e400")  # ParseFloat's range error
    assert goyaml.resolve("", "08") == (goyaml.FLOAT, 8.0)  # not octal, but a float
    assert goyaml.resolve("", "-0b101") == (goyaml.INT, -5)
    assert goyaml.resolve("", "+") == (goyaml.STR, "+")
