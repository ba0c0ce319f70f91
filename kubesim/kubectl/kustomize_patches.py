"""kustomize's patches: `patches` (strategic merge or JSON 6902, with a target or by name) and
the deprecated `patchesStrategicMerge` and `patchesJson6902` (api/internal/builtins).

A strategic merge patch goes through kyaml's merge (kustomize_merge); a JSON 6902 patch
through the same JSON patch the apiserver applies (kubesim.api.json_patch, evanphx/json-patch
v4 in both).
"""

from __future__ import annotations

import copy
import json
from typing import Any, Protocol

from kubesim.kubectl.kustomize_resource import (
    KustomizeError,
    ResMap,
    Resource,
    Selector,
    _scalar_text,
)

Object = dict[str, Any]


class FileLoader(Protocol):
    def load(self, path: str) -> bytes: ...


def resources_from_text(text: str) -> list[Resource]:
    """Factory.SliceFromBytes: every object of a YAML stream (Lists expanded), each with a
    kind and a name; KustomizeError otherwise."""
    from kubesim.kubectl.kustomize_yaml import YamlError, load_all

    try:
        documents = load_all(text.replace("\r\n", "\n"))
    except YamlError as err:
        raise KustomizeError(f"MalformedYAMLError: {err}") from None
    if len(documents) == 1 and isinstance(documents[0], dict):
        only = documents[0]
        if only.get("kind") in ("ResourceList", "List") and (
            "items" in only or "functionConfig" in only
        ):
            documents = list(only.get("items") or [])
    objects = [_validated(d) for d in documents if d not in (None, {}, [])]
    result: list[Resource] = []
    while objects:
        obj, objects = objects[0], objects[1:]
        kind = _scalar_text(obj.get("kind"))
        if not kind.endswith("List") or "items" not in obj:
            result.append(Resource(obj))
            continue
        items = obj["items"]
        if items is None:
            continue
        if not isinstance(items, list):
            raise KustomizeError(f"expected array in {kind}/items, but found {_go_type(items)}")
        objects += [_validated(item) for item in items if item not in (None, {}, [])]
    return result


def _go_type(value: Any) -> str:
    return {dict: "map[string]interface {}", str: "string", bool: "bool", int: "float64",
            float: "float64"}.get(type(value), "interface {}")  # fmt: skip


def _meta_text(obj: Any) -> str:
    """ResourceMeta as Go's %v prints it:
    {{apiVersion kind} {{name namespace} labels annotations}}."""
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    meta = meta if isinstance(meta, dict) else {}

    def go_map(value: Any) -> str:
        if not isinstance(value, dict):
            return "map[]"
        return "map[" + " ".join(f"{k}:{_scalar_text(v)}" for k, v in sorted(value.items())) + "]"

    return (
        f"{{{{{_scalar_text(obj.get('apiVersion'))} {_scalar_text(obj.get('kind'))}}} "
        f"{{{{{_scalar_text(meta.get('name'))} {_scalar_text(meta.get('namespace'))}}} "
        f"{go_map(meta.get('labels'))} {go_map(meta.get('annotations'))}}}}}"
    )


def _validated(document: Any) -> Object:
    """GetValidatedMetadata and HasNilEntryInList, as dropBadNodes checks each object."""
    if not isinstance(document, dict):
        raise KustomizeError("missing Resource metadata")
    has_meta = any(document.get(f) not in (None, "") for f in ("apiVersion", "kind"))
    meta = document.get("metadata")
    if isinstance(meta, dict) and meta:
        has_meta = has_meta or any(
            meta.get(f) not in (None, "", {})
            for f in ("name", "namespace", "labels", "annotations")
        )
    if not has_meta:
        raise KustomizeError("missing Resource metadata")
    kind = _scalar_text(document.get("kind"))
    if not kind:
        raise KustomizeError(f"missing kind in object {_meta_text(document)}")
    if not kind.endswith("List"):
        name = meta.get("name") if isinstance(meta, dict) else None
        if not _scalar_text(name):
            raise KustomizeError(f"missing metadata.name in object {_meta_text(document)}")
    return document


# --- strategic merge ---------------------------------------------------------------------------


