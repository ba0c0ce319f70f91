"""The Go template lexer: a port of text/template/parse/lex.go (Go 1.23).

Items carry character offsets into the template and the line they start on; a malformed
action becomes one ERROR item whose text is Go's (`unclosed action`, `bad character U+007D '}'`).
"""

from __future__ import annotations

from typing import Any

from kubesim.api.gofmt import go_quote

# item types; the keywords come last, as in lex.go
ERROR, BOOL, CHAR, CHAR_CONSTANT, COMPLEX, ASSIGN, DECLARE, EOF = range(8)
FIELD, IDENTIFIER, LEFT_DELIM, LEFT_PAREN, NUMBER, PIPE, RAW_STRING = range(8, 15)
RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE, KEYWORD = range(15, 22)
BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH = range(22, 34)
KEYWORDS = {
    "block": BLOCK, "break": BREAK, "continue": CONTINUE, "define": DEFINE,
    "else": ELSE, "end": END, "if": IF, "range": RANGE, "nil": NIL, "template": TEMPLATE,
    "with": WITH,
}  # fmt: skip
LEFT, RIGHT = "{{", "}}"
SPACES = " \t\r\n"


class Item:
    """A token: its type, character offset, text, and the line it starts on."""

    __slots__ = ("typ", "pos", "val", "line")

    def __init__(self, typ: int, pos: int, val: str, line: int) -> None:
        self.typ, self.pos, self.val, self.line = typ, pos, val, line

    def __str__(self) -> str:
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val.encode()) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)


def unicode_sharp(char: str) -> str:
    """fmt's %#U: U+007D '}'."""
    text = f"U+{ord(char):04X}"
    return text + f" '{char}'" if char.isprintable() else text


def _is_space(char: str) -> bool:
    return char != "" and char in SPACES


def _is_alphanumeric(char: str) -> bool:
    return char == "_" or char.isalpha() or char.isdecimal()


