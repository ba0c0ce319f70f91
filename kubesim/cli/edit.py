"""kubectl edit (pkg/cmd/edit, pkg/cmd/util/editor/editoptions.go): the objects open in the
user's editor as YAML; what is saved goes back as a strategic merge patch. A file the server
refuses reopens with the reasons written at its top. The cluster is not locked while the
editor is open, so a watch in another terminal goes on; the patch applies to the object as it
is when the file is saved."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer

from kubesim.api import recursion
from kubesim.api.errors import ApiError, Invalid, KubesimError, NotFound, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import check_arguments, find, print_result
from kubesim.kubectl import edit as editing

Object = dict[str, Any]


class Exit(KubesimError):
    """cmdutil.ErrExit: the command fails with what it already printed."""

    def __init__(self) -> None:
        super().__init__("")

    def render(self) -> str:
        return ""


@dataclass
class Results:
    """editResults: what one save led to."""

    reasons: list[editing.Reason] = field(default_factory=list)
    retryable: int = 0
    notfound: int = 0
    invalid: int = 0
    file: str = ""


def edit(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="(RESOURCE/NAME | -f FILENAME)")
    ] = None,
    namespace: options.Namespace = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="The format to edit in: yaml or json.")
    ] = None,
    validate: options.Validate = "strict",
) -> None:
    """Edit a resource in your editor (KUBE_EDITOR, EDITOR, else vi).

    Example: kubesim edit deployment/nginx-deployment
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    if output not in (None, "", "yaml", "json"):
        raise UsageError(
            f'unable to match a printer suitable for the output format "{output}", '
            "allowed formats are: json,yaml"
        )
    directive = options.field_validation(validate)
    resources = list(args or [])
    check_arguments(resources, filenames, all_=True, verb="edit")
    server = session.reading()
    found, errors = find(server, resources, filenames, namespace, verb="edit")
    raise_all(errors)
    if not found:
        raise UsageError("edit cancelled, no objects found")
    _edit_loop(found, options.resolve_namespace(namespace), output or "yaml", directive)


def _edit_loop(found: list[tuple[Kind, Object]], namespace: str, fmt: str, directive: str) -> None:
    """Open the editor until the file saves cleanly, is left unchanged, or is emptied."""
    from kubesim.printers import structured

    originals = [structured.without_managed_fields(obj) for _, obj in found]
    shown = originals[0] if len(originals) == 1 else editing.as_list(originals)
    dump = structured.to_json if fmt == "json" else structured.to_yaml
    results = Results()
    original = edited = ""
    contains_error = False
    while True:
        text = editing.header(results.reasons) if fmt == "yaml" else ""
        if not contains_error:
            text += dump(shown)
            original = text
        else:
            text += editing.manual_strip(edited)
        previous = edited
        try:
            edited, path = _launch(text, ".json" if fmt == "json" else ".yaml")
        except UsageError as err:
            _preserved(results.file)
            raise err from None
        if contains_error and editing.strip_comments(previous) == editing.strip_comments(edited):
            _preserved(path)
            raise UsageError("Edit cancelled, no valid changes were saved.")
        if results.file:
            _remove(results.file)
        if editing.strip_comments(original) == editing.strip_comments(edited):
            _remove(path)
            sys.stderr.write("Edit cancelled, no changes made.\n")
            return
        if not editing.has_lines(edited):
            _remove(path)
            sys.stderr.write("Edit cancelled, saved file was empty.\n")
            return
        results = Results(file=path)
        try:
            updated = _parse(edited)
        except UsageError as err:
            contains_error = True
            results.reasons.append(
                editing.Reason(f"The edited file had a syntax error: {err.message}")
            )
            continue
        contains_error = False
        try:
            depth = max((recursion.nesting(obj) for _, obj in updated), default=0)
            with recursion.room(depth):  # the edited objects may nest as deep as YAML allows
                _save(found, updated, namespace, directive, results)
        except KubesimError:
            _preserved(results.file)
            raise
        if results.retryable:
            sys.stderr.write(f"You can run `kubesim replace -f {path}` to try this update again.\n")
            raise Exit()
        if results.notfound:
            sys.stderr.write(
                f'The edits you made on deleted resources have been saved to "{path}"\n'
            )
            raise Exit()
        if not results.invalid:
            _remove(path)
            return
        contains_error = bool(results.reasons)


