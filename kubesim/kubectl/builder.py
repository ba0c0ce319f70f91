"""What kubectl's resource builder does with each document it reads (cli-runtime resource/
visitor.go StreamVisitor, mapper.go infoForData, FlattenListVisitor, RequireNamespace): the
schema check of apiVersion and kind, the unstructured decoding with its metadata check, the REST
mapping, and a list's items. Pure: documents in, objects and kubectl's errors out.

- a document that fails the schema check ends its stream (`error validating "x.yaml": ...`,
  skipped with --validate=false): `visit_document` raises BuilderError;
- one that does not decode or whose kind the cluster does not serve is an error on its own
  (`unable to decode "x.yaml": ...`, `resource mapping not found for name: ...`), collected in
  `Loaded.errors`, and the stream goes on; a list's item errors are collected as one aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubesim.api import kinds
from kubesim.api.errors import KubesimError, UsageError, aggregate

Object = dict[str, Any]

_STOP_VALIDATING = "if you choose to ignore these errors, turn validation off with --validate=false"


class Manifest:
    """One object from -f, with the source it came from."""

    __slots__ = ("source", "obj")

    def __init__(self, source: str, obj: Object) -> None:
        self.source = source
        self.obj = obj

    @property
    def kind(self) -> kinds.Kind:
        """The kind the builder mapped the object to."""
        kind = kinds.for_object(str(self.obj.get("apiVersion") or ""), str(self.obj["kind"]))
        if kind is None:  # an apiVersion left out: the kind's preferred version
            kind = kind_in_group(str(self.obj["kind"]), "")
        assert kind is not None  # mapped when it was read
        return kind


class BuilderError(UsageError):
    """An error the builder meets reading -f: printed with `error: ` when alone, bare in a
    list of errors."""


@dataclass
class Loaded:
    """What -f yielded: the objects in order, and the builder's errors in the order kubectl
    meets them (per-object ones and each stream's last one)."""

    manifests: list[Manifest] = field(default_factory=list)
    errors: list[KubesimError] = field(default_factory=list)


def namespace_error(manifest: Manifest, namespace: str | None) -> UsageError | None:
    """RequireNamespace: with -n given, an object naming another namespace is refused."""
    if not namespace or not manifest.kind.namespaced:
        return None
    meta = manifest.obj.get("metadata")
    own = meta.get("namespace") if isinstance(meta, dict) else None
    if own and isinstance(own, str) and own != namespace:
        return BuilderError(
            f'the namespace from the provided object "{own}" does not match the namespace '
            f"\"{namespace}\". You must pass '--namespace={own}' to perform this operation."
        )
    return None


def check_mapping(manifest: Manifest) -> None:
    """The builder's checks of one object taken whole (kubectl edit's): its apiVersion and
    kind, and a kind the cluster serves."""
    problem = schema_error(manifest.obj)
    if problem:
        raise BuilderError(
            f'error validating "{manifest.source}": error validating data: {problem}; '
            f"{_STOP_VALIDATING}"
        )
    obj = manifest.obj
    _check_mapping(manifest.source, obj, str(obj.get("apiVersion") or ""), str(obj["kind"]))


def visit_document(source: str, raw: object, value: Any, validate: bool, loaded: Loaded) -> None:
    """One document of a stream: the schema check (BuilderError, which ends the stream), then
    decoding and mapping (errors of this document only), then the items of a list. `raw` is
    the document's JSON text (kept lazily: str() of it), which an error may quote."""
    if validate:
        problem = schema_error(value)
        if problem:
            raise BuilderError(
                f'error validating "{source}": error validating data: {problem}; {_STOP_VALIDATING}'
            )
    try:
        objects = _decode(source, raw, value)
    except BuilderError as err:
        loaded.errors.append(err)
        return
    if isinstance(objects, dict):
        loaded.manifests.append(Manifest(source, objects))
        return
    item_errors: list[KubesimError] = []
    for item in objects:
        problem = _item_error(item)
        if problem:
            item_errors.append(BuilderError(problem))
        else:
            loaded.manifests.append(Manifest(source, item))
    if item_errors:
        loaded.errors.append(aggregate(item_errors))


def schema_error(value: Any) -> str:
    """paramVerifyingSchema's client-side checks: an object with a string apiVersion and
    kind, and for a v1 List, items that are objects with them too."""
    problems = _object_kind_errors(value)
    if problems or value.get("apiVersion") != "v1" or value.get("kind") != "List":
        return _go_aggregate(problems)
    items = value.get("items")
    if not isinstance(items, list):
        return "invalid object to validate"
    return _go_aggregate([p for item in items for p in _object_kind_errors(item)])


def _object_kind_errors(value: Any) -> list[str]:
    """getObjectKind in kubectl's validation.go."""
    if not isinstance(value, dict):
        return ["invalid object to validate"]
    problems = []
    api_version = value.get("apiVersion")
    if api_version is None:
        problems.append("apiVersion not set")
    elif not isinstance(api_version, str):
        problems.append("apiVersion isn't string type")
    elif api_version.count("/") > 1:
        problems.append(f"unexpected GroupVersion string: {api_version}")
    kind = value.get("kind")
    if kind is None:
        problems.append("kind not set")
    elif not isinstance(kind, str):
        problems.append("kind isn't string type")
    return problems


def _go_aggregate(messages: list[str]) -> str:
    """utilerrors.NewAggregate(...).Error(): one message bare, several in brackets."""
    unique = list(dict.fromkeys(messages))
    if len(unique) <= 1:
        return unique[0] if unique else ""
    return "[" + ", ".join(unique) + "]"


def _decode(source: str, raw: object, value: Any) -> Object | list[Object]:
    """infoForData: the unstructured decoder (an object with a kind; a list when it has
    items), the metadata check, then the REST mapping."""
    from kubesim.api import decode
    from kubesim.api.gofmt import json_kind

    def fail(problem: str) -> BuilderError:
        return BuilderError(f'unable to decode "{source}": {problem}')

    if not isinstance(value, dict):
        go_type = json_kind(value)
        raise fail(f"json: cannot unmarshal {go_type} into Go value of type unstructured.detector")
    items: list[Object] | None = None
    if "items" in value:
        raw_items = value["items"]
        if raw_items is not None and not isinstance(raw_items, list):
            raise fail(
                f"json: cannot unmarshal {json_kind(raw_items)} into Go struct field "
                "decodeList.items of type []json.RawMessage"
            )
        items = []
        for item in raw_items or []:
            if item is None:
                item = {}
            if not isinstance(item, dict):
                raise fail(
                    f"json: cannot unmarshal {json_kind(item)} into Go value of type "
                    "map[string]interface {}"
                )
            items.append(item)
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind:
        raise fail(f"Object 'Kind' is missing in '{raw}'")
    problem = decode.check_metadata(value)
    if problem:
        raise fail(problem)
    api_version = value.get("apiVersion")
    api_version = api_version if isinstance(api_version, str) else ""
    if items is None or not _is_list_kind(api_version, kind):
        _check_mapping(source, value, api_version, kind)
    if items is None:
        return value
    item_kind = kind.removesuffix("List")
    for item in items:
        if not item.get("kind") and not item.get("apiVersion"):
            item["kind"], item["apiVersion"] = item_kind, api_version  # as decodeToList
    return items


def _is_list_kind(api_version: str, kind: str) -> bool:
    if kind == "List":
        return True
    return kind.endswith("List") and _mapped(api_version, kind.removesuffix("List"))


def _check_mapping(source: str, obj: Object, api_version: str, kind: str) -> None:
    """The REST mapping of an object's kind, or kubectl's error."""
    if _mapped(api_version, kind):
        return
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    name = meta.get("name") if isinstance(meta.get("name"), str) else ""
    namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) else ""
    raise BuilderError(
        f'resource mapping not found for name: "{name}" namespace: "{namespace}" from '
        f'"{source}": {_no_match(api_version, kind)}\nensure CRDs are installed first'
    )


