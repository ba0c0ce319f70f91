"""kubectl edit's own logic (pkg/cmd/util/editor): the file the user edits, what counts as a
change, the patch sent for it, and the reasons written back into the file when the server
refuses it. Pure functions; the editor and the apiserver are the CLI's business."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Object = dict[str, Any]

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)

CHANGED_IDENTITY = "At least one of apiVersion, kind and name was changed"

DEFAULT_EDITOR = "vi"
DEFAULT_SHELL = "/bin/bash"


@dataclass
class Reason:
    """Why the file is reopened: a head line and, for an invalid object, its causes."""

    head: str
    other: list[str] = field(default_factory=list)


def header(reasons: list[Reason]) -> str:
    """editHeader.writeTo: the instructions, then each reason as comment lines."""
    text = HEADER
    for reason in reasons:
        text += f"# {_hash_on_line_break(reason.head)}{':' if reason.other else ''}\n"
        text += "".join(f"# * {_hash_on_line_break(o)}\n" for o in reason.other)
        text += "#\n"
    return text


def _hash_on_line_break(text: str) -> str:
    """A multi-line message kept inside the comment: each new line starts with '# '."""
    out = []
    for i, char in enumerate(text):
        if char == "\n" and i + 1 < len(text) and text[i + 1] != "#":
            out.append("\n# ")
        else:
            out.append(char)
    return "".join(out)


def manual_strip(text: str) -> str:
    """cmdutil.ManualStrip: the file without its comment lines ('#!' lines stay)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        trimmed = line.strip()
        if trimmed.startswith("#") and not trimmed.startswith("#!"):
            continue
        out.append(line + ("\n" if i < len(lines) - 1 else ""))
    return "".join(out)


def strip_comments(text: str) -> str:
    """cmdutil.StripComments: the YAML as JSON (yaml.ToJSON: comments, layout and key order
    gone, as json.Marshal sorts keys), or, when it does not parse, the text without its
    comment lines."""
    from kubesim.api import goyaml, recursion
    from kubesim.api.gofmt import go_json

    if text.lstrip().startswith("{"):
        return text  # yaml.ToJSON leaves what looks like JSON as it is
    try:
        value = goyaml.yaml_to_json(text)
    except goyaml.YAMLError:
        return manual_strip(text)
    with recursion.room(recursion.nesting(value)):
        return go_json(value)


def has_lines(text: str) -> bool:
    """Whether any line holds something other than a comment."""
    return any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())


def as_list(objects: list[Object]) -> Object:
    """Several objects are edited together in one v1 List."""
    return {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {}}


def two_way_patch(original: Object, edited: Object, meta: Any) -> Object:
    """CreateTwoWayMergePatch with edit's preconditions: the strategic patch from what was shown
    to what was saved; ValueError(CHANGED_IDENTITY) when it would rename or retype the object."""
    from kubesim.api.patch import DiffOptions, diff_maps

    patch = diff_maps(original, edited, meta, DiffOptions())
    metadata = patch.get("metadata")
    if (
        any(key in patch for key in ("apiVersion", "kind", "managedFields"))
        or isinstance(metadata, dict)
        and "name" in metadata
    ):
        raise ValueError(CHANGED_IDENTITY)
    return patch


def invalid_reason(resource: str, name: str, causes: list[str]) -> Reason:
    return Reason(f'{resource} "{name}" was not valid', causes)


def namespace_mismatch(obj: Mapping[str, Any], namespace: str) -> str | None:
    """resource.RequireNamespace: an edited object may not move to another namespace."""
    found = (obj.get("metadata") or {}).get("namespace")
    if found and found != namespace:
        return (
            f'the namespace from the provided object "{found}" does not match the namespace '
            f"\"{namespace}\". You must pass '--namespace={found}' to perform this operation."
        )
    return None


def editor_command(environ: Mapping[str, str]) -> tuple[list[str], bool]:
    """defaultEnvEditor: KUBE_EDITOR, else EDITOR, else vi. A value with spaces is split; one
    that also has quotes or backslashes goes to the user's shell. Returns (args, via_shell)."""
    editor = environ.get("KUBE_EDITOR") or environ.get("EDITOR") or DEFAULT_EDITOR
    if " " not in editor:
        return [editor], False
    if not any(c in editor for c in "\"'\\"):
        return editor.split(" "), False
    return [environ.get("SHELL") or DEFAULT_SHELL, "-c", editor], True


def editor_args(command: list[str], via_shell: bool, path: str) -> list[str]:
    """The command line that opens `path` (Editor.args)."""
    if via_shell:
        return [*command[:-1], f"{command[-1]} {json.dumps(path)}"]
    return [*command, path]


def temp_path(directory: str, prefix: str, suffix: str, token: str) -> str:
    """tempFile: <TMPDIR>/<prefix><5 random letters or digits><suffix>."""
    return os.path.join(directory, f"{prefix}{token}{suffix}")
