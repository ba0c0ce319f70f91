"""Label and field selectors, as apimachinery's labels and fields packages parse and match them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubesim.api import names
from kubesim.api.errors import UsageError

# operators, spelled as apimachinery's selection.Operator values
IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
GREATER_THAN, LESS_THAN, EXISTS, DOES_NOT_EXIST = "gt", "lt", "exists", "!"
_BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt"


@dataclass(frozen=True)
class Requirement:
    """One `key <op> values` term; a selector is their conjunction."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        match self.operator:
            case "in" | "=" | "==":
                return present and value in self.values
            case "notin" | "!=":
                return not present or value not in self.values
            case "exists":
                return present
            case "!":
                return not present
            case "gt" | "lt":
                try:
                    have, want = int(value or ""), int(self.values[0])
                except ValueError:
                    return False
                return have > want if self.operator == "gt" else have < want
        return False

    def __str__(self) -> str:
        if self.operator == "exists":
            return self.key
        if self.operator == "!":
            return f"!{self.key}"
        if self.operator in ("in", "notin"):
            return f"{self.key} {self.operator} ({','.join(self.values)})"
        symbol = {"gt": ">", "lt": "<"}.get(self.operator, self.operator)
        return f"{self.key}{symbol}{self.values[0]}"


@dataclass(frozen=True)
class Selector:
    """A conjunction of requirements; the empty selector matches everything."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False  # a nil LabelSelector in a spec selects nothing

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def required_pair(self) -> tuple[str, str] | None:
        """A (key, value) every matching object's labels must hold, if the selector has one:
        what an index by label can look up before the rest is checked."""
        for r in self.requirements:
            if r.operator in (IN, EQUALS, DOUBLE_EQUALS) and len(r.values) == 1:
                return r.key, r.values[0]
        return None

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


# --- parsing the string form (labels.Parse) ---------------------------------------------------

_SPECIAL = set("=!(),><")
_SYMBOLS = {")": ")", ",": ",", "!": "!", "==": "==", "=": "=", ">": ">", "<": "<", "!=": "!="}
_SYMBOLS["("] = "("


def _lex(text: str) -> list[tuple[str, str]]:
    """Tokens as (kind, literal); kind is 'id', 'end', 'error' or the symbol itself."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i >= len(text):
            tokens.append(("end", ""))
            return tokens
        if text[i] in _SPECIAL:
            buffer, last = "", None
            while i < len(text) and text[i] in _SPECIAL:
                buffer += text[i]
                if buffer in _SYMBOLS:
                    last = buffer
                    i += 1
                elif last is not None:
                    break
                else:
                    i += 1
            if last is None:
                tokens.append(("error", f"error expected: keyword found '{buffer}'"))
            else:
                tokens.append((last, last))
            continue
        start = i
        while i < len(text) and text[i] not in _SPECIAL and text[i] not in " \t\r\n":
            i += 1
        word = text[start:i]
        tokens.append((word if word in ("in", "notin") else "id", word))


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[str, str]:
        kind, lit = self.tokens[self.pos]
        return ("id" if values and kind in ("in", "notin") else kind), lit

    def take(self, values: bool = True) -> tuple[str, str]:
        token = self.peek(values)
        self.pos += 1
        return token

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            kind, lit = self.peek()
            if kind in ("id", "!"):
                try:
                    requirements.append(self.requirement())
                except ValueError as err:
                    raise ValueError(f"unable to parse requirement: {err}") from None
                kind, lit = self.take()
                if kind == "end":
                    return requirements
                if kind == ",":
                    kind2, lit2 = self.peek()
                    if kind2 not in ("id", "!"):
                        raise ValueError(f"found '{lit2}', expected: identifier after ','")
                else:
                    raise ValueError(f"found '{lit}', expected: ',' or 'end of string'")
            elif kind == "end":
                return requirements
            else:
                raise ValueError(f"found '{lit}', expected: !, identifier, or 'end of string'")

    def requirement(self) -> Requirement:
        operator = ""
        kind, key = self.take()
        if kind == "!":
            operator = DOES_NOT_EXIST
            kind, key = self.take()
        if kind != "id":
            raise ValueError(f"found '{key}', expected: identifier")
        key_errors = names.label_key_errors(key)
        if key_errors:
            raise ValueError(f'key: Invalid value: "{key}": {"; ".join(key_errors)}')
        if self.peek()[0] in ("end", ","):
            return _requirement(key, operator or EXISTS, [])
        if operator:
            raise ValueError(f"found '{self.peek()[1]}', expected: ',' or 'end of string'")
        kind, lit = self.take(values=False)
        operator = {
            "in": IN, "notin": NOT_IN, "=": EQUALS, "==": DOUBLE_EQUALS, "!=": NOT_EQUALS,
            ">": GREATER_THAN, "<": LESS_THAN,
        }.get(kind, "")  # fmt: skip
        if not operator:
            raise ValueError(f"found '{lit}', expected: {_BINARY_OPERATORS}")
        values = self.set_values() if operator in (IN, NOT_IN) else self.exact_value()
        return _requirement(key, operator, values)

    def set_values(self) -> list[str]:
        kind, lit = self.take()
        if kind != "(":
            raise ValueError(f"found '{lit}' expected: '('")
        kind, lit = self.peek()
        if kind == ")":
            self.take()
            return [""]
        if kind not in ("id", ","):
            raise ValueError(f"found '{lit}', expected: ',', ')' or identifier")
        values: set[str] = set()
        while True:
            kind, word = self.take()
            if kind == "id":
                values.add(word)
                kind2, lit2 = self.peek()
                if kind2 == ",":
                    continue
                if kind2 == ")":
                    break
                raise ValueError(f"found '{lit2}', expected: ',' or ')'")
            if kind == ",":
                if not values:
                    values.add("")
                kind2, _ = self.peek()
                if kind2 == ")":
                    values.add("")
                    break
                if kind2 == ",":
                    values.add("")
                continue
            raise ValueError(f"found '{word}', expected: ',', or identifier")
        if self.take()[0] != ")":
            raise ValueError(f"found '{lit}', expected: ')'")
        return sorted(values)

    def exact_value(self) -> list[str]:
        kind, _ = self.peek()
        if kind in ("end", ","):
            return [""]
        kind, lit = self.take()
        if kind == "id":
            return [lit]
        raise ValueError(f"found '{lit}', expected: identifier")


