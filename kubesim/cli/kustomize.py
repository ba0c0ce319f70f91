"""kubectl kustomize (pkg/cmd/kustomize, kustomize v5.5.0's build): print what a kustomization
directory builds, as YAML documents separated by `---`."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import KubesimError, klog_line


class KustomizeCommandError(KubesimError):
    """An error of `kubectl kustomize`: its RunE returns it, so kubectl prints it as
    component-base's cli.Run does, a klog line (`E... run.go:72] "command failed" err=...`)."""

    def render(self) -> str:
        return klog_line("E", "run.go:72", f'"command failed" err{klog_value(self.message)}')


def klog_value(text: str) -> str:
    """klog's text for a string value: `="quoted"`, or `=<` and the lines indented by a tab
    when it has several."""
    from kubesim.api.gofmt import go_quote

    if "\n" not in text:
        return "=" + go_quote(text)
    lines = text.split("\n")
    body = "".join(f"\t{line}\n" for line in lines[:-1])
    if lines[-1]:
        body += f"\t{lines[-1]}\n"
    return f"=<\n{body} >"


def build_objects(
    directory: str, load_restrictor: str = "LoadRestrictionsRootOnly", enable_helm: bool = False
) -> list[dict[str, Any]]:
    """The objects of the kustomization in `directory`, read from disk; deprecation warnings
    go to stderr as kustomize prints them. Raises KustomizeError."""
    from kubesim.cli.kustomize_disk import DiskFileSystem
    from kubesim.kubectl.kustomize import build

    def warn(message: str) -> None:
        sys.stderr.write(message + "\n")

    return build(
        directory,
        DiskFileSystem(),
        load_restrictor=load_restrictor,
        warn=warn,
        enable_helm=enable_helm,
    )


def kustomize(
    directories: Annotated[list[str] | None, typer.Argument(metavar="DIR")] = None,
    load_restrictor: Annotated[
        str,
        typer.Option(
            "--load-restrictor",
            help="If set to 'LoadRestrictionsNone', local kustomizations may load files from "
            "outside their root.",
        ),
    ] = "LoadRestrictionsRootOnly",
    output: Annotated[
        str, typer.Option("--output", "-o", help="If specified, write output to this path.")
    ] = "",
    enable_helm: Annotated[
        bool,
        typer.Option("--enable-helm", help="Enable use of the Helm chart inflator generator."),
    ] = False,
    enable_alpha_plugins: Annotated[
        bool, typer.Option("--enable-alpha-plugins", help="Enable kustomize plugins.")
    ] = False,
) -> None:
    """Build a set of KRM resources using a 'kustomization.yaml' file.

    The DIR argument must be a path to a directory containing 'kustomization.yaml'. If DIR is
    omitted, '.' is assumed.

    Example: kubesim kustomize overlays/production
    """
    from kubesim.kubectl.kustomize import render
    from kubesim.kubectl.kustomize_resource import KustomizeError

    paths = list(directories or [])
    if len(paths) > 1:
        raise KustomizeCommandError("specify one path to kustomization.yaml")
    try:
        objects = build_objects(paths[0] if paths else ".", load_restrictor, enable_helm)
    except KustomizeError as err:
        raise KustomizeCommandError(str(err)) from None
    if output:
        _write(output, objects)
        return
    sys.stdout.write(render(objects))


def _write(output: str, objects: list[dict[str, Any]]) -> None:
    """-o: the YAML into a file, or one file per object into a directory."""
    import os

    from kubesim.kubectl.kustomize import individual_files, render

    if os.path.isdir(output):
        files = individual_files(objects)
    else:
        files = [("", render(objects))]
    for name, text in files:
        path = os.path.join(output, name) if name else output
        try:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as err:
            reason = (err.strerror or str(err))[:1].lower() + (err.strerror or str(err))[1:]
            raise KustomizeCommandError(f"open {path}: {reason}") from None


def register(app: typer.Typer) -> None:
    app.command("kustomize")(kustomize)