def apply_sm_patch(res: Resource, patch: Resource) -> None:
    """Resource.ApplySmPatch: the merge, keeping the name, kind and namespace unless the patch
    may change them."""
    from kubesim.kubectl.kustomize_merge import merge

    name, namespace, kind = res.name, res.namespace, res.kind
    if patch.name_change_allowed() or patch.kind_change_allowed():
        res.store_previous_id()
    merged = merge(patch.obj, res.obj)
    if merged is None or not merged:
        res.obj = {}
        return
    res.obj = merged
    if not patch.kind_change_allowed():
        res.obj["kind"] = kind
    if not patch.name_change_allowed():
        res.set_name(name)
    res.set_namespace(namespace)


def apply_sm_patch_to_set(resources: ResMap, selected: list[Resource], patch: Resource) -> None:
    """resWrangler.ApplySmPatch: the patch, given each target's apiVersion, on every selected
    resource; a resource the patch deletes is dropped."""
    chosen = {id(r) for r in selected}
    for res in resources.resources:
        if id(res) in chosen:
            patch_copy = patch.deep_copy()
            patch_copy.set_gvk(res.gvk())
            patch_copy.obj["kind"] = patch.kind
            apply_sm_patch(res, patch_copy)
    resources.drop_empties()


# --- JSON 6902 ---------------------------------------------------------------------------------


def json_patch_from_text(text: str) -> list[Any]:
    """jsonPatchFromBytes: JSON, or YAML converted to JSON, decoded as a list of operations."""
    if not text:
        raise KustomizeError("empty json patch operations")
    if text[0] != "[":
        from kubesim.kubectl.kustomize_yaml import YamlError

        try:
            operations = _yaml_v2(text)
        except YamlError as err:
            raise KustomizeError(f"error converting YAML to JSON: {err}") from None
    else:
        try:
            operations = json.loads(text)
        except ValueError as err:
            raise KustomizeError(f"invalid character in JSON patch: {err}") from None
    if not isinstance(operations, list):
        kind = {dict: "object", str: "string", bool: "bool"}.get(type(operations), "number")
        raise KustomizeError(f"json: cannot unmarshal {kind} into Go value of type jsonpatch.Patch")
    return operations


def _yaml_v2(text: str) -> Any:
    """sigs.k8s.io/yaml's YAMLToJSON reads YAML 1.1 (go-yaml v2)."""
    import yaml

    from kubesim.kubectl.kustomize_yaml import YamlError

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise YamlError(str(err)) from None


def apply_json_patch(res: Resource, operations: list[Any], *, store_previous: bool) -> None:
    """patchjson6902.Filter on one resource, its internal annotations kept."""
    if store_previous:
        res.store_previous_id()
    internal = {k: v for k, v in res.annotations().items()
                if k.startswith("internal.config.kubernetes.io/")}  # fmt: skip
    patched: Any = res.obj
    for operation in operations:
        patched = _apply_operation(patched, operation)
    if not isinstance(patched, dict):
        raise KustomizeError("json: cannot unmarshal into Go value of type map[string]interface {}")
    res.obj = patched
    if internal:
        res.set_annotations({**res.annotations(), **internal})


def _apply_operation(doc: Any, operation: Any) -> Any:
    """One operation through kubesim.api.json_patch, with gopkg.in/evanphx/json-patch.v4's
    words for what fails (kustomize wraps its errors with pkg/errors)."""
    from kubesim.api.json_patch import json_patch
    from kubesim.api.patch import PatchError

    if isinstance(operation, dict) and operation.get("op") == "replace":
        # v4 replaces a missing key of an existing map by setting it
        parent, _, key = str(operation.get("path") or "").rpartition("/")
        container = _pointer(doc, parent)
        if isinstance(container, dict) and key and key not in container:
            operation = {**operation, "op": "add"}
    if isinstance(operation, dict) and operation.get("op") == "copy":
        # and copies a missing key of an existing map as null
        parent, _, key = str(operation.get("from") or "").rpartition("/")
        container = _pointer(doc, parent)
        if isinstance(container, dict) and key and key not in container:
            operation = {"op": "add", "path": operation.get("path"), "value": None}
    try:
        return json_patch(doc, [operation])
    except PatchError as err:
        raise KustomizeError(_v4_message(doc, operation, str(err))) from None