def _requirement(key: str, operator: str, values: list[str]) -> Requirement:
    """NewRequirement: check the values the operator allows."""
    if operator in (IN, NOT_IN) and not values:
        raise ValueError(
            "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty"
        )
    if operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS) and len(values) != 1:
        raise ValueError(
            "values: Invalid value: []: exact-match compatibility requires one single value"
        )
    if operator in (GREATER_THAN, LESS_THAN):
        try:
            int(values[0])
        except ValueError:
            raise ValueError(
                f'values[0]: Invalid value: "{values[0]}": '
                "for 'Gt', 'Lt' operators, the value must be an integer"
            ) from None
    for value in values:
        errors = names.label_value_errors(value)
        if errors:
            raise ValueError(f'values[0][{key}]: Invalid value: "{value}": {"; ".join(errors)}')
    return Requirement(key, operator, tuple(values))


def parse(text: str) -> Selector:
    """Parse a `-l` selector ("app=nginx,tier in (web,api),!canary"); UsageError when malformed."""
    for kind, lit in _lex(text):
        if kind == "error":
            raise UsageError(f"unable to parse requirement: {lit}")
    try:
        requirements = _Parser(text).parse()
    except ValueError as err:
        raise UsageError(str(err)) from None
    return Selector(tuple(sorted(requirements, key=lambda r: r.key)))


# --- LabelSelector objects in specs (metav1.LabelSelectorAsSelector) ----------------------------

_EXPRESSION_OPERATORS = {
    "In": IN,
    "NotIn": NOT_IN,
    "Exists": EXISTS,
    "DoesNotExist": DOES_NOT_EXIST,
}


def from_label_selector(spec: Mapping[str, Any] | None) -> Selector:
    """A spec's `selector` (matchLabels, matchExpressions); None selects nothing, {} all."""
    if spec is None:
        return Selector(nothing=True)
    requirements = [
        Requirement(k, EQUALS, (v,)) for k, v in (spec.get("matchLabels") or {}).items()
    ]
    for expression in spec.get("matchExpressions") or []:
        operator = _EXPRESSION_OPERATORS.get(expression.get("operator", ""))
        if operator is None:
            return Selector(nothing=True)
        values = tuple(sorted(expression.get("values") or ()))
        requirements.append(Requirement(expression.get("key", ""), operator, values))
    return Selector(tuple(sorted(requirements, key=lambda r: r.key)))


def from_labels(labels: Mapping[str, str] | None) -> Selector:
    """A Service-style selector (a plain map); an empty map selects everything."""
    return Selector(tuple(Requirement(k, EQUALS, (v,)) for k, v in sorted((labels or {}).items())))


# --- field selectors (fields.ParseSelector) ----------------------------------------------------


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    value: str
    negate: bool


def parse_fields(text: str) -> tuple[FieldRequirement, ...]:
    """Parse `--field-selector` ("status.phase=Running,metadata.name!=web-0")."""
    requirements = []
    for term in filter(None, (t.strip() for t in text.split(","))):
        for op, negate in (("!=", True), ("==", False), ("=", False)):
            if op in term:
                name, _, value = term.partition(op)
                requirements.append(FieldRequirement(name.strip(), value.strip(), negate))
                break
        else:
            raise UsageError(f"invalid selector: '{text}'; can't understand '{term}'")
    return tuple(requirements)
