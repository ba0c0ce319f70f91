"""kubectl set image and set resources (pkg/cmd/set/set_image.go, set_resources.go): new images,
or resource requests and limits, for the containers of pods and of the pod templates of
workloads. An update that changes nothing prints nothing."""

from __future__ import annotations

import copy
import fnmatch
from typing import Annotated, Any

import typer

from kubesim.api.errors import Aggregate, ApiError, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import raise_all
from kubesim.cli.visit import (
    check_arguments,
    dry_run_suffix,
    find,
    parse_pairs,
    print_result,
    split_pairs,
)

Object = dict[str, Any]

# UpdatePodSpecForObject: where each kind keeps its pod spec
_POD_SPEC = {
    "Pod": ("spec",),
    "ReplicationController": ("spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}

set_app = typer.Typer(
    name="set",
    help="Configure application resources.\n\nExample: kubesim set image sts/web nginx=nginx:1.10",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@set_app.command("image")
def image(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME) CONTAINER=IMAGE ...")
    ] = None,
    all_: options.All = False,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Update the image of a pod template: CONTAINER=IMAGE, or *=IMAGE for every container.

    Example: kubesim set image statefulset/web nginx=nginx:1.10
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    resources, pairs = split_pairs(list(args or []), "image")
    images, _ = parse_pairs(pairs, "image", support_remove=False)
    check_arguments(resources, filenames, selector=selector, all_=all_, verb="set")
    problems = []
    if all_ and selector:
        problems.append("cannot set --all and --selector at the same time")
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append(
            "all containers are already specified by *, but saw more than one "
            "container_name=container_image pairs"
        )
    if problems:
        raise UsageError(problems[0]) if len(problems) == 1 else Aggregate(problems)
    suffix = dry_run_suffix(dry_run)
    errors: list[KubesimError] = []
    with session.writing() as server:
        found, errors = find(server, resources, filenames, namespace, selector=selector,
                             verb="set")  # fmt: skip
        for kind, obj in found:
            changed = copy.deepcopy(obj)
            spec = _pod_spec_of(kind, changed, obj, errors)
            if spec is None:
                continue
            for name, new_image in images.items():
                found_init = _set_image(spec.get("initContainers") or [], name, new_image)
                found_main = _set_image(spec.get("containers") or [], name, new_image)
                if not found_init and not found_main:
                    errors.append(UsageError(f'error: unable to find container named "{name}"'))
            if changed == obj:
                continue  # an empty patch: nothing sent, nothing printed
            try:
                result = changed if suffix else server.update(changed)
            except ApiError as err:
                # wrapped with fmt.Errorf, so no longer printed as the server's error
                errors.append(
                    UsageError(f"failed to patch image update to pod template: {err.message}")
                )
                continue
            print_result(kind, result, "image updated" + suffix, output)
    raise_all(errors)


@set_app.command("resources")
def resources(
    args: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME)")] = None,
    containers: Annotated[
        str,
        typer.Option(
            "--containers",
            "-c",
            help="The containers to change (a wildcard pattern; all by default).",
        ),
    ] = "*",
    limits: Annotated[
        str, typer.Option("--limits", help="Resource limits, e.g. 'cpu=200m,memory=512Mi'.")
    ] = "",
    requests: Annotated[
        str, typer.Option("--requests", help="Resource requests, e.g. 'cpu=100m,memory=256Mi'.")
    ] = "",
    all_: options.All = False,
    namespace: options.Namespace = None,
    selector: options.Selector = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Set the resource requests and limits of the containers of a pod template.

    Example: kubesim set resources deploy/web -c=nginx --limits=cpu=200m,memory=512Mi
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    names = list(args or [])
    check_arguments(names, filenames, selector=selector, all_=all_, verb="set")
    if all_ and selector:
        raise UsageError("cannot set --all and --selector at the same time")
    if not limits and not requests:
        raise UsageError(
            "you must specify an update to requests or limits (in the form of --requests/--limits)"
        )
    wanted = {"limits": _resource_list(limits), "requests": _resource_list(requests)}
    suffix = dry_run_suffix(dry_run)
    with session.writing() as server:
        found, errors = find(server, names, filenames, namespace, selector=selector, verb="set")
        for kind, obj in found:
            changed = copy.deepcopy(obj)
            spec = _pod_spec_of(kind, changed, obj, errors)
            if spec is None:
                continue
            chosen = [
                c
                for c in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]
                if fnmatch.fnmatchcase(str(c.get("name", "")), containers)
            ]
            if not chosen:
                errors.append(UsageError(f"error: unable to find container named {containers}"))
            for container in chosen:
                for field, values in wanted.items():
                    if values:
                        held = container.setdefault("resources", {})
                        held[field] = {**(held.get(field) or {}), **values}
            if changed == obj:
                continue
            try:
                result = changed if suffix else server.update(changed)
            except ApiError as err:
                errors.append(
                    UsageError(f"failed to patch resources update to pod template {err.render()}")
                )
                continue
            print_result(kind, result, "resource requirements updated" + suffix, output)
    raise_all(errors)


def _resource_list(text: str) -> dict[str, str]:
    """populateResourceListV1: `cpu=200m,memory=512Mi`, each quantity in canonical form."""

    from kubesim.api import quantity

    values: dict[str, str] = {}
    for statement in filter(None, text.split(",")) if text else []:
        parts = statement.split("=")
        if len(parts) != 2:
            raise UsageError(f"Invalid argument syntax {statement}, expected <resource>=<value>")
        if not quantity.well_formed(parts[1]):
            raise UsageError(quantity.FORMAT_ERROR)
        values[parts[0]] = quantity.canonical(parts[1])
    return values


def _pod_spec_of(kind: Kind, changed: Object, obj: Object, errors: list[KubesimError]) -> Any:
    """UpdatePodSpecForObject: the pod spec inside `changed`, or None (and an error) for a kind
    without one."""
    path = _POD_SPEC.get(kind.kind)
    if path is None:
        errors.append(
            UsageError(
                f"error: {kind.plural}/{obj['metadata']['name']} the object is not a pod "
                f"or does not have a pod template: *v1.{kind.kind}\n"
            )
        )
        return None
    spec: Any = changed
    for key in path:
        spec = spec.setdefault(key, {})
    return spec


def _set_image(containers: list[Object], name: str, new_image: str) -> bool:
    found = False
    for container in containers:
        if container.get("name") == name or name == "*":
            container["image"] = new_image
            found = True
    return found


def register(app: typer.Typer) -> None:
    app.add_typer(set_app, name="set")
