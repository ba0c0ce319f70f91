"""kubectl's global flags (`kubectl options`): taken anywhere before or after the verb.

cobra finds the command first and then parses every flag of it, its own and the persistent
ones of the root, wherever they stand; a command's own flag of the same name shadows the
global one (`config set-context --namespace`). So the global flags are lifted out of the
arguments here, and those the command itself declares are given back to it after the verb.
Arguments after `--` belong to the command run in a container and are left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from kubesim.api.errors import PlainError

# long name -> its shorthand ("" if none), for flags that take a value
VALUE_FLAGS = {
    "as": "", "as-group": "", "as-uid": "", "cache-dir": "", "certificate-authority": "",
    "client-certificate": "", "client-key": "", "cluster": "", "context": "", "kubeconfig": "",
    "log-flush-frequency": "", "namespace": "n", "password": "", "profile": "",
    "profile-output": "", "request-timeout": "", "server": "s", "tls-server-name": "",
    "token": "", "user": "", "username": "", "v": "v", "vmodule": "",
}  # fmt: skip
BOOL_FLAGS = (
    "disable-compression", "insecure-skip-tls-verify", "match-server-version",
    "warnings-as-errors",
)  # fmt: skip
REPEATED = ("as-group",)  # stringArray: every use adds one
_SHORT = {short: name for name, short in VALUE_FLAGS.items() if short}
_GO_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}  # strconv.ParseBool


class GlobalFlags:
    """The global flags one command line gave, by long name, in the order given."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.lists: dict[str, list[str]] = {}
        self.given: list[tuple[str, str]] = []  # (long name, value) as typed

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def set(self, name: str, value: str) -> None:
        self.given.append((name, value))
        if name in REPEATED:
            self.lists.setdefault(name, []).append(value)
        else:
            self.values[name] = value


# the flags of the command line being run (main() sets it; read by config, auth, ...)
CURRENT = GlobalFlags()


def extract(
    args: list[str], command_path: Callable[[list[str]], str]
) -> tuple[list[str], GlobalFlags]:
    """The arguments without the global flags, and the global flags' values; pflag's error for
    a flag without its value or with a value of the wrong type, naming the command as cobra
    does in its usage hint (`command_path` of the remaining arguments)."""
    flags = GlobalFlags()
    rest: list[str] = []
    problem = ""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name, value, used = _flag_at(args, i)
        if name is None:
            rest.append(arg)
        elif used == 0:
            problem = problem or value
        else:
            flags.set(name, value)
        i += used or 1
    if problem:
        raise _flag_error(problem, command_path(rest))
    for name, value in flags.given:
        _check_value(name, value, command_path(rest))
    return rest, flags


def _flag_at(args: list[str], i: int) -> tuple[str | None, str, int]:
    """(long name, value, arguments used) if args[i] is a global flag, (None, "", 1) if it is
    not, (name, pflag's complaint, 0) if it is one given wrongly."""
    arg = args[i]
    if arg.startswith("--"):
        name, eq, value = arg[2:].partition("=")
        if name in BOOL_FLAGS:
            if eq and value not in _GO_BOOLS:
                return (
                    name,
                    (
                        f'invalid argument "{value}" for "--{name}" flag: strconv.ParseBool: '
                        f'parsing "{value}": invalid syntax'
                    ),
                    0,
                )
            return name, ("true" if not eq or _GO_BOOLS[value] else "false"), 1
        if name not in VALUE_FLAGS:
            return None, "", 1
        if eq:
            return name, value, 1
        if i + 1 >= len(args):
            return name, f"flag needs an argument: --{name}", 0
        return name, args[i + 1], 2
    if len(arg) >= 2 and arg[0] == "-" and arg[1] in _SHORT:
        name = _SHORT[arg[1]]
        if len(arg) > 2:  # -nkube-system, -v5 (and -n=x, split before)
            return name, arg[2:], 1
        if i + 1 >= len(args):
            return name, f"flag needs an argument: '{arg[1]}' in {arg}", 0
        return name, args[i + 1], 2
    return None, "", 1


def _check_value(name: str, value: str, path: str) -> None:
    if name == "v":
        try:
            int(value, 10)
        except ValueError:
            raise _flag_error(
                f'invalid argument "{value}" for "-v, --v" flag: strconv.ParseInt: parsing '
                f'"{value}": invalid syntax',
                path,
            ) from None
    elif name == "log-flush-frequency":
        from kubesim.cli.options import go_duration

        try:
            go_duration(value)
        except ValueError as err:
            raise _flag_error(
                f'invalid argument "{value}" for "--log-flush-frequency" flag: {err}', path
            ) from None


def _flag_error(message: str, path: str) -> PlainError:
    return PlainError(f"Error: {message}\nSee '{path} --help' for usage.")


def as_arguments(flags: GlobalFlags, names: set[str]) -> list[str]:
    """The given flags among `names` written back as `--name=value`, for a command that
    declares them itself."""
    return [f"--{name}={value}" for name, value in flags.given if name in names]


def check_request_timeout(value: str) -> None:
    """clientcmd.ParseTimeout: whole seconds, or a Go duration."""
    from kubesim.api.errors import UsageError
    from kubesim.cli.options import go_duration

    if value.isdigit():
        return
    try:
        go_duration(value)
    except ValueError:
        raise UsageError(
            "Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
            "followed by a corresponding time unit (e.g. 1s | 2m | 3h)"
        ) from None
