"""kubectl api-resources: the resource types this cluster serves."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kubesim.cli import options


def api_resources(
    output: options.Output = None,
    namespaced: Annotated[
        bool | None,
        typer.Option("--namespaced", help="true for namespaced types, false for the others."),
    ] = None,
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Don't print headers.")] = False,
) -> None:
    """Print the supported API resources on the server.

    Example: kubesim api-resources --namespaced=true
    """
    from kubesim.api.kinds import KINDS
    from kubesim.printers.table import TabWriter

    chosen = [k for k in KINDS if namespaced is None or k.namespaced == namespaced]
    # apiresources.go's sortableResource: by API group name, then resource name
    chosen.sort(key=lambda k: (k.group, k.plural))
    if output == "name":
        sys.stdout.write("".join(f"{k.resource}\n" for k in chosen))
        return
    rows = [] if no_headers else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    rows += [
        [k.plural, ",".join(k.short_names), k.api_version, str(k.namespaced).lower(), k.kind]
        for k in chosen
    ]
    sys.stdout.write(TabWriter().render(rows))


def register(app: typer.Typer) -> None:
    app.command("api-resources")(api_resources)
