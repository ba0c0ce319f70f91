"""The Go template parser: a port of text/template/parse/parse.go (Go 1.23).

`parse` turns template text into trees, one per template name (the template's own and any it
defines with define or block). Errors read as Go's: `template: output:1: unexpected "," in
operand`, the line being that of the last token read.
"""

from __future__ import annotations

from typing import NoReturn

from kubesim.api.gofmt import go_quote
from kubesim.api.gostrconv import NumError, parse_float, parse_int, parse_uint, unquote
from kubesim.api.gostrconv import unquote_char as go_unquote_char
from kubesim.printers import gotemplate_lex as lex
from kubesim.printers.gotemplate_lex import Item, Lexer
from kubesim.printers.gotemplate_nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
)

MAX_STACK_DEPTH = 10000  # nested parenthesized expressions


class ParseError(ValueError):
    """Raised for a template that cannot be parsed; the message is text/template's."""


def parse(name: str, text: str, funcs: frozenset[str]) -> dict[str, ListNode]:
    """The trees of a template: `name`'s own and those it defines; ParseError when malformed."""
    trees: dict[str, ListNode] = {}
    tree = _Tree(name, name, funcs)
    tree.start_parse(Lexer(text), trees)
    tree.parse()
    tree.add()
    return trees


def is_empty_tree(node: Node | None) -> bool:
    """parse.IsEmptyTree: nothing but space."""
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(n) for n in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip()
    return False


