"""kubectl rollout status | history | undo, for deployments and statefulsets."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kubesim.api.errors import KubesimError, UsageError
from kubesim.cli import options

if TYPE_CHECKING:
    from kubesim.api.kinds import Kind
    from kubesim.api.server import ApiServer

Object = dict[str, Any]
Resources = Annotated[list[str] | None, typer.Argument(metavar="(TYPE NAME | TYPE/NAME)")]

# `rollout status` without --timeout waits for ever; in manual mode that is this many ticks
DEFAULT_WAIT = 3600


def status(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch/--no-watch", "-w", help="Watch the status of the rollout until it's done."
        ),
    ] = True,
    revision: Annotated[
        int, typer.Option("--revision", help="Pin to a specific revision for showing its status.")
    ] = 0,
    timeout: Annotated[
        str,
        typer.Option(
            "--timeout", help="The length of time to wait before ending watch (e.g. 1s, 2m)."
        ),
    ] = "0s",
) -> None:
    """Show the status of the rollout, watching it until it's done.

    Example: kubesim rollout status deployment/nginx
    """
    from kubesim.engine import session
    from kubesim.printers import rollout

    files = options.sources(filenames, kustomize)
    _require(args, files)
    if revision < 0:
        raise UsageError(f"revision must be a positive integer: {revision}")
    seconds = options.duration_flag(timeout, "timeout", "rollout status")
    found = _fetch(session.reading(), args or [], namespace, selector, files)
    if len(found) != 1:
        raise UsageError(
            "rollout status is only supported on individual resources and resource "
            f"collections - {len(found)} resources were found"
        )
    kind, obj = found[0]
    rollout.check_status_viewer(kind)
    uid, name = obj["metadata"]["uid"], obj["metadata"]["name"]
    ns = obj["metadata"].get("namespace") or options.resolve_namespace(namespace)
    last: list[str] = []

    def check(server: ApiServer) -> tuple[KubesimError | None] | None:
        current = server.find(kind, ns, name)
        if current is None or current["metadata"]["uid"] != uid:
            return (UsageError("object has been deleted"),)
        try:
            message, done = rollout.rollout_status(kind, current, revision)
        except UsageError as err:
            return (err,)
        if not last or last[-1] != message:  # each new message once (kubectl prints per event)
            sys.stdout.write(message)
            sys.stdout.flush()
            last.append(message)
        return (None,) if done or not watch else None

    outcome = session.wait_for(check, timeout=seconds or DEFAULT_WAIT)
    if outcome is None:
        raise UsageError("timed out waiting for the condition")
    if outcome[0] is not None:
        raise outcome[0]


def history(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    revision: Annotated[
        int,
        typer.Option(
            "--revision", help="See the details, including podTemplate of the revision specified"
        ),
    ] = 0,
) -> None:
    """View previous rollout revisions and configurations.

    Example: kubesim rollout history deployment/nginx --revision=2
    """
    from kubesim.engine import session
    from kubesim.printers import rollout

    files = options.sources(filenames, kustomize)
    _require(args, files)
    if revision < 0:
        raise UsageError(f"revision must be a positive integer: {revision}")
    server = session.reading()
    for kind, obj in _fetch(server, args or [], namespace, selector, files):
        rollout.check_history_viewer(kind)
        if kind.kind == "Deployment":
            text = rollout.deployment_history(_owned(server, obj, "replicasets.apps"), revision)
        else:
            revisions = _owned(server, obj, "controllerrevisions.apps")
            text = rollout.statefulset_history(obj, revisions, revision)
        sys.stdout.write(rollout.history_output(kind, obj["metadata"]["name"], revision, text))


def undo(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    to_revision: Annotated[
        int,
        typer.Option(
            "--to-revision", help="The revision to rollback to. Default to 0 (last revision)."
        ),
    ] = 0,
) -> None:
    """Roll back to a previous rollout.

    Example: kubesim rollout undo deployment/nginx --to-revision=1
    """
    from kubesim.engine import session
    from kubesim.kubectl import rollout

    files = options.sources(filenames, kustomize)
    _require(args, files)
    with session.writing() as server:
        for kind, obj in _fetch(server, args or [], namespace, selector, files):
            rollout.check_rollbacker(kind)
            if kind.kind == "Deployment":
                owned = _owned(server, obj, "replicasets.apps")
                result, restored = rollout.rollback_deployment(obj, owned, to_revision)
            else:
                owned = _owned(server, obj, "controllerrevisions.apps")
                result, restored = rollout.rollback_statefulset(obj, owned, to_revision)
            if restored is not None:
                server.update(restored)
            sys.stdout.write(f"{kind.qualified_kind}/{obj['metadata']['name']} {result}\n")


def pause(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
) -> None:
    """Mark the provided resource as paused: its controller stops rolling out changes.

    Example: kubesim rollout pause deployment/nginx-deployment
    """
    _mutate(args, options.sources(filenames, kustomize), namespace, None, "pause", "paused")


def resume(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
) -> None:
    """Resume a paused resource, whose changes then roll out.

    Example: kubesim rollout resume deployment/nginx-deployment
    """
    _mutate(args, options.sources(filenames, kustomize), namespace, None, "resume", "resumed")


def restart(
    args: Resources = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
) -> None:
    """Restart a resource: its pods are replaced as in a rolling update.

    Example: kubesim rollout restart statefulset/web
    """
    files = options.sources(filenames, kustomize)
    _mutate(args, files, namespace, selector, "restart", "restarted")


def _mutate(
    args: list[str] | None,
    files: list[str] | None,
    namespace: str | None,
    selector: str | None,
    verb: str,
    done: str,
) -> None:
    """RunPause / RunResume / RunRestart: compute each object's change, write it, report; the
    errors are aggregated and printed at the end."""
    from kubesim.api import meta
    from kubesim.cli.report import raise_all
    from kubesim.engine import session
    from kubesim.kubectl import rollout

    _require(args, files)
    errors: list[KubesimError] = []
    with session.writing() as server:
        for kind, obj in _fetch(server, args or [], namespace, selector, files):
            name = obj["metadata"]["name"]
            try:
                if verb == "restart":
                    changed = rollout.restart(kind, obj, meta.format_time(server.now))
                else:
                    changed = getattr(rollout, verb)(kind, obj)
            except ValueError as err:
                errors.append(UsageError(f'{kind.resource} "{name}" {err}'))
                continue
            if changed == obj:  # restarted twice within a second: the patch is empty
                errors.append(UsageError(f"failed to create patch for {name}: empty patch"))
            server.update(changed)
            sys.stdout.write(f"{kind.qualified_kind}/{name} {done}\n")
    raise_all(errors)


def _require(args: list[str] | None, files: list[str] | None) -> None:
    if not args and not files:
        raise UsageError("required resource not specified")


def _fetch(
    server: ApiServer,
    args: list[str],
    namespace: str | None,
    selector: str | None,
    files: list[str] | None,
) -> list[tuple[Kind, Object]]:
    """The objects the arguments (or -f) name, in order, as the resource builder finds them;
    NotFound for those missing."""
    from kubesim.cli import visit
    from kubesim.cli.report import raise_all
    from kubesim.cli.resources import refuse_arguments_with_files

    if files:
        refuse_arguments_with_files(args)
    found, missing = visit.find(server, args, files, namespace, selector=selector, verb="rollout")
    raise_all(missing)
    return found


def _owned(server: ApiServer, owner: Object, resource: str) -> list[Object]:
    """Objects the owner's selector selects and that it controls (ListReplicaSets,
    controlledHistory)."""
    from kubesim.api import kinds, meta, selectors

    selector = selectors.from_label_selector(owner["spec"].get("selector"))
    uid = owner["metadata"]["uid"]
    return [
        obj
        for obj in server.list(kinds.by_resource(resource), owner["metadata"]["namespace"])
        if selector.matches(meta.labels_of(obj))
        and (meta.controller_ref(obj) or {}).get("uid") == uid
    ]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=(
            "Manage the rollout of one or many resources.\n\n"
            "Example: kubesim rollout status sts/web"
        ),
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    group.command("status", no_args_is_help=False)(status)
    group.command("history", no_args_is_help=False)(history)
    group.command("undo", no_args_is_help=False)(undo)
    group.command("pause", no_args_is_help=False)(pause)
    group.command("resume", no_args_is_help=False)(resume)
    group.command("restart", no_args_is_help=False)(restart)
    app.add_typer(group, name="rollout")
