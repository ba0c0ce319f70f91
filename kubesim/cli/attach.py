"""kubectl exec and attach (and run -i) from this terminal: the kubelet's streaming sessions
(kubesim.engine.streaming) wired to this process's stdin, stdout and stderr."""

from __future__ import annotations

import contextlib
import sys

from kubesim.engine import streaming
from kubesim.engine.streaming import delete_pod, is_container_running, process_exited

__all__ = ["AttachSession", "ExecSession", "delete_pod", "is_container_running", "process_exited"]


def _note(text: str) -> None:
    sys.stderr.write(text)


class ExecSession(streaming.ExecSession):
    """`kubectl exec` into one container of a running pod, from this terminal."""

    @classmethod
    def open_quietly(
        cls, pod_name: str, namespace: str, container: str | None, *, quiet: bool = False
    ) -> ExecSession:
        """The session, saying on stderr which container kubectl chose unless `quiet`."""
        return cls.open(pod_name, namespace, container, note=None if quiet else _note)

    def run(self, argv: list[str], *, stdin: bool = False, tty: bool = False) -> int:
        """Run `argv` until it exits, with this terminal's input (if `stdin`) and output;
        returns its exit status. With a TTY, Ctrl-C reaches the program (kubectl puts the
        terminal in raw mode); without one it stops this process."""
        from kubesim.cli import terminal
        from kubesim.sandbox.proc import Interrupt

        interrupts = terminal.ctrl_c_raises(Interrupt) if tty else contextlib.nullcontext()
        with interrupts:
            return self.stream(
                argv,
                read=terminal.read_line if stdin else None,
                tty=tty,
                out=terminal.write,
                err=terminal.write_err,
            )


class AttachSession(streaming.AttachSession):
    """`kubectl run -i`/`attach`: the container's main process, attached to this terminal."""

    def run_main_process(self, *, stdin: bool, tty: bool) -> int:
        """Run the container's command (or its image's default) and record its exit."""
        from kubesim.cli import terminal
        from kubesim.sandbox.proc import Interrupt

        interrupts = terminal.ctrl_c_raises(Interrupt) if tty else contextlib.nullcontext()
        with interrupts:
            return self.stream_main_process(
                read=terminal.read_line if stdin else None,
                tty=tty,
                out=terminal.write,
                err=terminal.write_err,
            )
