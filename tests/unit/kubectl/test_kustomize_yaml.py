"""kustomize's YAML: read as yaml.v3 reads it, printed as sigs.k8s.io/yaml (go-yaml v2) prints
it. Every expected text is kubectl kustomize v5.5.0's."""

from __future__ import annotations

import pytest

from kubesim.kubectl.kustomize_yaml import load, resolve_v3, sorted_keys, to_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"),  # YAML 1.2: a string, not a bool
        ("on", "on"),
        ("017", 15),  # octal, as strconv.ParseInt(s, 0, 64) reads it
        ("0o17", 15),
        ("1_000", 1000),
        ("08", 8.0),  # not octal: a float
        ("1e3", 1000.0),
        ("~", None),
        ("2001-12-14", "2001-12-14T00:00:00Z"),  # a time.Time, encoded as RFC 3339
        ("3:25:45", "3:25:45"),
    ],
)
def test_plain_scalars_resolve_as_yaml_v3(text: str, value: object) -> None:
    assert resolve_v3(text) == value
    assert load(f"v: {text}\n") == {"v": value}


def test_keys_sort_in_go_yaml_v2s_natural_order() -> None:
    keys = ["key10", "key9", "Z", "_a", "a-b", "ab", "a.b", "A", "0", "10", "9", "a01b", "a1c"]
    assert sorted_keys(keys) == [
        "_a", "0", "9", "10", "A", "Z", "a-b", "a.b", "a1c", "a01b", "ab", "key9", "key10",
    ]  # fmt: skip


def test_strings_are_quoted_only_where_they_would_read_back_as_something_else() -> None:
    data = {"a": "y", "b": "on", "c": "1e3", "d": "foo: bar", "e": "*", "f": "x:y", "g": "",
            "h": "a\nb", "i": "a\n", "j": "😀", "k": "<<", "l": "NaN"}  # fmt: skip
    assert to_yaml(data) == (
        'a: "y"\nb: "on"\nc: "1e3"\nd: \'foo: bar\'\ne: \'*\'\nf: x:y\ng: ""\nh: |-\n  a\n  b\n'
        'i: |\n  a\nj: "\\U0001F600"\nk: <<\nl: NaN\n'
    )


def test_numbers_go_through_encoding_json() -> None:
    assert to_yaml({"i": 2.0, "f": 1.5, "e": 1e-7, "big": 1e21, "m": 12345678.9}) == (
        "big: 1e+21\ne: 1e-07\nf: 1.5\ni: 2\nm: 1.23456789e+07\n"
    )


def test_long_lines_fold_at_80_columns() -> None:
    text = "this is a long line of text that goes on and on and on and on and on and on and on"
    assert to_yaml({"long": text}) == (
        "long: this is a long line of text that goes on and on and on and on and on and on\n"
        "  and on\n"
    )
