"""Permission bits: chmod's MODE operand parsed as busybox's bb_parse_mode does (GNU's
mode_compile accepts the same modes for what containers run), and `ls -l`'s rwx string."""

from __future__ import annotations

UMASK = 0o022  # a container process's umask; modes naming no who are masked with it
SETUID, SETGID, STICKY = 0o4000, 0o2000, 0o1000
ALL_BITS = 0o7777
_WHO = {"a": ALL_BITS, "u": SETUID | 0o700, "g": SETGID | 0o070, "o": 0o007}
_PERM = {"r": 0o444, "w": 0o222, "x": 0o111, "X": 0o111, "s": SETUID | SETGID, "t": STICKY}


def parse_mode(text: str, current: int, *, is_dir: bool) -> int | None:
    """The bits `text` (octal, or clauses like u+x,go-w,a=r) gives a file that has `current`;
    None if it is not a valid mode."""
    if text[:1] in "01234567" and text:
        if any(c not in "01234567" for c in text) or int(text, 8) > ALL_BITS:
            return None
        return int(text, 8)
    mode, i = current, 0
    while i < len(text):
        if text[i] == ",":  # empty clauses are allowed
            i += 1
            continue
        who = 0
        while i < len(text) and text[i] in _WHO:
            who |= _WHO[text[i]]
            i += 1
        if i == len(text):
            return None  # a who list with no action
        while i < len(text) and text[i] != ",":
            op = text[i]
            if op not in "+-=":
                return None
            i += 1
            if op == "=":
                mode &= ~(who or ALL_BITS)
            if i < len(text) and text[i] in "ugo":  # copy another class's bits: g=u
                shift = {"u": 6, "g": 3, "o": 0}[text[i]]
                bits = (mode >> shift) & 0o7
                perms = bits << 6 | bits << 3 | bits
                i += 1
            else:
                perms = 0
                while i < len(text) and text[i] in _PERM:
                    if text[i] != "X" or is_dir or mode & 0o111:
                        perms |= _PERM[text[i]]
                    i += 1
            perms &= who or ~UMASK
            mode = mode & ~perms if op == "-" else mode | perms
    return mode


def mode_string(bits: int) -> str:
    """`rwxr-xr-x` as ls -l shows the permission bits (s/S, t/T for the special ones)."""
    chars = []
    for shift, special, mark in ((6, SETUID, "s"), (3, SETGID, "s"), (0, STICKY, "t")):
        triple = (bits >> shift) & 0o7
        chars += ["r" if triple & 4 else "-", "w" if triple & 2 else "-"]
        execute = bool(triple & 1)
        if bits & special:
            chars.append(mark if execute else mark.upper())
        else:
            chars.append("x" if execute else "-")
    return "".join(chars)
