"""kubectl patch (pkg/cmd/patch/patch.go): a strategic merge, JSON merge or JSON patch sent to
the apiserver, which applies it, then defaults and validates the result like any update."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kubesim.api import recursion
from kubesim.api.errors import ApiError, BadRequest, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import check_arguments, dry_run_suffix, find, print_result

Object = dict[str, Any]

PATCH_TYPES = ("json", "merge", "strategic")


def patch(
    args: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME)")] = None,
    patch_text: Annotated[
        str | None, typer.Option("--patch", "-p", help="The patch, as JSON or YAML.")
    ] = None,
    patch_file: Annotated[
        str | None, typer.Option("--patch-file", help="A file containing the patch.")
    ] = None,
    patch_type: Annotated[
        str, typer.Option("--type", help="The type of patch: json, merge or strategic.")
    ] = "strategic",
    namespace: options.Namespace = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Update fields of a resource with a strategic merge, JSON merge or JSON patch.

    Example: kubesim patch statefulset web -p '{"spec":{"replicas":3}}'
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    if patch_text and patch_file:
        raise UsageError("cannot specify --patch and --patch-file together")
    if not patch_text and not patch_file:
        raise UsageError(
            "must specify --patch or --patch-file containing the contents of the patch"
        )
    if patch_type.lower() not in PATCH_TYPES:
        raise UsageError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    suffix = dry_run_suffix(dry_run)
    document = _read_patch(patch_text, patch_file)
    resources = list(args or [])
    check_arguments(resources, filenames, verb="patch")
    errors: list[KubesimError] = []
    depth = _nesting(document)
    with session.writing() as server, recursion.room(depth):
        found, errors = find(server, resources, filenames, namespace, verb="patch")
        if not found and not errors:
            raise UsageError("no objects passed to patch")
        for kind, obj in found:
            try:
                result = _patch_one(server, kind, obj, document, patch_type.lower(), suffix)
            except (ApiError, UsageError) as err:
                errors.append(err)
                break  # the visitor stops at the first failure
            finally:
                print_warnings(server.warnings)
            operation = "patched" if result != obj else "patched (no change)"
            print_result(kind, result, operation + suffix, output)
    raise_all(errors)


def _read_patch(text: str | None, path: str | None) -> str:
    """The patch as JSON text; YAML is converted as yaml.ToJSON converts it."""
    import json

    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(
                f"unable to read patch file: open {path}: {(err.strerror or '').lower()}"
            ) from None
    assert text is not None
    if text.lstrip().startswith("{"):
        return text  # an object goes to the server as it is; its JSON errors are the server's
    from kubesim.api import goyaml

    try:
        value = goyaml.yaml_to_json(text)
        with recursion.room(recursion.nesting(value)):
            return json.dumps(value)
    except goyaml.YAMLError as err:  # yaml.ToJSON's error, without Unmarshal's words
        reason = str(err).removeprefix("error converting YAML to JSON: ")
        raise UsageError(f"unable to parse {json.dumps(text)}: {reason}") from None


def _patch_one(
    server: Any, kind: Kind, obj: Object, document: str, patch_type: str, suffix: str
) -> Object:
    """What the apiserver's PATCH handler does: decode, apply, check the name, update."""
    from kubesim.api import decode, json_patch, patch_meta
    from kubesim.api.patch import PatchError, strategic_merge

    body = _decode(document, patch_type)
    try:
        if patch_type == "json":
            patched = json_patch.json_patch(obj, body)
        elif patch_type == "merge":
            patched = json_patch.merge_patch(obj, body)
        else:
            patched = strategic_merge(obj, body, patch_meta.for_kind(kind.kind))
    except PatchError as err:
        raise _patch_failure(err, patch_type) from None
    if not isinstance(patched, dict):
        raise BadRequest("Object 'Kind' is missing in the request body")
    name = (patched.get("metadata") or {}).get("name")
    if name != obj["metadata"]["name"]:
        raise BadRequest(
            f"the name of the object ({name}) does not match the name on the URL "
            f"({obj['metadata']['name']})"
        )
    patched["metadata"]["namespace"] = obj["metadata"].get("namespace")
    if suffix:
        return patched
    # kubectl patch sends no fieldValidation: the apiserver's default is to warn
    return server.update(  # type: ignore[no-any-return]
        patched, field_validation=decode.WARN, patch_type=patch_type, patch=body
    )


def _decode(document: str, patch_type: str) -> Any:
    """The patch body, or the apiserver's BadRequest for one it cannot decode."""
    import json

    from kubesim.api import gojson
    from kubesim.api.gofmt import json_kind

    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            body = json.loads(document)
    except json.JSONDecodeError as err:
        raise BadRequest(_go_json_error(document, err)) from None
    except RecursionError:  # deeper than encoding/json reads
        raise BadRequest(_depth_error(document)) from None
    if recursion.nesting(body) > gojson.MAX_DEPTH:
        raise BadRequest(_depth_error(document))
    if patch_type == "json" and not isinstance(body, list):
        raise BadRequest(
            "error decoding patch: json: cannot unmarshal "
            f"{json_kind(body)} into Go value of type []handlers.jsonPatchOp"
        )
    if patch_type != "json" and not isinstance(body, dict):
        prefix = "error decoding patch: " if patch_type == "merge" else ""
        raise BadRequest(
            f"{prefix}json: cannot unmarshal {json_kind(body)} into Go value of type "
            "map[string]interface {}"
        )
    return body


def _nesting(document: str) -> int:
    """How deeply the patch nests, for the room its processing needs."""
    import json

    from kubesim.api import gojson

    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            return recursion.nesting(json.loads(document))
    except (ValueError, RecursionError):
        return 0  # refused when it is decoded


def _depth_error(document: str) -> str:
    """encoding/json's error for a document nested past its limit."""
    from kubesim.api import gojson

    try:
        list(gojson.decode_stream(document))
    except gojson.JSONError as err:  # a SyntaxError's text, without the stream's offset
        return str(err).split(": ", 2)[-1]
    return "exceeded max depth"


def _go_json_error(document: str, err: Any) -> str:
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


class RequestInvalid(ApiError):
    """A 422 without details (a JSON patch that does not apply), as kubectl words it."""

    reason = "Invalid"
    code = 422

    def render(self) -> str:
        return f"The request is invalid: {self.message}"


class ServerError(ApiError):
    """An apiserver error without a reason (an error the patch code returned as it is)."""

    def render(self) -> str:
        return f"Error from server: {self.message}"


def _patch_failure(err: Exception, patch_type: str) -> ApiError:
    """How the apiserver reports a patch it could not apply (handlers/patch.go)."""
    message = str(err)
    if patch_type == "json":
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


def register(app: typer.Typer) -> None:
    app.command("patch")(patch)