def _parse(text: str) -> list[tuple[Kind, Object]]:
    """The objects in the saved file, as kubectl's builder reads the "edited-file" stream."""
    from kubesim.api import kinds
    from kubesim.cli.manifests import check_mapping, parse

    objects = []
    for manifest in parse("edited-file", text):
        obj = manifest.obj
        if not obj.get("kind"):
            raise UsageError(f"Object 'Kind' is missing in '{_go_json(obj)}'")
        check_mapping(manifest)
        kind = kinds.for_object(str(obj.get("apiVersion", "")), str(obj["kind"]))
        assert kind is not None  # checked by check_mapping
        objects.append((kind, obj))
    return objects


def _go_json(obj: Object) -> str:
    from kubesim.api.gofmt import go_json

    return go_json(obj)


def _save(
    found: list[tuple[Kind, Object]],
    updated: list[tuple[Kind, Object]],
    namespace: str,
    directive: str,
    results: Results,
) -> None:
    """visitToPatch: each changed object patched, each refusal recorded for the next round."""
    from kubesim.api import patch_meta
    from kubesim.api.patch import strategic_merge
    from kubesim.engine import session

    by_uid = {obj["metadata"].get("uid"): obj for _, obj in found}
    with session.writing() as server:
        for kind, obj in updated:
            problem = editing.namespace_mismatch(obj, namespace) if kind.namespaced else None
            if problem:
                raise UsageError(problem)
        for kind, obj in updated:
            metadata = obj.get("metadata") or {}
            original = by_uid.get(metadata.get("uid"))
            if original is None:
                raise UsageError(
                    f"no original object found for {kind.resource}/{metadata.get('name', '')}"
                )
            if original == obj:
                print_result(kind, obj, "skipped", None)
                continue
            meta = patch_meta.for_kind(kind.kind)
            try:
                patch = editing.two_way_patch(original, obj, meta)
            except ValueError as err:
                raise UsageError(str(err)) from None
            name = original["metadata"]["name"]
            try:
                live = server.find(kind, original["metadata"].get("namespace"), name)
                if live is None:
                    raise NotFound(kind.resource, name)
                patched = strategic_merge(live, patch, meta)
                result = server.update(
                    patched,
                    field_validation=directive,
                    patch_type="strategic",
                    patch=patch,
                    field_manager="kubectl-edit",
                )
            except ApiError as err:
                sys.stderr.write(_record(err, kind, name, results) + "\n")
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, result, "edited", None)


def _record(err: ApiError, kind: Kind, name: str, results: Results) -> str:
    """editResults.addError: an invalid object is edited again, a vanished one reported, any
    other refusal left for `replace`."""
    if isinstance(err, Invalid):
        results.invalid += 1
        results.reasons.append(
            editing.invalid_reason(kind.resource, name, [str(c) for c in err.causes])
        )
        return f'error: {kind.resource} "{name}" is invalid'
    if isinstance(err, NotFound):
        results.notfound += 1
        return f'error: {kind.resource} "{name}" could not be found on the server'
    results.retryable += 1
    return f'error: {kind.resource} "{name}" could not be patched: {err.message}'


def _launch(text: str, suffix: str) -> tuple[str, str]:
    """Write the file, open it in the editor, read it back: (contents, path)."""
    import secrets
    import string
    import subprocess
    import tempfile

    command, via_shell = editing.editor_command(os.environ)
    alphabet = string.ascii_lowercase + string.digits
    while True:
        token = "".join(secrets.choice(alphabet) for _ in range(5))
        path = editing.temp_path(tempfile.gettempdir(), "kubesim-edit-", suffix, token)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        break
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.flush()
    shown = " ".join(command)
    try:
        completed = subprocess.run(editing.editor_args(command, via_shell, path), check=False)
    except OSError:
        # exec.Command looks a bare name up in PATH (exec.ErrNotFound); a path is only started
        if "/" in command[0]:
            raise UsageError(f'there was a problem with the editor "{shown}"') from None
        raise UsageError(f'unable to launch the editor "{shown}"') from None
    if completed.returncode != 0:
        raise UsageError(f'there was a problem with the editor "{shown}"')
    with open(path, encoding="utf-8") as f:
        return f.read(), path


def _preserved(path: str) -> None:
    if path and os.path.exists(path):
        sys.stderr.write(f'A copy of your changes has been stored to "{path}"\n')


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


def register(app: typer.Typer) -> None:
    app.command("edit")(edit)