class _Tree:
    """parse.Tree while parsing: a three-token lookahead over the lexer, and the variables in
    scope."""

    def __init__(self, name: str, parse_name: str, funcs: frozenset[str]) -> None:
        self.name = name
        self.parse_name = parse_name
        self.funcs = funcs
        self.root: ListNode | None = None
        self.token = [Item(lex.EOF, 0, "EOF", 1)] * 3
        self.peek_count = 0
        self.action_line = 0
        self.range_depth = 0
        self.stack_depth = 0

    def start_parse(self, lexer: Lexer, trees: dict[str, ListNode]) -> None:
        self.lex = lexer
        self.trees = trees
        self.vars = ["$"]

    # the token stream
    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
        else:
            self.token[0] = self.lex.next_item()
        return self.token[self.peek_count]

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:  # reverse order: we're pushing back
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.lex.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        while True:
            token = self.next()
            if token.typ != lex.SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # errors
    def errorf(self, message: str) -> NoReturn:
        self.root = None
        raise ParseError(f"template: {self.parse_name}:{self.token[0].line}: {message}")

    def expect(self, expected: int, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> NoReturn:
        if token.typ == lex.ERROR:
            extra = ""
            if self.action_line not in (0, token.line):
                extra = f" in action started at {self.parse_name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]  # avoid "action in action"
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # the grammar
    def add(self) -> None:
        tree = self.trees.get(self.name)
        if tree is None or is_empty_tree(tree):
            assert self.root is not None
            self.trees[self.name] = self.root
        elif not is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {go_quote(self.name)}")

    def parse(self) -> None:
        self.root = ListNode(self.peek().pos)
        while self.peek().typ != lex.EOF:
            if self.peek().typ == lex.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == lex.DEFINE:
                    definition = _Tree("definition", self.parse_name, self.funcs)
                    definition.start_parse(self.lex, self.trees)
                    definition.parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, EndNode | ElseNode):
                self.errorf(f"unexpected {node}")
            self.root.nodes.append(node)

    def parse_definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.typ not in (lex.STRING, lex.RAW_STRING):
            self.unexpected(token, context)
        self.name = self.unquote(token.val)
        self.expect(lex.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        """textOrAction* up to an {{end}} or {{else}}, which is returned separately."""
        nodes = ListNode(self.peek_non_space().pos)
        while self.peek_non_space().typ != lex.EOF:
            node = self.text_or_action()
            if isinstance(node, EndNode | ElseNode):
                return nodes, node
            nodes.nodes.append(node)
        self.errorf("unexpected EOF")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lex.TEXT:
            return TextNode(token.pos, token.val)
        if token.typ == lex.LEFT_DELIM:
            self.action_line = token.line
            try:
                return self.action()
            finally:
                self.action_line = 0
        self.unexpected(token, "input")

    def action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lex.BLOCK:
            return self.block_control()
        if token.typ in (lex.BREAK, lex.CONTINUE):
            keyword = "{{break}}" if token.typ == lex.BREAK else "{{continue}}"
            after = self.next_non_space()
            if after.typ != lex.RIGHT_DELIM:
                self.unexpected(after, keyword)
            if self.range_depth == 0:
                self.errorf(f"{keyword} outside {{{{range}}}}")
            return BreakNode(token.pos) if token.typ == lex.BREAK else ContinueNode(token.pos)
        if token.typ == lex.ELSE:
            return self.else_control()
        if token.typ == lex.END:
            return EndNode(self.expect(lex.RIGHT_DELIM, "end").pos)
        if token.typ in (lex.IF, lex.RANGE, lex.WITH):
            return self.branch_control(token.val)
        if token.typ == lex.TEMPLATE:
            return self.template_control()
        self.backup()
        token = self.peek()
        # variables declared here are not popped; they persist until "end"
        return ActionNode(token.pos, token.line, self.pipeline("command", lex.RIGHT_DELIM))

    def pipeline(self, context: str, end: int) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(token.pos, token.line)
        while (v := self.peek_non_space()).typ == lex.VARIABLE:  # declarations?
            self.next()
            # "$x foo" needs "foo" (not ":=") read to know $x is an argument: three tokens
            after_variable = self.peek()
            following = self.peek_non_space()
            if following.typ in (lex.ASSIGN, lex.DECLARE):
                pipe.is_assign = following.typ == lex.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val.split(".")))
                self.vars.append(v.val)
            elif following.typ == lex.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(v.pos, v.val.split(".")))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (
                        lex.VARIABLE, lex.RIGHT_DELIM, lex.RIGHT_PAREN
                    ):  # fmt: skip
                        continue  # the second variable of a range
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif after_variable.typ == lex.SPACE:
                self.backup3(v, after_variable)
            else:
                self.backup2(v)
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if token.typ in _OPERAND_STARTS:
                self.backup()
                pipe.cmds.append(self.command())
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        # only the first command of a pipeline can start with a non-executable operand
        for stage, command in enumerate(pipe.cmds[1:], start=2):
            if isinstance(command.args[0], BoolNode | DotNode | NilNode | NumberNode | StringNode):
                self.errorf(f"non executable command in pipeline stage {stage}")

    def branch_control(self, keyword: str) -> BranchNode:
        """if, range or with: {{keyword pipeline}} itemList [{{else}} itemList] {{end}}."""
        depth = len(self.vars)
        try:
            pipe = self.pipeline(keyword, lex.RIGHT_DELIM)
            if keyword == "range":
                self.range_depth += 1
            nodes, following = self.item_list()
            if keyword == "range":
                self.range_depth -= 1
            else_nodes = None
            if isinstance(following, ElseNode):
                # {{else if b}} and {{else with b}} read as {{else}}{{if b}}..{{end}}{{end}}
                chained = {"if": lex.IF, "with": lex.WITH}.get(keyword)
                if chained is not None and self.peek().typ == chained:
                    self.next()
                    else_nodes = ListNode(following.pos, [self.branch_control(keyword)])
                else:
                    else_nodes, following = self.item_list()
                    if not isinstance(following, EndNode):
                        self.errorf(f"expected end; found {following}")
            return BranchNode(pipe.pos, keyword, pipe.line, pipe, nodes, else_nodes)
        finally:
            del self.vars[depth:]

    def else_control(self) -> ElseNode:
        peek = self.peek_non_space()
        if peek.typ in (lex.IF, lex.WITH):  # left pending for "else if" / "else with"
            return ElseNode(peek.pos)
        return ElseNode(self.expect(lex.RIGHT_DELIM, "else").pos)

    def block_control(self) -> TemplateNode:
        context = "block clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = self.pipeline(context, lex.RIGHT_DELIM)
        block = _Tree(name, self.parse_name, self.funcs)
        block.start_parse(self.lex, self.trees)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return TemplateNode(token.pos, token.line, name, pipe)

    def template_control(self) -> TemplateNode:
        context = "template clause"
        token = self.next_non_space()
        name = self.template_name(token, context)
        pipe = None
        if self.next_non_space().typ != lex.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lex.RIGHT_DELIM)
        return TemplateNode(token.pos, token.line, name, pipe)

    def template_name(self, token: Item, context: str) -> str:
        if token.typ not in (lex.STRING, lex.RAW_STRING):
            self.unexpected(token, context)
        return self.unquote(token.val)

    def command(self) -> CommandNode:
        """Space-separated operands up to a pipe character (consumed) or right delimiter."""
        command = CommandNode(self.peek_non_space().pos)
        while True:
            self.peek_non_space()  # skip leading spaces
            operand = self.operand()
            if operand is not None:
                command.args.append(operand)
            token = self.next()
            if token.typ == lex.SPACE:
                continue
            if token.typ in (lex.RIGHT_DELIM, lex.RIGHT_PAREN):
                self.backup()
            elif token.typ != lex.PIPE:
                self.unexpected(token, "operand")
            break
        if not command.args:
            self.errorf("empty command")
        return command

    def operand(self) -> Node | None:
        """A term possibly followed by field accesses; None when no operand comes next."""
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == lex.FIELD:
            chain = ChainNode(self.peek().pos, node)
            while self.peek().typ == lex.FIELD:
                chain.fields.append(self.next().val[1:])
            # as Go: fields after .x or $x extend it, at the chain's position
            if isinstance(node, FieldNode):
                return FieldNode(chain.pos, str(chain)[1:].split("."))
            if isinstance(node, VariableNode):
                return VariableNode(chain.pos, str(chain).split("."))
            if isinstance(node, BoolNode | StringNode | NumberNode | NilNode | DotNode):
                self.errorf(f"unexpected . after term {go_quote(str(node))}")
            return chain
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        if typ == lex.IDENTIFIER:
            if token.val not in self.funcs:
                self.errorf(f"function {go_quote(token.val)} not defined")
            return IdentifierNode(token.pos, token.val)
        if typ == lex.DOT:
            return DotNode(token.pos)
        if typ == lex.NIL:
            return NilNode(token.pos)
        if typ == lex.VARIABLE:
            variable = VariableNode(token.pos, token.val.split("."))
            if variable.ident[0] not in self.vars:
                self.errorf(f"undefined variable {go_quote(variable.ident[0])}")
            return variable
        if typ == lex.FIELD:
            return FieldNode(token.pos, token.val[1:].split("."))
        if typ == lex.BOOL:
            return BoolNode(token.pos, token.val == "true")
        if typ in (lex.CHAR_CONSTANT, lex.COMPLEX, lex.NUMBER):
            try:
                return new_number(token.pos, token.val, typ)
            except (NumError, ValueError) as err:
                self.errorf(str(err))
        if typ == lex.LEFT_PAREN:
            if self.stack_depth >= MAX_STACK_DEPTH:
                self.errorf("max expression depth exceeded")
            self.stack_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", lex.RIGHT_PAREN)
            finally:
                self.stack_depth -= 1
        if typ in (lex.STRING, lex.RAW_STRING):
            return StringNode(token.pos, token.val, self.unquote(token.val))
        self.backup()
        return None

    def unquote(self, literal: str) -> str:
        try:
            return unquote(literal)
        except NumError as err:
            self.errorf(str(err))


