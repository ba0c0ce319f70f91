"""kubectl's resource builder: turning arguments, selectors and files into objects.

`TYPE NAME...`, `TYPE1,TYPE2`, `TYPE/NAME...` and `-f FILE|DIR|-` are resolved here, with the
client-side errors kubectl prints for each way they can go wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kubesim.api import kinds
from kubesim.api.errors import BadRequest, NotFound, PlainError, UsageError
from kubesim.api.kinds import Kind

if TYPE_CHECKING:
    from kubesim.api import selectors
    from kubesim.api.server import ApiServer

Object = dict[str, Any]


class Target:
    """One resource type and, optionally, the names asked for."""

    __slots__ = ("kind", "names")

    def __init__(self, kind: Kind, names: list[str] | None = None) -> None:
        self.kind = kind
        self.names = names if names is not None else []


def parse_targets(args: list[str], verb: str) -> list[Target]:
    """`pods`, `pods web-0 web-1`, `pods,svc`, `pod/web-0 svc/nginx`, `all`."""
    if not args:
        raise PlainError(
            f'You must specify the type of resource to {verb}. Use "kubesim api-resources" for a '
            "complete list of supported resources.\n\n"
            "error: Required resource not specified.\n"
            'Use "kubesim explain <resource>" for a detailed description of that resource '
            "(e.g. kubesim explain pods).\n"
            f"See 'kubesim {verb} -h' for help and examples"
        )
    args = _normalize_multiple_resources(args)
    if any("/" in a for a in args):
        targets: list[Target] = []
        for arg in args:
            if "/" not in arg:
                raise UsageError(
                    "there is no need to specify a resource type as a separate argument when "
                    "passing arguments in resource/name form "
                    "(e.g. 'kubesim get resource/<resource_name>' "
                    "instead of 'kubesim get resource resource/<resource_name>'"
                )
            parts = arg.split("/")
            if len(parts) != 2:
                raise UsageError("arguments in resource/name form may not have more than one slash")
            type_, name = parts
            if not type_ or not name or len(_split_resource_argument(type_)) != 1:
                raise UsageError(
                    "arguments in resource/name form must have a single resource and name"
                )
            kind = kinds.resolve(type_)
            existing = next((t for t in targets if t.kind == kind), None)
            if existing:
                existing.names.append(name)
            else:
                targets.append(Target(kind, [name]))
        return targets
    types, names = args[0], args[1:]
    resolved: list[Kind] = []
    for type_ in filter(None, types.split(",")):
        expanded = kinds.in_category(type_) if type_ == "all" else [kinds.resolve(type_)]
        resolved += [k for k in expanded if k not in resolved]
    if names and len(resolved) > 1:
        raise UsageError("you must specify only one resource")  # builder.go, visitByName
    return [Target(kind, list(names)) for kind in resolved]


def _split_resource_argument(arg: str) -> list[str]:
    """SplitResourceArgument: the comma-separated types, each once, in the order given."""
    return list(dict.fromkeys(arg.split(",")))


def _normalize_multiple_resources(args: list[str]) -> list[str]:
    """normalizeMultipleResourcesArgs (builder.go): `TYPE1,TYPE2 NAME...` is read as every
    TYPE/NAME pair, types first. `all` is not expanded there, so `all NAME` stays as it is."""
    if len(args) < 2:
        return args
    types = _split_resource_argument(args[0])
    if len(types) < 2:
        return args
    return [f"{type_}/{name}" for type_ in types for name in args[1:]]


def _resource_string(kind: Kind) -> str:
    """A GroupVersionResource as client-go prints it: "/v1, Resource=pods"."""
    version = kind.api_version if kind.group else "/v1"
    return f'"{version}, Resource={kind.plural}"'


class _Everything:
    """The empty selector, without importing the selector machinery."""

    def matches(self, labels: object) -> bool:
        return True


_EVERYTHING: Any = _Everything()


def label_selector(text: str | None, kind: Kind, field_text: str | None) -> selectors.Selector:
    """Parse `-l` as the apiserver would, with the error kubectl shows for a bad selector."""
    if not text:
        everything: selectors.Selector = _EVERYTHING
        return everything
    from kubesim.api import selectors

    try:
        return selectors.parse(text)
    except UsageError as err:
        raise BadRequest(
            f"Unable to find {_resource_string(kind)} that match "
            f'label selector "{text}", field selector "{field_text or ""}": {err.message}'
        ) from None


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


def field_filter(text: str | None, kind: Kind, label_text: str | None) -> Any:
    """A predicate for `--field-selector`, rejecting fields the apiserver does not index."""
    if not text:
        return lambda obj: True
    from kubesim.api import selectors

    requirements = selectors.parse_fields(text)
    allowed = _FIELD_LABELS.get(kind.kind, frozenset({"metadata.name", "metadata.namespace"}))
    for requirement in requirements:
        if requirement.field not in allowed:
            raise BadRequest(
                f"Unable to find {_resource_string(kind)} that match "
                f'label selector "{label_text or ""}", field selector "{text}": '
                + _field_label_error(kind, requirement.field)
            )

    def matches(obj: Object) -> bool:
        for r in requirements:
            field = _FIELD_ALIASES.get(r.field, r.field)
            if (_field_value(obj, field) == r.value) == r.negate:
                return False
        return True

    return matches


def fetch(
    server: ApiServer,
    target: Target,
    namespace: str,
    *,
    all_namespaces: bool = False,
    selector: str | None = None,
    field_selector: str | None = None,
    lazy: bool = False,
) -> tuple[Iterable[Object], list[NotFound]]:
    """The objects a target names or selects, and NotFound errors for names that are missing.
    With `lazy`, a listing comes as an iterator that decodes each object as it is used."""
    kind = target.kind
    ns = None if (all_namespaces or not kind.namespaced) else namespace
    labels = label_selector(selector, kind, field_selector)
    fields = field_filter(field_selector, kind, selector)
    if target.names:
        found, missing = [], []
        for name in target.names:
            obj = server.find(kind, ns or namespace, name)
            if obj is None:
                missing.append(_not_found(server, kind, ns, name))
            elif labels.matches(obj["metadata"].get("labels")) and fields(obj):
                found.append(obj)
        return found, missing
    listed = server.scan(kind, ns) if lazy else server.list(kind, ns)
    selected = (o for o in listed if labels.matches(o["metadata"].get("labels")) and fields(o))
    return (selected if lazy else list(selected)), []


def _not_found(server: ApiServer, kind: Kind, namespace: str | None, name: str) -> NotFound:
    """A missing object in a missing namespace reports the namespace (visitor.go Info.Get)."""
    if (
        namespace
        and namespace != "default"
        and server.state.get("namespaces", None, namespace) is None
    ):
        return NotFound("namespaces", namespace)
    return NotFound(kind.resource, name)
