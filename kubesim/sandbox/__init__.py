"""The container runtime's part: a simulated container with its files, shell and programs.

Never the host's shell: commands run against `Container` data, and all their effects land
in `Container.files`.
"""

from kubesim.sandbox.container import Container, HttpHandler, HttpResponse, pod_hostname_and_domain
from kubesim.sandbox.shell import Result, exec_failed, interactive, run

__all__ = [
    "Container",
    "HttpHandler",
    "HttpResponse",
    "Result",
    "exec_failed",
    "interactive",
    "pod_hostname_and_domain",
    "run",
]
