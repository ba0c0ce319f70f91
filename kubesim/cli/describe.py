"""kubectl describe (cmd/describe/describe.go): find the objects, print each one's description."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import KubesimError, NotFound, UsageError
from kubesim.cli import options

Object = dict[str, Any]


def describe(
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="(-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)"),
    ] = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    show_events: Annotated[
        bool,
        typer.Option(
            "--show-events/--no-show-events",
            help="If true, display events related to the described object.",
        ),
    ] = True,
) -> None:
    """Show details of a specific resource or group of resources.

    For TYPE NAME_PREFIX, describe first looks for an exact match on TYPE and NAME_PREFIX.
    Without one, it describes every object of TYPE whose name starts with NAME_PREFIX.

    Example: kubesim describe pod web-0
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.cli.report import raise_all
    from kubesim.engine import session

    args = list(args or [])
    if not args and not filenames:
        raise UsageError(
            'You must specify the type of resource to describe. Use "kubesim api-resources" '
            "for a complete list of supported resources."
        )
    ns = options.resolve_namespace(namespace)
    server = session.reading()
    found, errors = _find(server, args, filenames, ns, all_namespaces, selector, bool(namespace))
    from kubesim.cli.report import print_warnings

    print_warnings(list(dict.fromkeys(server.warnings)))  # kubectl prints each warning once
    if len(args) == 2 and len(errors) == 1 and isinstance(errors[0], NotFound):
        # DescribeMatchingResources: no exact match, so describe every name with the prefix
        matches = _prefixed(server, args[0], args[1], ns)
        if not matches:
            raise errors[0]
        for kind, obj in matches:
            sys.stdout.write(_text(server, kind, obj, show_events) + "\n")
        return
    sys.stdout.write("\n\n".join(_text(server, kind, obj, show_events) for kind, obj in found))
    raise_all(errors)
    if not found and not errors:
        message = (
            "No resources found" if all_namespaces else f"No resources found in {ns} namespace."
        )
        sys.stderr.write(message + "\n")


def _find(
    server: Any,
    args: list[str],
    filenames: list[str] | None,
    namespace: str,
    all_namespaces: bool,
    selector: str | None,
    explicit: bool = False,
) -> tuple[list[tuple[Any, Object]], list[KubesimError]]:
    """The objects the arguments name or select, in order, and NotFound errors for the rest."""
    from kubesim.cli.resources import fetch, file_targets, parse_targets

    if filenames:
        targets = [(t, namespace) for t in file_targets(filenames, namespace, explicit, args)]
    else:
        targets = [(t, namespace) for t in parse_targets(args, "describe")]
    named = any(target.names for target, _ in targets)
    # the resource builder's checks (cli-runtime resource/builder.go)
    if selector and named:
        if any("/" in arg for arg in args):
            raise UsageError(
                "selectors and the all namespaces flag cannot be used when passing "
                "resource/name arguments"
            )
        raise UsageError("name cannot be provided when a selector is specified")
    if all_namespaces and any(t.names and t.kind.namespaced for t, _ in targets):
        raise UsageError("a resource cannot be retrieved by name across all namespaces")
    found: list[tuple[Any, Object]] = []
    errors: list[KubesimError] = []
    for target, ns in targets:
        objects, missing = fetch(
            server, target, ns, all_namespaces=all_namespaces, selector=selector
        )
        found += [(target.kind, obj) for obj in objects]
        errors += missing
    return found, errors


def _prefixed(server: Any, resource: str, prefix: str, namespace: str) -> list[tuple[Any, Object]]:
    """The objects `resource` (a TYPE, or a TYPE/NAME) lists in the namespace whose names start
    with `prefix`; NotFound when a TYPE/NAME is missing, as the builder's Get reports it."""
    from kubesim.cli.resources import fetch, parse_targets

    matches = []
    for target in parse_targets([resource], "describe"):
        objects, missing = fetch(server, target, namespace)
        if missing:
            raise missing[0]
        matches += [
            (target.kind, o) for o in objects if str(o["metadata"]["name"]).startswith(prefix)
        ]
    return matches


def _text(server: Any, kind: Any, obj: Object, show_events: bool) -> str:
    from kubesim.api import kinds
    from kubesim.printers.describe import Context, describe

    def objects(resource: str, namespace: str | None) -> list[Object]:
        return list(server.list(kinds.by_resource(resource), namespace))

    state = server.state
    ctx = Context(
        server.now,
        objects,
        indexed=state.by_index,
        events_about=state.events_about,
        show_events=show_events,
        local_time=True,
    )
    return describe(ctx, kind.resource, obj)


def register(app: typer.Typer) -> None:
    app.command("describe", no_args_is_help=False)(describe)
