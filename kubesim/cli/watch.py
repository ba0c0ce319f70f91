"""kubectl get --watch: list, then print one row per change, until Ctrl-C.

Changes are read from the cluster's change log, so writes made by any process (another
terminal) show up. In auto mode the watch also keeps simulated time moving while it runs.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import typer

from kubesim.api.errors import UsageError
from kubesim.cli.resources import fetch, field_filter, label_selector
from kubesim.cli.templates import (
    GO_TEMPLATE_FORMATS,
    JSONPATH_FORMATS,
    TemplateOutputError,
    check_template,
)
from kubesim.printers.table import TabWriter, headers, row

if TYPE_CHECKING:
    from kubesim.cli.get import GetRequest

Object = dict[str, Any]
POLL_SECONDS = 0.1


def watch(request: GetRequest, *, list_first: bool, with_events: bool) -> None:
    from kubesim.engine import session

    if len(request.targets) != 1:
        raise UsageError("you may only specify a single resource type")  # SingleResourceType
    target = request.targets[0]
    kind = target.kind
    store = session.open_store()
    server = session.reading(store)
    follow = store.watcher(server.state.resource_version)
    namespace = (
        None
        if (request.all_namespaces or not kind.namespaced)
        else (target.namespace or request.namespace)
    )
    labels = label_selector(request.selector, kind, request.field_selector)
    fields = field_filter(request.field_selector, kind, request.selector)
    printer = _Printer(request, with_events)

    objects, missing = fetch(
        server, target, request.namespace, all_namespaces=request.all_namespaces,
        selector=request.selector, field_selector=request.field_selector,
    )  # fmt: skip
    if missing:
        raise missing[0]
    check_template(request.output)  # kubectl builds its printer before it watches
    if list_first:
        printer.listing = True
        printer.emit([("ADDED", obj) for obj in objects], server.now)
        printer.listing = False

    def wanted(obj: Object) -> bool:
        m = obj["metadata"]
        if namespace is not None and m.get("namespace") != namespace:
            return False
        if target.names and m["name"] not in target.names:
            return False
        return labels.matches(m.get("labels")) and bool(fields(obj))

    try:
        while True:
            time.sleep(POLL_SECONDS)
            if session.mode(server.state) == "auto":
                server = session.reading(store)  # runs the ticks that are due
            changes, _ = follow.poll((kind.resource,))
            for change in changes:
                try:
                    obj = change.object
                    shown = wanted(obj)
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a damaged entry of the change log: the watch goes on past it
                if shown:
                    # each row shows the object as it was, aged at the moment of the change
                    printer.emit([(change.type, obj)], change.t if change.t else server.now)
    except KeyboardInterrupt:
        # kubectl's interrupt handler ends a watch with os.Exit(1), silently
        raise typer.Exit(1) from None


class _Printer:
    """Prints watch events in the requested format; table widths grow, never shrink."""

    def __init__(self, request: GetRequest, with_events: bool) -> None:
        self.request = request
        self.with_events = with_events
        self.listing = False  # printing the objects listed before the watch
        self.writer = TabWriter()
        self.header_printed = request.table.no_headers

    def emit(self, events: list[tuple[str, Object]], now: float) -> None:
        if not events:
            return
        kind = self.request.targets[0].kind
        output = self.request.output
        if output in ("", "wide"):
            lines = []
            if not self.header_printed:
                head = headers(kind, self.request.table)
                lines.append(["EVENT", *head] if self.with_events else head)
                self.header_printed = True
            for event_type, obj in events:
                cells = row(kind, obj, now, self.request.table)
                lines.append([event_type.ljust(8), *cells] if self.with_events else cells)
            text = self.writer.render(lines)
        else:
            from kubesim.cli.get import format_objects, structured_text

            parts = []
            for event_type, obj in events:
                try:
                    if self.with_events and wraps_events(output):
                        # kubectl prints a metav1.WatchEvent wrapping the object
                        data = {"object": obj, "type": event_type}
                        text = structured_text(output, data)
                        parts.append(text + "---\n" if output == "yaml" else text)
                    else:
                        single = _single_request(self.request)
                        parts.append(format_objects([(kind, [obj])], single, now))
                except TemplateOutputError as err:
                    sys.stdout.write("".join(parts) + err.output)
                    if self.listing:
                        raise TemplateOutputError(
                            f"unable to output the provided object: {err.message}", ""
                        ) from None
                    raise
            text = "".join(parts)
        sys.stdout.write(text)
        sys.stdout.flush()


def wraps_events(output: str) -> bool:
    """Whether --output-watch-events prints the event object (json, yaml and templates)."""
    name = output.partition("=")[0]
    return output in ("json", "yaml") or name in (*GO_TEMPLATE_FORMATS, *JSONPATH_FORMATS)


def _single_request(request: GetRequest) -> GetRequest:
    """Each watched object prints as itself, not inside a List."""
    from kubesim.cli.resources import Target

    return request.with_targets([Target(request.targets[0].kind, ["*"])])
