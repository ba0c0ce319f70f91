"""kubectl top (pkg/cmd/top): a kind cluster has no metrics-server, so the Metrics API is not
served and kubectl says so (top_pod.go, top_node.go: SupportedMetricsAPIVersionAvailable)."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.errors import UsageError
from kubesim.cli import options

NOT_AVAILABLE = "Metrics API not available"


def top_pod(
    name: Annotated[str | None, typer.Argument(metavar="[NAME]")] = None,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    containers: Annotated[
        bool, typer.Option("--containers", help="Print usage of containers within a pod.")
    ] = False,
    sort_by: Annotated[str, typer.Option("--sort-by", help="cpu or memory.")] = "",
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Don't print headers.")] = False,
    sum_: Annotated[bool, typer.Option("--sum", help="Print the sum of the usage.")] = False,
    use_protocol_buffers: Annotated[
        bool, typer.Option("--use-protocol-buffers", help="Use protocol buffers.")
    ] = True,
) -> None:
    """Display resource (CPU/memory) usage of pods; needs the Metrics API (metrics-server).

    Example: kubesim top pod -A
    """
    _check_sort_by(sort_by)
    raise UsageError(NOT_AVAILABLE)


def top_node(
    name: Annotated[str | None, typer.Argument(metavar="[NAME]")] = None,
    selector: options.Selector = None,
    sort_by: Annotated[str, typer.Option("--sort-by", help="cpu or memory.")] = "",
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Don't print headers.")] = False,
    show_capacity: Annotated[
        bool, typer.Option("--show-capacity", help="Print node resources based on Capacity.")
    ] = False,
    use_protocol_buffers: Annotated[
        bool, typer.Option("--use-protocol-buffers", help="Use protocol buffers.")
    ] = True,
) -> None:
    """Display resource (CPU/memory) usage of nodes; needs the Metrics API (metrics-server).

    Example: kubesim top node
    """
    _check_sort_by(sort_by)
    raise UsageError(NOT_AVAILABLE)


def _check_sort_by(sort_by: str) -> None:
    """Validate(): only cpu and memory can be sorted on."""
    if sort_by and sort_by not in ("cpu", "memory"):
        raise UsageError("--sort-by accepts only cpu or memory")


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=(
            "Display resource (CPU/memory) usage; needs the Metrics API.\n\n"
            "Example: kubesim top pod"
        ),
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for alias in ("pod", "pods", "po"):
        group.command(alias, no_args_is_help=False, hidden=alias != "pod")(top_pod)
    for alias in ("node", "nodes", "no"):
        group.command(alias, no_args_is_help=False, hidden=alias != "node")(top_node)
    app.add_typer(group, name="top")
