"""ps: the container's processes, as busybox's ps prints them, or procps's where an image has it
(`ps`, `ps aux`, `ps -ef`).

The processes are PID 1 (the container's main process, with the argv the runtime started, or
the title a server gave itself), the child PID 1 is waiting for (a script's `sleep`), and
those of this exec session: the shell ps runs in and ps itself. Pids count up in the
container's pid namespace (kubesim.sandbox.container.allocate_pid).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from kubesim.sandbox.proc import Proc


@dataclass(frozen=True)
class Process:
    pid: int
    ppid: int
    argv: tuple[str, ...]
    started: float
    session: bool  # an exec session's process (not PID 1's)
    leader: bool  # a session leader (PID 1, the first process of an exec)
    running: bool = False  # ps itself: the only one on a CPU

    @property
    def command(self) -> str:
        """/proc/PID/cmdline with its NULs shown as spaces."""
        return " ".join(self.argv)

    @property
    def comm(self) -> str:
        """/proc/PID/comm: the program's name, at most 15 bytes."""
        return (self.argv[0].rsplit("/", 1)[-1] if self.argv else "")[:15]


# typical virtual size and resident set (KiB) of the programs ps shows, for ps aux
MEMORY = {
    "bash": (4188, 3456), "sh": (2576, 1536), "dash": (2576, 1536), "sleep": (2484, 1280),
    "ps": (8092, 4224), "nginx": (11404, 7560), "node": (614436, 43520),
    "python3": (25324, 18176), "python": (25324, 18176), "perl": (13140, 6912),
}  # fmt: skip


def main_argv(proc: Proc) -> tuple[str, ...]:
    """PID 1's command line: the runtime's record of it (a server's own argv once it has
    exec'd), else the pod's command and args over the image's ENTRYPOINT and CMD."""
    from kubesim.sandbox.images import container_argv

    record = proc.container.main_process or {}
    if record.get("program") == "nginx" or (not record and proc.image.nginx):
        return ("nginx: master process nginx -g daemon off;",)  # the title nginx sets
    argv = [str(a) for a in record.get("argv") or []]
    if not argv:
        for spec in (proc.container.pod.get("spec") or {}).get("containers") or []:
            if spec.get("name") == proc.container.name:
                command, args = list(spec.get("command") or []), list(spec.get("args") or [])
                argv = container_argv(proc.container.image, command, args)
    return tuple(argv) or ("sh",)


def processes(proc: Proc) -> list[Process]:
    """The processes ps finds, by pid."""
    record = proc.container.main_process or {}
    started = float(record.get("started") or proc.container.now)
    now = proc.container.now
    found = {1: Process(1, 0, main_argv(proc), started, session=False, leader=True)}
    child = _sleeping_child(record)
    if child is not None:
        found[child.pid] = child
    shell = proc.state
    if shell.pid > 1 and shell.cmdline and shell.pid != proc.pid:
        found[shell.pid] = Process(shell.pid, 0, shell.cmdline, now, session=True, leader=True)
    if proc.pid > 1:
        parent = shell.pid if shell.pid not in (0, proc.pid) else 0
        found[proc.pid] = Process(
            proc.pid, parent, tuple(proc.argv), now, session=True, leader=parent == 0,
            running=True,
        )  # fmt: skip
    elif proc.pid == 0:  # not placed in the namespace: after the main's processes
        pid = max(found) + 6 if max(found) > 1 else 7
        found[pid] = Process(pid, 0, tuple(proc.argv), now, True, True, running=True)
    return [found[pid] for pid in sorted(found)]


def _sleeping_child(record: dict[str, Any]) -> Process | None:
    """The `sleep` a suspended main script waits for, if it is in one."""
    script = record.get("script")
    if not isinstance(script, dict):
        return None
    for frame in reversed(script.get("frames") or []):
        if isinstance(frame, dict) and "until" in frame and frame.get("pid"):
            since = float(frame.get("since") or frame["until"])
            argv = tuple(str(a) for a in frame.get("argv") or ("sleep",))
            return Process(int(frame["pid"]), 1, argv, since, session=False, leader=False)
    return None


def main(proc: Proc) -> int:
    if proc.image.userland == "gnu":
        return procps(proc)
    return busybox(proc)


