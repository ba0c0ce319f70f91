"""A JSON stream as encoding/json's Decoder reads it, with Go's errors."""

from __future__ import annotations

import pytest

from kubesim.api.gojson import JSONError, decode_stream


def values(text: str) -> list[object]:
    return [value for _, value in decode_stream(text)]


def error(text: str) -> str:
    with pytest.raises(JSONError) as caught:
        values(text)
    return str(caught.value)


def test_a_stream_of_values() -> None:
    text = '{"a": 1}\n{"b": [1.0, 2.5, 1e25]} [3]\n'
    assert list(decode_stream(text)) == [
        ('{"a": 1}', {"a": 1}),
        ('{"b": [1.0, 2.5, 1e25]}', {"b": [1.0, 2.5, 1e25]}),
        ("[3]", [3]),
    ]
    assert values('{"n": 99999999999999999999}') == [{"n": 1e20}]  # past int64: float64
    assert values('{"s": "\\ud800"}') == [{"s": "\ufffd"}]  # a lone surrogate


@pytest.mark.parametrize(
    ("text", "message"),
    [  # kubectl's words for each, offsets counted from the start of the stream
        ('{"a": x}', "json: offset 7: invalid character 'x' looking for beginning of value"),
        ('{"a": [1,}', "json: offset 10: invalid character '}' looking for beginning of value"),
        ('{"a": [1', "unexpected EOF"),
        (
            '\n  {"a": 1,,}',
            "json: offset 12: invalid character ',' looking for beginning of object key string",
        ),
        ('{"a":"\\x"}', "json: offset 8: invalid character 'x' in string escape code"),
        ('{"a" 1}', "json: offset 6: invalid character '1' after object key"),
        ('{"a": 1 2}', "json: offset 9: invalid character '2' after object key:value pair"),
        ('{"a": [1 2]}', "json: offset 10: invalid character '2' after array element"),
        ('{"a": tru}', "json: offset 10: invalid character '}' in literal true (expecting 'e')"),
        ('{"a": NaN}', "json: offset 7: invalid character 'N' looking for beginning of value"),
        ('{"a": -x}', "json: offset 8: invalid character 'x' in numeric literal"),
        ('{"a": "\x01"}', "json: offset 8: invalid character '\\x01' in string literal"),
        ('{} {"b": 1} x', "json: offset 13: invalid character 'x' looking for beginning of value"),
    ],
)
def test_errors(text: str, message: str) -> None:
    assert error(text) == message


def test_depth_limit() -> None:
    prefix = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "x": '
    deep = prefix + "[" * 9998 + "]" * 9998 + "}"
    assert len(values(deep)) == 1
    too_deep = prefix + "[" * 10001 + "]" * 10001 + "}"
    # as kubectl printed it for this very file: the 10,000th open bracket is one too many
    assert error(too_deep) == "json: offset 10074: invalid character '[' exceeded max depth"
    assert error("[" * 50000) == "json: offset 10001: invalid character '[' exceeded max depth"
