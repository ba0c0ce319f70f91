"""The variables a shell sets up as it starts, and the order of the environment it passes on.

Each shell keeps its variables in a hash table and builds a child's environment by walking it,
so `sh -c env` prints them in the table's order, not the order the container started with:

- ash (busybox) and dash: 39 buckets, `hashvar` (the first byte << 4, plus every byte of the
  name); a new variable goes at the end of its bucket's chain, after the built-in ones
  (`varinit`: PATH, IFS, PS1...), which initvar put there first (ash.c, dash var.c listvars).
- bash: 1024 buckets (VARIABLES_HASH_BUCKETS), FNV-1 of the name (hashlib.c hash_string); a
  new variable goes at the head of its bucket's chain; the temporary assignments of
  `VAR=x cmd` come first (their own 4-bucket table, flattened before the rest), and `_`, the
  path of the command, is added at the end (put_command_name_into_env).

At start-up ash and bash export SHLVL (one more than they were given) and all three export PWD
(setpwd; bash's set_pwd marks it auto-exported).
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.sandbox.images import Dialect

ASH_BUCKETS = 39  # VTABSIZE in ash.c and dash's var.c
BASH_BUCKETS = 1024  # VARIABLES_HASH_BUCKETS in bash's variables.c
BASH_TEMPENV_BUCKETS = 4  # TEMPENV_HASH_BUCKETS
# the variables initvar puts in the table before anything else (only their bucket matters)
VARINIT: dict[str, tuple[str, ...]] = {
    "ash": ("IFS", "MAIL", "MAILPATH", "PATH", "PS1", "PS2", "PS4", "OPTIND", "OPTARG",
            "LINENO", "FUNCNAME", "RANDOM", "EPOCHSECONDS", "EPOCHREALTIME", "LC_ALL",
            "LC_CTYPE", "HISTFILE"),
    "dash": ("IFS", "MAIL", "MAILPATH", "PATH", "PS1", "PS2", "PS4", "OPTIND", "LINENO",
             "TERM", "HISTSIZE"),
}  # fmt: skip


def ash_bucket(name: str) -> int:
    """hashvar: the bucket of `name` in ash's and dash's variable table."""
    data = name.encode()
    return ((data[0] << 4) + sum(data)) % ASH_BUCKETS if data else 0


def bash_hash(name: str) -> int:
    """hash_string: FNV-1, 32 bits (multiply, then xor)."""
    value = 2166136261
    for byte in name.encode():
        value = (value * 16777619) & 0xFFFFFFFF
        value ^= byte
    return value


def export_order(dialect: Dialect, names: Iterable[str]) -> list[str]:
    """`names` (in the order the shell created them) in the order the shell's table lists them."""
    created = list(dict.fromkeys(names))
    if dialect == "bash":
        # newer first within a bucket (hash_insert puts an item at the head of its chain)
        ranked = {
            name: (bash_hash(name) & (BASH_BUCKETS - 1), -i) for i, name in enumerate(created)
        }
    else:
        builtin = VARINIT.get(dialect, VARINIT["ash"])
        # initvar pushed the built-in ones to the head of their chains, last one first
        rank = {name: i - len(builtin) for i, name in enumerate(reversed(builtin))}
        ranked = {name: (ash_bucket(name), rank.get(name, i)) for i, name in enumerate(created)}
    return sorted(created, key=lambda name: ranked[name])


def startup(dialect: Dialect, env: dict[str, str], cwd: str) -> tuple[dict[str, str], set[str]]:
    """A new shell's variables and exported names: the environment it was given, then SHLVL
    (ash, bash) and PWD, which it sets and exports as it starts."""
    variables = dict(env)
    if dialect in ("ash", "bash"):
        level = leading_number(env.get("SHLVL", ""))
        if dialect == "bash" and not (0 <= level + 1 < 1000):
            level = 0  # bash resets a level out of range to 1 (with a warning)
        variables["SHLVL"] = str(level + 1)
    # an inherited PWD naming the directory the shell is in is kept; any other is replaced
    variables["PWD"] = env["PWD"] if env.get("PWD") == cwd else cwd
    return variables, {*env, "SHLVL", "PWD"} if dialect != "dash" else {*env, "PWD"}


def leading_number(text: str) -> int:
    """atoi: the leading decimal number of `text` (0 if none)."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    count = len(digits) - len(digits.lstrip("0123456789"))
    return sign * int(digits[:count]) if count else 0


def child_environment(
    dialect: Dialect,
    variables: dict[str, str],
    exported: set[str],
    assigns: dict[str, str],
    command_path: str | None = None,
) -> dict[str, str]:
    """The environment of a program the shell runs: its exported variables with the command's
    own assignments, in the order the shell's table lists them (bash adds `_`, the program's
    path, at the end)."""
    if dialect == "bash":
        order = list(assigns)
        temporary = sorted(
            order, key=lambda n: (bash_hash(n) & (BASH_TEMPENV_BUCKETS - 1), -order.index(n))
        )
        rest = [n for n in export_order("bash", variables) if n in exported and n not in assigns]
        env = {name: assigns[name] for name in temporary}
        env.update((name, variables[name]) for name in rest)
        if command_path is not None:
            env["_"] = command_path  # in place if it was imported, else at the end
        return env
    names = [*variables, *(n for n in assigns if n not in variables)]
    visible = {**{n: v for n, v in variables.items() if n in exported}, **assigns}
    return {name: visible[name] for name in export_order(dialect, names) if name in visible}