_OPERAND_STARTS = (
    lex.BOOL,
    lex.CHAR_CONSTANT,
    lex.COMPLEX,
    lex.DOT,
    lex.FIELD,
    lex.IDENTIFIER,
    lex.NUMBER,
    lex.NIL,
    lex.RAW_STRING,
    lex.STRING,
    lex.VARIABLE,
    lex.LEFT_PAREN,
)


def new_number(pos: int, text: str, typ: int) -> NumberNode:
    """node.go's newNumber: the number under every Go type that can hold it exactly."""
    number = NumberNode(pos, text)
    if typ == lex.CHAR_CONSTANT:
        rune, _, tail = go_unquote_char(text[1:], text[0])
        if tail != "'":
            raise ValueError(f"malformed character constant: {text}")
        number.is_int = number.is_uint = number.is_float = True
        number.int64 = number.uint64 = rune
        number.float64 = float(rune)
        return number
    if typ == lex.COMPLEX:
        _simplify_complex(number, complex(text.replace("_", "").replace("i", "j")))
        return number
    if text.endswith("i"):  # imaginary constants are complex unless zero
        try:
            _simplify_complex(number, complex(0, parse_float(text[:-1])))
            return number
        except NumError:
            pass
    try:
        number.uint64, number.is_uint = parse_uint(text), True
    except NumError:
        pass
    try:
        number.int64, number.is_int = parse_int(text), True
        if number.int64 == 0:
            number.is_uint, number.uint64 = True, 0  # in case of -0
    except NumError:
        pass
    if number.is_int:
        number.is_float, number.float64 = True, float(number.int64)
    elif number.is_uint:
        number.is_float, number.float64 = True, float(number.uint64)
    else:
        try:
            value = parse_float(text)
        except NumError:
            raise ValueError(f"illegal number syntax: {go_quote(text)}") from None
        if not any(c in text for c in ".eEpP"):  # looks like an integer: too large for one
            raise ValueError(f"integer overflow: {go_quote(text)}")
        number.is_float, number.float64 = True, value
        if value.is_integer() and -(2**63) <= value < 2**63:
            number.is_int, number.int64 = True, int(value)
        if value.is_integer() and 0 <= value < 2**64:
            number.is_uint, number.uint64 = True, int(value)
    return number


def _simplify_complex(number: NumberNode, value: complex) -> None:
    number.is_complex, number.complex128 = True, value
    number.is_float = value.imag == 0
    if number.is_float:
        number.float64 = value.real
        if value.real.is_integer() and -(2**63) <= value.real < 2**63:
            number.is_int, number.int64 = True, int(value.real)
        if value.real.is_integer() and 0 <= value.real < 2**64:
            number.is_uint, number.uint64 = True, int(value.real)
