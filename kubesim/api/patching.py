"""The apiserver's PATCH handler (apiserver/pkg/endpoints/handlers/patch.go): a patch body
decoded as encoding/json decodes it, applied to the live object by its type (JSON patch, JSON
merge patch, strategic merge patch), and the result checked before it is stored as an update.

`kubesim patch` and the HTTP server's PATCH both come here; the errors are the ones the
apiserver returns, with the reasons and codes kubectl prints.
"""

from __future__ import annotations

import json
from typing import Any

from kubesim.api import recursion
from kubesim.api.errors import ApiError, BadRequest
from kubesim.api.kinds import Kind

Object = dict[str, Any]

JSON, MERGE, STRATEGIC, APPLY = "json", "merge", "strategic", "apply"
# the request Content-Type of each patch type (types.PatchType)
CONTENT_TYPES = {
    "application/json-patch+json": JSON,
    "application/merge-patch+json": MERGE,
    "application/strategic-merge-patch+json": STRATEGIC,
    "application/apply-patch+yaml": APPLY,
    "application/apply-patch+cbor": APPLY,
}


class RequestInvalid(ApiError):
    """A 422 without details (a JSON patch that does not apply), as kubectl words it."""

    reason = "Invalid"
    code = 422

    def render(self) -> str:
        return f"The request is invalid: {self.message}"


class ServerError(ApiError):
    """An apiserver error without a reason (an error the patch code returned as it is)."""

    reason = ""

    def render(self) -> str:
        return f"Error from server: {self.message}"


def decode(document: str, patch_type: str) -> Any:
    """The patch body, or the apiserver's BadRequest for one it cannot decode."""
    from kubesim.api import gojson
    from kubesim.api.gofmt import json_kind

    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            body = json.loads(document)
    except json.JSONDecodeError as err:
        raise BadRequest(go_json_error(document, err)) from None
    except RecursionError:  # deeper than encoding/json reads
        raise BadRequest(_depth_error(document)) from None
    if recursion.nesting(body) > gojson.MAX_DEPTH:
        raise BadRequest(_depth_error(document))
    if patch_type == JSON and not isinstance(body, list):
        raise BadRequest(
            "error decoding patch: json: cannot unmarshal "
            f"{json_kind(body)} into Go value of type []handlers.jsonPatchOp"
        )
    if patch_type != JSON and not isinstance(body, dict):
        prefix = "error decoding patch: " if patch_type == MERGE else ""
        raise BadRequest(
            f"{prefix}json: cannot unmarshal {json_kind(body)} into Go value of type "
            "map[string]interface {}"
        )
    return body


def nesting(document: str) -> int:
    """How deeply the patch nests, for the room its processing needs."""
    from kubesim.api import gojson

    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            return recursion.nesting(json.loads(document))
    except (ValueError, RecursionError):
        return 0  # refused when it is decoded


def apply(kind: Kind, live: Object, body: Any, patch_type: str) -> Object:
    """The live object with the patch applied, its name and namespace checked as the PATCH
    handler checks them; what the update is then given."""
    from kubesim.api import json_patch, patch_meta
    from kubesim.api.patch import PatchError, strategic_merge

    try:
        if patch_type == JSON:
            patched = json_patch.json_patch(live, body)
        elif patch_type == MERGE:
            patched = json_patch.merge_patch(live, body)
        else:
            patched = strategic_merge(live, body, patch_meta.for_kind(kind.kind))
    except PatchError as err:
        raise _failure(err, patch_type) from None
    if not isinstance(patched, dict):
        raise BadRequest("Object 'Kind' is missing in the request body")
    name = (patched.get("metadata") or {}).get("name")
    if name != live["metadata"]["name"]:
        raise BadRequest(
            f"the name of the object ({name}) does not match the name on the URL "
            f"({live['metadata']['name']})"
        )
    patched["metadata"]["namespace"] = live["metadata"].get("namespace")
    return patched


def _failure(err: Exception, patch_type: str) -> ApiError:
    """How the apiserver reports a patch it could not apply (handlers/patch.go)."""
    message = str(err)
    if patch_type == JSON:
        return RequestInvalid("the server rejected our request due to an error in our request")
    bad_request = (
        "invalid JSON document",
        "invalid patch format of primitive list",
        "invalid patch format of retainKeys",
        "invalid patch format of setElementOrder list",
    )
    if message in bad_request:
        return BadRequest(message)
    return ServerError(message)


def _depth_error(document: str) -> str:
    """encoding/json's error for a document nested past its limit."""
    from kubesim.api import gojson

    try:
        list(gojson.decode_stream(document))
    except gojson.JSONError as err:  # a SyntaxError's text, without the stream's offset
        return str(err).split(": ", 2)[-1]
    return "exceeded max depth"


def go_json_error(document: str, err: json.JSONDecodeError) -> str:
    """encoding/json's SyntaxError text for what Python's decoder rejected."""
    if err.pos >= len(document.rstrip()):
        return "unexpected end of JSON input"
    char = document[err.pos]
    context = {
        "Expecting value": "looking for beginning of value",
        "Expecting property name enclosed in double quotes": (
            "looking for beginning of object key string"
        ),
        "Expecting ':' delimiter": "after object key",
        "Extra data": "after top-level value",
    }.get(err.msg)
    if context is None and err.msg == "Expecting ',' delimiter":
        before = document[: err.pos].rstrip()
        depth = [c for c in before if c in "{["]
        context = (
            "after object key:value pair" if depth and depth[-1] == "{" else "after array element"
        )
    return f"invalid character '{char}' {context or 'looking for beginning of value'}"