def busybox(proc: Proc) -> int:
    """busybox ps (DESKTOP): -o pid,user,time,args; -a -A -d -e -f -l are accepted and ignored,
    words without a dash (`aux`) too."""
    for arg in proc.args:
        if arg.startswith("-") and arg != "-":
            for letter in arg[1:]:
                if letter not in "aAdeflT":
                    proc.err(f"ps: invalid option -- '{letter}'\n")
                    proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n"
                             "Usage: ps [-o COL1,COL2=HEADER] [-T]\n\n"
                             "Show list of processes\n\n"
                             "\t-o COL1,COL2=HEADER\tSelect columns for display\n"
                             "\t-T\t\t\tShow threads\n")  # fmt: skip
                    return 1
    user = _user(proc)
    lines = ["PID   USER     TIME  COMMAND"]
    for process in processes(proc):
        lines.append(f"{process.pid:>5} {user:<8} {'0:00':>5} {process.command}")
    proc.out("".join(line + "\n" for line in lines))
    return 0


def procps(proc: Proc) -> int:
    """procps-ng 4 ps: its default (pid,tname,time,cmd of the processes on ps's terminal, or
    with none, those without one), BSD `aux`, SysV `-ef`."""
    args = proc.args
    letters = "".join(a.lstrip("-") for a in args)
    bsd = bool(args) and not args[0].startswith("-")
    if any(c not in ("aux" if bsd else "Aef") for c in letters):
        proc.err("error: unsupported option (BSD syntax)\n" if bsd else
                 "error: unsupported SysV option\n")  # fmt: skip
        proc.err(_PROCPS_USAGE)
        return 1
    tty = "pts/0" if proc.stdin.tty else "?"
    every = processes(proc)
    user = _user(proc)
    lines: list[str] = []
    if bsd and "u" in letters:
        lines.append("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND")
        for p in every:
            vsz, rss = MEMORY.get(p.comm, (2500, 1100))
            lines.append(
                f"{user:<8} {p.pid:>7}  0.0  0.0 {vsz:>6} {rss:>5} {_tty(p, tty):<8} "
                f"{_stat(p, tty):<4} {_start(p.started, proc.container.now):>5}   0:00 {p.command}"
            )
    elif "f" in letters:
        lines.append("UID          PID    PPID  C STIME TTY          TIME CMD")
        chosen = every if "e" in letters or "A" in letters else _own_terminal(every, tty)
        for p in chosen:
            lines.append(
                f"{user:<8} {p.pid:>7} {p.ppid:>7}  0 {_start(p.started, proc.container.now):>5} "
                f"{_tty(p, tty):<8} 00:00:00 {p.command}"
            )
    else:
        lines.append("    PID TTY          TIME CMD")
        chosen = every if bsd or "e" in letters or "A" in letters else _own_terminal(every, tty)
        for p in chosen:
            lines.append(f"{p.pid:>7} {_tty(p, tty):<8} 00:00:00 {p.comm}")
    proc.out("".join(line + "\n" for line in lines))
    return 0


_PROCPS_USAGE = (
    "\nUsage:\n ps [options]\n\n"
    " Try 'ps --help <simple|list|output|threads|misc|all>'\n"
    "  or 'ps --help <s|l|o|t|m|a>'\n"
    " for additional help text.\n\n"
    "For more details see ps(1).\n"
)


def _own_terminal(every: list[Process], tty: str) -> list[Process]:
    """ps's default selection: the processes on its terminal (with none, those without one)."""
    return [p for p in every if _tty(p, tty) == tty]


def _tty(process: Process, tty: str) -> str:
    return tty if process.session else "?"


def _stat(process: Process, tty: str) -> str:
    state = "R" if process.running else "S"
    if process.leader:
        state += "s"
    if process.session and tty != "?" and process.running:
        state += "+"  # in the terminal's foreground process group
    return state


def _start(started: float, now: float) -> str:
    """START/STIME: the time of day it started, its date if that was another day."""
    if now - started >= 86400:
        return time.strftime("%b%d", time.gmtime(started))
    return time.strftime("%H:%M", time.gmtime(started))


def _user(proc: Proc) -> str:
    from kubesim.sandbox.identity import identity

    who = identity(proc.container)
    return (who.user or str(who.uid))[:8]
