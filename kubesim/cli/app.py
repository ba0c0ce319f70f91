"""The kubesim command: kubectl's verbs over the simulated cluster, plus a few of its own.

This module is the single place where errors become text: any KubesimError is printed as
kubectl prints it, and a usage error from the argument parser as kubectl's `error: ...` line.
Commands live in the sibling modules and are registered here; keep this file light, since it
is imported by every invocation.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from kubesim.api.errors import KubesimError

app = typer.Typer(
    name="kubesim",
    help=(
        "kubesim controls a Kubernetes cluster simulated on this machine.\n\n"
        "Use it wherever a tutorial says kubectl: kubesim get pods, kubesim create -f web.yaml, "
        "kubesim exec web-0 -- hostname. Time moves by itself (kubesim clock auto) or only "
        "with kubesim tick (kubesim clock manual)."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    from kubesim.cli import create, delete, exec_, get, run, timecmds

    for module in (get, create, delete, exec_, run, timecmds):
        module.register(app)


_register()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one kubesim command; returns the exit code (the console script exits with it)."""
    from typer.main import get_command

    args = list(sys.argv[1:] if argv is None else argv)
    command = get_command(app)
    try:
        result = command.main(args=args, prog_name="kubesim", standalone_mode=False, obj={"argv": args})
        code = result if isinstance(result, int) else 0
    except KubesimError as err:
        _flush_stdout()
        sys.stderr.write(err.render().rstrip("\n") + "\n")
        code = err.exit_code
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:
        code = 1
    except Exception as err:  # noqa: BLE001 - the parser's own errors; anything else re-raises
        parsed = _usage_error(err, args)
        if parsed is None:
            raise
        sys.stderr.write(parsed)
        code = 1
    _flush_stdout()
    return code


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass


def _usage_error(err: Exception, args: list[str]) -> str | None:
    """kubectl's text for what the argument parser rejected, or None if `err` is not that."""
    from typer import _click

    if isinstance(err, _click.exceptions.Abort):
        return "\n"
    if not isinstance(err, _click.exceptions.UsageError):
        return None
    path = err.ctx.command_path if err.ctx is not None else "kubesim"
    if isinstance(err, _click.exceptions.NoSuchOption):
        flag = err.option_name
        message = f"unknown flag: {flag}" if flag.startswith("--") else f"unknown shorthand flag: '{flag.lstrip('-')[:1]}' in {flag}"
    elif isinstance(err, _click.exceptions.BadOptionUsage) and "requires an argument" in err.message:
        message = f"flag needs an argument: {err.option_name}"
    elif "No such command" in err.message:
        command = args[0] if args else ""
        return f'error: unknown command "{command}" for "kubesim"\nRun \'kubesim --help\' for usage.\n'
    else:
        message = err.message[:1].lower() + err.message[1:]
    return f"error: {message}\nSee '{path} --help' for usage.\n"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
