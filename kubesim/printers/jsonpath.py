"""kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), for -o jsonpath=...

Supports text and `{...}` actions: `$`, `@`, `.field`, `..field` (recursive), `[n]`, `[a:b:s]`,
`[*]`, `.*`, unions `['a','b']`, filters `[?(@.x=="y")]`, `{range ...}...{end}` and string
literals `{"\\n"}`. Several results print separated by spaces; maps and lists print as JSON.
Missing keys print nothing (kubectl's --allow-missing-template-keys=true).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


class JSONPathError(ValueError):
    """Raised for a template that cannot be parsed."""


@dataclass
class _Text:
    text: str


@dataclass
class _Path:
    steps: list[tuple[str, Any]]


@dataclass
class _Range:
    path: _Path
    body: list[Any]


_STEP_RE = re.compile(r"\.\.|\.|\[")


def _parse_path(expr: str, template: str) -> _Path:
    steps: list[tuple[str, Any]] = []
    i = 0
    expr = expr.strip()
    if expr.startswith("$") or expr.startswith("@"):
        i = 1
    while i < len(expr):
        c = expr[i]
        if expr.startswith("..", i):
            match = re.match(r"[\w\-/]+|\*", expr[i + 2 :])
            if not match:
                raise JSONPathError(f"unrecognized identifier in {template}")
            steps.append(("recursive", match.group(0)))
            i += 2 + len(match.group(0))
        elif c == ".":
            # a field name; `\.` is a dot inside it (label keys like app.kubernetes.io/name)
            match = re.match(r"(?:[\w\-/]|\\\.)+|\*", expr[i + 1 :])
            if not match:
                if i + 1 == len(expr):
                    i += 1
                    continue
                raise JSONPathError(f"unrecognized character in action: {expr[i + 1]!r}")
            name = match.group(0)
            steps.append(("wildcard", None) if name == "*" else ("field", name.replace("\\.", ".")))
            i += 1 + len(name)
        elif c == "[":
            end = _matching_bracket(expr, i, template)
            steps.append(_parse_bracket(expr[i + 1 : end], template))
            i = end + 1
        elif c.isspace():
            i += 1
        else:
            raise JSONPathError(f"unrecognized character in action: {c!r}")
    return _Path(steps)


def _matching_bracket(expr: str, start: int, template: str) -> int:
    depth, quote = 0, ""
    for j in range(start, len(expr)):
        ch = expr[j]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j
    raise JSONPathError(f"unterminated array in {template}")


def _parse_bracket(inner: str, template: str) -> tuple[str, Any]:
    inner = inner.strip()
    if inner == "*":
        return ("wildcard", None)
    if inner.startswith("?(") and inner.endswith(")"):
        return ("filter", _parse_filter(inner[2:-1], template))
    if ":" in inner and not inner.startswith(("'", '"')):
        parts = [p.strip() for p in inner.split(":")]
        bounds = [int(p) if p else None for p in parts] + [None] * (3 - len(parts))
        return ("slice", tuple(bounds[:3]))
    items = [p.strip() for p in inner.split(",")]
    if all(re.fullmatch(r"-?\d+", p) for p in items):
        return ("index", [int(p) for p in items])
    return ("union", [p.strip("'\"") for p in items])


def _parse_filter(text: str, template: str) -> tuple[_Path, str, Any]:
    match = re.fullmatch(r"\s*(@[^<>=!\s]*)\s*(==|!=|<=|>=|<|>)?\s*(.*?)\s*", text)
    if not match:
        raise JSONPathError(f"unrecognized filter in {template}")
    left, op, right = match.groups()
    value: Any = None
    if op:
        if right[:1] in "'\"":
            value = right[1:-1]
        else:
            try:
                value = json.loads(right)
            except ValueError:
                value = right
    return (_parse_path(left, template), op or "exists", value)


def parse(template: str) -> list[Any]:
    """The template's nodes; JSONPathError when it is malformed."""
    nodes: list[Any] = []
    stack: list[list[Any]] = [nodes]
    ranges: list[_Range] = []
    i = 0
    while i < len(template):
        start = template.find("{", i)
        if start < 0:
            stack[-1].append(_Text(template[i:]))
            break
        if start > i:
            stack[-1].append(_Text(template[i:start]))
        end = _action_end(template, start)
        action = template[start + 1 : end].strip()
        i = end + 1
        if action.startswith("range"):
            node = _Range(_parse_path(action[5:], template), [])
            stack[-1].append(node)
            stack.append(node.body)
            ranges.append(node)
        elif action == "end":
            if not ranges:
                raise JSONPathError("not in range, nothing to end")
            ranges.pop()
            stack.pop()
        elif action.startswith('"') or action.startswith("'"):
            stack[-1].append(_Text(_unquote(action)))
        else:
            stack[-1].append(_parse_path(action, template))
    return nodes


