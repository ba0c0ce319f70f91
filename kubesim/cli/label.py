"""kubectl label and kubectl annotate (pkg/cmd/label/label.go, pkg/cmd/annotate/annotate.go)."""

from __future__ import annotations

import copy
import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import raise_all
from kubesim.cli.visit import (
    check_arguments,
    dry_run_suffix,
    find,
    parse_pairs,
    print_result,
    split_pairs,
)
from kubesim.kubectl.label import MetadataChange

Object = dict[str, Any]


Overwrite = Annotated[
    bool, typer.Option("--overwrite", help="Allow existing keys to be overwritten.")
]
ListFlag = Annotated[bool, typer.Option("--list", help="Display the keys and values instead.")]


def label(
    args: Annotated[list[str] | None, typer.Argument(metavar="TYPE NAME KEY_1=VAL_1 ...")] = None,
    overwrite: Overwrite = False,
    list_: ListFlag = False,
    all_: options.All = False,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Update the labels on a resource: KEY=VALUE sets a label, KEY- removes it.

    Example: kubesim label pod web-0 tier=web
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.api import names

    resources, pairs = split_pairs(list(args or []), "label")
    new: dict[str, str] = {}
    remove: list[str] = []
    for pair in pairs:
        if "=" in pair:
            parts = pair.split("=")
            if len(parts) != 2:
                raise UsageError(f"invalid label spec: {pair}")
            errors = names.label_value_errors(parts[1])
            if errors:
                raise UsageError(f'invalid label value: "{pair}": {";".join(errors)}')
            new[parts[0]] = parts[1]
        else:
            remove.append(pair[:-1])
    if any(key in new for key in remove):
        raise UsageError("can not both modify and remove a label in the same command")
    _run(
        MetadataChange("labels", new, remove, overwrite, list_),
        resources, filenames, namespace, all_namespaces, selector, field_selector, all_,
        output, dry_run,
    )  # fmt: skip


def annotate(
    args: Annotated[list[str] | None, typer.Argument(metavar="TYPE NAME KEY_1=VAL_1 ...")] = None,
    overwrite: Overwrite = False,
    list_: ListFlag = False,
    all_: options.All = False,
    namespace: options.Namespace = None,
    all_namespaces: options.AllNamespaces = False,
    selector: options.Selector = None,
    field_selector: options.FieldSelector = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Update the annotations on a resource: KEY=VALUE sets one, KEY- removes it.

    Example: kubesim annotate pod web-0 description='my frontend'
    """
    filenames = options.sources(filenames, kustomize)
    resources, pairs = split_pairs(list(args or []), "annotation")
    new, remove = parse_pairs(pairs, "annotation", support_remove=True)
    both = [key for key in remove if key in new]
    if both:
        raise UsageError(
            "can not both modify and remove the following annotation(s) in the same command: "
            + ", ".join(both)
        )
    _run(
        MetadataChange("annotations", new, remove, overwrite, list_),
        resources, filenames, namespace, all_namespaces, selector, field_selector, all_,
        output, dry_run,
    )  # fmt: skip


def _run(
    change: MetadataChange,
    resources: list[str],
    filenames: list[str] | None,
    namespace: str | None,
    all_namespaces: bool,
    selector: str | None,
    field_selector: str | None,
    all_: bool,
    output: str | None,
    dry_run: str | None,
) -> None:
    from kubesim.engine import session

    if change.list and output:
        raise UsageError("--list and --output may not be specified together")
    if all_ and field_selector:
        raise UsageError("cannot set --all and --field-selector at the same time")
    if not resources and not filenames:
        raise UsageError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not change.new and not change.remove and not change.list:
        raise UsageError(f"at least one {change.noun} update is required")
    check_arguments(resources, filenames, selector=selector, field_selector=field_selector,
                    all_=all_, verb=change.noun)  # fmt: skip
    suffix = dry_run_suffix(dry_run)
    persist = not (suffix or change.list)
    errors: list[KubesimError] = []
    with session.writing() if persist else _nowhere() as server:
        found, errors = find(
            server, resources, filenames, namespace, all_namespaces=all_namespaces,
            selector=selector, field_selector=field_selector, verb=change.noun,
        )  # fmt: skip
        single = len(found) == 1 and _single_item_implied(resources, filenames, selector, all_)
        for kind, obj in found:
            error = _change_one(server, change, kind, obj, output, suffix, persist, single)
            if error is not None:
                errors.append(error)
    raise_all(errors)


def _single_item_implied(
    resources: list[str], filenames: list[str] | None, selector: str | None, all_: bool
) -> bool:
    if filenames or selector or all_:
        return False
    if len(resources) == 1:
        return "/" in resources[0]
    return len(resources) == 2 and not any("/" in r for r in resources)


def _change_one(
    server: Any,
    change: MetadataChange,
    kind: Kind,
    obj: Object,
    output: str | None,
    suffix: str,
    persist: bool,
    single: bool,
) -> KubesimError | None:
    current = obj["metadata"].get(change.field) or {}
    if persist and change.field == "labels":
        for key in change.remove:
            if key not in current:
                sys.stdout.write(f'label "{key}" not found.\n')
    conflict = change.conflicts(current)
    if conflict is not None:
        return conflict
    changed = change.apply(obj)
    message = change.message(obj, changed)
    result = changed
    if persist:
        to_store = copy.deepcopy(changed)
        if not to_store["metadata"][change.field]:
            del to_store["metadata"][change.field]  # an empty map is not stored
        try:
            result = server.update(to_store)
        except ApiError as err:
            return err
    if change.list:
        _list(kind, result, change, single)
        return None
    print_result(kind, result, message + suffix, output)
    return None


def _list(kind: Kind, obj: Object, change: MetadataChange, single: bool) -> None:
    indent = ""
    if not single:
        indent = " "
        what = "labels" if change.field == "labels" else "annotations"
        sys.stdout.write(
            f"Listing {what} for {kind.kind}.{kind.group}/{obj['metadata']['name']}:\n"
        )
    for key, value in sorted((obj["metadata"].get(change.field) or {}).items()):
        sys.stdout.write(f"{indent}{key}={value}\n")


class _nowhere:
    """A server whose writes are never saved (dry runs and --list)."""

    def __enter__(self) -> Any:
        from kubesim.engine import session

        self.held = session.writing(save=False)
        return self.held.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self.held.__exit__(*exc)


def register(app: typer.Typer) -> None:
    app.command("label")(label)
    app.command("annotate")(annotate)
