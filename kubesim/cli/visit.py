"""The objects a changing command acts on, found as kubectl's resource builder finds them
(`TYPE NAME...`, `TYPE/NAME...`, `TYPE -l SELECTOR`, `TYPE --all`, `-f FILE`), and the
`KEY=VALUE` / `KEY-` argument pairs of label, annotate and set image.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubesim.api.errors import KubesimError, NotFound, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.manifests import load_manifests
from kubesim.cli.resources import fetch, parse_targets

if TYPE_CHECKING:
    from kubesim.api.server import ApiServer

Object = dict[str, Any]
Found = list[tuple[Kind, Object]]

NO_RESOURCES = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)

DRY_RUN_SUFFIX = {None: "", "none": "", "client": " (dry run)", "server": " (server dry run)"}


def dry_run_suffix(value: str | None) -> str:
    """` (dry run)` / ` (server dry run)` for --dry-run, as the name printer appends it."""
    suffix = DRY_RUN_SUFFIX.get(value)
    if suffix is None:
        raise UsageError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return suffix


def check_arguments(
    args: list[str],
    filenames: list[str] | None,
    *,
    selector: str | None = None,
    field_selector: str | None = None,
    all_: bool = False,
    verb: str = "",
) -> None:
    """The builder's client-side refusals, before anything is read."""
    if all_ and selector:
        raise UsageError("cannot set --all and --selector at the same time")
    if not args and not filenames:
        raise UsageError(NO_RESOURCES)
    if args and not filenames:
        targets = parse_targets(args, verb)
        named = any(t.names for t in targets)
        if named and (selector or field_selector):
            raise UsageError("name cannot be provided when a selector is specified")
        if not named and not (selector or field_selector or all_):
            raise UsageError("resource(s) were provided, but no name was specified")


def find(
    server: ApiServer,
    args: list[str],
    filenames: list[str] | None,
    namespace: str | None,
    *,
    all_namespaces: bool = False,
    selector: str | None = None,
    field_selector: str | None = None,
    verb: str = "",
) -> tuple[Found, list[KubesimError]]:
    """The live objects named or selected, in argument order, and NotFound errors for the rest."""
    ns = options.resolve_namespace(namespace)
    found: Found = []
    errors: list[KubesimError] = []
    if filenames:
        for manifest in load_manifests(filenames, namespace):
            kind = manifest.kind
            meta = manifest.obj.get("metadata") or {}
            name = str(meta.get("name") or "")
            obj = server.find(kind, meta.get("namespace") or ns, name)
            if obj is None:
                errors.append(NotFound(kind.resource, name))
            else:
                found.append((kind, obj))
        return found, errors
    for target in parse_targets(args, verb):
        objects, missing = fetch(
            server,
            target,
            ns,
            all_namespaces=all_namespaces,
            selector=selector,
            field_selector=field_selector,
        )
        found += [(target.kind, obj) for obj in objects]
        errors += missing
    return found, errors


# --- KEY=VALUE arguments (cmdutil.GetResourcesAndPairs, ParsePairs) --------------------------


def _is_pair(arg: str) -> bool:
    return ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")


def split_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """Resource arguments first, then the pairs; a resource after a pair is refused."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        if _is_pair(arg):
            pairs.append(arg)
        elif pairs:
            raise UsageError(f"all resources must be specified before {pair_type} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def parse_pairs(
    pairs: list[str], pair_type: str, *, support_remove: bool
) -> tuple[dict[str, str], list[str]]:
    """`KEY=VALUE` into a map and `KEY-` into a removal list; malformed ones are refused."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for pair in pairs:
        if "=" in pair and not pair.startswith("="):
            key, _, value = pair.partition("=")
            new[key] = value
        elif support_remove and pair.endswith("-") and pair != "-":
            remove.append(pair[:-1])
        else:
            invalid.append(pair)
    if invalid:
        raise UsageError(f"invalid {pair_type} format: {', '.join(invalid)}")
    return new, remove


def print_result(kind: Kind, obj: Object, operation: str, output: str | None) -> None:
    """What a changing command prints for an object: `kind/name operation` by default, the
    bare name with -o name, or the object with -o json / -o yaml (the printers of PrintFlags)."""
    import sys

    from kubesim.printers import structured

    obj = structured.without_managed_fields(obj)
    if output == "json":
        sys.stdout.write(structured.to_json(obj))
    elif output == "yaml":
        sys.stdout.write(structured.to_yaml(obj))
    elif output == "name":
        sys.stdout.write(structured.name_line(kind, obj) + "\n")
    elif output and "=" in output:  # go-template=..., jsonpath=... and their -file forms
        from kubesim.cli import templates

        if output.partition("=")[0] in templates.GO_TEMPLATE_FORMATS:
            sys.stdout.write(templates.go_template_text(output, obj))
        else:
            sys.stdout.write(templates.jsonpath_text(output, obj))
    else:
        sys.stdout.write(structured.name_line(kind, obj, operation) + "\n")
