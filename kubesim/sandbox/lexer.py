"""Shell tokens: words (with their quoting), operators, newlines and here-document bodies.

Follows the POSIX token rules as ash and dash implement them: a word ends at an unquoted
metacharacter, `2>` is an IO number plus a redirection, `#` starts a comment only at the
start of a token, and here-document bodies are read after the next newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubesim.sandbox.syntax import (
    Arith,
    CommandSub,
    HereDoc,
    Incomplete,
    Lit,
    Param,
    Part,
    ShellSyntaxError,
    Word,
)

METACHARS = frozenset(" \t\n;&|()<>")
OPERATORS = ("<<-", "&&", "||", ";;", "<<", ">>", ">&", "<&", ">|", "<>", ";", "&", "|", "(", ")",
             "<", ">")  # fmt: skip
REDIRECTIONS = frozenset({"<<-", "<<", ">>", ">&", "<&", ">|", "<>", "<", ">"})
SPECIAL_PARAMS = "@*#?-$!0123456789"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PARAM_OPS = (":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%")


@dataclass(frozen=True)
class Token:
    kind: str  # word | op | newline | eof
    text: str
    line: int
    word: Word | None = None
    fd: int | None = None


class Lexer:
    """Tokens of `source`, one at a time. `final` says no more input will follow."""

    def __init__(self, source: str, line: int = 1, final: bool = True) -> None:
        self.src = source
        self.pos = 0
        self.line = line
        self.final = final
        self.pending: list[HereDoc] = []
        self._peeked: Token | None = None

    # --- token stream ----------------------------------------------------------------------

    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = self._scan()
        return self._peeked

    def next(self) -> Token:
        token = self.peek()
        self._peeked = None
        return token

    def _scan(self) -> Token:
        src = self.src
        while self.pos < len(src):
            c = src[self.pos]
            if c in " \t":
                self.pos += 1
            elif src.startswith("\\\n", self.pos):
                self._advance(self.pos + 2)
            elif c == "#":
                end = src.find("\n", self.pos)
                self.pos = len(src) if end < 0 else end
            else:
                break
        if self.pos >= len(src):
            if self.pending and not self.final:
                raise Incomplete("unexpected", "end of file", line=self.line)
            for heredoc in self.pending:
                heredoc.body = ()
            self.pending.clear()
            return Token("eof", "", self.line)
        c = src[self.pos]
        if c == "\n":
            token = Token("newline", "\n", self.line)
            self._advance(self.pos + 1)
            self._read_heredocs()
            return token
        match = re.match(r"\d+(?=[<>])", src[self.pos :])
        fd = None
        if match:
            fd = int(match.group(0))
            self.pos += match.end()
        for op in OPERATORS:
            if src.startswith(op, self.pos):
                self.pos += len(op)
                return Token("op", op, self.line, fd=fd)
        line = self.line
        word = self.word(METACHARS)
        return Token("word", word.text, line, word=word)

    def _advance(self, to: int) -> None:
        self.line += self.src.count("\n", self.pos, to)
        self.pos = to

    # --- words -----------------------------------------------------------------------------

    def word(self, stops: frozenset[str]) -> Word:
        """Scan an unquoted word up to one of `stops` (metacharacters, or none inside ${})."""
        src, start = self.src, self.pos
        parts: list[Part] = []
        chars: list[str] = []

        def flush() -> None:
            if chars:
                parts.append(Lit("".join(chars)))
                chars.clear()

        while self.pos < len(src) and src[self.pos] not in stops:
            c = src[self.pos]
            if c == "\\":
                if self.pos + 1 >= len(src):
                    chars.append("\\")
                    self.pos += 1
                elif src[self.pos + 1] == "\n":
                    self._advance(self.pos + 2)
                else:
                    flush()
                    parts.append(Lit(src[self.pos + 1], quoted=True))
                    self.pos += 2
            elif c == "'":
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise Incomplete("unterminated", line=self.line)
                flush()
                parts.append(Lit(src[self.pos + 1 : end], quoted=True))
                self._advance(end + 1)
            elif c == '"':
                flush()
                self.pos += 1
                parts.append(Lit("", quoted=True))
                parts += self.double_quoted('"')
            elif c == "$":
                flush()
                parts.append(self._dollar(quoted=False))
            elif c == "`":
                flush()
                parts.append(self._backquote(quoted=False))
            else:
                chars.append(c)
                self.pos += 1
        flush()
        return Word(tuple(parts), src[start : self.pos])

    def double_quoted(self, terminator: str | None, heredoc: bool = False) -> list[Part]:
        """Parts inside "...", up to `terminator` (None: to the end, as for here-documents)."""
        src = self.src
        parts: list[Part] = []
        chars: list[str] = []
        escapable = "$`\\\n" if heredoc else '$`"\\\n'
        while True:
            if self.pos >= len(src):
                if terminator is None:
                    break
                raise Incomplete("unterminated", line=self.line)
            c = src[self.pos]
            if c == terminator:
                self.pos += 1
                break
            if c == "\\" and self.pos + 1 < len(src) and src[self.pos + 1] in escapable:
                if src[self.pos + 1] != "\n":
                    chars.append(src[self.pos + 1])
                self._advance(self.pos + 2)
            elif c in "$`":
                if chars:
                    parts.append(Lit("".join(chars), quoted=True))
                    chars.clear()
                parts.append(self._dollar(True) if c == "$" else self._backquote(True))
            else:
                chars.append(c)
                self._advance(self.pos + 1)
        if chars:
            parts.append(Lit("".join(chars), quoted=True))
        return parts

    def _dollar(self, quoted: bool) -> Part:
        src, at = self.src, self.pos + 1
        nxt = src[at] if at < len(src) else ""
        if src.startswith("((", at):
            end = self._closing(at + 2, "(", ")", arithmetic=True)
            self._advance(end + 2)
            return Arith(src[at + 2 : end], quoted)
        if nxt == "(":
            end = self._closing(at + 1, "(", ")")
            self._advance(end + 1)
            return CommandSub(src[at + 1 : end], quoted)
        if nxt == "{":
            end = self._closing(at + 1, "{", "}")
            self._advance(end + 1)
            return self._braced(src[at + 1 : end], quoted)
        match = NAME.match(src, at)
        if match:
            self.pos = match.end()
            return Param(match.group(0), quoted)
        if nxt and nxt in SPECIAL_PARAMS:
            self.pos = at + 1
            return Param(nxt, quoted)
        self.pos = at
        return Lit("$", quoted)

    def _closing(self, start: int, open_: str, close: str, arithmetic: bool = False) -> int:
        """Index of the `close` matching an already-open `open_`, skipping quoted text."""
        src, depth, i = self.src, 1, start
        while i < len(src):
            c = src[i]
            if c == "\\":
                i += 2
                continue
            if c == "'" and open_ == "(":
                i = src.find("'", i + 1)
                if i < 0:
                    break
            elif c == '"':
                i += 1
                while i < len(src) and src[i] != '"':
                    i += 2 if src[i] == "\\" else 1
            elif c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0 and (not arithmetic or src.startswith("))", i)):
                    return i
                if depth == 0:
                    depth = 1
            i += 1
        raise Incomplete("unexpected", "end of file", f'"{close}"', line=self.line)

    def _braced(self, inner: str, quoted: bool) -> Param:
        if inner.startswith("#") and len(inner) > 1 and _is_param_name(inner[1:]):
            return Param(inner[1:], quoted, "len")
        match = NAME.match(inner) or re.match(r"\d+|[@*#?$!-]", inner)
        if not match:
            raise ShellSyntaxError("bad-substitution", line=self.line)
        name, rest = match.group(0), inner[match.end() :]
        if not rest:
            return Param(name, quoted)
        for op in PARAM_OPS:
            if rest.startswith(op):
                return Param(name, quoted, op, parse_parts(rest[len(op) :], quoted))
        raise ShellSyntaxError("bad-substitution", line=self.line)

    def _backquote(self, quoted: bool) -> CommandSub:
        src, i = self.src, self.pos + 1
        chars: list[str] = []
        while i < len(src) and src[i] != "`":
            escapable = "$`\\" + ('"' if quoted else "")
            if src[i] == "\\" and i + 1 < len(src) and src[i + 1] in escapable:
                chars.append(src[i + 1])
                i += 2
            else:
                chars.append(src[i])
                i += 1
        if i >= len(src):
            raise Incomplete("backquote", line=self.line)
        self._advance(i + 1)
        return CommandSub("".join(chars), quoted)

    # --- here-documents --------------------------------------------------------------------

    def _read_heredocs(self) -> None:
        src = self.src
        for heredoc in self.pending:
            lines: list[str] = []
            while True:
                if self.pos >= len(src):
                    if not self.final:
                        raise Incomplete("unexpected", "end of file", line=self.line)
                    break
                end = src.find("\n", self.pos)
                end = len(src) if end < 0 else end
                text = src[self.pos : end]
                self._advance(min(end + 1, len(src)))
                if heredoc.strip_tabs:
                    text = text.lstrip("\t")
                if text == heredoc.delimiter:
                    break
                lines.append(text + "\n")
            body = "".join(lines)
            heredoc.body = (
                parse_parts(body, True, heredoc=True)
                if heredoc.expand
                else (Lit(body, quoted=True),)
            )
        self.pending.clear()


def _is_param_name(text: str) -> bool:
    return bool(NAME.fullmatch(text) or re.fullmatch(r"\d+|[@*#?$!-]", text))


def parse_parts(text: str, quoted: bool, heredoc: bool = False) -> tuple[Part, ...]:
    """The parts of `text` read as the inside of "..." (quoted) or as a bare word."""
    lexer = Lexer(text)
    if quoted:
        return tuple(lexer.double_quoted(None, heredoc=heredoc))
    return lexer.word(frozenset()).parts