def _pointer(doc: Any, path: str) -> Any:
    node = doc
    for part in [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _v4_message(doc: Any, operation: Any, message: str) -> str:
    op = operation.get("op") if isinstance(operation, dict) else None
    path = str(operation.get("path", "")) if isinstance(operation, dict) else ""
    if message.endswith("operation failed to decode path"):
        return f"{message}: missing value"
    if "doc is missing path:" in message:
        if op == "replace":
            return f"replace operation does not apply: doc is missing path: {path}: missing value"
        if op == "test":
            return f"test operation does not apply: is missing path: {path}: missing value"
        if op == "move":
            return (
                f"move operation does not apply: doc is missing destination path: {path}: "
                "missing value"
            )
        return f'{op} operation does not apply: doc is missing path: "{path}": missing value'
    if message.startswith("Unable to"):
        if op == "replace":
            return f"replace operation does not apply: doc is missing key: {path}: missing value"
        return f"error in {op} for path: '{path}': {message}"
    if op == "test" and "doc is missing from path" in message:
        if isinstance(_pointer(doc, path.rpartition("/")[0]), dict | list):
            return f"testing value {path} failed: test failed"
        return f"test operation does not apply: is missing path: {path}: missing value"
    if op == "move" and "doc is missing from path" in message:
        key = str(operation.get("from", "")).rsplit("/", 1)[-1]
        missing = f"Unable to remove nonexistent key: {key}: missing value"
        return f"error in move for path: '{key}': {missing}"
    return message


# --- the transformers --------------------------------------------------------------------------


def _config_text(config: Object) -> str:
    from kubesim.kubectl.kustomize_yaml import to_yaml

    return to_yaml({k: v for k, v in config.items() if v not in (None, "", {}, [])})


def selector(raw: Object | None) -> Selector | None:
    if raw is None:
        return None
    return Selector(
        group=str(raw.get("group") or ""),
        version=str(raw.get("version") or ""),
        kind=str(raw.get("kind") or ""),
        name=str(raw.get("name") or ""),
        namespace=str(raw.get("namespace") or ""),
        label_selector=str(raw.get("labelSelector") or ""),
        annotation_selector=str(raw.get("annotationSelector") or ""),
    )


def _go_quote(text: str) -> str:
    from kubesim.api.gofmt import go_quote

    return go_quote(text)


class PatchTransformer:
    """One entry of `patches`: a strategic merge patch or a JSON patch, from a file or inline."""

    def __init__(self, entry: Object, loader: FileLoader) -> None:
        self.target = selector(entry.get("target"))
        options = entry.get("options") or {}
        text = str(entry.get("patch") or "").strip()
        path = str(entry.get("path") or "")
        config = {"path": path, "patch": text, "target": entry.get("target"), "options": options}
        if not text and not path:
            self._fail(f"must specify one of patch and path in\n{_config_text(config)}", config)
        if text and path:
            self._fail(f"patch and path can't be set at the same time\n{_config_text(config)}",
                       config)  # fmt: skip
        if text:
            self.source = f"[patch: {_go_quote(text)}]"
        else:
            try:
                text = loader.load(path).decode("utf-8", "replace")
            except KustomizeError as err:
                self._fail(f"failed to get the patch file from path({path}): {err}", config)
            self.source = f"[path: {_go_quote(path)}]"
        self.sm_patches: list[Resource] | None = None
        self.json_patch: list[Any] | None = None
        try:
            self.sm_patches = resources_from_text(text)
        except KustomizeError:
            self.sm_patches = None
        try:
            self.json_patch = json_patch_from_text(text)
        except KustomizeError:
            self.json_patch = None
        if self.sm_patches is not None and self.json_patch is not None:
            self._fail(f"illegally qualifies as both an SM and JSON patch: {self.source}", config)
        if self.sm_patches is None and self.json_patch is None:
            self._fail(f"unable to parse SM or JSON patch from {self.source}", config)
        for patch in self.sm_patches or []:
            if options.get("allowNameChange"):
                patch.set_annotation("internal.config.kubernetes.io/allowNameChange", "enabled")
            if options.get("allowKindChange"):
                patch.set_annotation("internal.config.kubernetes.io/allowKindChange", "enabled")

    @staticmethod
    def _fail(message: str, config: Object) -> None:
        raise KustomizeError(
            "trouble configuring builtin PatchTransformer with config: "
            f"`\n{_config_text(config)}`: {message}"
        )

    def transform(self, resources: ResMap) -> None:
        if self.sm_patches is not None:
            if self.target is not None:
                if len(self.sm_patches) > 1:
                    raise KustomizeError(
                        "Multiple Strategic-Merge Patches in one `patches` entry is not allowed "
                        f"to set `patches.target` field: {self.source}"
                    )
                selected = resources.select(self.target)
                apply_sm_patch_to_set(resources, selected, self.sm_patches[0])
                return
            for patch in self.sm_patches:
                try:
                    target = resources.get_by_id(patch.org_id())
                except KustomizeError as err:
                    raise KustomizeError(
                        f"no resource matches strategic merge patch "
                        f"{_go_quote(str(patch.org_id()))}: {err}"
                    ) from None
                apply_sm_patch(target, patch)
            resources.drop_empties()
            return
        if self.target is None:
            raise KustomizeError(f"must specify a target for JSON patch {self.source}")
        for res in resources.select(self.target):
            apply_json_patch(res, copy.deepcopy(self.json_patch or []), store_previous=True)


class PatchesStrategicMerge:
    """The deprecated `patchesStrategicMerge`: files, or inline YAML, each patch found by name."""

    def __init__(self, entries: list[str], loader: FileLoader) -> None:
        self.patches: list[Resource] = []
        for entry in entries:
            try:
                patches = resources_from_text(entry)
            except KustomizeError:
                try:
                    content = loader.load(entry)
                except KustomizeError as err:
                    raise KustomizeError(
                        "trouble configuring builtin PatchStrategicMergeTransformer with "
                        f"config: `\n{_config_text({'paths': entries})}`: {err}"
                    ) from None
                try:
                    patches = resources_from_text(content.decode("utf-8", "replace"))
                except KustomizeError as err:
                    raise KustomizeError(_malformed(str(err), entry)) from None
            self.patches += patches
        if not self.patches:
            raise KustomizeError(
                "trouble configuring builtin PatchStrategicMergeTransformer with config: "
                f"`\n{_config_text({'paths': entries})}`: patch appears to be empty; "
                f"files=[{' '.join(entries)}], Patch="
            )

    def transform(self, resources: ResMap) -> None:
        for patch in self.patches:
            target = resources.get_by_id(patch.org_id())
            apply_sm_patch_to_set(resources, [target], patch)


def _malformed(message: str, path: str) -> str:
    """kusterr.Handler: where a YAML error was found."""
    if "MalformedYAMLError" in message:
        return f"{message} in File: {path}"
    return message


class PatchJson6902:
    """The deprecated `patchesJson6902`: a JSON patch from a file or inline, by target."""

    def __init__(self, entry: Object, loader: FileLoader) -> None:
        target = entry.get("target") or {}
        self.target = selector(target)
        path = str(entry.get("path") or "")
        operations = str(entry.get("patch") or "")
        config = {"jsonOp": operations, "path": path, "target": entry.get("target")}

        def fail(message: str) -> KustomizeError:
            return KustomizeError(
                "trouble configuring builtin PatchJson6902Transformer with config: "
                f"`\n{_config_text(config)}`: {message}"
            )

        if not str(target.get("name") or ""):
            raise fail("must specify the target name")
        if not path and not operations:
            raise fail("empty file path and empty jsonOp")
        if path:
            if operations:
                raise fail("must specify a file path or jsonOp, not both")
            try:
                operations = loader.load(path).decode("utf-8", "replace")
            except KustomizeError as err:
                raise fail(str(err)) from None
            if not operations:
                raise fail(f"patch file '{path}' empty seems to be empty")
        try:
            self.operations = json_patch_from_text(operations)
        except KustomizeError as err:
            raise fail(f"decoding {operations}: {err}") from None
        if not self.operations:
            raise fail(f"patch appears to be empty; file={path}, JsonOp={operations}")

    def transform(self, resources: ResMap) -> None:
        assert self.target is not None
        for res in resources.select(self.target):
            apply_json_patch(res, copy.deepcopy(self.operations), store_previous=False)
