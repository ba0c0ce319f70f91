"""test / [: POSIX expressions (strings, integers, files, !, -a, -o, parentheses)."""

from __future__ import annotations

from kubesim.sandbox import fs, messages
from kubesim.sandbox.proc import Proc

INTEGER_OPS = ("-eq", "-ne", "-lt", "-le", "-gt", "-ge")
FILE_OPS = ("-e", "-f", "-d", "-s", "-r", "-w", "-x", "-h", "-L", "-p", "-S", "-b", "-c")


class TestError(Exception):
    pass


def main(proc: Proc) -> int:
    args = list(proc.args)
    if proc.name == "[":
        if not args or args[-1] != "]":
            _complain(proc, "missing ]")
            return 2
        args = args[:-1]
    try:
        return 0 if _Evaluator(proc, args).run() else 1
    except TestError as error:
        _complain(proc, str(error))
        return 2


def _complain(proc: Proc, message: str) -> None:
    if proc.in_shell and proc.state.dialect == "bash":
        message = message.replace("missing ]", "missing `]'")
        proc.err(messages.diagnostic(proc.state, message, proc.name))
    elif proc.in_shell and proc.state.dialect == "dash":
        proc.err(messages.diagnostic(proc.state, f"{proc.name}: {message}"))
    elif proc.in_shell:
        proc.err(f"{proc.state.arg0}: {message}\n")
    else:
        proc.err(f"{proc.name}: {message}\n")


class _Evaluator:
    def __init__(self, proc: Proc, args: list[str]) -> None:
        self.proc = proc
        self.args = args
        self.pos = 0

    def run(self) -> bool:
        if not self.args:
            return False
        result = self._or()
        if self.pos != len(self.args):
            raise TestError(f"{self.args[self.pos]}: unexpected operator")
        return result

    def _peek(self, offset: int = 0) -> str | None:
        i = self.pos + offset
        return self.args[i] if i < len(self.args) else None

    def _or(self) -> bool:
        result = self._and()
        while self._peek() == "-o":
            self.pos += 1
            result = self._and() or result
        return result

    def _and(self) -> bool:
        result = self._not()
        while self._peek() == "-a":
            self.pos += 1
            result = self._not() and result
        return result

    def _not(self) -> bool:
        if self._peek() == "!" and self._peek(1) is not None:
            self.pos += 1
            return not self._not()
        return self._primary()

    def _primary(self) -> bool:
        token = self._peek()
        if token is None:
            raise TestError("argument expected")
        if token == "(" and ")" in self.args[self.pos :]:
            self.pos += 1
            result = self._or()
            self.pos += 1
            return result
        operator = self._peek(1)
        if operator in ("=", "==", "!=", "<", ">", *INTEGER_OPS) and self._peek(2) is not None:
            left, right = token, self.args[self.pos + 2]
            self.pos += 3
            return self._binary(left, operator, right)
        if token in ("-z", "-n", *FILE_OPS) and operator is not None:
            self.pos += 2
            return self._unary(token, operator)
        self.pos += 1
        return token != ""

    def _binary(self, left: str, op: str, right: str) -> bool:
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        if op in ("<", ">"):
            return left < right if op == "<" else left > right
        a, b = self._integer(left), self._integer(right)
        return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b,
                "-gt": a > b, "-ge": a >= b}[op]  # fmt: skip

    def _integer(self, text: str) -> int:
        try:
            return int(text.strip())
        except ValueError:
            if self.proc.state.dialect == "bash" and self.proc.in_shell:
                raise TestError(f"{text}: integer expression expected") from None
            if self.proc.in_shell and self.proc.state.dialect == "dash":
                raise TestError(f"Illegal number: {text}") from None
            raise TestError(f"invalid number '{text}'") from None

    def _unary(self, op: str, operand: str) -> bool:
        if op == "-z":
            return operand == ""
        if op == "-n":
            return operand != ""
        container = self.proc.container
        path = self.proc.path(operand) if operand else ""
        if not path:
            return False
        if op == "-d":
            return fs.is_dir(container, path)
        if op == "-f":
            return fs.is_file(container, path) and not fs.is_dir(container, path)
        if op == "-s":
            return fs.is_dir(container, path) or bool(fs.read(container, path))
        if op == "-x":
            return fs.is_dir(container, path) or fs.is_executable(container, path)
        if op in ("-e", "-r", "-w"):
            return fs.exists(container, path)
        return False
