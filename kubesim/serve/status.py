"""Errors as the apiserver sends them: a metav1.Status with the reason, code and details that
apimachinery's errors.go constructors fill in, which kubectl turns back into its messages."""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import (
    AlreadyExists,
    ApiError,
    Conflict,
    Invalid,
    KubesimError,
    NotFound,
)

Status = dict[str, Any]

# field.ErrorType -> metav1.CauseType (apimachinery/pkg/util/validation/field/errors.go)
_CAUSES = {
    "Not found": "FieldValueNotFound",
    "Required value": "FieldValueRequired",
    "Duplicate value": "FieldValueDuplicate",
    "Invalid value": "FieldValueInvalid",
    "Unsupported value": "FieldValueNotSupported",
    "Forbidden": "FieldValueForbidden",
    "Too long": "FieldValueTooLong",
    "Too many": "FieldValueTooMany",
    "Internal error": "InternalError",
    "Invalid value type": "FieldValueTypeInvalid",
}
NOT_FOUND_MESSAGE = "the server could not find the requested resource"


def success(details: dict[str, Any] | None = None) -> Status:
    status: Status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}
    if details:
        status["details"] = details
    return status


def failure(message: str, reason: str, code: int, details: dict[str, Any] | None = None) -> Status:
    status: Status = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
    }
    if reason:
        status["reason"] = reason
    if details:
        status["details"] = details
    status["code"] = code
    return status


def not_found() -> Status:
    """A path the server does not serve (NewNotFound without a name: the generic 404)."""
    return failure(NOT_FOUND_MESSAGE, "NotFound", 404, {})


def _resource_details(resource: str, name: str) -> dict[str, Any]:
    plural, _, group = resource.partition(".")
    details: dict[str, Any] = {"name": name}
    if group:
        details["group"] = group
    details["kind"] = plural
    return details


def of(err: KubesimError) -> Status:
    """The Status an error is sent as."""
    if isinstance(err, NotFound | AlreadyExists | Conflict):
        details = _resource_details(err.resource, err.name)
        return failure(err.message, err.reason, err.code, details)
    if isinstance(err, Invalid):
        kind, _, group = err.kind.partition(".")
        details = {"name": err.name}
        if group:
            details["group"] = group
        if kind:
            details["kind"] = kind
        causes = [
            {"reason": _CAUSES.get(c.type, "FieldValueInvalid"), "message": c.body(),
             "field": c.field}
            for c in err.causes
        ]  # fmt: skip
        return failure(err.message, err.reason, err.code, {**details, "causes": causes})
    if isinstance(err, ApiError):
        return failure(err.message, err.reason, err.code)
    # anything else met while serving is the server's own failure
    return failure(f"Internal error occurred: {err.message}", "InternalError", 500)
