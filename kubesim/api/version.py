"""The version the cluster reports (/version): kind's v1.32.2 node image, as its apiserver
answers, and the kubectl release kubesim stands in for."""

from __future__ import annotations

SERVER_PLATFORM = "linux/amd64"


def build_info(platform: str = SERVER_PLATFORM) -> dict[str, str]:
    """version.Info of the v1.32.2 release (`kubectl version -o yaml` of its binaries)."""
    return {
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.2",
        "gitCommit": "67a30c0adcf52bd3f56ff0893ce19966be12991f",
        "gitTreeState": "clean",
        "buildDate": "2025-02-12T21:26:09Z",
        "goVersion": "go1.23.6",
        "compiler": "gc",
        "platform": platform,
    }
