"""tar: create (c), extract (x) and list (t) archives, with GNU tar 1.34's words (Debian
images) or busybox's, as `kubectl cp` drives it: `tar cf - PATH` and `tar -xmf - -C DIR`
(with `--no-same-permissions --no-same-owner` for --no-preserve).

Options: old-style bundles (`cf`), short clusters (`-xmf`), `-f FILE` (`-` for stdin or
stdout), `-C DIR`, `-m`, `-o`, `-p`, `-v` and the long forms kubectl and users type.
Archives are text whose characters are bytes (kubesim.sandbox.tarball).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from kubesim.sandbox import fs, tarball
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.tarball import Member

_LONG = {
    "--create": "c", "--extract": "x", "--get": "x", "--list": "t", "--verbose": "v",
    "--touch": "m", "--no-same-owner": "o", "--same-permissions": "p",
    "--preserve-permissions": "p", "--no-same-permissions": "P",
}  # fmt: skip
_WITH_VALUE = {"--file": "f", "--directory": "C"}
UMASK = 0o022


@dataclass
class _Options:
    mode: str = ""
    archive: str = "-"
    directory: str | None = None
    verbose: bool = False
    same_permissions: bool = True  # root's default when extracting
    names: list[str] = field(default_factory=list)


class _Usage(Exception):
    """A command line tar refuses."""


def main(proc: Proc) -> int:
    gnu = proc.image.userland == "gnu"
    try:
        options = _parse(proc.args)
    except _Usage as err:
        proc.err(f"tar: {err}\n")
        if gnu:
            proc.err("Try 'tar --help' or 'tar --usage' for more information.\n")
        return 2 if gnu else 1
    if options.mode == "c":
        return _create(proc, options, gnu)
    return _extract_or_list(proc, options, gnu)


def _parse(args: list[str]) -> _Options:
    options = _Options()
    words = list(args)
    pending: list[str] = []  # letters still waiting for their value, in order
    if words and not words[0].startswith("-"):
        # old style, `tar cf ARCHIVE FILE...`: the letters' values follow the bundle
        for letter in words.pop(0):
            _letter(options, letter, pending)
    while words:
        word = words.pop(0)
        if pending:
            _set(options, pending.pop(0), word)
        elif word.startswith("--"):
            name, eq, value = word.partition("=")
            if name in _WITH_VALUE:
                _set(options, _WITH_VALUE[name], value if eq else _next(words, name))
            elif name in _LONG:
                _flag(options, _LONG[name])
            else:
                raise _Usage(f"unrecognized option '{word}'")
        elif word.startswith("-") and word != "-":
            letters = word[1:]
            for index, letter in enumerate(letters):
                rest = letters[index + 1 :]
                if letter in "fC" and rest:  # -fNAME: the rest of the cluster is the value
                    _set(options, letter, rest)
                    break
                _letter(options, letter, pending)
        else:
            options.names.append(word)
    if pending:
        raise _Usage(f"option requires an argument -- '{pending[0]}'")
    if not options.mode:
        raise _Usage("You must specify one of the '-Acdtrux', '--delete' or '--test-label' options")
    return options


def _letter(options: _Options, letter: str, pending: list[str]) -> None:
    if letter in "fC":
        pending.append(letter)
    elif letter in "cxtvmop":
        _flag(options, letter)
    else:
        raise _Usage(f"invalid option -- '{letter}'")


def _next(words: list[str], name: str) -> str:
    if not words:
        raise _Usage(f"option '{name}' requires an argument")
    return words.pop(0)


def _set(options: _Options, letter: str, value: str) -> None:
    if letter == "f":
        options.archive = value
    else:
        options.directory = value


def _flag(options: _Options, letter: str) -> None:
    if letter in "cxt":
        if options.mode and options.mode != letter:
            raise _Usage("You may not specify more than one '-Acdtrux', '--delete' or  "
                         "'--test-label' option")  # fmt: skip
        options.mode = letter
    elif letter == "v":
        options.verbose = True
    elif letter == "p":
        options.same_permissions = True
    elif letter == "P":
        options.same_permissions = False
    # m (do not restore times) and o (do not restore owners): kubesim keeps neither


# --- c ---------------------------------------------------------------------------------------


def _create(proc: Proc, options: _Options, gnu: bool) -> int:
    if not options.names:
        proc.err("tar: Cowardly refusing to create an empty archive\n" if gnu
                 else "tar: empty archive\n")  # fmt: skip
        if gnu:
            proc.err("Try 'tar --help' or 'tar --usage' for more information.\n")
        return 2 if gnu else 1
    if options.archive == "-" and proc.isatty(1):
        proc.err("tar: Refusing to write archive contents to terminal (missing -f option?)\n"
                 "tar: Error is not recoverable: exiting now\n" if gnu
                 else "tar: can't write to terminal\n")  # fmt: skip
        return 2 if gnu else 1
    base = proc.path(options.directory) if options.directory else proc.state.cwd
    members: list[Member] = []
    failed = warned = False
    for name in options.names:
        stripped = name.lstrip("/")
        path = fs.absolute(base, name)
        if gnu and stripped != name and not warned:
            proc.err("tar: Removing leading `/' from member names\n")
            warned = True
        if not fs.exists(proc.container, path):
            reason = "No such file or directory"
            proc.err(f"tar: {name}: Cannot stat: {reason}\n" if gnu else f"tar: {name}: {reason}\n")
            failed = True
            continue
        if not gnu and stripped != name and not warned:
            proc.err("tar: removing leading '/' from member names\n")
            warned = True
        members += _members(proc, path, stripped.rstrip("/") or ".")
    if options.verbose:
        listing = "".join(m.name + ("/" if m.is_dir else "") + "\n" for m in members)
        (proc.err if options.archive == "-" else proc.out)(listing)
    text = tarball.to_text(tarball.write(members))
    if options.archive == "-":
        proc.out(text)
    else:
        fs.write(proc.container, proc.path(options.archive), text)
    if failed:
        proc.err("tar: Exiting with failure status due to previous errors\n" if gnu
                 else "tar: error exit delayed from previous errors\n")  # fmt: skip
        return 2 if gnu else 1
    return 0


def _members(proc: Proc, path: str, name: str) -> list[Member]:
    """The entries for `path` (a directory before what it holds, in name order)."""
    container = proc.container
    mode = fs.mode(container, path)
    if not fs.is_dir(container, path):
        content = tarball.file_bytes(fs.read(container, path) or "")
        return [Member(name, False, mode, content, container.now)]
    found = [Member(name, True, mode, b"", container.now)]
    for child in fs.list_dir(container, path):
        found += _members(proc, posixpath.join(path, child), posixpath.join(name, child))
    return found


# --- x and t ----------------------------------------------------------------------------------


def _extract_or_list(proc: Proc, options: _Options, gnu: bool) -> int:
    if options.archive == "-":
        data = proc.stdin.read()
    else:
        stored = fs.read(proc.container, proc.path(options.archive))
        if stored is None:
            reason = "No such file or directory"
            proc.err(f"tar: {options.archive}: Cannot open: {reason}\n"
                     "tar: Error is not recoverable: exiting now\n" if gnu
                     else f"tar: can't open '{options.archive}': {reason}\n")  # fmt: skip
            return 2 if gnu else 1
        data = stored
    target = proc.path(options.directory) if options.directory else proc.state.cwd
    if not gnu and options.mode == "x" and not fs.is_dir(proc.container, target):
        proc.err(f"tar: can't change directory to '{options.directory}': "
                 "No such file or directory\n")  # fmt: skip
        return 1
    if not data and not gnu:
        proc.err("tar: short read\n")  # busybox: an empty stream ends the archive
        return 0
    try:
        members = tarball.read(tarball.from_text(data))
    except tarball.NotAnArchive:
        if not gnu:
            proc.err("tar: invalid tar magic\n")
            return 1
        skipping = "tar: Skipping to next header\n" if data else ""
        proc.err("tar: This does not look like a tar archive\n" + skipping
                 + "tar: Exiting with failure status due to previous errors\n")  # fmt: skip
        return 2
    if options.mode == "t":
        for member in members:
            proc.out(member.name + ("/" if member.is_dir else "") + "\n")
        return 0
    if members and not fs.is_dir(proc.container, target):
        proc.err(f"tar: {options.directory}: Cannot open: No such file or directory\n"
                 "tar: Error is not recoverable: exiting now\n")  # fmt: skip
        return 2
    return _extract(proc, members, target, options, gnu)


def _extract(proc: Proc, members: list[Member], target: str, options: _Options, gnu: bool) -> int:
    failed = False
    for member in members:
        path = fs.absolute(target, member.name.lstrip("/"))
        if options.verbose:
            proc.out(member.name + ("/" if member.is_dir else "") + "\n")
        if fs.read_only(proc.container, path):
            proc.err(f"tar: {member.name}: Cannot open: {fs.READ_ONLY}\n" if gnu
                     else f"tar: can't open '{member.name}': {fs.READ_ONLY}\n")  # fmt: skip
            if not gnu:
                return 1
            failed = True
            continue
        _make_parents(proc, posixpath.dirname(path))
        if member.is_dir:
            if not fs.is_dir(proc.container, path):
                fs.make_dir(proc.container, path)
        else:
            fs.write(proc.container, path, tarball.file_text(member.content))
        mode = member.mode & 0o7777
        if not options.same_permissions:
            mode &= ~UMASK
        if mode != fs.mode(proc.container, path):
            fs.set_mode(proc.container, path, mode)
    if failed:
        proc.err("tar: Exiting with failure status due to previous errors\n")
        return 2
    return 0


def _make_parents(proc: Proc, directory: str) -> None:
    missing = []
    while not fs.is_dir(proc.container, directory):
        missing.append(directory)
        directory = posixpath.dirname(directory)
    for path in reversed(missing):
        fs.make_dir(proc.container, path)
