"""Errors kubesim raises, each carrying the text kubectl would print.

    KubesimError                 any failure the user should see as one clean message
    ├── ApiError                 the apiserver's answer: "Error from server (<Reason>): <message>"
    │   ├── NotFound             pods "web-9" not found
    │   ├── AlreadyExists        services "nginx" already exists
    │   ├── Conflict             the object has been modified; please apply your changes ...
    │   ├── Invalid              field errors: 'The <Kind> "<name>" is invalid: ...'
    │   ├── BadRequest           a malformed request
    │   ├── RequestEntityTooLarge  a request body over 3 MiB
    │   ├── StorageError         etcd's refusal, passed on with no reason
    │   ├── Forbidden            a request the cluster refuses
    │   ├── MethodNotAllowed     a verb the resource does not have
    │   └── Expired              history compacted away (410 Gone)
    ├── ErrorList                utilerrors.Aggregate: several errors, printed as checkErr does
    ├── UsageError               kubectl's own "error: ..." lines (bad flags, unknown resource type)
    │   ├── PlainError           the few that kubectl prints without the "error: " prefix
    │   └── MissingFlag          a required flag not given, which kubectl reports through klog
    ├── StateError               the cluster's state file cannot be used
    └── CommandExit              a container command's exit status, passed on (exec, run)

The library raises these; only the CLI prints them (see ``kubesim.cli.app``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class KubesimError(Exception):
    """Raised for any failure that should reach the user as a message, never a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        """The text printed on stderr, as kubectl prints it."""
        return self.message if self.message.startswith("error: ") else f"error: {self.message}"


class ApiError(KubesimError):
    """Raised when the simulated apiserver refuses a request; `reason` is the Status reason."""

    reason = "InternalError"
    code = 500

    def render(self) -> str:
        # as StandardErrorMessage in kubectl's cmd/util/helpers.go
        return f"Error from server ({self.reason}): {self.message}"


class NotFound(ApiError):
    """Raised when a named object does not exist."""

    reason = "NotFound"
    code = 404

    def __init__(self, resource: str, name: str) -> None:
        super().__init__(f'{resource} "{name}" not found')
        self.resource = resource
        self.name = name


class AlreadyExists(ApiError):
    """Raised when creating an object whose name is taken."""

    reason = "AlreadyExists"
    code = 409

    def __init__(self, resource: str, name: str) -> None:
        super().__init__(f'{resource} "{name}" already exists')
        self.resource = resource
        self.name = name


class Conflict(ApiError):
    """Raised when an update carries a stale resourceVersion."""

    reason = "Conflict"
    code = 409

    def __init__(self, resource: str, name: str) -> None:
        super().__init__(
            f'Operation cannot be fulfilled on {resource} "{name}": the object has been '
            "modified; please apply your changes to the latest version and try again"
        )
        self.resource = resource
        self.name = name


class BadRequest(ApiError):
    """Raised for a request the apiserver cannot parse or act on."""

    reason = "BadRequest"
    code = 400


class StorageError(ApiError):
    """Raised when the store refuses a write; etcd's errors reach the client with no reason
    (`Error from server: etcdserver: request is too large`)."""

    reason = ""
    code = 500

    def render(self) -> str:
        return f"Error from server: {self.message}"


class RequestEntityTooLarge(ApiError):
    """Raised for a request body over the apiserver's limit."""

    reason = "RequestEntityTooLarge"
    code = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request entity too large: limit is {limit}")


class Forbidden(ApiError):
    """Raised for a request the cluster refuses by policy."""

    reason = "Forbidden"
    code = 403


class MethodNotAllowed(ApiError):
    """Raised for a verb a resource does not support."""

    reason = "MethodNotAllowed"
    code = 405


class Expired(ApiError):
    """Raised when a watch or a list asks for history that was compacted away (410 Gone)."""

    reason = "Expired"
    code = 410


OMIT = object()
"""A FieldError value that is not printed (field.OmitValueType in apimachinery)."""


class FieldError:
    """One cause of an Invalid error, as apimachinery's field.Error."""

    __slots__ = ("type", "field", "value", "detail")

    def __init__(self, type: str, field: str, value: Any = OMIT, detail: str = "") -> None:
        self.type = type  # "Required value", "Invalid value", "Unsupported value", "Forbidden"...
        self.field = field
        self.value = value
        self.detail = detail

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"FieldError({str(self)!r})"

    def body(self) -> str:
        """ErrorBody() of apimachinery's field/errors.go."""
        if self.type in ("Required value", "Forbidden", "Too long", "Internal error") or (
            self.value is OMIT
        ):
            text = self.type
        else:
            text = f"{self.type}: {render_bad_value(self.value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


class GoSyntax(str):
    """A bad value already written as Go's %#v prints it (an internal API struct)."""


def render_bad_value(value: Any) -> str:
    """A bad value as v1.32's field/errors.go prints it: %q strings, bare scalars, else %#v."""
    import json

    if isinstance(value, GoSyntax):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        entries = ", ".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in sorted(value.items()))
        return f"map[string]string{{{entries}}}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(json.dumps(v) for v in value) + "}"
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def required(field: str, detail: str = "") -> FieldError:
    return FieldError("Required value", field, detail=detail)


