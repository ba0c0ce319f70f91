"""Go template parse-tree nodes: a port of text/template/parse/node.go.

Each node prints itself as Go's String() does, since execution errors quote nodes
(`executing "output" at <.spec.replicas>`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubesim.api.gofmt import go_quote

LEFT, RIGHT = "{{", "}}"


@dataclass
class Node:
    pos: int


@dataclass
class TextNode(Node):
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class ListNode(Node):
    nodes: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return "".join(str(node) for node in self.nodes)


@dataclass
class IdentifierNode(Node):
    ident: str

    def __str__(self) -> str:
        return self.ident


@dataclass
class VariableNode(Node):
    ident: list[str]

    def __str__(self) -> str:
        return ".".join(self.ident)


@dataclass
class DotNode(Node):
    def __str__(self) -> str:
        return "."


@dataclass
class NilNode(Node):
    def __str__(self) -> str:
        return "nil"


@dataclass
class FieldNode(Node):
    ident: list[str]

    def __str__(self) -> str:
        return "".join("." + name for name in self.ident)


@dataclass
class BoolNode(Node):
    value: bool

    def __str__(self) -> str:
        return "true" if self.value else "false"


@dataclass
class NumberNode(Node):
    text: str
    is_int: bool = False
    is_uint: bool = False
    is_float: bool = False
    is_complex: bool = False
    int64: int = 0
    uint64: int = 0
    float64: float = 0.0
    complex128: complex = 0j

    def __str__(self) -> str:
        return self.text


@dataclass
class StringNode(Node):
    quoted: str
    text: str

    def __str__(self) -> str:
        return self.quoted


@dataclass
class CommandNode(Node):
    args: list[Node] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(f"({arg})" if isinstance(arg, PipeNode) else str(arg) for arg in self.args)


@dataclass
class PipeNode(Node):
    line: int
    decl: list[VariableNode] = field(default_factory=list)
    is_assign: bool = False
    cmds: list[CommandNode] = field(default_factory=list)

    def __str__(self) -> str:
        text = ""
        if self.decl:
            text = ", ".join(str(v) for v in self.decl) + (" = " if self.is_assign else " := ")
        return text + " | ".join(str(c) for c in self.cmds)


@dataclass
class ChainNode(Node):
    node: Node
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        head = f"({self.node})" if isinstance(self.node, PipeNode) else str(self.node)
        return head + "".join("." + name for name in self.fields)


@dataclass
class ActionNode(Node):
    line: int
    pipe: PipeNode

    def __str__(self) -> str:
        return LEFT + str(self.pipe) + RIGHT


@dataclass
class BranchNode(Node):
    """An if, range or with; `keyword` says which."""

    keyword: str
    line: int
    pipe: PipeNode
    body: ListNode
    else_body: ListNode | None

    def __str__(self) -> str:
        text = f"{LEFT}{self.keyword} {self.pipe}{RIGHT}{self.body}"
        if self.else_body is not None:
            text += f"{LEFT}else{RIGHT}{self.else_body}"
        return text + LEFT + "end" + RIGHT


@dataclass
class TemplateNode(Node):
    line: int
    name: str
    pipe: PipeNode | None

    def __str__(self) -> str:
        pipe = f" {self.pipe}" if self.pipe is not None else ""
        return f"{LEFT}template {go_quote(self.name)}{pipe}{RIGHT}"


@dataclass
class BreakNode(Node):
    def __str__(self) -> str:
        return LEFT + "break" + RIGHT


@dataclass
class ContinueNode(Node):
    def __str__(self) -> str:
        return LEFT + "continue" + RIGHT


@dataclass
class EndNode(Node):
    def __str__(self) -> str:
        return LEFT + "end" + RIGHT


@dataclass
class ElseNode(Node):
    def __str__(self) -> str:
        return LEFT + "else" + RIGHT
