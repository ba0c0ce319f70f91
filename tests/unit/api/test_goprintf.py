"""Go's fmt and strconv, as templates reach them (expectations checked with kubectl v1.32's
printf, built with Go 1.23)."""

from __future__ import annotations

import pytest

from kubesim.api import goprintf
from kubesim.api.gofmt import GoInt, GoUint8, go_quote, go_sprint
from kubesim.api.gostrconv import NumError, parse_int, parse_uint, unquote


@pytest.mark.parametrize(
    ("format", "args", "text"),
    [
        ("%v|%d|%s", [GoInt(1), 2, "x"], "1|2|x"),
        (
            "%5.1f|%-6s|%06d|%+d|% d",
            [3.14159, "ab", -42, GoInt(3), GoInt(3)],
            "  3.1|ab    |-00042|+3| 3",
        ),
        (
            "%x|%X|%#x|%o|%#o|%O|%b|%#b",
            [255, 255, 255, 8, 8, 8, 5, 5],
            "ff|FF|0xff|10|010|0o10|101|0b101",
        ),
        ("%x|% x|%#x|%X", ["hi", "hi", "hi", "é"], "6869|68 69|0x6869|C3A9"),
        ("%q|%+q|%#q|%q", ["é\n", "é", "a b", GoInt(65)], '"é\\n"|"\\u00e9"|`a b`|\'A\''),
        ("%c|%U|%#U", [GoInt(233), GoInt(233), GoInt(233)], "é|U+00E9|U+00E9 'é'"),
        (
            "%e|%E|%.2e|%g|%G|%.3g",
            [1234.5678, 1e-7, 0.0, 1e21, 1e-10, 123456.0],
            "1.234568e+03|1.000000E-07|0.00e+00|1e+21|1E-10|1.23e+05",
        ),
        ("%v|%v|%v|%v", [1.0, 0.1, 1e6, 123456.0], "1|0.1|1e+06|123456"),
        ("%t|%v|%v", [True, False, None], "true|false|<nil>"),
        (
            "%T|%T|%T|%T|%T|%T",
            [GoInt(1), 1, GoUint8(1), "", [], None],
            "int|int64|uint8|string|[]interface {}|<nil>",
        ),
        (
            "%v|%s",
            [{"b": [1, None], "a": "x"}, {"n": 1}],
            "map[a:x b:[1 <nil>]]|map[n:%!s(int64=1)]",
        ),
        (
            "%#v|%#v",
            [{"a": [1, None]}, "s"],
            'map[string]interface {}{"a":[]interface {}{1, interface {}(nil)}}|"s"',
        ),
        ("%d|%s|%z", ["x", GoInt(3), GoInt(1)], "%!d(string=x)|%!s(int=3)|%!z(int=1)"),
        ("%d %d", [GoInt(1)], "1 %!d(MISSING)"),
        ("%d", [GoInt(1), "a", None], "1%!(EXTRA string=a, <nil>)"),
        ("%[2]d %[1]d|%[3]d", [GoInt(1), GoInt(2)], "2 1|%!d(BADINDEX)"),
        (
            "%*d|%-*d|%.*f",
            [GoInt(4), GoInt(7), GoInt(-3), GoInt(7), GoInt(1), 2.25],
            "   7|7  |2.2",
        ),
        ("%%|%", [], "%|%!(NOVERB)"),
        ("%b|%b|%b", [1.0, -0.5, 0.0], "4503599627370496p-52|-4503599627370496p-53|0p-1074"),
        ("%x|%X|%.2x|%x", [1.5, -2.75, 1e21, 0.0], "0x1.8p+00|-0X1.6P+01|0x1.b2p+69|0x0p+00"),
        (
            "%#g|%#v|%#.3e|%#.0f|%#d",
            [100.0, 1.0, 5.0, 3.0, 0.1],
            "100.000|1|5.000e+00|3.|%!d(float64=0.100000)",
        ),
        ("%08.5U|%#v", [GoInt(255), GoUint8(68)], " U+000FF|0x44"),
    ],
)
def test_sprintf(format: str, args: list[object], text: str) -> None:
    assert goprintf.sprintf(format, args) == text


def test_sprint_spaces_operands_that_are_not_strings() -> None:
    assert goprintf.sprint([GoInt(1), GoInt(2), "a", "b", GoInt(3), None]) == "1 2ab3 <nil>"
    assert goprintf.sprintln([GoInt(1), "a", None]) == "1 a <nil>\n"


def test_go_sprint_and_quote() -> None:
    assert go_sprint(complex(1, -2)) == "(1-2i)"
    assert go_quote('tab\t"q"\x01é\U0001f600') == '"tab\\t\\"q\\"\\x01é😀"'
    assert go_quote("é", ascii_only=True) == '"\\u00e9"'


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("42", 42), ("017", 15), ("0x1F", 31), ("0o17", 15), ("0b101", 5), ("1_000", 1000)],
)
def test_parse_uint_takes_go_prefixes(text: str, value: int) -> None:
    assert parse_uint(text) == value


@pytest.mark.parametrize("text", ["", "0x", "08", "1__0", "_1", "-1", "18446744073709551616"])
def test_parse_uint_refuses(text: str) -> None:
    with pytest.raises(NumError):
        parse_uint(text)


def test_parse_int_bounds() -> None:
    assert parse_int("-9223372036854775808") == -(2**63)
    with pytest.raises(NumError, match="value out of range"):
        parse_int("9223372036854775808")


def test_unquote() -> None:
    assert unquote('"a\\tb\\u00e9\\x41\\101"') == "a\tbéAA"
    assert unquote("`raw\\n\r`") == "raw\\n"
    with pytest.raises(NumError, match="invalid syntax"):
        unquote('"\\q"')
