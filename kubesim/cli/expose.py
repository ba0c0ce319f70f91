"""kubectl expose (pkg/cmd/expose/expose.go): a Service for a pod, deployment, replica set or
service, its selector and ports read from the object unless the flags give them."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.cli import options
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import check_arguments, dry_run_suffix, find, print_result

_SEE_HELP = "\nSee 'kubesim expose -h' for help and examples"


def expose(
    args: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME)")] = None,
    port: Annotated[str, typer.Option("--port", help="The port the service serves on.")] = "",
    target_port: Annotated[
        str, typer.Option("--target-port", help="The container port (number or name) to target.")
    ] = "",
    protocol: Annotated[str, typer.Option("--protocol", help="TCP, UDP or SCTP.")] = "",
    service_type: Annotated[
        str, typer.Option("--type", help="ClusterIP, NodePort, LoadBalancer or ExternalName.")
    ] = "",
    name: Annotated[str, typer.Option("--name", help="The name of the new service.")] = "",
    selector: Annotated[
        str, typer.Option("--selector", help="The pods to select, as key=value pairs.")
    ] = "",
    labels: Annotated[
        str, typer.Option("--labels", "-l", help="Labels of the service, as key=value pairs.")
    ] = "",
    cluster_ip: Annotated[
        str, typer.Option("--cluster-ip", help="A cluster IP, or None for a headless service.")
    ] = "",
    external_ip: Annotated[
        str, typer.Option("--external-ip", help="An external IP for the service.")
    ] = "",
    namespace: options.Namespace = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Expose a pod, deployment, replica set or service as a new Service.

    Example: kubesim expose deployment nginx-deployment --port=80 --type=NodePort
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.api import kinds
    from kubesim.engine import session
    from kubesim.kubectl import generate

    resources = list(args or [])
    check_arguments(resources, filenames, verb="expose")
    suffix = dry_run_suffix(dry_run)
    errors: list[KubesimError] = []
    # a server dry run is admitted in a transaction that is never saved
    with session.writing(save=dry_run != "server") as server:
        found, errors = find(server, resources, filenames, namespace, verb="expose")
        for kind, obj in found:
            if kind.kind not in generate.EXPOSABLE:
                group_kind = f"{kind.kind}.{kind.group}" if kind.group else kind.kind
                errors.append(UsageError(f"cannot expose a {group_kind}"))
                break
            try:
                wanted = _pairs(selector) if selector else generate.selector_for(obj)
            except UsageError as err:
                raise UsageError(
                    "couldn't retrieve selectors via --selector flag or introspection: "
                    f"{err.message}{_SEE_HELP}"
                ) from None
            if port:
                ports = [(_port_number(p), "") for p in port.split(",")]
            else:
                ports = generate.ports_for(obj)
                if not ports and cluster_ip != "None":
                    raise UsageError(
                        "couldn't find port via --port flag or introspection" + _SEE_HELP
                    )
            service = generate.exposed_service(
                obj,
                name=name or obj["metadata"]["name"][:63],
                ports=ports,
                protocol=protocol,
                target_port=target_port,
                selector=wanted,
                labels=_pairs(labels) if labels else obj["metadata"].get("labels"),
                service_type=service_type,
                cluster_ip=cluster_ip,
                external_ip=external_ip,
            )
            target = server
            try:
                created = (
                    service
                    if dry_run == "client"
                    else target.create(service, obj["metadata"].get("namespace"))
                )
            except ApiError as err:
                errors.append(err)
                continue
            finally:
                print_warnings(target.warnings)
            print_result(kinds.resolve("services"), created, "exposed" + suffix, output)
    raise_all(errors)


def _pairs(text: str) -> dict[str, str]:
    """parseLabels: `k=v,k2=v2`."""
    pairs = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"invalid label spec: {item}")
        pairs[key] = value
    return pairs


def _port_number(text: str) -> int:
    if not text.strip().isdigit():
        raise UsageError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def register(app: typer.Typer) -> None:
    app.command("expose")(expose)
