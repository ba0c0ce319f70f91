"""kubectl's go-template output (-o go-template=..., --template): Go's text/template executed
over the object decoded as JSON, as cli-runtime/pkg/printers/template.go does.

`Template` parses (ParseError) and executes (ExecError, carrying what was written before the
failure) with the semantics of text/template's exec.go in Go 1.23: missing map keys print
`<no value>`, maps range in key order, values print as fmt's %v, and errors name the node and
its position (`template: output:1:7: executing "output" at <.kind.foo>: can't evaluate field
foo in type interface {}`). `print_obj` adds kubectl's debugging block on failure.

The parser lives in gotemplate_lex, gotemplate_nodes and gotemplate_parse; the functions a
template can call in gotemplate_funcs.
"""

from __future__ import annotations

from typing import Any, NoReturn

from kubesim.api.gofmt import GoInt, go_json, go_quote, go_sprint
from kubesim.printers.gotemplate_funcs import (
    FUNCS,
    MISSING,
    CallError,
    Func,
    Iface,
    indirect_interface,
    is_true,
    type_name,
)
from kubesim.printers.gotemplate_nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
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
from kubesim.printers.gotemplate_parse import ParseError, parse

__all__ = ["ExecError", "ParseError", "PrintError", "Template", "print_obj"]

MAX_EXEC_DEPTH = 100000  # nested {{template}} calls
_NO_FINAL: Any = object()  # no value piped in from a previous command (Go's missingVal)


class ExecError(Exception):
    """Raised when executing a template fails; `output` is what was written before."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.output = ""


class PrintError(Exception):
    """Raised by print_obj: kubectl's `error executing template "...": ...`; `output` holds
    the partial output and the debugging block kubectl writes to stdout."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Template:
    """A parsed template named `name` ("output" for kubectl), with the templates it defines."""

    def __init__(self, text: str, name: str = "output") -> None:
        self.text = text
        self.name = name
        self.trees = parse(name, text, frozenset(FUNCS))

    def execute(self, data: Any) -> str:
        """The template's text for `data` (decoded JSON); ExecError on failure."""
        state = _State(self, self.name, [], [["$", data]], 0)
        try:
            state.walk(data, self.trees[self.name])
        except ExecError as err:
            err.output = "".join(state.out)
            raise
        return "".join(state.out)


def print_obj(template: Template, data: Any) -> str:
    """GoTemplatePrinter.PrintObj: the output, or PrintError with kubectl's debugging text."""
    try:
        return template.execute(data)
    except ExecError as err:
        debug = (
            f"Error executing template: {err}. Printing more information for debugging the "
            f"template:\n\ttemplate was:\n\t\t{template.text}\n\traw data was:\n\t\t"
            f"{go_json(data)}\n\tobject given to template engine was:\n\t\t{go_sprint(data)}\n\n"
        )
        message = f"error executing template {go_quote(template.text)}: {err}"
        raise PrintError(message, err.output + debug) from None


