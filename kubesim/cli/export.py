"""kubesim export: the whole cluster as one JSON document (beyond kubectl)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer


def export(
    output: Annotated[
        str, typer.Option("--output", "-o", help="json (the default) or yaml.")
    ] = "json",
) -> None:
    """Print every object of the cluster as one List, as `kubectl get -A -o json` prints
    objects: events and cluster-scoped kinds too, in kubectl's kind order, each in key order.

    Example: kubesim export > cluster.json
    """
    from kubesim.api import kinds
    from kubesim.api.errors import UsageError
    from kubesim.engine import session
    from kubesim.printers import structured

    if output not in ("json", "yaml"):
        raise UsageError(f'--output must be "json" or "yaml", not "{output}"')
    server = session.reading()
    # componentstatuses are computed by the apiserver when asked, never stored
    stored = [k for k in kinds.KINDS if k.resource != "componentstatuses"]
    items = [obj for kind in stored for obj in server.scan(kind)]
    document = structured.as_list(items)
    document["metadata"]["resourceVersion"] = str(server.state.resource_version)
    text = structured.to_json(document) if output == "json" else structured.to_yaml(document)
    sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command("export")(export)
