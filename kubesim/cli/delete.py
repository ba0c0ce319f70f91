"""kubectl delete."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.api.server import BACKGROUND, FOREGROUND, ORPHAN
from kubesim.cli import options
from kubesim.cli.manifests import load_manifests
from kubesim.cli.report import raise_all
from kubesim.cli.resources import Target, fetch, parse_targets
from kubesim.cli.visit import dry_run_suffix

Object = dict[str, Any]
WAIT_TIMEOUT = 300  # ticks in manual mode, seconds in auto mode

_CASCADE = {"background": BACKGROUND, "foreground": FOREGROUND, "orphan": ORPHAN}


def delete(
    args: Annotated[
        list[str] | None,
        typer.Argument(metavar="([-f FILENAME] | TYPE [(NAME | -l label | --all)])"),
    ] = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Delete all resources of the given types.")
    ] = False,
    cascade: Annotated[
        str, typer.Option("--cascade", help='"background", "foreground" or "orphan".')
    ] = "background",
    grace_period: Annotated[
        int,
        typer.Option(
            "--grace-period", help="Seconds given to the resource to terminate gracefully."
        ),
    ] = -1,
    now: Annotated[
        bool, typer.Option("--now", help="Signal resources for immediate shutdown.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Immediately remove resources from the API.")
    ] = False,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait for resources to be gone.")
    ] = True,
    ignore_not_found: Annotated[
        bool,
        typer.Option(
            "--ignore-not-found", help="Treat 'resource not found' as a successful delete."
        ),
    ] = False,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Delete resources by file names, resource and names, or by label selector.

    Example: kubesim delete pod web-0
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    propagation = _propagation(cascade)
    grace = _grace(grace_period, now, force)
    suffix = dry_run_suffix(dry_run)
    by_selector = bool(selector or field_selector or all_)
    ignore_missing = ignore_not_found or by_selector
    targets = _targets(list(args or []), filenames, namespace, by_selector)
    errors: list[KubesimError] = []
    deleted: list[tuple[Kind, Object]] = []
    ns = options.resolve_namespace(namespace)
    with session.writing() as server:
        for target in targets:
            objects, missing = fetch(server, target, ns, all_namespaces=all_namespaces,
                                     selector=selector, field_selector=field_selector)  # fmt: skip
            if not ignore_missing:
                errors += missing
            for obj in objects:
                m = obj["metadata"]
                try:
                    if not suffix:
                        server.delete(
                            target.kind,
                            m.get("namespace"),
                            m["name"],
                            grace_period=grace,
                            propagation=propagation,
                        )
                except ApiError as err:
                    errors.append(err)
                    continue
                deleted.append((target.kind, obj))
                verb = "force deleted" if force and grace == 0 else "deleted"
                if output == "name":
                    sys.stdout.write(f"{target.kind.qualified_kind}/{m['name']}\n")
                else:
                    sys.stdout.write(f'{target.kind.qualified_kind} "{m["name"]}" {verb}{suffix}\n')
    if not deleted and not errors:  # DeleteResult found nothing
        sys.stdout.write("No resources found\n")
    sys.stdout.flush()
    if deleted and wait and not suffix:
        session.wait_for(lambda srv: all_gone(srv, deleted), timeout=WAIT_TIMEOUT)
    raise_all(errors)


def _targets(
    args: list[str], filenames: list[str] | None, namespace: str | None, by_selector: bool
) -> list[Target]:
    if filenames:
        targets: list[Target] = []
        for manifest in load_manifests(filenames, namespace):
            kind = manifest.kind
            name = (manifest.obj.get("metadata") or {}).get("name", "")
            targets.append(Target(kind, [name]))
        return targets
    if not args:
        raise UsageError(
            "You must provide one or more resources by argument or filename.\n"
            "Example resource specifications include:\n"
            "   '-f rsrc.yaml'\n"
            "   '--filename=rsrc.json'\n"
            "   '<resource> <name>'\n"
            "   '<resource>'"
        )
    targets = parse_targets(args, "delete")
    if not by_selector and not any(t.names for t in targets):
        raise UsageError("resource(s) were provided, but no name was specified")
    return targets


def _propagation(cascade: str) -> str:
    value = cascade.lower()
    if value in ("true", "false"):
        replacement = "background" if value == "true" else "orphan"
        sys.stderr.write(
            f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
            f"--cascade={replacement}.\n"
        )
        value = replacement
    if value not in _CASCADE:
        raise UsageError(
            f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan"'
        )
    return _CASCADE[value]


def _grace(grace_period: int, now: bool, force: bool) -> int | None:
    if now:
        if grace_period >= 0:
            raise UsageError("--now and --grace-period cannot be specified together")
        return 1
    if force and grace_period < 0:
        grace_period = 0
    if grace_period == 0 and not force:
        return 1  # kubectl turns --grace-period=0 without --force into 1
    if force and grace_period == 0:
        sys.stderr.write(
            "Warning: Immediate deletion does not wait for confirmation that the running resource "
            "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
        )
    return None if grace_period < 0 else grace_period


def all_gone(server: Any, deleted: list[tuple[Kind, Object]]) -> bool | None:
    """True once none of the deleted objects (by uid) is left; None while one is."""
    for kind, obj in deleted:
        m = obj["metadata"]
        current = server.find(kind, m.get("namespace"), m["name"])
        if current is not None and current["metadata"]["uid"] == m["uid"]:
            return None
    return True


def register(app: typer.Typer) -> None:
    app.command("delete")(delete)