class _State:
    """exec.go's state: where output goes, the node being run (for errors), the variables."""

    def __init__(
        self, template: Template, name: str, out: list[str], variables: list[list[Any]], depth: int
    ) -> None:
        self.template = template
        self.name = name
        self.out = out
        self.vars = variables
        self.depth = depth
        self.node: Node | None = None

    # variables
    def mark(self) -> int:
        return len(self.vars)

    def pop(self, mark: int) -> None:
        del self.vars[mark:]

    def push(self, name: str, value: Any) -> None:
        self.vars.append([name, value])

    def set_var(self, name: str, value: Any) -> None:
        for variable in reversed(self.vars):
            if variable[0] == name:
                variable[1] = value
                return
        self.errorf(f"undefined variable: {name}")

    def set_top_var(self, n: int, value: Any) -> None:
        self.vars[-n][1] = value

    def var_value(self, name: str) -> Any:
        for variable in reversed(self.vars):
            if variable[0] == name:
                return variable[1]
        self.errorf(f"undefined variable: {name}")

    # errors
    def at(self, node: Node) -> None:
        self.node = node

    def errorf(self, message: str) -> NoReturn:
        if self.node is None:
            raise ExecError(f"template: {self.name}: {message}")
        before = self.template.text[: self.node.pos]
        line_start = before.rfind("\n") + 1
        column = len(before[line_start:].encode("utf-8", "surrogateescape"))
        location = f"{self.template.name}:{before.count(chr(10)) + 1}:{column}"
        raise ExecError(
            f"template: {location}: executing {go_quote(self.name)} at <{self.node}>: {message}"
        )

    # walking the tree: output
    def walk(self, dot: Any, node: Node) -> None:
        self.at(node)
        if isinstance(node, ActionNode):
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:  # a declaration prints nothing
                self.at(node)
                self.out.append("<no value>" if value is MISSING else go_sprint(value))
        elif isinstance(node, TextNode):
            self.out.append(node.text)
        elif isinstance(node, ListNode):
            for child in node.nodes:
                self.walk(dot, child)
        elif isinstance(node, BranchNode):
            if node.keyword == "range":
                self.walk_range(dot, node)
            else:
                self.walk_if_or_with(dot, node)
        elif isinstance(node, TemplateNode):
            self.walk_template(dot, node)
        elif isinstance(node, BreakNode):
            raise _Break
        elif isinstance(node, ContinueNode):
            raise _Continue
        else:
            self.errorf(f"unknown node: {node}")

    def walk_if_or_with(self, dot: Any, node: BranchNode) -> None:
        mark = self.mark()
        try:
            value = self.eval_pipeline(dot, node.pipe)
            if is_true(indirect_interface(value)):
                self.walk(value if node.keyword == "with" else dot, node.body)
            elif node.else_body is not None:
                self.walk(dot, node.else_body)
        finally:
            self.pop(mark)

    def walk_range(self, dot: Any, node: BranchNode) -> None:
        self.at(node)
        outer = self.mark()
        try:
            value = indirect_interface(self.eval_pipeline(dot, node.pipe))
            mark = self.mark()  # before any variables of the body
            decl = node.pipe.decl
            if isinstance(value, list):
                items = [(GoInt(i), Iface(item)) for i, item in enumerate(value)]
            elif isinstance(value, dict):
                items = [(key, Iface(value[key])) for key in sorted(value)]
            elif value is MISSING:  # a nil map, say: like an empty one
                items = []
            else:
                self.errorf(f"range can't iterate over {go_sprint(value)}")
            for index, element in items:
                if decl:
                    if node.pipe.is_assign:
                        self.set_var(decl[0].ident[0], index if len(decl) > 1 else element)
                    else:
                        self.set_top_var(1, element)  # lexically the second of two
                if len(decl) > 1:
                    if node.pipe.is_assign:
                        self.set_var(decl[1].ident[0], element)
                    else:
                        self.set_top_var(2, index)
                try:
                    self.walk(element, node.body)
                except _Continue:
                    pass
                finally:
                    self.pop(mark)
            if not items and node.else_body is not None:
                self.walk(dot, node.else_body)
        except _Break:
            pass
        finally:
            self.pop(outer)

    def walk_template(self, dot: Any, node: TemplateNode) -> None:
        self.at(node)
        tree = self.template.trees.get(node.name)
        if tree is None:
            self.errorf(f"template {go_quote(node.name)} not defined")
        if self.depth == MAX_EXEC_DEPTH:
            self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")
        dot = self.eval_pipeline(dot, node.pipe)
        # no dynamic scoping: the template sees only $, its dot
        state = _State(self.template, node.name, self.out, [["$", dot]], self.depth + 1)
        try:
            state.walk(dot, tree)
        except RecursionError:  # Python's stack is shallower than Go's
            self.at(node)
            self.errorf(f"exceeded maximum template depth ({MAX_EXEC_DEPTH})")

    # evaluation: values
    def eval_pipeline(self, dot: Any, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return MISSING
        self.at(pipe)
        value = _NO_FINAL
        for command in pipe.cmds:
            value = self.eval_command(dot, command, value)  # the previous value is its last arg
            if isinstance(value, Iface):  # dig down to the thing inside an interface{}
                value = MISSING if value.value is None else value.value
        for variable in pipe.decl:
            if pipe.is_assign:
                self.set_var(variable.ident[0], value)
            else:
                self.push(variable.ident[0], value)
        return value

    def not_a_function(self, args: list[Node] | None, final: Any) -> None:
        if (args is not None and len(args) > 1) or final is not _NO_FINAL:
            assert args is not None
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, command: CommandNode, final: Any) -> Any:
        first = command.args[0]
        if isinstance(first, FieldNode):
            return self.eval_field_node(dot, first, command.args, final)
        if isinstance(first, ChainNode):
            return self.eval_chain_node(dot, first, command.args, final)
        if isinstance(first, IdentifierNode):
            return self.eval_function(dot, first, command, command.args, final)
        if isinstance(first, PipeNode):
            self.not_a_function(command.args, final)
            return self.eval_pipeline(dot, first)
        if isinstance(first, VariableNode):
            return self.eval_variable_node(dot, first, command.args, final)
        self.at(first)
        self.not_a_function(command.args, final)
        if isinstance(first, BoolNode):
            return first.value
        if isinstance(first, DotNode):
            return dot
        if isinstance(first, NilNode):
            self.errorf("nil is not a command")
        if isinstance(first, NumberNode):
            return self.ideal_constant(first)
        if isinstance(first, StringNode):
            return first.text
        self.errorf(f"can't evaluate command {go_quote(str(first))}")

    def ideal_constant(self, constant: NumberNode) -> Any:
        """A number where no type is expected: its syntax decides, as Go's constants do."""
        self.at(constant)
        text = constant.text
        hex_int = len(text) > 2 and text[0] == "0" and text[1] in "xX" and "p" not in text.lower()
        if constant.is_complex:
            return constant.complex128
        if constant.is_float and not hex_int and text[0] != "'" and any(c in text for c in ".eEpP"):
            return constant.float64
        if constant.is_int:
            return GoInt(constant.int64)
        if constant.is_uint:
            self.errorf(f"{text} overflows int")
        return MISSING

    def eval_field_node(
        self, dot: Any, node: FieldNode, args: list[Node] | None, final: Any
    ) -> Any:
        self.at(node)
        return self.eval_field_chain(dot, dot, node, node.ident, args, final)

    def eval_chain_node(
        self, dot: Any, node: ChainNode, args: list[Node] | None, final: Any
    ) -> Any:
        self.at(node)
        # (pipe).Field1.Field2: the pipeline, then the fields
        receiver = self.eval_arg(dot, None, node.node)
        return self.eval_field_chain(dot, receiver, node, node.fields, args, final)

    def eval_variable_node(
        self, dot: Any, node: VariableNode, args: list[Node] | None, final: Any
    ) -> Any:
        self.at(node)
        value = self.var_value(node.ident[0])
        if len(node.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, node, node.ident[1:], args, final)

    def eval_field_chain(
        self, dot: Any, receiver: Any, node: Node, ident: list[str], args: list[Node] | None,
        final: Any,
    ) -> Any:  # fmt: skip
        for name in ident[:-1]:
            receiver = self.eval_field(name, None, _NO_FINAL, receiver)
        return self.eval_field(ident[-1], args, final, receiver)

    def eval_field(self, name: str, args: list[Node] | None, final: Any, receiver: Any) -> Any:
        """`.name` of receiver: a map key; decoded JSON has no methods or struct fields."""
        if receiver is MISSING:  # missingkey=default: a missing key's fields are missing too
            return MISSING
        typ = type_name(receiver)
        if isinstance(receiver, Iface):
            if receiver.value is None:
                self.errorf(f"nil pointer evaluating {typ}.{name}")
            receiver = receiver.value
        if isinstance(receiver, dict):
            if (args is not None and len(args) > 1) or final is not _NO_FINAL:
                self.errorf(f"{name} is not a method but has arguments")
            return Iface(receiver[name]) if name in receiver else MISSING
        self.errorf(f"can't evaluate field {name} in type {typ}")

    def eval_function(
        self, dot: Any, node: IdentifierNode, command: Node, args: list[Node] | None, final: Any
    ) -> Any:
        self.at(node)
        function = FUNCS.get(node.ident)
        if function is None:
            self.errorf(f"{go_quote(node.ident)} is not a defined function")
        return self.eval_call(dot, function, command, node.ident, args, final)

    def eval_call(
        self, dot: Any, function: Func, node: Node, name: str, args: list[Node] | None,
        final: Any,
    ) -> Any:  # fmt: skip
        """Call a function: args[0] names it; the others, then `final`, are its arguments."""
        args = args[1:] if args is not None else []
        params = function.params
        num_in = len(args) + (final is not _NO_FINAL)
        num_fixed = len(args)
        if function.variadic:
            num_fixed = len(params) - 1
            if num_in < num_fixed:
                self.errorf(
                    f"wrong number of args for {name}: want at least {num_fixed} got {len(args)}"
                )
        elif num_in != len(params):
            self.errorf(f"wrong number of args for {name}: want {len(params)} got {num_in}")
        if name in ("and", "or"):  # they short-circuit
            value = MISSING
            for arg in args:
                value = self.eval_arg(dot, "value", arg)
                if is_true(indirect_interface(value)) == (name == "or"):
                    return value
            if final is not _NO_FINAL:
                value = self.validate_type(final, "value")
            return value
        argv = []
        for i, arg in enumerate(args):
            argv.append(self.eval_arg(dot, params[min(i, len(params) - 1)], arg))
        if final is not _NO_FINAL:
            typ = params[-1]
            if function.variadic and num_in - 1 < num_fixed:
                typ = params[num_in - 1]  # the piped value fills a fixed parameter
            argv.append(self.validate_type(final, typ))
        if name == "call":
            callee = str(args[0]) if args else go_sprint(indirect_interface(final))
            target = indirect_interface(argv[0])
            reason = "call of nil" if target is MISSING else None
            reason = reason or f"non-function {callee} of type {type_name(target)}"
            self.at(node)
            self.errorf(f"error calling call: {reason}")
        try:
            return function.call(argv)
        except CallError as err:
            self.at(node)
            self.errorf(f"error calling {name}: {err}")

    def validate_type(self, value: Any, typ: str | None) -> Any:
        """The value as a parameter of Go type typ receives it, or Go's complaint."""
        if typ is None or (typ != "string" and value is not MISSING):
            return value
        if value is MISSING:
            if typ == "string":
                self.errorf("invalid value; expected string")
            return MISSING if typ == "value" else None
        if isinstance(value, Iface) and value.value is not None:
            value = value.value
        if isinstance(value, str):
            return value
        self.errorf(f"wrong type for value; expected string; got {type_name(value)}")

    def eval_arg(self, dot: Any, typ: str | None, node: Node) -> Any:
        self.at(node)
        if isinstance(node, DotNode):
            return self.validate_type(dot, typ)
        if isinstance(node, NilNode):
            if typ == "string":
                self.errorf("cannot assign nil to string")
            return MISSING if typ == "value" else None
        if isinstance(node, FieldNode):
            value = self.eval_field_node(dot, node, [node], _NO_FINAL)
        elif isinstance(node, VariableNode):
            value = self.eval_variable_node(dot, node, None, _NO_FINAL)
        elif isinstance(node, PipeNode):
            value = self.eval_pipeline(dot, node)
        elif isinstance(node, IdentifierNode):
            value = self.eval_function(dot, node, node, None, _NO_FINAL)
        elif isinstance(node, ChainNode):
            value = self.eval_chain_node(dot, node, None, _NO_FINAL)
        elif typ == "string":
            if isinstance(node, StringNode):
                return node.text
            self.errorf(f"expected string; found {node}")
        else:
            return self.eval_empty_interface(dot, node)
        return self.validate_type(value, typ)

    def eval_empty_interface(self, dot: Any, node: Node) -> Any:
        """A literal as an interface{} (or reflect.Value) argument."""
        self.at(node)
        if isinstance(node, BoolNode):
            return node.value
        if isinstance(node, NumberNode):
            return self.ideal_constant(node)
        if isinstance(node, StringNode):
            return node.text
        self.errorf(f"can't handle assignment of {node} to empty interface argument")
