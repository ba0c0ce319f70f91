"""kubectl scale (pkg/cmd/scale/scale.go, pkg/scale/scale.go): set spec.replicas through the
scale subresource, which only the scalable kinds have."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import typer

from kubesim.api.errors import ApiError, KubesimError, MissingFlag, UsageError
from kubesim.cli import options
from kubesim.cli.report import raise_all
from kubesim.cli.visit import check_arguments, dry_run_suffix, find, print_result

Object = dict[str, Any]

SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


def scale(
    args: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME)")] = None,
    replicas: Annotated[
        int | None, typer.Option("--replicas", help="The new desired number of replicas.")
    ] = None,
    current_replicas: Annotated[
        int,
        typer.Option("--current-replicas", help="Precondition: the current size must match."),
    ] = -1,
    resource_version: Annotated[
        str | None,
        typer.Option("--resource-version", help="Precondition: the resourceVersion must match."),
    ] = None,
    timeout: Annotated[
        str, typer.Option("--timeout", help="Wait this long for the new size (e.g. 30s).")
    ] = "0",
    all_: options.All = False,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Set a new size for a deployment, replica set or stateful set.

    Example: kubesim scale statefulset web --replicas=5
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    if replicas is None:
        raise MissingFlag("replicas")
    if replicas < 0:
        raise UsageError(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
        )
    if current_replicas < -1:
        raise UsageError("The --current-replicas must specify an integer of -1 or greater")

    wait_seconds = options.duration_flag(timeout, "timeout", "scale")
    resources = list(args or [])
    check_arguments(resources, filenames, selector=selector, all_=all_, verb="scale")
    suffix = dry_run_suffix(dry_run)
    errors: list[KubesimError] = []
    scaled = False
    with session.writing() as server:
        found, errors = find(server, resources, filenames, namespace, selector=selector,
                             verb="scale")  # fmt: skip
        if resource_version and len(found) > 1:
            raise UsageError("cannot use --resource-version with multiple resources")
        if not found and not errors:
            raise UsageError("no objects passed to scale")
        for kind, obj in found:
            if kind.kind not in SCALABLE:
                errors.append(_no_scale_subresource())
                break
            try:
                _check(obj, current_replicas, resource_version)
                new = copy.deepcopy(obj)
                new["spec"]["replicas"] = replicas
                result = new if suffix else server.update(new)
            except (ApiError, UsageError) as err:
                errors.append(err)  # kubectl stops at the first failure
                break
            print_result(kind, result, "scaled" + suffix, output)
            scaled = True
    if wait_seconds and not suffix and scaled and not errors:
        _wait_for_size(found, replicas, wait_seconds)
    raise_all(errors)


def _check(obj: Object, current_replicas: int, resource_version: str | None) -> None:
    """ScalePrecondition.validate."""
    size = int(obj["spec"].get("replicas", 1))
    if current_replicas != -1 and size != current_replicas:
        raise UsageError(f"Expected replicas to be {current_replicas}, was {size}")
    actual = obj["metadata"].get("resourceVersion", "")
    if resource_version and actual != resource_version:
        raise UsageError(f"Expected resource version to be {resource_version}, was {actual}")


def _no_scale_subresource() -> ApiError:
    error = ApiError("the server could not find the requested resource")
    error.reason = "NotFound"
    return error


def _wait_for_size(found: list[Any], replicas: int, seconds: float) -> None:
    """WaitForScaleHasDesiredReplicas: status.replicas reaches the new size."""
    from kubesim.engine import session

    def synced(server: Any) -> bool | None:
        for kind, obj in found:
            meta = obj["metadata"]
            current = server.find(kind, meta.get("namespace"), meta["name"])
            if current is None:
                return None
            if int(current["spec"].get("replicas", 1)) != replicas:
                continue  # scaled again by someone else: done with it
            if int((current.get("status") or {}).get("replicas", 0)) != replicas:
                return None
        return True

    if session.wait_for(synced, timeout=seconds) is None:
        name = found[-1][1]["metadata"]["name"]
        raise UsageError(f'timed out waiting for "{name}" to be synced')


def register(app: typer.Typer) -> None:
    app.command("scale")(scale)
