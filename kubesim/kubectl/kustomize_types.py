"""The kustomization file (api/types/kustomization.go): reading it as kustomize does.

kustomize converts the YAML to JSON (sigs.k8s.io/yaml, YAML 1.1) and decodes it into its Go
structs with unknown fields refused, so a misspelt field or a value of the wrong type gets
encoding/json's own error; then it moves deprecated fields to their successors and checks kind
and apiVersion. The structs are kept here as data: a field's Go type, a struct's fields.
"""

from __future__ import annotations

from typing import Any

from kubesim.kubectl.kustomize_resource import KustomizeError

Object = dict[str, Any]

S, B, I64 = "string", "bool", "int64"
ANY = "any"  # a struct kubesim does not simulate: read as anything, refused later


def _list(item: Any) -> tuple[str, Any]:
    return ("list", item)


def _map(value: Any) -> tuple[str, Any]:
    return ("map", value)


_GVK = {"group": S, "version": S, "kind": S}
_KV_SOURCES = {"literals": _list(S), "files": _list(S), "envs": _list(S), "env": S}
_GENERATOR_ARGS = {"namespace": S, "name": S, "behavior": S, **_KV_SOURCES,
                   "options": "GeneratorOptions"}  # fmt: skip

# Go struct -> JSON field -> type: a basic type, ("list", T), ("map", T) or a struct's name
STRUCTS: dict[str, dict[str, Any]] = {
    "Kustomization": {
        "apiVersion": S, "kind": S, "metadata": "ObjectMeta", "openapi": _map(S),
        "namePrefix": S, "nameSuffix": S, "namespace": S, "commonLabels": _map(S),
        "labels": _list("Label"), "commonAnnotations": _map(S),
        "patchesStrategicMerge": _list("types.PatchStrategicMerge"),
        "patchesJson6902": _list("Patch"), "patches": _list("Patch"),
        "images": _list("Image"), "imageTags": _list("Image"), "replacements": _list(ANY),
        "replicas": _list("Replica"), "vars": _list(ANY), "sortOptions": "SortOptions",
        "resources": _list(S), "components": _list(S), "crds": _list(S), "bases": _list(S),
        "configMapGenerator": _list("ConfigMapArgs"), "secretGenerator": _list("SecretArgs"),
        "helmGlobals": ANY, "helmCharts": _list(ANY), "helmChartInflationGenerator": _list(ANY),
        "generatorOptions": "GeneratorOptions", "configurations": _list(S),
        "generators": _list(S), "transformers": _list(S), "validators": _list(S),
        "buildMetadata": _list(S),
    },
    "ObjectMeta": {"name": S, "namespace": S, "labels": _map(S), "annotations": _map(S)},
    "Label": {"pairs": _map(S), "includeSelectors": B, "includeTemplates": B,
              "fields": _list("FieldSpec")},
    "FieldSpec": {**_GVK, "path": S, "create": B},
    "Patch": {"path": S, "patch": S, "target": "Selector", "options": _map(B)},
    "Selector": {**_GVK, "name": S, "namespace": S, "annotationSelector": S,
                 "labelSelector": S},
    "Image": {"name": S, "newName": S, "tagSuffix": S, "newTag": S, "digest": S},
    "Replica": {"name": S, "count": I64},
    "SortOptions": {"order": S, "legacySortOptions": "LegacySortOptions"},
    "LegacySortOptions": {"orderFirst": _list(S), "orderLast": _list(S)},
    "ConfigMapArgs": dict(_GENERATOR_ARGS),
    "SecretArgs": {**_GENERATOR_ARGS, "type": S},
    "GeneratorOptions": {"labels": _map(S), "annotations": _map(S),
                         "disableNameSuffixHash": B, "immutable": B},
}  # fmt: skip

_JSON_KIND = {dict: "object", list: "array", str: "string", bool: "bool", int: "number",
              float: "number"}  # fmt: skip


def _go_type(spec: Any) -> str:
    if isinstance(spec, tuple):
        kind, item = spec
        return f"[]{_go_type(item)}" if kind == "list" else f"map[string]{_go_type(item)}"
    if spec in (S, B, I64):
        return str(spec)
    if spec == ANY:
        return "interface {}"
    return spec if "." in spec else f"types.{spec}"


def decode(value: Any) -> Object:
    """The kustomization as Go would decode it: fields matched case-insensitively, nulls
    dropped; KustomizeError with encoding/json's text for an unknown field or a wrong type."""
    if not isinstance(value, dict):
        kind = _JSON_KIND.get(type(value), "null")
        raise KustomizeError(
            f"invalid Kustomization: json: cannot unmarshal {kind} into Go value of type "
            "types.Kustomization"
        )
    errors: list[str] = []
    result = _decode_struct(value, "Kustomization", [], errors)
    if errors:
        raise KustomizeError(f"invalid Kustomization: {errors[0]}")
    return result


def _json_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _decode_struct(value: Object, struct: str, path: list[str], errors: list[str]) -> Object:
    fields = STRUCTS[struct]
    result: Object = {}
    for raw_key in sorted(value, key=_json_key):
        key = _json_key(raw_key)
        name = key if key in fields else next((f for f in fields if f.lower() == key.lower()), None)
        if name is None:
            errors.append(f'json: unknown field "{key}"')
            continue
        decoded = _decode(value[raw_key], fields[name], struct, [*path, name], errors)
        if decoded is not None:
            result[name] = decoded
    return result


