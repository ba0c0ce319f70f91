"""What `kubectl create configmap|secret` build from their sources, over an in-memory disk."""

from __future__ import annotations

import pytest

from kubesim.api.errors import UsageError
from kubesim.kubectl import create_config as cc


class Disk:
    def __init__(self, files: dict[str, bytes], env: dict[str, str] | None = None) -> None:
        self.files = files
        self.env = env or {}

    def kind(self, path: str) -> str:
        if path in self.files:
            return "file"
        if any(p.startswith(path.rstrip("/") + "/") for p in self.files):
            return "dir"
        raise UsageError(f"error reading {path}: no such file or directory")

    def entries(self, path: str) -> list[tuple[str, bool]]:
        prefix = path.rstrip("/") + "/"
        names = {p[len(prefix) :].split("/", 1)[0]: "/" not in p[len(prefix) :]
                 for p in self.files if p.startswith(prefix)}  # fmt: skip
        return sorted(names.items())

    def read(self, path: str) -> bytes:
        return self.files[path.replace("//", "/")]

    def getenv(self, name: str) -> str:
        return self.env.get(name, "")


DISK = Disk(
    {
        "conf/game.properties": b"lives=3\n",
        "conf/ui.properties": b"color=purple\n",
        "conf/sub/deep": b"ignored",
        "bin.dat": b"\xff\xfe",
        "app.env": b"\xef\xbb\xbf# comment\n  NAME=web\nEMPTY=\nFROM_ENV\r\n\n",
    },
    env={"FROM_ENV": "outside"},
)


def test_a_configmap_from_a_directory_a_key_a_literal_and_bytes() -> None:
    sources = cc.Sources(
        literals=["mode=fast=yes"], files=["conf/", "key=conf/ui.properties", "bin.dat"]
    )
    assert cc.config_map("c", sources, DISK) == {
        "apiVersion": "v1",
        "binaryData": {"bin.dat": "//4="},
        "data": {
            "game.properties": "lives=3\n",
            "ui.properties": "color=purple\n",
            "key": "color=purple\n",
            "mode": "fast=yes",
        },
        "kind": "ConfigMap",
        "metadata": {"creationTimestamp": None, "name": "c"},
    }


def test_env_files() -> None:
    made = cc.config_map("c", cc.Sources(env_files=["app.env"]), DISK)
    assert made["data"] == {"NAME": "web", "EMPTY": "", "FROM_ENV": "outside"}
    bad = Disk({"bad.env": b"1X=y\n"})
    with pytest.raises(UsageError) as raised:
        cc.config_map("c", cc.Sources(env_files=["bad.env"]), bad)
    assert raised.value.message.startswith('"1X" is not a valid key name: a valid environment')


def test_secrets_encode_every_value() -> None:
    made = cc.secret_generic("s", "", cc.Sources(literals=["user=admin"], files=["bin.dat"]), DISK)
    assert made == {
        "apiVersion": "v1",
        "data": {"user": "YWRtaW4=", "bin.dat": "//4="},
        "kind": "Secret",
        "metadata": {"creationTimestamp": None, "name": "s"},
    }


def test_the_hash_kubectl_appends() -> None:
    sources = cc.Sources(literals=["a=1"])
    assert cc.config_map("c", sources, DISK, append_hash=True)["metadata"]["name"] == (
        "c-9dtcmmmm5t"
    )
    secret = cc.secret_generic("s", "kubernetes.io/basic-auth", sources, DISK, append_hash=True)
    assert secret["metadata"]["name"] == "s-9hgk7t42d6"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("=x", "key name for file path x missing"),
        ("x=", "file path for key name x missing"),
        ("a=b=c", "key names or file paths cannot contain '='"),
    ],
)
def test_file_source_errors(source: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        cc.parse_file_source(source)
    assert raised.value.message == message
