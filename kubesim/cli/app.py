"""The kubesim command: kubectl's verbs over the simulated cluster, plus a few of its own.

This module is the single place where errors become text: any KubesimError is printed as
kubectl prints it, and a usage error from the argument parser as kubectl's `error: ...` line.
Commands live in the sibling modules and are registered here; keep this file light, since it
is imported by every invocation.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import typer

from kubesim.api.errors import KubesimError, PlainError

HELP = (
    "kubesim controls a Kubernetes cluster simulated on this machine.\n\n"
    "Use it wherever a tutorial says kubectl: kubesim get pods, kubesim create -f web.yaml, "
    "kubesim exec web-0 -- hostname. Time moves by itself (kubesim clock auto) or only "
    "with kubesim tick (kubesim clock manual)."
)


def build_app(command: str | None = None) -> typer.Typer:
    """The Typer app with the given command registered, or every command when None."""
    import importlib

    app = typer.Typer(
        name="kubesim",
        help=HELP,
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_root)
    wanted = [COMMANDS[command]] if command in COMMANDS else sorted(set(COMMANDS.values()))
    for module in wanted:
        importlib.import_module(f"kubesim.cli.{module}").register(app)
    return app


def _root() -> None:
    pass


# command name -> module that registers it; modules are imported only when their command runs
COMMANDS = {
    "get": "get",
    "describe": "describe",
    "create": "create",
    "delete": "delete",
    "exec": "exec_",
    "run": "run",
    "rollout": "rollout",
    "tick": "timecmds",
    "export": "export",
    "clock": "timecmds",
    "reset": "timecmds",
    "why": "why",
    "logs": "logs",
    "port-forward": "port_forward",
    "attach": "attach_cmd",
    "cp": "cp",
    "api-resources": "api_resources",
    "label": "label",
    "annotate": "label",
    "scale": "scale",
    "wait": "wait",
    "set": "set_",
    "patch": "patch",
    "apply": "apply",
    "edit": "edit",
    "replace": "replace",
    "expose": "expose",
    "kustomize": "kustomize",
    "version": "info",
    "cluster-info": "info",
    "config": "config",
    "explain": "explain",
    "auth": "auth",
    "top": "top",
    "serve": "serve",
    "proxy": "serve",
}


def _command_name(args: list[str]) -> str | None:
    for arg in args:
        if not arg.startswith("-"):
            return arg
        if arg == "--":
            return None
    return None


def _bool_flag_values(command: object, name: str | None, args: list[str]) -> list[str]:
    """Accept pflag's `--wait=false` / `--rm=true` for boolean flags, as kubectl does."""
    sub, path = _subcommand(command, name, args)
    if sub is None:
        return args
    flags: dict[str, str | None] = {}  # --flag -> its --no-flag form, if any
    for param in sub.params:
        if getattr(param, "is_flag", False):
            for opt in param.opts:
                flags[opt] = next(iter(param.secondary_opts), None)
    result: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            result += args[i:]
            break
        flag, eq, value = arg.partition("=")
        if eq and flag in flags:
            if value in _GO_TRUE:
                result.append(flag)
            elif value not in _GO_FALSE:
                raise PlainError(
                    f'Error: invalid argument "{value}" for "{flag}" flag: strconv.ParseBool: '
                    f"parsing \"{value}\": invalid syntax\nSee '{path} --help' for usage."
                )
            elif flags[flag]:
                result.append(str(flags[flag]))
            continue
        result.append(arg)
    return result