def _type_error(value: Any, spec: Any, struct: str, path: list[str]) -> str:
    kind = _JSON_KIND.get(type(value), "null")
    if kind == "number" and spec == I64:
        kind = f"number {value}"
    return (
        f"json: cannot unmarshal {kind} into Go struct field {struct}.{'.'.join(path)} of type "
        f"{_go_type(spec)}"
    )


def _decode(value: Any, spec: Any, struct: str, path: list[str], errors: list[str]) -> Any:
    if value is None or spec == ANY:
        return value
    if isinstance(spec, tuple):
        kind, item = spec
        if kind == "list":
            if not isinstance(value, list):
                errors.append(_type_error(value, spec, struct, path))
                return None
            items = [_decode(v, item, struct, path, errors) for v in value]
            return [("" if i is None and item == S else i) for i in items]
        if not isinstance(value, dict):
            errors.append(_type_error(value, spec, struct, path))
            return None
        return {_json_key(k): _decode(v, item, struct, path, errors) for k, v in value.items()}
    if spec in (S, "types.PatchStrategicMerge"):
        if not isinstance(value, str):
            errors.append(_type_error(value, spec, struct, path))
            return None
        return value
    if spec == B:
        if not isinstance(value, bool):
            errors.append(_type_error(value, spec, struct, path))
            return None
        return value
    if spec == I64:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or (isinstance(value, float) and not value.is_integer())
        ):
            errors.append(_type_error(value, spec, struct, path))
            return None
        return int(value)
    if not isinstance(value, dict):
        errors.append(_type_error(value, spec, struct, path))
        return None
    return _decode_struct(value, spec, path, errors)


def read(text: str) -> Object:
    """Kustomization.Unmarshal: YAMLToJSON, then the strict decode."""
    import yaml

    try:
        value = yaml.load(text, Loader=_yaml_v2_loader())
    except yaml.YAMLError as err:
        from kubesim.kubectl.kustomize_yaml import _go_yaml_error

        raise KustomizeError(
            f"invalid Kustomization: error converting YAML to JSON: {_go_yaml_error(err)}"
        ) from None
    if value is None:
        value = {}
    return decode(value)


_V2_LOADER: Any = None


def _yaml_v2_loader() -> Any:
    """go-yaml v2, as sigs.k8s.io/yaml reads YAML: YAML 1.1, dates left as strings."""
    global _V2_LOADER
    if _V2_LOADER is None:
        import yaml

        class V2Loader(yaml.SafeLoader):
            pass

        V2Loader.yaml_implicit_resolvers = {
            first: [(t, r) for t, r in resolvers if t != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }
        _V2_LOADER = V2Loader
    return _V2_LOADER


_DEPRECATED = (
    ("bases", "# Warning: 'bases' is deprecated. Please use 'resources' instead."),
    ("commonLabels", "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead."),
    ("imageTags", "# Warning: 'imageTags' is deprecated. Please use 'images' instead."),
    ("patchesJson6902",
     "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead."),
    ("patchesStrategicMerge",
     "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead."),
)  # fmt: skip
_EDIT_FIX = " Run 'kustomize edit fix' to update your Kustomization automatically."
_VARS = (
    "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run "
    "'kustomize edit fix' to update your Kustomization automatically."
)


def deprecation_warnings(k: Object) -> list[str]:
    """CheckDeprecatedFields."""
    warnings = [text + _EDIT_FIX for field, text in _DEPRECATED if field in k]
    if "vars" in k:
        warnings.append(_VARS)
    return warnings


def fix(k: Object) -> Object:
    """FixKustomization: default kind and apiVersion, bases into resources, imageTags into
    images, a generator's `env` into its `envs`."""
    k = dict(k)
    k.setdefault("kind", "")
    if not k["kind"]:
        k["kind"] = "Kustomization"
    if not k.get("apiVersion"):
        k["apiVersion"] = (
            "kustomize.config.k8s.io/v1alpha1"
            if k["kind"] == "Component"
            else "kustomize.config.k8s.io/v1beta1"
        )
    if "bases" in k:
        k["resources"] = [*(k.get("resources") or []), *k.pop("bases")]
    if "imageTags" in k:
        k["images"] = [*(k.get("images") or []), *k.pop("imageTags")]
    for generator in ("configMapGenerator", "secretGenerator"):
        fixed = []
        for args in k.get(generator) or []:
            args = dict(args)
            if args.get("env"):
                args["envs"] = [*(args.get("envs") or []), args.pop("env")]
            else:
                args.pop("env", None)
            fixed.append(args)
        if generator in k:
            k[generator] = fixed
    return k


def is_empty(k: Object) -> bool:
    """CheckEmpty: nothing but kind and apiVersion (zero values count as absent)."""
    return not any(v not in ("", False, 0) for f, v in k.items() if f not in ("kind", "apiVersion"))


def enforce_fields(k: Object) -> list[str]:
    errors = []
    kind = k.get("kind", "")
    if kind not in ("", "Kustomization", "Component"):
        errors.append("kind should be Kustomization or Component")
    required = (
        "kustomize.config.k8s.io/v1alpha1"
        if kind == "Component"
        else ("kustomize.config.k8s.io/v1beta1")
    )
    if k.get("apiVersion") and k["apiVersion"] != required:
        errors.append(f"apiVersion for {kind} should be {required}")
    return errors
