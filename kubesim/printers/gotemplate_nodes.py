"""Go template parse-tree nodes: a port of text/template/parse/node.go.

Each node prints itself as Go's String() does, since execution errors quote nodes
(`executing "output" at <.spec.replicas>`). Plain classes rather than dataclasses: making
twenty dataclasses costs a short-lived command several milliseconds.
"""

from __future__ import annotations

from kubesim.api.gofmt import go_quote

LEFT, RIGHT = "{{", "}}"


class Node:
    """A node at a character offset of the template."""

    def __init__(self, pos: int) -> None:
        self.pos = pos


class TextNode(Node):
    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text

    def __str__(self) -> str:
        return self.text


class ListNode(Node):
    def __init__(self, pos: int, nodes: list[Node] | None = None) -> None:
        super().__init__(pos)
        self.nodes = nodes if nodes is not None else []

    def __str__(self) -> str:
        return "".join(str(node) for node in self.nodes)


class IdentifierNode(Node):
    """A function name."""

    def __init__(self, pos: int, ident: str) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return self.ident


class VariableNode(Node):
    """$x, or $x.field.field: the variable's name first."""

    def __init__(self, pos: int, ident: list[str]) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return ".".join(self.ident)


class DotNode(Node):
    def __str__(self) -> str:
        return "."


class NilNode(Node):
    def __str__(self) -> str:
        return "nil"


class FieldNode(Node):
    """.field.field, without the dots."""

    def __init__(self, pos: int, ident: list[str]) -> None:
        super().__init__(pos)
        self.ident = ident

    def __str__(self) -> str:
        return "".join("." + name for name in self.ident)


class BoolNode(Node):
    def __init__(self, pos: int, value: bool) -> None:
        super().__init__(pos)
        self.value = value

    def __str__(self) -> str:
        return "true" if self.value else "false"


class NumberNode(Node):
    """A number, under every Go type that holds it exactly (as Go's ideal constants)."""

    def __init__(self, pos: int, text: str) -> None:
        super().__init__(pos)
        self.text = text
        self.is_int = self.is_uint = self.is_float = self.is_complex = False
        self.int64 = self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def __str__(self) -> str:
        return self.text


class StringNode(Node):
    def __init__(self, pos: int, quoted: str, text: str) -> None:
        super().__init__(pos)
        self.quoted = quoted
        self.text = text

    def __str__(self) -> str:
        return self.quoted


class CommandNode(Node):
    """An operand followed by its arguments, one stage of a pipeline."""

    def __init__(self, pos: int) -> None:
        super().__init__(pos)
        self.args: list[Node] = []

    def __str__(self) -> str:
        return " ".join(f"({arg})" if isinstance(arg, PipeNode) else str(arg) for arg in self.args)


class PipeNode(Node):
    """Commands joined by |, after the variables they declare (:=) or assign (=)."""

    def __init__(self, pos: int, line: int) -> None:
        super().__init__(pos)
        self.line = line
        self.decl: list[VariableNode] = []
        self.is_assign = False
        self.cmds: list[CommandNode] = []

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(str(v) for v in self.decl) + (" = " if self.is_assign else " := ")
        return text + " | ".join(str(c) for c in self.cmds)


class ChainNode(Node):
    """(pipeline).field.field, or a function's result's fields."""

    def __init__(self, pos: int, node: Node) -> None:
        super().__init__(pos)
        self.node = node
        self.fields: list[str] = []

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return head + "".join("." + name for name in self.fields)


class ActionNode(Node):
    def __init__(self, pos: int, line: int, pipe: PipeNode) -> None:
        super().__init__(pos)
        self.line = line
        self.pipe = pipe

    def __str__(self) -> str:
        return LEFT + str(self.pipe) + RIGHT


class BranchNode(Node):
    """An if, range or with; `keyword` says which."""

    def __init__(
        self, pos: int, keyword: str, line: int, pipe: PipeNode, body: ListNode,
        else_body: ListNode | None,
    ) -> None:  # fmt: skip
        super().__init__(pos)
        self.keyword = keyword
        self.line = line
        self.pipe = pipe
        self.body = body
        self.else_body = else_body

    def __str__(self) -> str:
        text = f"{LEFT}{self.keyword} {self.pipe}{RIGHT}{self.body}"
        if self.else_body is not None:
            text += f"{LEFT}else{RIGHT}{self.else_body}"
        return text + LEFT + "end" + RIGHT


class TemplateNode(Node):
    def __init__(self, pos: int, line: int, name: str, pipe: PipeNode | None) -> None:
        super().__init__(pos)
        self.line = line
        self.name = name
        self.pipe = pipe

    def __str__(self) -> str:
        pipe = f" {self.pipe}" if self.pipe is not None else ""
        return f"{LEFT}template {go_quote(self.name)}{pipe}{RIGHT}"


class BreakNode(Node):
    def __str__(self) -> str:
        return LEFT + "break" + RIGHT


class ContinueNode(Node):
    def __str__(self) -> str:
        return LEFT + "continue" + RIGHT


class EndNode(Node):
    """{{end}}, while parsing; never in a tree."""

    def __str__(self) -> str:
        return LEFT + "end" + RIGHT


class ElseNode(Node):
    """{{else}}, while parsing; never in a tree."""

    def __str__(self) -> str:
        return LEFT + "else" + RIGHT
