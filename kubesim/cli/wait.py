"""kubectl wait (pkg/cmd/wait): until a condition holds on every object, or time runs out.

In manual clock mode the wait ticks the cluster as fast as it can, and --timeout counts ticks
(simulated seconds); in auto mode it waits in real time. Objects are waited on one after the
other, each printing `<kind>/<name> condition met` when its condition holds.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import KubesimError, NotFound, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import raise_all
from kubesim.cli.visit import check_arguments, find, print_result

Object = dict[str, Any]

WEEK = 168 * 3600  # a negative --timeout waits this long


class Condition:
    """One --for value: delete, create, condition=NAME[=VALUE] or jsonpath=EXPR[=VALUE]."""

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        self.name = self.value = self.path = ""
        if lowered in ("delete", "create"):
            self.kind = lowered
        elif text.startswith("condition="):
            self.kind = "condition"
            name, sep, value = text[len("condition=") :].partition("=")
            self.name, self.value = name, value if sep else "true"
        elif text.startswith("jsonpath="):
            self.kind = "jsonpath"
            self.path, self.value = _jsonpath_input(text[len("jsonpath=") :])
        else:
            raise UsageError(f'unrecognized condition: "{text}"')

    def met(self, obj: Object) -> bool:
        """Whether the object satisfies a condition= or jsonpath= wait (checkCondition)."""
        if self.kind == "condition":
            return _condition_met(obj, self.name, self.value)
        return _jsonpath_met(obj, self.path, self.value)


def _jsonpath_input(text: str) -> tuple[str, str]:
    """processJSONPathInput: split on single '=' (a '==' stays inside the expression)."""
    from kubesim.printers import custom_columns, jsonpath

    parts = [p.replace("\0", "==") for p in text.replace("==", "\0").split("=")]
    if len(parts) > 2:
        raise UsageError(
            "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
            "--for=jsonpath='{.status.readyReplicas}'"
        )
    try:
        expression = custom_columns.relaxed_jsonpath(parts[0])
    except custom_columns.ColumnsError as err:
        raise UsageError(str(err)) from None
    value = parts[1].strip("'\"") if len(parts) == 2 else ""
    if len(parts) == 2 and not value:
        raise UsageError(
            "jsonpath wait has to have a value after equal sign, like "
            "--for=jsonpath='{.status.readyReplicas}'=3"
        )
    if not expression:
        raise UsageError("jsonpath expression cannot be empty")
    try:
        jsonpath.parse(expression)
    except jsonpath.JSONPathError as err:
        raise UsageError(str(err)) from None
    return expression, value


def _condition_met(obj: Object, name: str, value: str) -> bool:
    status = obj.get("status") or {}
    for condition in status.get("conditions") or []:
        if (
            not isinstance(condition, dict)
            or str(condition.get("type", "")).lower() != name.lower()
        ):
            continue
        if "status" not in condition:
            continue
        generation = obj["metadata"].get("generation")
        observed = condition.get("observedGeneration", status.get("observedGeneration"))
        if generation is not None and observed is not None and observed < generation:
            return False
        return str(condition["status"]).lower() == value.lower()
    return False


def _jsonpath_met(obj: Object, path: str, value: str) -> bool:
    from kubesim.api.gofmt import go_sprint
    from kubesim.printers import jsonpath

    results = jsonpath.find_results(path, obj)
    if not results or not results[0]:
        return False
    if len(results) > 1:
        raise UsageError("given jsonpath expression matches more than one list")
    if len(results[0]) > 1:
        raise UsageError("given jsonpath expression matches more than one value")
    if not value:
        return True
    found = results[0][0]
    if isinstance(found, dict | list):
        raise UsageError("jsonpath leads to a nested object or list which is not supported")
    return go_sprint(found).strip() == value.strip()


def wait(
    args: Annotated[list[str] | None, typer.Argument(metavar="(TYPE NAME | TYPE/NAME)")] = None,
    for_: Annotated[
        str,
        typer.Option(
            "--for",
            help="delete, create, condition=NAME[=VALUE] or jsonpath='{EXPRESSION}'[=VALUE].",
        ),
    ] = "",
    timeout: Annotated[
        str, typer.Option("--timeout", help="How long to wait; 0 checks once, negative a week.")
    ] = "30s",
    all_: options.All = False,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    filenames: options.Filenames = None,
    output: options.Output = None,
) -> None:
    """Wait for a specific condition on one or many resources.

    Example: kubesim wait --for=condition=Ready pod/web-0
    """
    from kubesim.engine import session

    seconds = options.duration_flag(timeout, "timeout", "wait")
    condition = Condition(for_)
    seconds = WEEK if seconds < 0 else seconds
    resources = list(args or [])
    check_arguments(resources, filenames, selector=selector, field_selector=field_selector,
                    all_=all_, verb="wait")  # fmt: skip

    def lookup(server: Any) -> tuple[list[tuple[Kind, Object]], list[KubesimError]]:
        return find(server, resources, filenames, namespace, all_namespaces=all_namespaces,
                    selector=selector, field_selector=field_selector, verb="wait")  # fmt: skip

    printer = _Printer(output)
    if condition.kind == "create":

        def created(server: Any) -> list[tuple[Kind, Object]] | None:
            objects, missing = lookup(server)
            return objects if objects and not missing else None

        found = session.wait_for(created, timeout=seconds)
        if found is None:
            raise UsageError("timed out waiting for the condition")
        for kind, obj in found:
            printer.met(kind, obj)
        return
    found, errors = lookup(session.reading())
    if condition.kind == "delete":
        errors = [e for e in errors if not isinstance(e, NotFound)]
    elif not found and not errors:
        raise UsageError("no matching resources found")
    waiter = _Waiter(found, condition, printer)
    if found and session.wait_for(waiter, timeout=seconds) is None:
        kind, obj = waiter.pending[0]
        where = f"{kind.plural}/{obj['metadata']['name']}"
        if seconds == 0:
            errors.append(UsageError(f"condition not met for {where}"))
        else:
            errors.append(UsageError(f"timed out waiting for the condition on {where}"))
    if waiter.error is not None:
        errors.append(waiter.error)
    raise_all(errors)


class _Printer:
    def __init__(self, output: str | None) -> None:
        self.output = output

    def met(self, kind: Kind, obj: Object) -> None:
        print_result(kind, obj, "condition met", self.output)
        sys.stdout.flush()


class _Waiter:
    """Checks the objects in order, printing each as its condition holds; done when all have.

    As kubectl's watch does, an object missing when its wait starts is an error, while one
    deleted during the wait is waited for under the same name. An error ends the wait without
    undoing the ticks already run, and is reported afterwards."""

    def __init__(
        self, targets: list[tuple[Kind, Object]], condition: Condition, printer: _Printer
    ) -> None:
        self.pending = list(targets)
        self.condition = condition
        self.printer = printer
        self.error: KubesimError | None = None
        self.watching = False  # the head object has been seen and is now watched

    def __call__(self, server: Any) -> bool | None:
        while self.pending:
            kind, obj = self.pending[0]
            meta = obj["metadata"]
            current = server.find(kind, meta.get("namespace"), meta["name"])
            if self.condition.kind == "delete":
                if current is not None and current["metadata"].get("uid") == meta.get("uid"):
                    return None
                final = obj
            else:
                if current is None:
                    if not self.watching:
                        # the informer's first sync must find it (UntilWithSync's precondition)
                        self.error = NotFound(kind.resource, meta["name"])
                        return True
                    return None  # deleted while watched: a pod of the same name may come back
                try:
                    if not self.condition.met(current):
                        self.watching = True
                        return None
                except KubesimError as err:
                    self.error = err
                    return True
                final = current
            self.printer.met(kind, final)
            self.pending.pop(0)
            self.watching = False
        return True


def register(app: typer.Typer) -> None:
    app.command("wait")(wait)