def _mapped(api_version: str, kind: str) -> bool:
    if api_version.count("/") > 1:
        return False
    if not api_version or api_version == "/":
        return kind_in_group(kind, "") is not None
    return kinds.for_object(api_version, kind) is not None


def kind_in_group(kind: str, group: str) -> kinds.Kind | None:
    return next((k for k in kinds.KINDS if k.kind == kind and k.group == group), None)


def _no_match(api_version: str, kind: str) -> str:
    """meta.NoKindMatchError."""
    if not api_version or api_version == "/":
        return f'no matches for kind "{kind}" in group ""'
    return f'no matches for kind "{kind}" in version "{api_version}"'


def _item_error(item: Object) -> str:
    """infoForObject for a list's item: its kind and apiVersion, then its mapping."""
    kind = item.get("kind")
    if not isinstance(kind, str) or not kind:
        return (
            'unable to get type info from the object "*unstructured.Unstructured": '
            "Object 'Kind' is missing in 'object has no kind field '"
        )
    api_version = item.get("apiVersion")
    if not isinstance(api_version, str) or not api_version:
        return (
            'unable to get type info from the object "*unstructured.Unstructured": '
            "Object 'apiVersion' is missing in 'object has no apiVersion field'"
        )
    if not _mapped(api_version, kind):
        return f"unable to recognize {_no_match(api_version, kind)}"
    return ""
