"""trap [ACTION] CONDITION...: what the shell does on a signal or at its exit, as ash, dash
and bash keep it (ash.c trapcmd, dash trap.c, bash trap.def).

`trap 'cmd' TERM INT EXIT` sets, `trap - TERM` (or `trap TERM`, one operand) resets, `trap ''
TERM` ignores; `trap` alone lists what is set, `trap -- 'cmd' TERM` in ash and dash,
`trap -- 'cmd' SIGTERM` in bash. The actions are kept in the shell's state (condition name
without SIG -> action); running them is the shell's business (kubesim.sandbox.interp and, for a
container's main process, kubesim.sandbox.machine).
"""

from __future__ import annotations

from kubesim.sandbox import messages
from kubesim.sandbox.proc import Proc

# Linux's signal numbers (x86-64), EXIT being 0
SIGNALS = {
    "EXIT": 0, "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "BUS": 7,
    "FPE": 8, "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14,
    "TERM": 15, "STKFLT": 16, "CHLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20, "TTIN": 21,
    "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27, "WINCH": 28,
    "IO": 29, "PWR": 30, "SYS": 31,
}  # fmt: skip
NAMES = {number: name for name, number in SIGNALS.items()}


def condition(text: str) -> str | None:
    """The condition a trap operand names (a number, a name, SIGNAME), None if none."""
    if text.isdigit():
        return NAMES.get(int(text))
    name = text.upper()
    name = name[3:] if name.startswith("SIG") else name
    return name if name in SIGNALS else None


def single_quote(text: str) -> str:
    """ash's and dash's single_quote: 'it'"'"'s'."""
    parts, rest = [], text
    while True:
        head, quote, rest = rest.partition("'")
        parts.append(f"'{head}'")
        if not quote:
            break
        run = 1 + len(rest) - len(rest.lstrip("'"))
        rest = rest[run - 1 :]
        parts.append('"' + "'" * run + '"')
        if not rest:
            break
    return "".join(parts)


def bash_quote(text: str) -> str:
    """bash's sh_single_quote: 'it'\\''s'."""
    return "'" + text.replace("'", "'\\''") + "'"


def listing(dialect: str, traps: dict[str, str]) -> str:
    """`trap` with no operands: what is set, by signal number."""
    lines = []
    for name in sorted(traps, key=lambda n: SIGNALS[n]):
        action = traps[name]
        if dialect == "bash":
            shown = "EXIT" if name == "EXIT" else f"SIG{name}"
            lines.append(f"trap -- {bash_quote(action)} {shown}\n")
        else:
            lines.append(f"trap -- {single_quote(action)} {name}\n")
    return "".join(lines)


def main(proc: Proc) -> int:
    state = proc.state
    args = list(proc.args)
    if args and args[0] == "--":
        args.pop(0)
    elif args and args[0] in ("-p", "-l") and state.dialect == "bash":
        if args[0] == "-l":
            proc.out(_bash_signal_list())
            return 0
        args.pop(0)
        if not args:
            proc.out(listing(state.dialect, state.traps))
            return 0
    if not args:
        proc.out(listing(state.dialect, state.traps))
        return 0
    # one operand, or a first one that is a signal number: reset (POSIX's `trap N ...`)
    action: str | None = None
    if len(args) > 1 and not (args[0].isdigit() and state.dialect != "bash"):
        action = args.pop(0)
    status = 0
    for operand in args:
        name = condition(operand)
        if name is None:
            status = 1
            if state.dialect == "dash":
                proc.err(f"trap: {operand}: bad trap\n")
                return 1
            proc.err(messages.diagnostic(state, f"{operand}: invalid signal specification",
                                         "trap"))  # fmt: skip
            continue
        if action is None or action == "-":
            state.traps.pop(name, None)
        else:
            state.traps[name] = action
    return status


def _bash_signal_list() -> str:
    """trap -l: bash's display_signal_list, five to a line, the real-time signals too (32 and
    33 are glibc's own and not listed)."""
    entries = [(n, f"SIG{name}") for name, n in SIGNALS.items() if n]
    entries += [(34 + k, f"SIGRTMIN+{k}" if k else "SIGRTMIN") for k in range(16)]
    entries += [(64 - k, f"SIGRTMAX-{k}" if k else "SIGRTMAX") for k in range(14, -1, -1)]
    text = ""
    for column, (number, name) in enumerate(entries, start=1):
        text += f"{number:2d}) {name}" + ("\n" if column % 5 == 0 else "\t")
    return text if text.endswith("\n") else text + "\n"
