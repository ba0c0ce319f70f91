"""A recursive-descent parser for the POSIX shell grammar (the subset tutorials use).

`next_command` returns one complete command (everything up to a newline at top level),
so a shell can run each command before parsing the next, as ash and dash do. Errors carry
the token in the form the shells print it (tokname in ash/dash parser.c: operators and
keywords quoted, `newline` and `end of file` bare).
"""

from __future__ import annotations

import re

from kubesim.sandbox.lexer import NAME, REDIRECTIONS, Lexer, Token
from kubesim.sandbox.syntax import (
    AndOr,
    Case,
    Command,
    CommandList,
    For,
    FunctionDef,
    Group,
    HereDoc,
    If,
    Incomplete,
    Lit,
    Loop,
    Pipeline,
    Redirect,
    ShellSyntaxError,
    Simple,
    Word,
)

CLOSERS = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}"})
ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")


def tokname(token: Token) -> str:
    if token.kind == "eof":
        return "end of file"
    if token.kind == "newline":
        return "newline"
    if token.kind == "op":
        return "redirection" if token.text in REDIRECTIONS else f'"{token.text}"'
    return f'"{token.text}"'


class Parser:
    def __init__(self, source: str, line: int = 1, final: bool = True) -> None:
        self.lex = Lexer(source, line, final)

    def next_command(self) -> CommandList | None:
        """The next complete command, or None at the end of the input."""
        if self._skip_newlines().kind == "eof":
            return None
        body = self._list(frozenset(), top=True)
        token = self.lex.peek()
        if token.kind == "newline":
            self.lex.next()
        elif token.kind != "eof":
            raise self._unexpected(token)
        return body

    def at_end(self) -> bool:
        """True if nothing but blank lines is left to parse."""
        return self._skip_newlines().kind == "eof"

    # --- lists ------------------------------------------------------------------------------

    def _skip_newlines(self) -> Token:
        while self.lex.peek().kind == "newline":
            self.lex.next()
        return self.lex.peek()

    def _ends_list(self, token: Token, enders: frozenset[str]) -> bool:
        if token.kind == "eof" or (token.kind == "op" and token.text in (")", ";;")):
            return True
        return token.kind == "word" and token.word is not None and token.word.literal in enders

    def _list(
        self, enders: frozenset[str], top: bool = False, empty_ok: bool = False
    ) -> CommandList:
        items: list[tuple[AndOr, bool]] = []
        while True:
            token = self.lex.peek() if top else self._skip_newlines()
            if self._ends_list(token, enders):
                break
            node = self._and_or()
            token = self.lex.peek()
            if token.kind == "op" and token.text in (";", "&"):
                self.lex.next()
                items.append((node, token.text == "&"))
                if top and self.lex.peek().kind in ("newline", "eof"):
                    break
            elif token.kind == "newline" and not top:
                items.append((node, False))
            else:
                items.append((node, False))
                break
        if not items and not empty_ok:
            raise self._unexpected(self.lex.peek())
        return CommandList(tuple(items))

    def _and_or(self) -> AndOr:
        first = self._pipeline()
        rest: list[tuple[str, Pipeline]] = []
        while self.lex.peek().kind == "op" and self.lex.peek().text in ("&&", "||"):
            op = self.lex.next().text
            self._skip_newlines()
            rest.append((op, self._pipeline()))
        return AndOr(first, tuple(rest))

    def _pipeline(self) -> Pipeline:
        negate = self._is_word(self.lex.peek(), "!")
        if negate:
            self.lex.next()
        commands = [self._command()]
        while self.lex.peek().kind == "op" and self.lex.peek().text == "|":
            self.lex.next()
            self._skip_newlines()
            commands.append(self._command())
        return Pipeline(tuple(commands), negate)

    # --- commands ---------------------------------------------------------------------------

    def _is_word(self, token: Token, literal: str) -> bool:
        return token.kind == "word" and token.word is not None and token.word.literal == literal

    def _command(self) -> Command:
        token = self.lex.peek()
        if token.kind == "op" and token.text == "(":
            self.lex.next()
            body = self._list(frozenset())
            self._expect_op(")")
            return Group(body, True, self._redirects())
        literal = token.word.literal if token.kind == "word" and token.word else None
        if literal == "if":
            return self._if()
        if literal in ("while", "until"):
            self.lex.next()
            cond = self._list(frozenset({"do"}))
            self._expect("do")
            body = self._list(frozenset({"done"}))
            self._expect("done")
            return Loop(cond, body, literal == "until", self._redirects())
        if literal == "for":
            return self._for()
        if literal == "case":
            return self._case()
        if literal == "{":
            self.lex.next()
            body = self._list(frozenset({"}"}))
            self._expect("}")
            return Group(body, False, self._redirects())
        if literal in CLOSERS:
            raise self._unexpected(token)
        return self._simple()

    def _if(self) -> If:
        self.lex.next()
        arms = []
        orelse = None
        while True:
            cond = self._list(frozenset({"then"}))
            self._expect("then")
            arms.append((cond, self._list(frozenset({"elif", "else", "fi"}))))
            token = self.lex.next()
            if self._is_word(token, "elif"):
                continue
            if self._is_word(token, "else"):
                orelse = self._list(frozenset({"fi"}))
                self._expect("fi")
            elif not self._is_word(token, "fi"):
                raise self._unexpected(token, '"fi"')
            return If(tuple(arms), orelse, self._redirects())

    def _for(self) -> For:
        self.lex.next()
        token = self.lex.next()
        if token.kind != "word" or not NAME.fullmatch(token.text):
            if token.kind == "eof":
                raise self._unexpected(token)
            raise ShellSyntaxError("for-variable", tokname(token), line=token.line, near=token.text)
        items: list[Word] | None = None
        self._skip_newlines()
        if self._is_word(self.lex.peek(), "in"):
            self.lex.next()
            items = []
            while self.lex.peek().kind == "word":
                word = self.lex.next().word
                assert word is not None
                items.append(word)
            separator = self.lex.next()
            if separator.kind != "newline" and (separator.kind, separator.text) != ("op", ";"):
                raise self._unexpected(separator)
        elif self.lex.peek().kind == "op" and self.lex.peek().text == ";":
            self.lex.next()
        self._skip_newlines()
        self._expect("do")
        body = self._list(frozenset({"done"}))
        self._expect("done")
        return For(token.text, None if items is None else tuple(items), body, self._redirects())

    def _case(self) -> Case:
        self.lex.next()
        subject = self._word()
        self._skip_newlines()
        self._expect("in")
        arms = []
        while not self._is_word(self._skip_newlines(), "esac"):
            if self.lex.peek().kind == "op" and self.lex.peek().text == "(":
                self.lex.next()
            patterns = [self._word()]
            while self.lex.peek().kind == "op" and self.lex.peek().text == "|":
                self.lex.next()
                patterns.append(self._word())
            self._expect_op(")")
            body = self._list(frozenset({"esac"}), empty_ok=True)
            arms.append((tuple(patterns), body if body.items else None))
            token = self._skip_newlines()
            if token.kind == "op" and token.text == ";;":
                self.lex.next()
            elif not self._is_word(token, "esac"):
                raise self._unexpected(token)
        self.lex.next()
        return Case(subject, tuple(arms), self._redirects())

    def _simple(self) -> Command:
        line = self.lex.peek().line
        assigns: list[tuple[str, Word]] = []
        words: list[Word] = []
        redirects: list[Redirect] = []
        while True:
            token = self.lex.peek()
            if token.kind == "word" and token.word is not None:
                self.lex.next()
                assignment = None if words else _assignment(token.word)
                if assignment:
                    assigns.append(assignment)
                    continue
                words.append(token.word)
                after = self.lex.peek()
                if len(words) == 1 and not assigns and after.kind == "op" and after.text == "(":
                    self.lex.next()
                    self._expect_op(")")
                    self._skip_newlines()
                    return FunctionDef(token.text, self._command())
            elif token.kind == "op" and token.text in REDIRECTIONS:
                redirects.append(self._redirect())
            else:
                break
        if not (assigns or words or redirects):
            raise self._unexpected(self.lex.peek())
        return Simple(tuple(assigns), tuple(words), tuple(redirects), line)

    def _redirects(self) -> tuple[Redirect, ...]:
        redirects = []
        while self.lex.peek().kind == "op" and self.lex.peek().text in REDIRECTIONS:
            redirects.append(self._redirect())
        return tuple(redirects)

    def _redirect(self) -> Redirect:
        token = self.lex.next()
        fd = token.fd if token.fd is not None else (0 if token.text.startswith("<") else 1)
        target = self._word()
        if token.text in ("<<", "<<-"):
            delimiter = "".join(p.text for p in target.parts if isinstance(p, Lit))
            heredoc = HereDoc(delimiter, token.text == "<<-", expand=not target.quoted)
            self.lex.pending.append(heredoc)
            return Redirect(fd, token.text, None, heredoc)
        return Redirect(fd, token.text, target)

    # --- expectations -----------------------------------------------------------------------

    def _word(self) -> Word:
        token = self.lex.next()
        if token.kind != "word" or token.word is None:
            raise self._unexpected(token)
        return token.word

    def _expect(self, keyword: str) -> None:
        token = self.lex.next()
        if not self._is_word(token, keyword):
            raise self._unexpected(token, f'"{keyword}"')

    def _expect_op(self, op: str) -> None:
        token = self.lex.next()
        if token.kind != "op" or token.text != op:
            raise self._unexpected(token, f'"{op}"')

    def _unexpected(self, token: Token, expecting: str | None = None) -> ShellSyntaxError:
        near = "newline" if token.kind == "newline" else token.text
        if token.kind == "eof":
            return Incomplete("unexpected", "end of file", expecting, token.line, near)
        return ShellSyntaxError("unexpected", tokname(token), expecting, token.line, near)


def _assignment(word: Word) -> tuple[str, Word] | None:
    first = word.parts[0] if word.parts else None
    if not isinstance(first, Lit) or first.quoted:
        return None
    match = ASSIGNMENT.match(first.text)
    if not match:
        return None
    rest = Lit(first.text[match.end() :])
    value_parts = ((rest,) if rest.text else ()) + word.parts[1:]
    return match.group(1), Word(value_parts, word.text[match.end() :])


def parse(source: str) -> list[CommandList]:
    """All commands of a complete script (raises ShellSyntaxError)."""
    parser = Parser(source)
    commands = []
    while (command := parser.next_command()) is not None:
        commands.append(command)
    return commands
