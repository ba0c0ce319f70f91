"""The two word wrappers kubectl explain uses, and the template's type hints."""

from __future__ import annotations

from typing import Any

from kubesim.printers import explain


def test_go_wordwrap_breaks_at_the_limit_and_keeps_long_words_whole() -> None:
    assert explain.wrap(10, "aaa bbb ccc ddd") == "aaa bbb\nccc ddd"
    assert explain.wrap(5, "abcdefghij k") == "abcdefghij\nk"
    # existing newlines are kept, with the spaces before them
    assert explain.wrap(20, "one two\nthree") == "one two\nthree"
    assert explain.wrap(76, "text\n") == "text\n"
    # a break swallows the spaces where it falls
    assert explain.wrap(7, "abc    defgh") == "abc\ndefgh"


def test_openapiv2_formatter_wraps_words_and_starts_lines_as_kubectl_does() -> None:
    wrap = explain._v2_wrap
    assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert wrap("Example:\n- one\n- two", 80) == ["Example:", "- one", "- two"]
    # a blank line shows only once a line has been written before it (formatter.go)
    assert wrap("para one\n\npara two", 80) == ["para one", "para two"]
    assert wrap("x:\ny\n\nz", 80) == ["x:", "y", "", "z"]
    assert wrap("text\n    code  kept", 80) == ["text", "    code  kept"]
    assert wrap("", 80) == []


class _Doc:
    root = "a.Root"

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas

    def schema(self, name: str) -> Any:
        return self.schemas.get(name)

    def resolve(self, ref: Any) -> Any:
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return self.schemas.get(ref.rsplit("/", 1)[1])
        return None


def test_type_guess_follows_kubectls_template() -> None:
    doc = _Doc(
        {
            "v1.Time": {"type": "string", "format": "date-time"},
            "v1.PodSpec": {"type": "object", "properties": {}},
            "intstr.IntOrString": {"format": "int-or-string", "oneOf": []},
        }
    )
    ref = "#/components/schemas/"
    guess = explain.type_guess
    assert guess(doc, {"allOf": [{"$ref": ref + "v1.Time"}]}) == "string"
    assert guess(doc, {"allOf": [{"$ref": ref + "v1.PodSpec"}]}) == "PodSpec"
    assert guess(doc, {"$ref": ref + "intstr.IntOrString"}) == "IntOrString"
    assert guess(doc, {"type": "array", "items": {"type": "number"}}) == "[]number"
    assert guess(doc, {"type": "array"}) == "array"
    assert guess(doc, {"type": "object"}) == "Object"
    assert guess(doc, {"type": "string", "additionalProperties": True}) == "string"
    assert guess(doc, {"type": "object", "additionalProperties": {"type": "string"}}) == (
        "map[string]string"
    )
