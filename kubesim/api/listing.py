"""Which objects a list or watch returns: label and field selectors as the apiserver applies
them (apimachinery's labels and fields packages; each kind's field label conversion), with the
apiserver's own errors. kubectl wraps them (`Unable to find ... that match ...`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kubesim.api.errors import BadRequest, UsageError
from kubesim.api.kinds import Kind

if TYPE_CHECKING:
    from kubesim.api import selectors

Object = dict[str, Any]
Predicate = Callable[[Object], bool]


class _Everything:
    """The empty selector, without importing the selector machinery."""

    def matches(self, labels: object) -> bool:
        return True


_EVERYTHING: Any = _Everything()


def label_selector(text: str | None) -> selectors.Selector:
    """Parse a labelSelector; BadRequest with the parser's message if it is not one."""
    if not text:
        everything: selectors.Selector = _EVERYTHING
        return everything
    from kubesim.api import selectors

    try:
        return selectors.parse(text)
    except UsageError as err:
        raise BadRequest(err.message) from None


# the fields each kind's field label conversion func accepts (pkg/apis/core/v1/conversion.go);
# a kind without one takes runtime.DefaultMetaV1FieldSelectorConversion's two
_FIELD_LABELS: dict[str, frozenset[str]] = {
    "Pod": frozenset({
        "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy",
        "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
        "status.podIP", "status.podIPs", "status.nominatedNodeName", "spec.host",
    }),
    "Node": frozenset({"metadata.name", "spec.unschedulable"}),
    "Event": frozenset({
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
        "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
        "metadata.namespace", "metadata.name",
    }),
    "Namespace": frozenset({"status.phase", "metadata.name"}),
    "Service": frozenset({"metadata.namespace", "metadata.name", "spec.clusterIP", "spec.type"}),
}  # fmt: skip
_FIELD_ALIASES = {"spec.host": "spec.nodeName"}  # old clients' name, converted
_BOOL_FIELDS = frozenset({"spec.unschedulable", "spec.hostNetwork"})


def _field_label_error(kind: Kind, field: str) -> str:
    if kind.kind in _FIELD_LABELS:
        return f"field label not supported: {field}"
    return f'"{field}" is not a known field selector: only "metadata.name", "metadata.namespace"'


def _field_value(obj: Object, path: str) -> str:
    if path == "source":
        return str((obj.get("source") or {}).get("component", ""))
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool) or (value is None and path in _BOOL_FIELDS):
        return "true" if value else "false"  # the field set holds strconv.FormatBool(...)
    return "" if value is None else str(value)


def field_filter(text: str | None, kind: Kind) -> Predicate:
    """A predicate for a fieldSelector; BadRequest for a field the kind does not index (a
    selector that does not parse is the parser's UsageError)."""
    if not text:
        return lambda obj: True
    from kubesim.api import selectors

    requirements = selectors.parse_fields(text)
    allowed = _FIELD_LABELS.get(kind.kind, frozenset({"metadata.name", "metadata.namespace"}))
    for requirement in requirements:
        if requirement.field not in allowed:
            raise BadRequest(_field_label_error(kind, requirement.field))

    def matches(obj: Object) -> bool:
        for r in requirements:
            field = _FIELD_ALIASES.get(r.field, r.field)
            if (_field_value(obj, field) == r.value) == r.negate:
                return False
        return True

    return matches


def matcher(kind: Kind, labels: str | None, fields: str | None) -> Predicate:
    """Whether an object matches both selectors (BadRequest for either one that is not)."""
    try:
        selector = label_selector(labels)
        by_fields = field_filter(fields, kind)
    except UsageError as err:
        raise BadRequest(err.message) from None
    if not labels and not fields:
        return lambda obj: True
    return lambda obj: selector.matches(obj["metadata"].get("labels")) and by_fields(obj)
