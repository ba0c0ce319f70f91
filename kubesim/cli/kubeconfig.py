"""kubesim's kubeconfig: the file `kubesim config` reads and writes, and the namespace and
context every other command takes from it, as kubectl takes them from its own.

The file is `$KUBESIM_HOME/kubeconfig`, written the first time a `config` command needs it, as
`kind create cluster` writes its context (kubesim never reads KUBECONFIG or ~/.kube/config:
those belong to the user's real clusters). `--kubeconfig FILE` points any command at another
file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kubesim.api.errors import PlainError, UsageError
from kubesim.cli import globalflags
from kubesim.kubectl.kubeconfig import Config

FILE_NAME = "kubeconfig"


def path() -> Path:
    """--kubeconfig's file, else kubesim's own."""
    explicit = globalflags.CURRENT.get("kubeconfig")
    if explicit:
        return Path(explicit).expanduser()
    from kubesim.engine.session import home

    return home() / FILE_NAME


def load() -> Config:
    """The kubeconfig `config` commands work on. kubesim's own is written on first use; a
    missing --kubeconfig file reads as an empty config, as clientcmd loads it."""
    from kubesim.kubectl import kubeconfig

    file = path()
    if not file.exists():
        if globalflags.CURRENT.get("kubeconfig"):
            return kubeconfig.empty()
        config = kind_config()
        save(config)
        return config
    return read(file)


def read(file: Path) -> Config:
    import yaml

    from kubesim.kubectl import kubeconfig

    try:
        text = file.read_text()
    except OSError as err:
        raise UsageError(f"open {file}: {(err.strerror or str(err)).lower()}") from None
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise UsageError(f'error loading config file "{file}": {err}') from None
    return kubeconfig.normalized(data)


def save(config: Config, file: Path | None = None) -> None:
    """Write the file (kubesim's own unless another is given) as clientcmd.ModifyConfig does
    (keys sorted, JSON through YAML)."""
    from kubesim.kubectl import kubeconfig
    from kubesim.printers import structured

    file = file or path()
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(structured.to_yaml(kubeconfig.printable(config)))
    tmp.replace(file)


def kind_config() -> Config:
    """The kubeconfig kind writes for this cluster: its API server's address and credentials."""
    from kubesim.controllers.serviceaccounts import ca_bundle
    from kubesim.engine import session
    from kubesim.kubectl import kubeconfig

    seed = cluster_seed(session.reading())
    cert, key = admin_credentials(seed)
    return kubeconfig.kind_config(api_server_url(seed), ca_bundle(), cert, key)


def cluster_seed(server: Any) -> int:
    return int(server.state.peek_section("cluster").get("seed", 0))


def api_server_url(seed: int) -> str:
    """kind publishes the apiserver on a random local port; kubesim draws one per cluster."""
    return f"https://127.0.0.1:{32768 + seed % 28000}"


def admin_credentials(seed: int) -> tuple[str, str]:
    from kubesim.api.authorization import admin_credentials as credentials

    return credentials(seed)


def namespace() -> str:
    """The namespace a command acts in when -n is not given: the context's, else default."""
    file = path()
    if not file.exists():
        return "default"
    from kubesim.kubectl.kubeconfig import context_namespace

    return context_namespace(read(file), globalflags.CURRENT.get("context"))


def check_client_flags() -> None:
    """Refuse what clientcmd refuses before a command reaches the server: a missing
    --kubeconfig file, an unknown --context, --cluster or --user, a bad --request-timeout."""
    flags = globalflags.CURRENT
    if flags.get("request-timeout"):
        globalflags.check_request_timeout(flags.get("request-timeout"))
    if not any(flags.get(n) for n in ("kubeconfig", "context", "cluster", "user")):
        return
    from kubesim.kubectl import kubeconfig

    file = path()
    if flags.get("kubeconfig") and not file.exists():
        raise UsageError(f"stat {flags.get('kubeconfig')}: no such file or directory")
    config = read(file) if file.exists() else kind_config()
    context_name = flags.get("context") or str(config.get("current-context", ""))
    context = kubeconfig.entry(config, "contexts", context_name)
    if flags.get("context") and context is None:
        raise PlainError(
            f"Error in configuration: context was not found for specified context: {context_name}"
        )
    user = flags.get("user") or str((context or {}).get("user", ""))
    if user and kubeconfig.entry(config, "users", user) is None:
        raise UsageError(f'auth info "{user}" does not exist')
    cluster = flags.get("cluster") or str((context or {}).get("cluster", ""))
    if cluster and kubeconfig.entry(config, "clusters", cluster) is None:
        raise UsageError(f'no server found for cluster "{cluster}"')