_GO_TRUE = ("1", "t", "T", "TRUE", "true", "True")  # strconv.ParseBool
_GO_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one kubesim command; returns the exit code (the console script exits with it)."""
    from typer.main import get_command

    from kubesim.cli import globalflags

    args = _split_short_values(list(sys.argv[1:] if argv is None else argv))
    try:
        args, flags = globalflags.extract(args, _usage_path)
    except KubesimError as err:
        return _report(err)
    globalflags.CURRENT = flags
    name = _command_name(args)
    if name in _DRY_RUN_COMMANDS:
        args = _dry_run_spellings(args)
    command = get_command(build_app(name))
    try:
        args = _own_flags_back(command, name, args, flags)
        if name in COMMANDS and name not in _LOCAL_COMMANDS:
            from kubesim.cli.kubeconfig import check_client_flags

            check_client_flags()
        args = _bool_flag_values(command, name, args)
        result = command.main(
            args=args, prog_name="kubesim", standalone_mode=False, obj={"argv": args}
        )
        code = result if isinstance(result, int) else 0
    except KubesimError as err:
        code = _report(err)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    except Exception as err:  # noqa: BLE001 - the parser's own errors; anything else re-raises
        if type(err).__name__ == "NoArgsIsHelpError":
            # building the error rendered the help: rich printed it, or it is the message
            text = str(getattr(err, "message", "") or "")
            if text:
                sys.stdout.write(text + "\n")
            return 0
        parsed = _usage_error(err, args)
        if parsed is None:
            parsed = _state_error(err)
        if parsed is None:
            parsed = _file_error(err)
        if parsed is None:
            parsed = _damage_behind(err)
        if parsed is None:
            parsed = _internal_error(err)
        sys.stderr.write(parsed)
        code = 1
    _flush_stdout()
    return code


def _report(err: KubesimError) -> int:
    _flush_stdout()
    text = err.render().rstrip("\n")
    if text:  # an exit with nothing more to say (kubectl's ErrExit) prints nothing
        sys.stderr.write(text + "\n")
    return err.exit_code


# commands that never build a client for the API server: clientcmd's checks do not apply
_LOCAL_COMMANDS = ("config", "tick", "clock", "reset")
# commands whose first argument names a subcommand, for the usage hint's command path
_GROUPS = ("config", "auth", "top", "rollout", "set")


def _usage_path(args: list[str]) -> str:
    """The command path cobra names in a usage hint: `kubesim get`, `kubesim config view`."""
    words = [a for a in args if not a.startswith("-")]
    if not words or words[0] not in COMMANDS:
        return "kubesim"
    if words[0] in _GROUPS and len(words) > 1:
        return f"kubesim {words[0]} {words[1]}"
    return f"kubesim {words[0]}"


def _subcommand(command: object, name: str | None, args: list[str]) -> tuple[Any, str]:
    """The click command that will parse the arguments (a group's subcommand when one is
    named), and its path for usage hints; (None, "") when there is none."""
    sub = getattr(command, "commands", {}).get(name) if name else None
    path = f"kubesim {name}"
    if sub is not None and hasattr(sub, "commands"):  # a group: `rollout status --watch=false`
        rest = args[args.index(name) + 1 :] if name in args else []
        nested = next((a for a in rest if not a.startswith("-")), None)
        sub = sub.commands.get(nested) if nested else None
        path += f" {nested}"
    return sub, path


def _own_flags_back(command: object, name: str | None, args: list[str], flags: object) -> list[str]:
    """Give a command the global flags it declares itself (-n for get, --namespace for
    config set-context), after the verb where click looks for them; the rest stay global."""
    from kubesim.cli import globalflags

    assert isinstance(flags, globalflags.GlobalFlags)
    sub, _ = _subcommand(command, name, args)
    if sub is None:
        return args
    declared = {
        opt[2:]
        for param in getattr(sub, "params", [])
        for opt in getattr(param, "opts", [])
        if opt.startswith("--")
    }
    own = declared & (set(globalflags.VALUE_FLAGS) | set(globalflags.BOOL_FLAGS))
    if not own:
        return args
    back = globalflags.as_arguments(flags, own)
    for key in own:
        flags.values.pop(key, None)
        flags.lists.pop(key, None)
    flags.given = [(k, v) for k, v in flags.given if k not in own]
    end = args.index("--") if "--" in args else len(args)
    return args[:end] + back + args[end:]


# the commands with a --dry-run flag
_DRY_RUN_COMMANDS = ("apply", "create", "delete", "expose", "label", "annotate", "patch",
                     "replace", "run", "scale", "set")  # fmt: skip


def _dry_run_spellings(args: list[str]) -> list[str]:
    """GetDryRunStrategy's deprecated forms: a bare `--dry-run` (pflag's NoOptDefVal, so it
    takes no value) and booleans, each warned about through klog, as kubectl 1.32 does."""
    from kubesim.api.errors import klog_line

    fixed: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return fixed + args[i:]
        value = arg.removeprefix("--dry-run=")
        if arg == "--dry-run":
            where, message, strategy = "helpers.go:702", "--dry-run is deprecated", "client"
        elif arg.startswith("--dry-run=") and value in _GO_TRUE + _GO_FALSE:
            strategy = "client" if value in _GO_TRUE else "none"
            where = "helpers.go:716" if value in _GO_TRUE else "helpers.go:719"
            message = f"--dry-run={value} is deprecated (boolean value)"
        else:
            fixed.append(arg)
            continue
        line = f"{message} and can be replaced with --dry-run={strategy}."
        sys.stderr.write(klog_line("W", where, line) + "\n")
        fixed.append(f"--dry-run={strategy}")
    return fixed


def _split_short_values(args: list[str]) -> list[str]:
    """pflag reads `-n=default` as `-n default` (parseSingleShortArg); click would keep the `=`.
    Arguments after `--` belong to the container's command and are left alone."""
    split: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return split + args[i:]
        if len(arg) > 2 and arg[0] == "-" and arg[1].isalpha() and arg[2] == "=":
            split += [arg[:2], arg[3:]]
        else:
            split.append(arg)
    return split


