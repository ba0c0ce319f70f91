"""Reading -f: files, directories and stdin, YAML or JSON, several documents, `kind: List`.

YAML is read as sigs.k8s.io/yaml reads it: dates stay strings (it converts YAML to JSON, which
has no dates), and a key given twice in one mapping is an error. Everything is parsed and
checked before any object is used, so bad input changes nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from kubesim.api import kinds
from kubesim.api.errors import UsageError

Object = dict[str, Any]


class Manifest:
    """One object from a -f file, with the file it came from."""

    __slots__ = ("source", "obj")

    def __init__(self, source: str, obj: Object) -> None:
        self.source = source
        self.obj = obj


def load_manifests(
    paths: list[str], namespace: str | None = None, *, verb: str | None = None
) -> list[Manifest]:
    """Every object in the files, directories or stdin given with -f, checked before any is used.
    Commands that refuse to act on nothing (create, apply) name themselves in `verb`."""
    manifests: list[Manifest] = []
    for path in paths:
        for source, text in _read_sources(path):
            manifests += parse(source, text)
    if not manifests and verb:
        raise UsageError(f"no objects passed to {verb}")
    for manifest in manifests:
        check_mapping(manifest)
        own_ns = (manifest.obj.get("metadata") or {}).get("namespace")
        if namespace and own_ns and own_ns != namespace:
            raise UsageError(
                f'the namespace from the provided object "{own_ns}" does not match the namespace '
                f"\"{namespace}\". You must pass '--namespace={own_ns}' to perform this operation."
            )
    return manifests


def _read_sources(path: str) -> list[tuple[str, str]]:
    if path == "-":
        return [("STDIN", sys.stdin.read())]
    if path.startswith(("http://", "https://")):
        from kubesim.cli.urls import read_url

        return [(path, read_url(path))]
    p = Path(path)
    if not p.exists():
        raise UsageError(f'the path "{path}" does not exist')
    if p.is_dir():
        files = sorted(
            f for f in p.iterdir() if f.suffix in (".json", ".yaml", ".yml") and f.is_file()
        )
        return [(os.fspath(f), _read(f)) for f in files]
    return [(path, _read(p))]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"error reading {path}: {getattr(err, 'strerror', None) or err}") from None


_GO_JSON_TYPES = {
    "list": "array",
    "str": "string",
    "int": "number",
    "float": "number",
    "bool": "bool",
}


def parse(source: str, text: str) -> list[Manifest]:
    """The objects in one file's text; UsageError with kubectl's text if it cannot be read."""
    import yaml

    try:
        documents = [d for d in yaml.load_all(text, Loader=_loader()) if d is not None]
    except _DuplicateKey as err:
        raise UsageError(
            f"error parsing {source}: error converting YAML to JSON: yaml: unmarshal errors:\n"
            f'  line {err.line}: key "{err.key}" already set in map'
        ) from None
    except yaml.YAMLError as err:
        raise UsageError(
            f"error parsing {source}: error converting YAML to JSON: {go_yaml_error(err)}"
        ) from None
    manifests = []
    for document in documents:
        _must_be_object(source, document)
        is_list = str(document.get("kind", "")).endswith("List") and "items" in document
        if not is_list:
            manifests.append(Manifest(source, document))
            continue
        items = document.get("items") or []
        if not isinstance(items, list):
            raise UsageError(f"error parsing {source}: items must be an array of objects")
        for item in items:
            _must_be_object(source, item)
            manifests.append(Manifest(source, item))
    return manifests


def _must_be_object(source: str, document: Any) -> None:
    if not isinstance(document, dict):
        kind = _GO_JSON_TYPES.get(type(document).__name__, "null")
        raise UsageError(
            f"error parsing {source}: error unmarshaling JSON: json: cannot unmarshal "
            f"{kind} into Go value of type map[string]interface {{}}"
        )


def check_mapping(manifest: Manifest) -> None:
    """The builder's mapping of a manifest to a kind kubesim serves, or kubectl's error."""
    obj = manifest.obj
    missing = [f"{field} not set" for field in ("apiVersion", "kind") if not obj.get(field)]
    if missing:
        detail = missing[0] if len(missing) == 1 else f"[{', '.join(missing)}]"
        raise UsageError(
            f'error validating "{manifest.source}": error validating data: {detail}; '
            "if you choose to ignore these errors, turn validation off with --validate=false"
        )
    if kinds.for_object(str(obj["apiVersion"]), str(obj["kind"])) is None:
        meta: Object = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
        raise UsageError(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{manifest.source}": no matches for kind '
            f'"{obj["kind"]}" in version "{obj["apiVersion"]}"\nensure CRDs are installed first'
        )


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_LOADER: Any = None


def _loader() -> Any:
    """A SafeLoader that keeps timestamps as strings and refuses duplicate keys."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    class KubernetesLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise _DuplicateKey(str(key), key_node.start_mark.line + 1)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    # YAML 1.1 timestamps would become dates; JSON (and so Kubernetes) keeps them as strings
    KubernetesLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _LOADER = KubernetesLoader
    return _LOADER


# PyYAML's words for a problem -> libyaml's, which go-yaml (and so kubectl) prints
_LIBYAML_PROBLEMS = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("expected the node content", "did not find expected node content"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected <block end>, but found '-'", "did not find expected '-' indicator"),
    ("expected <block end>", "did not find expected key"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found unexpected end of stream", "found unexpected end of stream"),
)


def go_yaml_error(err: Any) -> str:
    """go-yaml's text for a YAML error: "yaml: line N: <problem>". The line is the problem's
    (0-based for a parser error, 1-based for a scanner's), else the context's; a problem at
    the end of a text without a final newline is on the next line (libyaml ends the stream on a
    new line)."""
    import yaml

    problem = str(getattr(err, "problem", None) or err)
    text = next((go for py, go in _LIBYAML_PROBLEMS if py in problem), problem)
    mark = getattr(err, "problem_mark", None)
    context = getattr(err, "context_mark", None)
    line = 0
    if mark is not None:
        line = mark.line
        if "<stream end>" in problem and mark.column != 0:
            line += 1
        if isinstance(err, yaml.scanner.ScannerError):
            line += 1 if line else 0
    if not line and context is not None:
        line = context.line
    return f"yaml: line {line}: {text}" if line else f"yaml: {text}"
