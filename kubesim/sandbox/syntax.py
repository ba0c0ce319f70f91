"""Shell syntax trees: words made of parts, and the commands built from them.

Words keep their quoting so expansion can tell `$x` (split, globbed) from `"$x"`.
Command substitutions keep their source text and are parsed when they run, as ash does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Lit:
    text: str
    quoted: bool = False


@dataclass(frozen=True)
class Param:
    """$name, ${name}, ${name:-arg} ... (`op` is "" for plain, "len" for ${#name})."""

    name: str
    quoted: bool = False
    op: str = ""
    arg: tuple[Part, ...] = ()


@dataclass(frozen=True)
class CommandSub:
    source: str
    quoted: bool = False


@dataclass(frozen=True)
class Arith:
    source: str
    quoted: bool = False


Part = Lit | Param | CommandSub | Arith


@dataclass(frozen=True)
class Word:
    parts: tuple[Part, ...]
    text: str  # as typed

    @property
    def literal(self) -> str | None:
        """The text if the word is plain unquoted characters (how keywords are recognised)."""
        if all(isinstance(p, Lit) and not p.quoted for p in self.parts):
            return "".join(p.text for p in self.parts if isinstance(p, Lit))
        return None

    @property
    def quoted(self) -> bool:
        return any(getattr(p, "quoted", False) for p in self.parts)


@dataclass
class HereDoc:
    delimiter: str
    strip_tabs: bool
    expand: bool
    body: tuple[Part, ...] = ()  # filled when the lexer reaches the lines after the command


@dataclass(frozen=True)
class Redirect:
    fd: int
    op: str  # < > >> >| <> >& <& << <<-
    target: Word | None = None
    heredoc: HereDoc | None = None


@dataclass(frozen=True)
class Simple:
    assigns: tuple[tuple[str, Word], ...]
    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...]
    line: int


@dataclass(frozen=True)
class Pipeline:
    commands: tuple[Command, ...]
    negate: bool = False


@dataclass(frozen=True)
class AndOr:
    first: Pipeline
    rest: tuple[tuple[str, Pipeline], ...] = ()


@dataclass(frozen=True)
class CommandList:
    items: tuple[tuple[AndOr, bool], ...]  # (command, run in background)


@dataclass(frozen=True)
class If:
    arms: tuple[tuple[CommandList, CommandList], ...]
    orelse: CommandList | None
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class For:
    name: str
    items: tuple[Word, ...] | None  # None: "$@"
    body: CommandList
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class Loop:
    cond: CommandList
    body: CommandList
    until: bool = False
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class Case:
    word: Word
    arms: tuple[tuple[tuple[Word, ...], CommandList | None], ...]
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class Group:
    body: CommandList
    subshell: bool
    redirects: tuple[Redirect, ...] = ()


@dataclass(frozen=True)
class FunctionDef:
    name: str
    body: Command


Command = Simple | If | For | Loop | Case | Group | FunctionDef


@dataclass
class ShellSyntaxError(Exception):
    """A syntax error; `token` is already in the shells' tokname form (`"fi"`, newline ...)."""

    kind: str  # unexpected | unterminated | backquote | bad-substitution | for-variable
    token: str = ""
    expecting: str | None = None
    line: int = 1
    near: str = field(default="")  # the offending token as typed (bash quotes it)

    def __str__(self) -> str:
        return f"{self.kind} {self.token} {self.expecting or ''}".strip()


class Incomplete(ShellSyntaxError):
    """The input ended inside a construct: an interactive shell reads another line."""


# --- as data, for a process suspended between commands (kubesim.sandbox.machine) ----------

_NODES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (Lit, Param, CommandSub, Arith, Word, HereDoc, Redirect, Simple, Pipeline, AndOr,
                CommandList, If, For, Loop, Case, Group, FunctionDef)
}  # fmt: skip


def to_data(value: object) -> object:
    """A syntax tree (or part of one) as JSON-able data."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"_": type(value).__name__, **fields}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    return value


def from_data(data: object) -> object:
    """The syntax tree `to_data` made (its sequences as tuples again)."""
    if isinstance(data, dict):
        cls = _NODES[data["_"]]
        return cls(**{k: from_data(v) for k, v in data.items() if k != "_"})
    if isinstance(data, list):
        return tuple(from_data(v) for v in data)
    return data
