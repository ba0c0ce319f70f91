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
    """One resource type and, optionally, the names asked for (and their namespace, when a
    manifest gave it)."""

    __slots__ = ("kind", "names", "namespace")

    def __init__(
        self, kind: Kind, names: list[str] | None = None, namespace: str | None = None
    ) -> None:
        self.kind = kind
        self.names = names if names is not None else []
        self.namespace = namespace


def refuse_arguments_with_files(args: list[str] | None) -> None:
    """The resource builder's refusal of TYPE/NAME arguments beside -f or -k."""
    if args:
        raise UsageError(
            "when paths, URLs, or stdin is provided as input, you may not specify resource "
            "arguments as well"
        )


def file_targets(
    filenames: list[str], namespace: str, explicit: bool, args: list[str] | None = None
) -> list[Target]:
    """The objects -f (or -k) names, as targets in the files' order, a run of one kind in one
    namespace making one target (the resource builder's FilenameParam; kubectl's printer starts
    a new table where the kind changes). A manifest's own namespace must be -n's when -n is
    given (`explicit`)."""
    from kubesim.cli.manifests import load_manifests

    refuse_arguments_with_files(args)
    targets: list[Target] = []
    for manifest in load_manifests(filenames, namespace if explicit else None):
        md = manifest.obj.get("metadata") or {}
        ns = str(md.get("namespace") or namespace)
        last = targets[-1] if targets else None
        if last is None or last.kind is not manifest.kind or last.namespace != ns:
            last = Target(manifest.kind, [], ns)
            targets.append(last)
        last.names.append(str(md.get("name", "")))
    return targets


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


def label_selector(text: str | None, kind: Kind, field_text: str | None) -> selectors.Selector:
    """Parse `-l` as the apiserver would, with the error kubectl shows for a bad selector."""
    from kubesim.api import listing

    try:
        return listing.label_selector(text)
    except BadRequest as err:
        raise _unable(kind, text, field_text, err) from None


def field_filter(text: str | None, kind: Kind, label_text: str | None) -> Any:
    """A predicate for `--field-selector`, rejecting fields the apiserver does not index."""
    from kubesim.api import listing

    try:
        return listing.field_filter(text, kind)
    except BadRequest as err:
        raise _unable(kind, label_text, text, err) from None


def _unable(kind: Kind, labels: str | None, fields: str | None, err: BadRequest) -> BadRequest:
    """The builder's wrapping of the server's BadRequest for a list (resource/selector.go)."""
    return BadRequest(
        f"Unable to find {_resource_string(kind)} that match "
        f'label selector "{labels or ""}", field selector "{fields or ""}": {err.message}'
    )


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
    namespace = target.namespace or namespace
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
