"""explain's argument: a resource and a path of fields (pkg/explain/explain.go)."""

from __future__ import annotations

from kubesim.api import kinds
from kubesim.api.errors import UsageError
from kubesim.api.kinds import Kind


def split_resource(text: str, *, matching_prefix: bool) -> tuple[Kind, list[str]]:
    """`pods.spec.containers` -> (Pod, ["spec", "containers"]). With the matching prefix (no
    --api-version), `deployments.apps.spec` names the group too, as
    SplitAndParseResourceRequestWithMatchingPrefix reads it."""
    parts = _field_nodes(text)
    kind = kinds.resolve(parts[0])
    if matching_prefix:
        group_resource = f"{kind.plural}.{kind.group}" if kind.group else kind.plural
        if text.startswith(group_resource):
            # the suffix is parsed as `{..spec}`, whose leading recursive-descent node is dropped
            suffix = text[len(group_resource) :].lstrip(".")
            return kind, _field_nodes(suffix) if suffix else []
    return kind, parts[1:]


def _field_nodes(text: str) -> list[str]:
    """The field names of kubectl's relaxed JSONPath (`{.pods.spec}` or `pods.spec`)."""
    inner = text.strip().removesuffix(".")
    if inner.startswith("{") and inner.endswith("}"):
        inner = inner[1:-1]
    names = inner.lstrip(".").split(".") if inner else [""]
    if any(not n for n in names):
        raise UsageError("invalid jsonpath syntax, all nodes must be field nodes")
    return names
