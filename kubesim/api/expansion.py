"""`$(VAR)` in a container's command, args and env values, as the kubelet expands it
(third_party/forked/golang/expansion): `$(NAME)` becomes the variable's value when it is
defined, and stays as written when it is not; `$$` is a literal `$`, so `$$(NAME)` stays
`$(NAME)`; a `$` before anything else is kept."""

from __future__ import annotations

from collections.abc import Mapping


def expand(text: str, variables: Mapping[str, str]) -> str:
    out: list[str] = []
    checkpoint = 0
    cursor = 0
    while cursor < len(text):
        if text[cursor] == "$" and cursor + 1 < len(text):
            out.append(text[checkpoint:cursor])
            read, is_var, advance = _variable_name(text[cursor + 1 :])
            if is_var:
                out.append(variables[read] if read in variables else f"$({read})")
            else:
                out.append(read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    return "".join(out) + text[checkpoint:]


def _variable_name(rest: str) -> tuple[str, bool, int]:
    """tryReadVariableName: (what was read, whether it is a variable name, bytes consumed)."""
    if rest[0] == "$":
        return "$", False, 1  # an escaped operator
    if rest[0] == "(":
        closer = rest.find(")", 1)
        if closer >= 0:
            return rest[1:closer], True, closer + 1
        return "$(", False, 1  # an incomplete reference
    return "$" + rest[0], False, 1