class Lexer:
    """lex.go's lexer: state functions return the next state, or None once an item is ready."""

    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = self.start = 0
        self.at_eof = False
        self.paren_depth = 0
        self.line = self.start_line = 1
        self.item = Item(EOF, 0, "EOF", 1)
        self.inside_action = False

    def next_item(self) -> Item:
        self.item = Item(EOF, self.pos, "EOF", self.start_line)
        state: Any = self.lex_inside_action if self.inside_action else self.lex_text
        while state is not None:
            state = state()
        return self.item

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.at_eof = True
            return ""
        char = self.input[self.pos]
        self.pos += 1
        if char == "\n":
            self.line += 1
        return char

    def peek(self) -> str:
        char = self.next()
        self.backup()
        return char

    def backup(self) -> None:
        if not self.at_eof and self.pos > 0:
            self.pos -= 1
            if self.input[self.pos] == "\n":
                self.line -= 1

    def this_item(self, typ: int) -> Item:
        item = Item(typ, self.start, self.input[self.start : self.pos], self.start_line)
        self.start = self.pos
        self.start_line = self.line
        return item

    def emit(self, typ: int) -> None:
        self.item = self.this_item(typ)

    def ignore(self) -> None:
        self.line += self.input.count("\n", self.start, self.pos)
        self.start = self.pos
        self.start_line = self.line

    def accept(self, valid: str) -> bool:
        char = self.next()
        if char != "" and char in valid:
            return True
        self.backup()
        return False

    def accept_run(self, valid: str) -> None:
        while True:
            char = self.next()
            if char == "" or char not in valid:
                break
        self.backup()

    def errorf(self, message: str) -> None:
        self.item = Item(ERROR, self.start, message, self.start_line)
        self.start = self.pos = 0
        self.input = ""

    def lex_text(self) -> Any:
        found = self.input.find(LEFT, self.pos)
        if found >= 0:
            if found > self.pos:
                self.pos = found
                trim = 0
                if _has_left_trim_marker(self.input[found + len(LEFT) :]):
                    text = self.input[self.start : self.pos]
                    trim = len(text) - len(text.rstrip(SPACES))
                self.pos -= trim
                self.line += self.input.count("\n", self.start, self.pos)
                item = self.this_item(TEXT)
                self.pos += trim
                self.ignore()
                if item.val:
                    self.item = item
                    return None
            return self.lex_left_delim
        self.pos = len(self.input)
        if self.pos > self.start:
            self.line += self.input.count("\n", self.start, self.pos)
            self.emit(TEXT)
            return None
        self.emit(EOF)
        return None

    def at_right_delim(self) -> tuple[bool, bool]:
        rest = self.input[self.pos :]
        if _has_right_trim_marker(rest) and rest[2:].startswith(RIGHT):
            return True, True
        return rest.startswith(RIGHT), False

    def lex_left_delim(self) -> Any:
        self.pos += len(LEFT)
        trim = _has_left_trim_marker(self.input[self.pos :])
        after_marker = 2 if trim else 0
        if self.input.startswith("/*", self.pos + after_marker):
            self.pos += after_marker
            self.ignore()
            return self.lex_comment
        item = self.this_item(LEFT_DELIM)
        self.inside_action = True
        self.pos += after_marker
        self.ignore()
        self.paren_depth = 0
        self.item = item
        return None

    def lex_comment(self) -> Any:
        self.pos += 2
        found = self.input.find("*/", self.pos)
        if found < 0:
            return self.errorf("unclosed comment")
        self.pos = found + 2
        delim, trim = self.at_right_delim()
        if not delim:
            return self.errorf("comment ends before closing delimiter")
        self.line += self.input.count("\n", self.start, self.pos)
        self.this_item(TEXT)  # a comment; kubectl's parser does not keep them
        if trim:
            self.pos += 2
        self.pos += len(RIGHT)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACES))
        self.ignore()
        return self.lex_text

    def lex_right_delim(self) -> Any:
        _, trim = self.at_right_delim()
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += len(RIGHT)
        item = self.this_item(RIGHT_DELIM)
        if trim:
            rest = self.input[self.pos :]
            self.pos += len(rest) - len(rest.lstrip(SPACES))
            self.ignore()
        self.inside_action = False
        self.item = item
        return None

    def lex_inside_action(self) -> Any:
        delim, _ = self.at_right_delim()
        if delim:
            if self.paren_depth == 0:
                return self.lex_right_delim
            return self.errorf("unclosed left paren")
        char = self.next()
        if char == "":
            return self.errorf("unclosed action")
        if _is_space(char):
            self.backup()  # put the space back in case we have " -}}"
            return self.lex_space
        if char == "=":
            return self.emit(ASSIGN)
        if char == ":":
            if self.next() != "=":
                return self.errorf("expected :=")
            return self.emit(DECLARE)
        if char == "|":
            return self.emit(PIPE)
        if char == '"':
            return self.lex_quote
        if char == "`":
            return self.lex_raw_quote
        if char == "$":
            return self.lex_variable
        if char == "'":
            return self.lex_char
        if char == "." and self.pos < len(self.input) and not "0" <= self.input[self.pos] <= "9":
            return self.lex_field
        if char in "+-.0123456789":
            self.backup()
            return self.lex_number
        if _is_alphanumeric(char):
            self.backup()
            return self.lex_identifier
        if char == "(":
            self.paren_depth += 1
            return self.emit(LEFT_PAREN)
        if char == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                return self.errorf("unexpected right paren")
            return self.emit(RIGHT_PAREN)
        if " " <= char <= "~":
            return self.emit(CHAR)
        return self.errorf(f"unrecognized character in action: {unicode_sharp(char)}")

    def lex_space(self) -> Any:
        spaces = 0
        while _is_space(self.peek()):
            self.next()
            spaces += 1
        # a trim-marked right delimiter starts with a space: leave it to lex_right_delim
        rest = self.input[self.pos - 1 :]
        if _has_right_trim_marker(rest) and rest[2:].startswith(RIGHT):
            self.backup()
            if spaces == 1:
                return self.lex_right_delim
        return self.emit(SPACE)

    def lex_identifier(self) -> Any:
        while True:
            char = self.next()
            if not _is_alphanumeric(char):
                self.backup()
                word = self.input[self.start : self.pos]
                if not self.at_terminator():
                    return self.errorf(f"bad character {unicode_sharp(char)}")
                if word in KEYWORDS:
                    return self.emit(KEYWORDS[word])
                if word in ("true", "false"):
                    return self.emit(BOOL)
                return self.emit(IDENTIFIER)

    def lex_field(self) -> Any:
        return self.lex_field_or_variable(FIELD)

    def lex_variable(self) -> Any:
        if self.at_terminator():  # nothing interesting follows: "$"
            return self.emit(VARIABLE)
        return self.lex_field_or_variable(VARIABLE)

    def lex_field_or_variable(self, typ: int) -> Any:
        if self.at_terminator():  # nothing interesting follows: "." or "$"
            return self.emit(VARIABLE if typ == VARIABLE else DOT)
        while True:
            char = self.next()
            if not _is_alphanumeric(char):
                self.backup()
                break
        if not self.at_terminator():
            return self.errorf(f"bad character {unicode_sharp(char)}")
        return self.emit(typ)

    def at_terminator(self) -> bool:
        char = self.peek()
        if _is_space(char) or char in ("", ".", ",", "|", ":", ")", "("):
            return True
        return self.input.startswith(RIGHT, self.pos)

    def lex_char(self) -> Any:
        while True:
            char = self.next()
            if char == "\\":
                if self.next() not in ("", "\n"):
                    continue
                return self.errorf("unterminated character constant")
            if char in ("", "\n"):
                return self.errorf("unterminated character constant")
            if char == "'":
                return self.emit(CHAR_CONSTANT)

    def lex_number(self) -> Any:
        if not self.scan_number():
            return self.errorf(f"bad number syntax: {go_quote(self.input[self.start : self.pos])}")
        if self.peek() in ("+", "-"):  # complex: 1+2i, no spaces, ending in i
            if not self.scan_number() or self.input[self.pos - 1] != "i":
                text = self.input[self.start : self.pos]
                return self.errorf(f"bad number syntax: {go_quote(text)}")
            return self.emit(COMPLEX)
        return self.emit(NUMBER)

    def scan_number(self) -> bool:
        self.accept("+-")
        digits = "0123456789_"
        if self.accept("0"):
            if self.accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self.accept("oO"):
                digits = "01234567_"
            elif self.accept("bB"):
                digits = "01_"
        self.accept_run(digits)
        if self.accept("."):
            self.accept_run(digits)
        if len(digits) == 11 and self.accept("eE"):
            self.accept("+-")
            self.accept_run("0123456789_")
        if len(digits) == 23 and self.accept("pP"):
            self.accept("+-")
            self.accept_run("0123456789_")
        self.accept("i")
        if _is_alphanumeric(self.peek()):
            self.next()
            return False
        return True

    def lex_quote(self) -> Any:
        while True:
            char = self.next()
            if char == "\\":
                if self.next() not in ("", "\n"):
                    continue
                return self.errorf("unterminated quoted string")
            if char in ("", "\n"):
                return self.errorf("unterminated quoted string")
            if char == '"':
                return self.emit(STRING)

    def lex_raw_quote(self) -> Any:
        while True:
            char = self.next()
            if char == "":
                return self.errorf("unterminated raw quoted string")
            if char == "`":
                return self.emit(RAW_STRING)


def _has_left_trim_marker(text: str) -> bool:
    return len(text) >= 2 and text[0] == "-" and _is_space(text[1])


def _has_right_trim_marker(text: str) -> bool:
    return len(text) >= 2 and _is_space(text[0]) and text[1] == "-"
