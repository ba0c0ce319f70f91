"""kubesim: a kubectl-compatible CLI over a Kubernetes cluster simulated on this machine."""

__version__ = "0.1.0"
