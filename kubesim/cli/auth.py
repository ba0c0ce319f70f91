"""kubectl auth can-i and kubectl auth whoami (pkg/cmd/auth), answered as kind's apiserver
answers its admin user, or the user `--as` impersonates."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import CommandExit, PlainError, UsageError
from kubesim.cli import globalflags

# cani.go: the verbs it knows, and resource names that are not API resources
RESOURCE_VERBS = ("get", "list", "watch", "create", "update", "patch", "delete",
                  "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign",
                  "escalate", "attest")  # fmt: skip
NON_RESOURCE_VERBS = ("get", "put", "post", "head", "options", "delete", "patch", "*")
NON_STANDARD_RESOURCES = ("users", "groups")


def _user() -> dict[str, Any]:
    """Who the request is made as: --as (with --as-group, --as-uid), else kind's admin."""
    from kubesim.api import authorization

    flags = globalflags.CURRENT
    if flags.get("as"):
        return authorization.impersonated(
            flags.get("as"), flags.lists.get("as-group", []), flags.get("as-uid")
        )
    return authorization.admin_user(_credential_id())


def _credential_id() -> str:
    from kubesim.api.authorization import credential_id
    from kubesim.cli import kubeconfig
    from kubesim.engine import session

    return credential_id(kubeconfig.cluster_seed(session.reading()))


def can_i(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="VERB [TYPE | TYPE/NAME | NONRESOURCEURL]")
    ] = None,
    namespace: Annotated[
        str | None, typer.Option("--namespace", "-n", help="The namespace to check in.")
    ] = None,
    all_namespaces: Annotated[
        bool,
        typer.Option("--all-namespaces", "-A", help="If true, check the action in all namespaces."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Suppress output and just return the exit code.")
    ] = False,
    subresource: Annotated[
        str, typer.Option("--subresource", help="SubResource such as pod/log or deployment/scale")
    ] = "",
    list_: Annotated[
        bool, typer.Option("--list", help="If true, prints all allowed actions.")
    ] = False,
    no_headers: Annotated[
        bool, typer.Option("--no-headers", help="Print allowed actions without headers.")
    ] = False,
) -> None:
    """Check whether an action is allowed.

    Example: kubesim auth can-i create pods --all-namespaces
    """
    from kubesim.api import authorization

    words = list(args or [])
    if list_:
        if words:
            raise UsageError("list option must be specified with no arguments")
        if quiet or all_namespaces or subresource:
            raise UsageError(
                "list option can't be specified with neither quiet, all-namespaces nor "
                "subresource options"
            )
        _print_rules(authorization.rules_for(_user()), headers=not no_headers)
        return
    if len(words) != 2:
        raise UsageError(
            "you must specify two arguments: verb resource or verb resource/resourceName.\n"
            "See 'kubesim auth can-i -h' for help and examples."
        )
    verb, target = words
    warnings: list[str] = []
    if target.startswith("/"):
        if subresource:
            raise UsageError("--subresource can not be used with NonResourceURL")
        if verb not in NON_RESOURCE_VERBS:
            warnings.append(f"verb '{verb}' is not a known verb")
        request: dict[str, str] = {"path": target}
    else:
        type_, _, name = target.partition("/")
        group, resource, namespaced = _resource_for(type_, warnings)
        if resource and namespaced is False and not all_namespaces:
            warnings.append(
                f"resource '{resource}' is not namespace scoped"
                + (f" in group '{group}'" if group else "")
            )
        if verb not in RESOURCE_VERBS:
            warnings.append(f"verb '{verb}' is not a known verb")
        request = {"group": group, "resource": resource, "subresource": subresource, "name": name}
    if no_headers:
        _warn(warnings)
        raise UsageError("--no-headers cannot be set without --list specified")
    _warn(warnings)
    allowed = authorization.allows(_user(), verb, **request)
    if not quiet:
        sys.stdout.write("yes\n" if allowed else "no\n")
    if not allowed:
        raise CommandExit("", 1)  # os.Exit(1): "no" is the whole answer


def _resource_for(type_: str, warnings: list[str]) -> tuple[str, str, bool | None]:
    """(group, resource, namespaced) as the RESTMapper resolves the argument; an unknown type is
    kept as typed, with kubectl's warning."""
    from kubesim.api import kinds

    if type_ == "*":
        return "", "*", None
    kind = kinds.lookup(type_)
    if kind is not None:
        return kind.group, kind.plural, kind.namespaced
    resource, _, group = type_.lower().partition(".")
    if type_.lower() not in NON_STANDARD_RESOURCES:
        where = f" in group '{group}'" if group else ""
        warnings.append(f"the server doesn't have a resource type '{resource}'{where}")
    return group, type_, None


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        sys.stderr.write(f"Warning: {warning}\n")


def _print_rules(rules: list[dict[str, list[str]]], headers: bool) -> None:
    from kubesim.kubectl.auth import access_lines
    from kubesim.printers.table import TabWriter

    sys.stdout.write(TabWriter().render(access_lines(rules, headers)))


def whoami(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Output format: json, yaml, ...")
    ] = None,
) -> None:
    """Experimental: check who you are and your attributes (groups, extra).

    Example: kubesim auth whoami -o yaml
    """
    user = _user()
    if output is None:
        _print_user(user)
        return
    from kubesim.api.meta import format_time
    from kubesim.cli.get import check_output, structured_text
    from kubesim.engine import session

    if output in ("wide", "") or output.startswith("custom-columns"):
        raise PlainError(
            f'error: unable to match a printer suitable for the output format "{output}"'
        )
    check_output(output)
    info: dict[str, Any] = {"username": user["username"]}
    if user.get("uid"):
        info["uid"] = user["uid"]
    info["groups"] = user["groups"]
    if user.get("extra"):
        info["extra"] = user["extra"]
    review = {
        "kind": "SelfSubjectReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": format_time(session.reading().now)},
        "status": {"userInfo": info},
    }
    if output == "name":
        sys.stdout.write("selfsubjectreview.authentication.k8s.io/\n")
    elif output == "json":
        import json

        sys.stdout.write(json.dumps(review, indent=4) + "\n")
    else:
        sys.stdout.write(structured_text(output, review))


def _print_user(user: dict[str, Any]) -> None:
    """printTableSelfSubjectAccessReview."""
    from kubesim.printers.table import TabWriter

    lines = [["ATTRIBUTE", "VALUE"], ["Username", user["username"]]]
    if user.get("uid"):
        lines.append(["UID", user["uid"]])
    if user.get("groups"):
        lines.append(["Groups", "[" + " ".join(user["groups"]) + "]"])
    for key in sorted(user.get("extra") or {}):
        lines.append([f"Extra: {key}", "[" + " ".join(user["extra"][key]) + "]"])
    sys.stdout.write(TabWriter().render(lines))


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Inspect authorization.\n\nExample: kubesim auth can-i get pods",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    group.command("can-i", no_args_is_help=False)(can_i)
    group.command("whoami", no_args_is_help=False)(whoami)
    app.add_typer(group, name="auth")