def _action_end(template: str, start: int) -> int:
    quote = ""
    for j in range(start + 1, len(template)):
        ch = template[j]
        if quote:
            if ch == "\\":
                continue
            if ch == quote and template[j - 1] != "\\":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "}":
            return j
    raise JSONPathError("unclosed action")


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape")


def _evaluate(path: _Path, values: list[Any]) -> list[Any]:
    for kind, arg in path.steps:
        found: list[Any] = []
        for value in values:
            found += _step(kind, arg, value)
        values = found
    return values


def _step(kind: str, arg: Any, value: Any) -> list[Any]:
    if kind == "field":
        return [value[arg]] if isinstance(value, dict) and arg in value else []
    if kind == "wildcard":
        if isinstance(value, dict):
            return [value[k] for k in sorted(value)]
        return list(value) if isinstance(value, list) else []
    if kind == "index":
        if not isinstance(value, list):
            return []
        return [value[i] for i in arg if -len(value) <= i < len(value)]
    if kind == "slice":
        return value[slice(*arg)] if isinstance(value, list) else []
    if kind == "union":
        return [value[k] for k in arg if isinstance(value, dict) and k in value]
    if kind == "recursive":
        return _recursive(arg, value)
    if kind == "filter":
        items = value if isinstance(value, list) else []
        return [item for item in items if _matches(arg, item)]
    return []


def _recursive(name: str, value: Any) -> list[Any]:
    found = []
    if isinstance(value, dict):
        if name == "*":
            found += list(value.values())
        elif name in value:
            found.append(value[name])
        for k in sorted(value):
            found += _recursive(name, value[k])
    elif isinstance(value, list):
        for item in value:
            found += _recursive(name, item)
    return found


def _matches(condition: tuple[_Path, str, Any], item: Any) -> bool:
    path, op, expected = condition
    results = _evaluate(path, [item])
    if op == "exists":
        return bool(results)
    if not results:
        return False
    actual = results[0]
    if op == "==":
        return bool(actual == expected or str(actual) == str(expected))
    if op == "!=":
        return bool(actual != expected and str(actual) != str(expected))
    try:
        if op == "<":
            return bool(actual < expected)
        if op == ">":
            return bool(actual > expected)
        if op == "<=":
            return bool(actual <= expected)
        return bool(actual >= expected)
    except TypeError:
        return False


def _format(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def execute(nodes: list[Any], data: Any) -> str:
    out: list[str] = []
    _run(nodes, [data], out)
    return "".join(out)


def _run(nodes: list[Any], current: list[Any], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, _Text):
            out.append(node.text)
        elif isinstance(node, _Path):
            results = []
            for value in current:
                results += _evaluate(node, [value])
            out.append(" ".join(_format(v) for v in results))
        elif isinstance(node, _Range):
            for value in current:
                for item in _evaluate(node.path, [value]):
                    _run(node.body, [item], out)


def render(template: str, data: Any) -> str:
    """Apply a kubectl JSONPath template to `data`."""
    return execute(parse(template), data)


def find_results(template: str, data: Any) -> list[list[Any]]:
    """The values each part of the template selects (client-go's FindResults), unformatted."""
    results: list[list[Any]] = []
    for node in parse(template):
        if isinstance(node, _Text):
            results.append([node.text])
        elif isinstance(node, _Path):
            results.append(_evaluate(node, [data]))
        elif isinstance(node, _Range):
            for item in _evaluate(node.path, [data]):
                out: list[str] = []
                _run(node.body, [item], out)
                results.append(out)
    return results


def render_json(template: str, data: Any) -> str:
    """-o jsonpath-as-json: each part's results (text parts too) as an indented JSON array, as
    client-go's PrintResults does with JSON output enabled."""
    from kubesim.api.gofmt import go_json_indent

    return "".join(go_json_indent(values) + "\n" for values in _values(parse(template), data))


def _values(nodes: list[Any], data: Any) -> list[list[Any]]:
    """FindResults: a list of values per node; a range contributes its body's, item by item."""
    results: list[list[Any]] = []
    for node in nodes:
        if isinstance(node, _Text):
            results.append([node.text])
        elif isinstance(node, _Path):
            results.append(_evaluate(node, [data]))
        elif isinstance(node, _Range):
            for item in _evaluate(node.path, [data]):
                results += _values(node.body, item)
    return results
