"""kubectl config (pkg/cmd/config): view and change kubesim's kubeconfig.

`set-context --current --namespace=X` changes the namespace every later command uses, as it
does for kubectl.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import PlainError, UsageError
from kubesim.cli import globalflags
from kubesim.cli import kubeconfig as files

VIEW_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,"
    "templatefile,yaml"
)


def view(
    output: Annotated[
        str, typer.Option("--output", "-o", help="Output format: yaml, json, jsonpath=...")
    ] = "yaml",
    template: Annotated[
        str | None, typer.Option("--template", help="Template string for -o go-template.")
    ] = None,
    minify: Annotated[
        bool,
        typer.Option("--minify", help="Remove all information not used by current-context."),
    ] = False,
    raw: Annotated[
        bool, typer.Option("--raw", help="Display raw byte data and sensitive data.")
    ] = False,
    flatten: Annotated[
        bool, typer.Option("--flatten", help="Flatten the kubeconfig into self-contained output.")
    ] = False,
    merge: Annotated[
        str, typer.Option("--merge", help="Merge the full hierarchy of kubeconfig files.")
    ] = "true",
    args: Annotated[list[str] | None, typer.Argument(hidden=True)] = None,
) -> None:
    """Display merged kubeconfig settings or a specified kubeconfig file.

    Example: kubesim config view --minify -o jsonpath='{..namespace}'
    """
    from kubesim.cli.get import resolve_output, structured_text
    from kubesim.kubectl import kubeconfig

    if args:
        raise PlainError(
            f"error: unexpected arguments: [{' '.join(args)}]\n"
            "See 'kubesim config view -h' for help and examples"
        )
    output = resolve_output(output, template or "")
    _check_view_output(output)
    config = files.load()
    if minify:
        config = kubeconfig.minify(config, globalflags.CURRENT.get("context"))
    if not (raw or flatten):
        config = kubeconfig.shorten(config)
    data = kubeconfig.printable(config)
    if output == "json":
        import json

        sys.stdout.write(json.dumps(data, indent=4, ensure_ascii=False) + "\n")
    elif output == "name":
        sys.stdout.write("/\n")  # a Config has no metadata.name
    else:
        sys.stdout.write(structured_text(output, data))


def _check_view_output(output: str) -> None:
    from kubesim.cli.templates import GO_TEMPLATE_FORMATS, JSONPATH_FORMATS

    name = output.partition("=")[0]
    if output in ("json", "yaml", "name") or name in (*GO_TEMPLATE_FORMATS, *JSONPATH_FORMATS):
        return
    raise UsageError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {VIEW_FORMATS}"
    )


def get_contexts(
    names: Annotated[list[str] | None, typer.Argument(metavar="[NAME...]")] = None,
    output: Annotated[str, typer.Option("--output", "-o", help="Output format: name.")] = "",
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Don't print headers.")] = False,
) -> None:
    """Display one or many contexts from the kubeconfig file.

    Example: kubesim config get-contexts
    """
    from kubesim.kubectl import kubeconfig
    from kubesim.printers.table import TabWriter

    if output not in ("", "name"):
        raise UsageError(
            f"--output {output} is not available in kubectl config get-contexts; "
            "resetting to default output format"
        )
    name_only = output == "name"
    lines, missing = kubeconfig.context_lines(
        files.load(), list(names or []), name_only=name_only, headers=not (no_headers or name_only)
    )
    if name_only:
        sys.stdout.write("".join(line[0] + "\n" for line in lines))
    else:
        sys.stdout.write(TabWriter().render(lines))
    if missing:
        raise UsageError("\n".join(f"context {name} not found" for name in missing))


def current_context() -> None:
    """Display the current-context.

    Example: kubesim config current-context
    """
    current = files.load().get("current-context", "")
    if not current:
        raise UsageError("current-context is not set")
    sys.stdout.write(f"{current}\n")


def use_context(
    args: Annotated[list[str] | None, typer.Argument(metavar="CONTEXT_NAME")] = None,
) -> None:
    """Set the current-context in a kubeconfig file.

    Example: kubesim config use-context kind-kubesim
    """
    from kubesim.kubectl import kubeconfig

    if len(args or []) != 1:
        raise _help_error("use-context", args or [])
    name = (args or [""])[0]
    config = files.load()
    if not name:
        raise UsageError("empty context names are not allowed")
    if kubeconfig.entry(config, "contexts", name) is None:
        raise UsageError(f'no context exists with the name: "{name}"')
    files.save({**config, "current-context": name})
    sys.stdout.write(f'Switched to context "{name}".\n')


def set_context(
    args: Annotated[list[str] | None, typer.Argument(metavar="[NAME]")] = None,
    current: Annotated[bool, typer.Option("--current", help="Modify the current context.")] = False,
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="cluster for the context entry in kubeconfig")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="user for the context entry in kubeconfig")
    ] = None,
    namespace: Annotated[
        str | None,
        typer.Option("--namespace", help="namespace for the context entry in kubeconfig"),
    ] = None,
) -> None:
    """Set a context entry in kubeconfig; a name that exists keeps the fields not given.

    Example: kubesim config set-context --current --namespace=kube-system
    """
    from kubesim.kubectl import kubeconfig

    if len(args or []) > 1:
        raise _help_error("set-context", args or [])
    name = (args or [""])[0]
    if not name and not current:
        raise UsageError("you must specify a non-empty context name or --current")
    if name and current:
        raise UsageError("you cannot specify both a context name and --current")
    config = files.load()
    if current:
        name = str(config.get("current-context", ""))
        if not name:
            raise UsageError("no current context is set")
    existing = kubeconfig.entry(config, "contexts", name)
    context = dict(existing or {})
    for key, value in (("cluster", cluster), ("user", user), ("namespace", namespace)):
        if value is not None:
            context[key] = value
    files.save(kubeconfig.with_entry(config, "contexts", name, context))
    sys.stdout.write(f'Context "{name}" {"modified" if existing is not None else "created"}.\n')


def get_clusters() -> None:
    """Display clusters defined in the kubeconfig.

    Example: kubesim config get-clusters
    """
    _names("clusters")


def get_users() -> None:
    """Display users defined in the kubeconfig.

    Example: kubesim config get-users
    """
    _names("users")


def _names(section: str) -> None:
    from kubesim.kubectl import kubeconfig

    names = kubeconfig.names(files.load(), section)
    sys.stdout.write("NAME\n" + "".join(f"{name}\n" for name in names))


def _help_error(command: str, args: list[str]) -> PlainError:
    """helpErrorf: cobra's help text of the command, then the error."""
    return PlainError(f"error: Unexpected args: [{' '.join(args)}]")


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=(
            "Modify kubeconfig files using subcommands like "
            '"kubesim config set current-context my-context".\n\n'
            "Example: kubesim config get-contexts"
        ),
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    settings: dict[str, Any] = {"no_args_is_help": False}
    group.command("view", **settings)(view)
    group.command("get-contexts", **settings)(get_contexts)
    group.command("current-context", **settings)(current_context)
    group.command("use-context", **settings)(use_context)
    group.command("use", hidden=True, **settings)(use_context)
    group.command("set-context", **settings)(set_context)
    group.command("get-clusters", **settings)(get_clusters)
    group.command("get-users", **settings)(get_users)
    app.add_typer(group, name="config")
