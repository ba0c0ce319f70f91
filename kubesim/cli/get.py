"""kubectl get."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import raise_all
from kubesim.cli.resources import Target, fetch, file_targets, parse_targets
from kubesim.cli.templates import (
    GO_TEMPLATE_FORMATS,
    JSONPATH_FORMATS,
    TemplateOutputError,
    go_template_text,
    jsonpath_text,
)
from kubesim.printers.table import TableOptions

Object = dict[str, Any]

OUTPUT_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)
COLUMNS_FORMATS = ("custom-columns", "custom-columns-file")


def get(
    ctx: typer.Context,
    args: Annotated[
        list[str] | None, typer.Argument(metavar="TYPE[.VERSION][.GROUP] [NAME...]")
    ] = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    output: options.Output = None,
    show_labels: Annotated[
        bool, typer.Option("--show-labels", help="Show all labels as the last column.")
    ] = False,
    label_columns: Annotated[
        list[str] | None, typer.Option("--label-columns", "-L", help="Labels to show as columns.")
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="After listing, watch for changes.")
    ] = False,
    watch_only: Annotated[
        bool, typer.Option("--watch-only", help="Watch for changes, without listing first.")
    ] = False,
    output_watch_events: Annotated[
        bool, typer.Option("--output-watch-events", help="Output watch event objects with --watch.")
    ] = False,
    no_headers: Annotated[bool, typer.Option("--no-headers", help="Don't print headers.")] = False,
    show_kind: Annotated[
        bool, typer.Option("--show-kind", help="List the resource type of each object.")
    ] = False,
    sort_by: Annotated[
        str | None,
        typer.Option("--sort-by", help="Sort list types using this field specification."),
    ] = None,
    show_managed_fields: Annotated[
        bool,
        typer.Option(
            "--show-managed-fields",
            help="If true, keep the managedFields when printing objects in JSON or YAML format.",
        ),
    ] = False,
    ignore_not_found: Annotated[
        bool, typer.Option("--ignore-not-found", help="Treat 'resource not found' as success.")
    ] = False,
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="Template string or path to template file to use when -o=go-template, "
            "-o=go-template-file. The template format is golang templates "
            "\\[https://pkg.go.dev/text/template#pkg-overview].",
        ),
    ] = None,
) -> None:
    """Display one or many resources.

    Example: kubesim get pods -l app=nginx -o wide
    """
    from kubesim.engine import session

    explicit = bool(namespace)
    namespace = options.resolve_namespace(namespace)
    filenames = options.sources(filenames, kustomize)
    if filenames:
        targets = file_targets(filenames, namespace, explicit, list(args or []))
    else:
        targets = parse_targets(list(args or []), "get")
    request = GetRequest(
        targets=targets,
        namespace=namespace,
        all_namespaces=all_namespaces,
        selector=selector,
        field_selector=field_selector,
        output=resolve_output(output or "", template or ""),
        table=TableOptions(
            show_labels=show_labels,
            label_columns=[c for arg in label_columns or [] for c in arg.split(",") if c],
            all_namespaces=all_namespaces,
            no_headers=no_headers,
        ),
        ignore_not_found=ignore_not_found,
        sort_by=sort_by or "",
        show_managed_fields=show_managed_fields,
    )
    request.table.wide = request.output == "wide"
    request.table.with_kind = show_kind or len({t.kind.resource for t in request.targets}) > 1
    check_output(request.output)
    if output_watch_events and not (watch or watch_only):
        raise UsageError(
            "--output-watch-events option can only be used with --watch or --watch-only"
        )
    if watch or watch_only:
        from kubesim.cli.watch import watch as run_watch

        run_watch(request, list_first=not watch_only, with_events=output_watch_events)
        return
    print_get(session.reading(), request)


class GetRequest:
    """What `kubectl get` was asked for."""

    def __init__(
        self,
        *,
        targets: list[Target],
        namespace: str,
        all_namespaces: bool,
        selector: str | None,
        field_selector: str | None,
        output: str,
        table: TableOptions,
        ignore_not_found: bool = False,
        sort_by: str = "",
        show_managed_fields: bool = False,
    ) -> None:
        self.targets = targets
        self.namespace = namespace
        self.all_namespaces = all_namespaces
        self.selector = selector
        self.field_selector = field_selector
        self.output = output
        self.table = table
        self.ignore_not_found = ignore_not_found
        self.sort_by = sort_by
        self.show_managed_fields = show_managed_fields

    def with_targets(self, targets: list[Target]) -> GetRequest:
        return GetRequest(
            targets=targets, namespace=self.namespace, all_namespaces=self.all_namespaces,
            selector=self.selector, field_selector=self.field_selector, output=self.output,
            table=self.table, ignore_not_found=self.ignore_not_found, sort_by=self.sort_by,
            show_managed_fields=self.show_managed_fields,
        )  # fmt: skip


def resolve_output(output: str, template: str) -> str:
    """The output format get's PrintFlags settle on: --template alone means go-template, and is
    the template (or its file) of a bare -o go-template, -o jsonpath, -o custom-columns..."""
    if not template:
        return output
    if not output:
        return f"go-template={template}"
    takes_template = (*GO_TEMPLATE_FORMATS, *JSONPATH_FORMATS, *COLUMNS_FORMATS)
    if output in takes_template:
        return f"{output}={template}"
    if output.partition("=")[0] in takes_template:
        # with --template given, kubectl's printers match the -o value whole: none does
        raise unknown_output(output)
    return output


def check_output(output: str) -> None:
    name, _, value = output.partition("=")
    if output and not (
        output in ("wide", "json", "yaml", "name")
        or name in (*GO_TEMPLATE_FORMATS, *JSONPATH_FORMATS, *COLUMNS_FORMATS)
    ):
        raise unknown_output(output)
    if name in (*GO_TEMPLATE_FORMATS, *JSONPATH_FORMATS) and not value:
        raise UsageError("template format specified but no template given")
    if name in COLUMNS_FORMATS:
        from kubesim.cli.columns import columns_for_output

        columns_for_output(output)  # refuse a bad spec before fetching anything


def unknown_output(output: str) -> UsageError:
    return UsageError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {OUTPUT_FORMATS}"
    )


def print_get(server: Any, request: GetRequest) -> None:
    """Fetch what the request names and print it; NotFound errors are raised after printing."""
    if request.output in ("", "wide", "name") and not request.sort_by:
        _print_streamed(server, request)
        return
    found: list[tuple[Kind, list[Object]]] = []
    errors: list[KubesimError] = []
    for target in request.targets:
        objects, missing = fetch(
            server,
            target,
            request.namespace,
            all_namespaces=request.all_namespaces,
            selector=request.selector,
            field_selector=request.field_selector,
        )
        found.append((target.kind, list(objects)))
        if not request.ignore_not_found:
            errors += missing
    if getattr(server, "warnings", None):
        from kubesim.cli.report import print_warnings

        print_warnings(server.warnings)
    single_implied = len(request.targets) == 1 and len(request.targets[0].names) == 1
    if errors and single_implied and request.output not in ("", "wide"):
        raise_all(errors)  # printGeneric returns the error before printing an empty List
    try:
        text = format_objects(found, request, server.now)
    except TemplateOutputError as err:
        sys.stdout.write(err.output)  # what the template printed, and kubectl's debugging text
        raise_all([*errors, err])
    sys.stdout.write(text)
    raise_all(errors)
    # only tables say so: printGeneric (json, name, templates...) prints the empty List as it is
    if request.output in ("", "wide") and not any(objs for _, objs in found):
        sys.stderr.write(no_resources_message(request) + "\n")


def _print_streamed(server: Any, request: GetRequest) -> None:
    """Tables and names, printed from the objects one at a time as they are read, so a long
    list costs what its rows cost."""
    from kubesim.printers import structured
    from kubesim.printers.table import render

    errors: list[KubesimError] = []
    tables: list[str] = []
    printed = False
    for target in request.targets:
        objects, missing = fetch(
            server,
            target,
            request.namespace,
            all_namespaces=request.all_namespaces,
            selector=request.selector,
            field_selector=request.field_selector,
            lazy=True,
        )
        if not request.ignore_not_found:
            errors += missing
        if getattr(server, "warnings", None):
            from kubesim.cli.report import print_warnings

            print_warnings(server.warnings)
            server.warnings = []
        if request.output == "name":
            names = "".join(structured.name_line(target.kind, o) + "\n" for o in objects)
            sys.stdout.write(names)
            printed = printed or bool(names)
        else:
            text = render(target.kind, objects, server.now, request.table)
            if text:
                tables.append(text)
    if tables:
        sys.stdout.write("\n".join(tables))
        printed = True
    raise_all(errors)
    # only tables say so: -o name prints nothing for an empty list
    if request.output in ("", "wide") and not printed:
        sys.stderr.write(no_resources_message(request) + "\n")


def no_resources_message(request: GetRequest) -> str:
    namespaced = all(t.kind.namespaced for t in request.targets)
    if namespaced and not request.all_namespaces:
        return f"No resources found in {request.namespace} namespace."
    return "No resources found"


def format_objects(found: list[tuple[Kind, list[Object]]], request: GetRequest, now: float) -> str:
    """The text `kubectl get` prints for these objects in the requested output format."""
    output = request.output
    if request.sort_by and output in ("", "wide"):
        from kubesim.printers.sort import sort_objects

        # each table is sorted on its own, and only when it has rows to order
        found = [
            (k, sort_objects(objs, request.sort_by) if len(objs) > 1 else objs) for k, objs in found
        ]
    if not request.show_managed_fields and output not in ("", "wide"):
        from kubesim.printers.structured import without_managed_fields

        found = [(k, [without_managed_fields(o) for o in objs]) for k, objs in found]
    everything = [obj for _, objs in found for obj in objs]
    if output in ("", "wide"):
        from kubesim.printers.table import render

        tables = [render(kind, objs, now, request.table) for kind, objs in found if objs]
        return "\n".join(tables)
    from kubesim.printers import structured

    if output.startswith("custom-columns"):
        from kubesim.cli.columns import columns_text

        return columns_text(output, everything, no_headers=request.table.no_headers)
    if output == "name":
        return "".join(
            structured.name_line(kind, obj) + "\n" for kind, objs in found for obj in objs
        )
    single = (
        len(request.targets) == 1 and len(request.targets[0].names) == 1 and len(everything) == 1
    )
    if request.sort_by and not single and everything:
        from kubesim.printers.sort import sort_objects

        everything = sort_objects(everything, request.sort_by)
    data: Any = everything[0] if single else structured.as_list(everything)
    return structured_text(output, data)


def structured_text(output: str, data: Any) -> str:
    """One object (or List) as -o json, yaml, go-template... or jsonpath... prints it."""
    from kubesim.printers import structured

    if output == "json":
        return structured.to_json(data)
    if output == "yaml":
        return structured.to_yaml(data)
    if output.partition("=")[0] in GO_TEMPLATE_FORMATS:
        return go_template_text(output, data)
    return jsonpath_text(output, data)


def register(app: typer.Typer) -> None:
    app.command("get", no_args_is_help=False)(get)