def invalid(field: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid value", field, value, detail)


def unsupported(field: str, value: Any, supported: list[str]) -> FieldError:
    quoted = ", ".join(f'"{s}"' for s in supported)
    return FieldError("Unsupported value", field, value, f"supported values: {quoted}")


def forbidden(field: str, detail: str) -> FieldError:
    return FieldError("Forbidden", field, detail=detail)


class Invalid(ApiError):
    """Raised when an object fails validation; carries every field error found."""

    reason = "Invalid"
    code = 422

    def __init__(self, kind: str, name: str, causes: list[FieldError]) -> None:
        unique: list[FieldError] = []
        for cause in causes:
            if cause not in unique:
                unique.append(cause)
        self.kind = kind
        self.name = name
        self.causes = unique
        # NewInvalid: the causes as an aggregate, in brackets when there are several
        listed = ", ".join(map(str, unique))
        super().__init__(
            f'{kind} "{name}" is invalid: ' + (f"[{listed}]" if len(unique) > 1 else listed)
        )

    def render(self) -> str:
        # kubectl rebuilds the message from the causes (cmd/util/helpers.go, StandardErrorMessage)
        kind = self.kind.split(".")[0]
        head = "The request is invalid"  # a patch that does not decode names no object
        if kind or self.name:
            head = f'The {kind} "{self.name}" is invalid'
        if len(self.causes) == 1:
            return f"{head}: {self.causes[0]}"
        lines = [f"{head}: "]
        lines += [f"* {cause}" for cause in self.causes]
        return "\n".join(lines)


class Aggregate(KubesimError):
    """Several errors from one step, printed one per line without a prefix, as kubectl's
    checkErr prints an aggregate (MultipleErrors)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))

    def render(self) -> str:
        return self.message


class ErrorList(KubesimError):
    """utilerrors.Aggregate: several errors reported as one."""

    def __init__(self, errors: Sequence[KubesimError]) -> None:
        self.errors = list(errors)
        super().__init__(go_error(self))

    def render(self) -> str:
        # checkErr: an aggregate of one is unwrapped once, then printed as itself
        errors = self.errors
        if len(errors) == 1:
            inner = errors[0]
            return _multiple(inner.errors) if isinstance(inner, ErrorList) else inner.render()
        return _multiple(errors)


def aggregate(errors: Sequence[KubesimError]) -> ErrorList:
    return ErrorList(errors)


def go_error(err: KubesimError) -> str:
    """err.Error() in Go: an aggregate flattens its errors, drops repeated messages, and
    brackets them when more than one is left."""
    if not isinstance(err, ErrorList):
        return err.message
    messages: list[str] = []
    stack = list(reversed(err.errors))
    while stack:
        item = stack.pop()
        if isinstance(item, ErrorList):
            stack += reversed(item.errors)
        elif item.message not in messages:
            messages.append(item.message)
    if len(messages) == 1:
        return messages[0]
    return "[" + ", ".join(messages) + "]" if messages else ""


def message_for_error(err: KubesimError) -> str:
    """One line of MultipleErrors: StandardErrorMessage for the server's errors (with the
    server's own message, never an Invalid error's rebuilt one), else Error()."""
    if isinstance(err, ApiError):
        if not err.reason:
            return f"Error from server: {err.message}"
        return f"Error from server ({err.reason}): {err.message}"
    return go_error(err)


def _multiple(errors: Sequence[KubesimError]) -> str:
    return "".join(message_for_error(e) + "\n" for e in errors)


class UsageError(KubesimError):
    """Raised for kubectl's client-side errors (bad flags, unknown types, unreadable files)."""


class PlainError(UsageError):
    """A client-side error whose text kubectl prints as it is, without an `error: ` prefix."""

    def render(self) -> str:
        return self.message


class MissingFlag(UsageError):
    """A required flag left out. Cobra's error skips kubectl's checkErr and reaches the klog
    line of component-base's cli.Run: `E1127 02:39:26.911900   31645 run.go:72] ...`."""

    def __init__(self, flag: str) -> None:
        super().__init__(f'required flag(s) "{flag}" not set')

    def render(self) -> str:
        quoted = self.message.replace("\\", "\\\\").replace('"', '\\"')
        return klog_line("E", "run.go:72", f'"command failed" err="{quoted}"')


def klog_line(severity: str, location: str, message: str) -> str:
    """A klog header and message, as kubectl logs to stderr: `W1127 03:56:19.859943    7707
    helpers.go:702] ...` (severity, local date and time, process id, source line)."""
    import os
    from datetime import datetime

    stamp = datetime.now().strftime("%m%d %H:%M:%S.%f")
    return f"{severity}{stamp} {os.getpid():7d} {location}] {message}"


class StateError(KubesimError):
    """Raised when the cluster state file is missing pieces, corrupt or from a newer kubesim."""


class CommandExit(KubesimError):
    """Raised when a command in a container exits non-zero; kubectl prints the message bare
    (utilexec.ExitError) and exits with the command's own status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def render(self) -> str:
        return self.message