def _state_error(err: Exception) -> str | None:
    """The cluster's files failing while a command reads them (a damaged object): the same
    words as when opening them fails."""
    from kubesim.store import CorruptState, Unusable

    if not isinstance(err, CorruptState | Unusable):
        return None
    from kubesim.engine.session import _state_error as explain

    return explain(err).render().rstrip("\n") + "\n"


def _file_error(err: Exception) -> str | None:
    """A file kubesim could not read or write (its state on a read-only disk, a full disk): Go's
    os.PathError wording, as kubectl prints it (`open /x: permission denied`)."""
    if not isinstance(err, OSError) or not err.strerror:
        return None
    reason = err.strerror[0].lower() + err.strerror[1:]
    where = f"{err.filename}: " if err.filename else ""
    return f"error: open {where}{reason}\n" if where else f"error: {reason}\n"


def _damage_behind(err: Exception) -> str | None:
    """A command that broke on a value of the wrong shape: if the database holds an object the
    apiserver could never have stored (edited behind its back), that is the error to report,
    naming the object and the field, rather than kubesim's own failure."""
    if not isinstance(err, TypeError | AttributeError | KeyError | ValueError | IndexError):
        return None
    from kubesim.api.decode import stored_problem
    from kubesim.engine import session
    from kubesim.store import CorruptState, DamagedObject, Unusable

    try:
        store = session.open_store()
        if not store.state_path.exists():
            return None
        for resource, obj in store.read().iter_all():
            if resource == "events":
                continue
            problem = stored_problem(resource, obj)
            if problem:
                metadata = obj.get("metadata") if isinstance(obj, dict) else None
                metadata = metadata if isinstance(metadata, dict) else {}
                key = "/".join(str(p) for p in (metadata.get("namespace"), metadata.get("name"))
                               if p)  # fmt: skip
                damaged = DamagedObject(store.state_path, resource, key or "?", problem)
                return session._state_error(damaged).render().rstrip("\n") + "\n"
    except (CorruptState, Unusable) as found:
        return session._state_error(found).render().rstrip("\n") + "\n"
    except Exception:  # noqa: BLE001 - the check must not hide the first error
        return None
    return None


def _internal_error(err: Exception) -> str:
    """A bug in kubesim: one clear line (the traceback only with KUBESIM_DEBUG=1), never a crash."""
    import os

    if os.environ.get("KUBESIM_DEBUG"):
        import traceback

        return "".join(traceback.format_exception(err))
    return (
        f"error: kubesim failed unexpectedly ({type(err).__name__}: {err}).\n"
        "Run the command again with KUBESIM_DEBUG=1 to see where.\n"
    )


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass


def _usage_error(err: Exception, args: list[str]) -> str | None:
    """kubectl's text for what the argument parser rejected, or None if `err` is not that."""
    from typer import _click
    from typer.exceptions import Abort

    if isinstance(err, Abort):
        return "\n"
    if isinstance(err, _click.exceptions.NoArgsIsHelpError):
        return None
    if not isinstance(err, _click.exceptions.UsageError):
        return None
    path = err.ctx.command_path if err.ctx is not None else "kubesim"
    if path == "kubesim" and _command_name(args) in COMMANDS:
        path = f"kubesim {_command_name(args)}"  # the parser failed before entering the command
    # pflag's errors, which kubectl 1.32 prints as cobra does: "Error: ..." and a usage hint
    if isinstance(err, _click.exceptions.NoSuchOption):
        flag = err.option_name
        message = (
            f"unknown flag: {flag}"
            if flag.startswith("--")
            else f"unknown shorthand flag: '{flag.lstrip('-')[:1]}' in {flag}"
        )
        return f"Error: {message}\nSee '{path} --help' for usage.\n"
    if isinstance(err, _click.exceptions.BadOptionUsage) and "requires an argument" in err.message:
        flag = err.option_name
        shown = flag if flag.startswith("--") else f"'{flag.lstrip('-')}' in {flag}"
        return f"Error: flag needs an argument: {shown}\nSee '{path} --help' for usage.\n"
    if isinstance(err, _click.exceptions.BadParameter) and "is not a valid int" in err.message:
        value = err.message.split("'")[1] if "'" in err.message else ""
        flag = _flag_name(err.param)
        reason = "value out of range" if value.lstrip("+-").isdigit() else "invalid syntax"
        return (
            f'Error: invalid argument "{value}" for "{flag}" flag: strconv.ParseInt: parsing '
            f"\"{value}\": {reason}\nSee '{path} --help' for usage.\n"
        )
    if "No such command" in err.message:
        typed = err.message.split("'")[1] if "'" in err.message else (args[0] if args else "")
        if path != "kubesim":  # a command group's own subcommands (rollout)
            return f"error: unknown command \"{typed}\"\nSee '{path} -h' for help and examples\n"
        return f'Error: unknown command "{typed}" for "kubesim"{_suggestions(typed)}\n'
    message = err.message[:1].lower() + err.message[1:]
    return f"error: {message}\nSee '{path} --help' for usage.\n"


def _flag_name(param: object) -> str:
    """pflag's name for a flag in its errors: "--replicas", or "-n, --namespace"."""
    opts = list(getattr(param, "opts", []) or [])
    long = next((o for o in opts if o.startswith("--")), opts[0] if opts else "")
    short = next((o for o in opts if not o.startswith("--")), None)
    return f"{short}, {long}" if short else long


# kubectl's commands in the order it registers them (cobra suggests in that order), then
# kubesim's own
_SUGGESTION_ORDER = (
    "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale",
    "autoscale", "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint",
    "describe", "logs", "attach", "exec", "port-forward", "proxy", "cp", "auth", "debug",
    "events", "diff", "apply", "patch", "replace", "wait", "kustomize", "label", "annotate",
    "completion", "api-resources", "api-versions", "config", "plugin", "version", "options",
    "tick", "clock", "reset", "why", "export",
)  # fmt: skip


def _suggestions(typed: str) -> str:
    """cobra's "Did you mean this?" (SuggestionsFor): names within two edits, or that start
    with what was typed."""
    names = [n for n in _SUGGESTION_ORDER if n in COMMANDS]
    names += sorted(set(COMMANDS) - set(names))
    lowered = typed.lower()
    close = [n for n in names if _edits(lowered, n) <= 2 or n.startswith(lowered)]
    if not close:
        return ""
    return "\n\nDid you mean this?\n" + "".join(f"\t{n}\n" for n in close)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def run() -> None:
    """Run with this process's arguments and exit with the command's status."""
    sys.exit(main())
