"""configMapGenerator and secretGenerator (api/internal/generators, api/kv, api/hasher).

A generated ConfigMap or Secret takes its data from literals, files and env files, in that
kustomize order: env files, then literals, then files. Its name gets the content hash kustomize
computes (hasher.go): sha256 of the JSON of kind, data (and binaryData or stringData, and a
Secret's type) with an empty name (kyaml's Lookup("metadata/name") finds nothing, so every hash
is of ""), its first ten hex digits with 0, 1, 3, a and e swapped for g, h, k, m and t.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from typing import Any, Protocol

from kubesim.kubectl.kustomize_resource import (
    GENERATOR_BEHAVIOR,
    NEEDS_HASH,
    KustomizeError,
    Resource,
)

Object = dict[str, Any]


class FileLoader(Protocol):
    def load(self, path: str) -> bytes: ...


def _go_json_string(text: str) -> str:
    """encoding/json's string literal: short escapes for \\n \\r \\t, \\u00XX for the other
    controls, and <, >, &, U+2028, U+2029 escaped as for HTML."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or char in "<>&\u2028\u2029":
            out.append(f"\\u{code:04x}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out) + '"'


def go_json(value: Any) -> str:
    """encoding/json of maps (sorted keys) and strings, compact."""
    if isinstance(value, dict):
        items = (f"{_go_json_string(k)}:{go_json(value[k])}" for k in sorted(value))
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    if isinstance(value, str):
        return _go_json_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        from kubesim.kubectl.kustomize_yaml import go_json_number

        return go_json_number(value)
    return str(value)


def encode_hash(hex_digest: str) -> str:
    """hasher.encode: ten hex digits, with the vowel-free substitutions."""
    return hex_digest[:10].translate(str.maketrans("013ae", "ghkmt"))


def _as_string_map(value: Any) -> Any:
    """What getNodeValues gives for a field: "" when missing, a map for a map."""
    if value is None:
        return ""
    if isinstance(value, dict):
        from kubesim.kubectl.kustomize_resource import _scalar_text

        return {str(k): (v if isinstance(v, dict | list) else _scalar_text(v))
                for k, v in value.items()}  # fmt: skip
    if isinstance(value, list):
        return value
    from kubesim.kubectl.kustomize_resource import _scalar_text

    return _scalar_text(value)


def content_hash(res: Resource) -> str:
    """Hasher.Hash for a ConfigMap or Secret (the name it hashes is always empty)."""
    obj = res.obj
    if res.kind == "Secret":
        encoded: Object = {"kind": "Secret", "type": _as_string_map(obj.get("type")), "name": "",
                           "data": _as_string_map(obj.get("data"))}  # fmt: skip
        if isinstance(obj.get("stringData"), dict):
            encoded["stringData"] = _as_string_map(obj["stringData"])
    elif res.kind == "ConfigMap":
        encoded = {"kind": "ConfigMap", "name": "", "data": _as_string_map(obj.get("data"))}
        if isinstance(obj.get("binaryData"), dict):
            encoded["binaryData"] = _as_string_map(obj["binaryData"])
    else:
        raise KustomizeError(f"kubesim cannot hash the name of a {res.kind}")
    return encode_hash(hashlib.sha256(go_json(encoded).encode("utf-8")).hexdigest())


# --- key/value sources (api/kv) ---------------------------------------------------------------


def parse_file_source(source: str) -> tuple[str, str]:
    """generators.ParseFileSource: `path` (the key is its base name) or `key=path`."""
    separators = source.count("=")
    if separators == 0:
        return posixpath.basename(source), source
    if separators == 1 and source.startswith("="):
        raise KustomizeError(
            f"missing key name for file path {_q(source[1:])} in source {_q(source)}"
        )
    if separators == 1 and source.endswith("="):
        raise KustomizeError(
            f"missing file path for key name {_q(source[:-1])} in source {_q(source)}"
        )
    if separators > 1:
        raise KustomizeError(f"source {_q(source)} key name or file path contains '='")
    key, path = source.split("=")
    return key, path


def _q(text: str) -> str:
    from kubesim.api.gofmt import go_quote

    return go_quote(text)


def _literal(source: str) -> tuple[str, str]:
    """parseLiteralSource: key=value, one pair of matching quotes around the value removed."""
    if source.startswith("=") or "=" not in source:
        raise KustomizeError(f"invalid literal source {source}, expected key=value")
    key, value = source.split("=", 1)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return key, value


def _env_pairs(content: bytes) -> list[tuple[str, str]]:
    """keyValuesFromLines: KEY=value lines; blank lines and # comments skipped."""
    pairs = []
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            shown = "[" + " ".join(str(b) for b in line) + "]"
            raise KustomizeError(
                f"line {shown} has invalid utf8 bytes : {line.decode('utf-8', 'replace')}"
            ) from None
        if number == 0:
            text = text.removeprefix("\ufeff")
        text = text.lstrip()
        if not text or text.startswith("#"):
            continue
        key, _, value = text.partition("=")
        pairs.append((key, value))
    return pairs


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


def load_pairs(args: Object, loader: FileLoader) -> list[tuple[str, str]]:
    """kv.loader.Load: env files, then literals, then files; file content as text (bytes that
    are not UTF-8 kept as surrogate escapes, so they go to binaryData)."""
    pairs: list[tuple[str, str]] = []
    envs = list(args.get("envs") or [])
    try:
        for path in envs:
            pairs += _env_pairs(loader.load(path))
    except KustomizeError as err:
        raise KustomizeError(f"env source files: {_go_list(envs)}: {err}") from None
    literals = list(args.get("literals") or [])
    try:
        pairs += [_literal(s) for s in literals]
    except KustomizeError as err:
        raise KustomizeError(f"literal sources {_go_list(literals)}: {err}") from None
    files = list(args.get("files") or [])
    try:
        for source in files:
            key, path = parse_file_source(source)
            content = loader.load(path)
            pairs.append((key, content.decode("utf-8", "surrogateescape")))
    except KustomizeError as err:
        raise KustomizeError(f"file sources: {_go_list(files)}: {err}") from None
    return pairs


def _data_map(name: str, args: Object, loader: FileLoader) -> dict[str, str]:
    try:
        pairs = load_pairs(args, loader)
    except KustomizeError as err:
        raise KustomizeError(f"loading KV pairs: {err}") from None
    data: dict[str, str] = {}
    for key, value in pairs:
        if key in data:
            raise KustomizeError(f"configmap {name} illegally repeats the key `{key}`")
        data[key] = value
    return data


def _is_utf8(text: str) -> bool:
    return not any(0xDC80 <= ord(c) <= 0xDCFF for c in text)


def encode_base64(text: str) -> str:
    """kyaml's encodeBase64: standard base64, in lines of 70 with a newline after each once the
    encoding is 70 characters or more."""
    raw = base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")
    if len(raw) < 70:
        return raw
    return "".join(raw[i : i + 70] + "\n" for i in range(0, len(raw), 70))


def _base(kind: str, args: Object) -> Object:
    name = str(args.get("name") or "")
    if not name:
        raise KustomizeError("a configmap must have a name")
    metadata: Object = {"name": name}
    if args.get("namespace"):
        metadata["namespace"] = str(args["namespace"])
    return {"apiVersion": "v1", "kind": kind, "metadata": metadata}


def _finish(obj: Object, args: Object) -> Resource:
    """copyLabelsAndAnnotations, setImmutable, then the build's own annotations."""
    options = args.get("options") or {}
    metadata = obj["metadata"]
    for field in ("labels", "annotations"):
        values = options.get(field) or {}
        if values:
            metadata.setdefault(field, {}).update({k: str(values[k]) for k in sorted(values)})
    if options.get("immutable"):
        obj["immutable"] = True
    res = Resource(obj)
    if not options.get("disableNameSuffixHash"):
        res.set_annotation(NEEDS_HASH, "enabled")
    behavior = str(args.get("behavior") or "")
    res.set_annotation(
        GENERATOR_BEHAVIOR,
        behavior if behavior in ("create", "merge", "replace") else "unspecified",
    )
    return res


def make_configmap(args: Object, loader: FileLoader) -> Resource:
    """MakeConfigMap: text values under data, the others base64 under binaryData."""
    obj = _base("ConfigMap", args)
    for key, value in sorted(_data_map(str(args.get("name")), args, loader).items()):
        if _is_utf8(value):
            obj.setdefault("data", {})[key] = value
        else:
            obj.setdefault("binaryData", {})[key] = encode_base64(value)
    return _finish(obj, args)


def make_secret(args: Object, loader: FileLoader) -> Resource:
    """MakeSecret: every value base64 under data, type Opaque unless given."""
    obj = _base("Secret", args)
    obj["type"] = str(args.get("type") or "Opaque")
    data = _data_map(str(args.get("name")), args, loader)
    obj["data"] = {key: encode_base64(data[key]) for key in sorted(data)}
    return _finish(obj, args)


def merge_global_options(local: Object | None, global_: Object | None) -> Object | None:
    """types.MergeGlobalOptionsIntoLocal: the generator's own labels and annotations win."""
    if not global_:
        return local
    merged = dict(local or {})
    for field in ("labels", "annotations"):
        globals_ = global_.get(field)
        if merged.get(field) is None:
            if globals_ is not None:
                merged[field] = dict(globals_)
        else:
            merged[field] = {**(globals_ or {}), **merged[field]}
    if global_.get("disableNameSuffixHash"):
        merged["disableNameSuffixHash"] = True
    if global_.get("immutable"):
        merged["immutable"] = True
    return merged
