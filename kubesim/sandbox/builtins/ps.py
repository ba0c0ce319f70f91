"""ps: busybox's table of the container's processes (PID 1 is the container's command)."""

from __future__ import annotations

import shlex

from kubesim.sandbox.proc import SHELL_PID, Proc


def main_command(proc: Proc) -> str:
    """The command line of PID 1: the pod's command and args over the image's ENTRYPOINT and
    CMD (an entrypoint script has exec'd the image's server by the time anyone looks)."""
    from kubesim.sandbox.images import container_argv

    argv: list[str] = []
    for spec in (proc.container.pod.get("spec") or {}).get("containers") or []:
        if spec.get("name") == proc.container.name:
            command, args = list(spec.get("command") or []), list(spec.get("args") or [])
            if not command and not args and proc.image.nginx:
                return "nginx: master process nginx -g daemon off;"
            argv = container_argv(proc.container.image, command, args)
    if not argv:
        return "sh"
    return " ".join(shlex.quote(a) if " " in a else a for a in argv)


def main(proc: Proc) -> int:
    rows = [(1, main_command(proc))]
    if proc.state.arg0:  # run from a shell (kubectl exec -- ps has none around it)
        rows.append((SHELL_PID, proc.state.arg0))
    rows.append((SHELL_PID + 6, " ".join(proc.argv)))
    proc.out("PID   USER     TIME  COMMAND\n")
    proc.out("".join(f"{pid:>5} root      0:00 {command}\n" for pid, command in rows))
    return 0
