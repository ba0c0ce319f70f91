"""What a node gives a container, and what happens to a process that goes past it.

A container's processes share its memory (the `resources.limits.memory` of its spec, else the
node's), a number of processes, and its writable layer's disk. Past the memory, the kernel's
OOM killer ends every process of the container (Kubernetes sets `memory.oom.group` on cgroup
v2): the container is OOMKilled, exit code 137. Past the processes, fork fails with EAGAIN
(`can't fork`). A process that recurses past its stack dies of SIGSEGV (139).

kubesim keeps a container's data in its own memory, so it holds each container to at most
MEMORY_CAP of it and DISK_CAP of files, whatever the limit says: a container that needs more
than that is killed (or its write fails) where a real one could go on. `kubesim why` says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

MiB = 1024 * 1024
MEMORY_CAP = 128 * MiB  # the most of a container's data kubesim holds in memory
DISK_CAP = 64 * MiB  # the most a container's writable layer and volumes hold
PIDS_MAX = 128  # processes one container runs at once (kubesim's; a node allows far more)
PIPE_CAPACITY = 65536  # bytes a pipe holds before its writer blocks (Linux's default)
BACKGROUND_STEPS = 20_000  # commands a background job runs before the shell leaves it running

SIGINT, SIGKILL, SIGSEGV, SIGPIPE = 2, 9, 11, 13
SIGNAL_NAMES = {SIGKILL: "Killed", SIGSEGV: "Segmentation fault"}  # strsignal(3)
EAGAIN = "Resource temporarily unavailable"
ENOSPC = "No space left on device"


class Killed(BaseException):
    """The kernel killed the process (and, for an OOM kill, every process of the container):
    it unwinds everything, as no shell or program can catch SIGKILL."""

    def __init__(self, signal: int, reason: str = "") -> None:
        super().__init__(signal, reason)
        self.signal = signal
        self.reason = reason

    @property
    def status(self) -> int:
        return 128 + self.signal


class BrokenPipe(BaseException):
    """A write to a pipe nobody reads any more: the writer dies of SIGPIPE."""


class NoSpace(Exception):
    """A write the container's disk has no room for (ENOSPC)."""


class CantFork(Exception):
    """fork(2) failed: the container runs as many processes as it may."""


@dataclass
class Limits:
    """One container's memory, processes and disk, shared by every process in it (threads
    of a pipeline among them)."""

    memory_limit: int = MEMORY_CAP
    memory: int = 0  # bytes its processes hold (shell variables, captured output)
    processes: int = 1  # its main process, or the exec'd one
    disk: int | None = None  # bytes in its layer and volumes, counted on the first write
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def charge(self, nbytes: int) -> None:
        """Hold `nbytes` more (negative: give them back); past the limit, the OOM kill."""
        with self.lock:
            self.memory += nbytes
            over = nbytes > 0 and self.memory > self.memory_limit
        if over:
            raise Killed(SIGKILL, "OOMKilled")

    def need(self, nbytes: int) -> None:
        """A process is about to hold `nbytes` more for a moment (a word it expands)."""
        if nbytes > 4096 and self.memory + nbytes > self.memory_limit:
            raise Killed(SIGKILL, "OOMKilled")

    def fork(self) -> None:
        with self.lock:
            if self.processes >= PIDS_MAX:
                raise CantFork()
            self.processes += 1

    def exited(self) -> None:
        with self.lock:
            self.processes -= 1


def memory_limit(spec: dict[str, object], node_memory: int | None, *, capped: bool = True) -> int:
    """The memory a container may use: its limit, else its node's (at most MEMORY_CAP, unless
    `capped` is False: what a real node would allow it)."""
    from kubesim.api import quantity

    resources = spec.get("resources")
    stated = ((resources.get("limits") or {}) if isinstance(resources, dict) else {}).get("memory")
    limit = node_memory or (MEMORY_CAP if capped else 1 << 62)
    if stated is not None and quantity.parse(str(stated)).value > 0:
        limit = min(limit, int(quantity.parse(str(stated)).value))
    return min(limit, MEMORY_CAP) if capped else limit


class Variables(dict[str, str]):
    """A shell's variables, the bytes of their values charged to the container's memory.

    A subshell starts as a copy that shares its parent's pages (fork's copy-on-write): only
    the values it sets are charged to it, and given back when it ends."""

    def __init__(self, values: dict[str, str] | None = None, limits: Limits | None = None,
                 *, owned: bool = True) -> None:  # fmt: skip
        super().__init__(values or {})
        self.limits = limits
        self.owned: set[str] | None = None if owned else set()  # None: every key is its own
        self.charged = 0
        if limits is not None and owned:
            self.charged = sum(len(v) for v in self.values())
            limits.charge(self.charged)

    def _own_size(self, key: str) -> int:
        if self.owned is not None and key not in self.owned:
            return 0
        value = dict.get(self, key)
        return len(value) if value is not None else 0

    def __setitem__(self, key: str, value: str) -> None:
        if self.limits is not None:
            delta = len(value) - self._own_size(key)
            if self.owned is not None:
                self.owned.add(key)
            self.charged += delta
            if delta:
                self.limits.charge(delta)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: str) -> None:
        if self.limits is not None:
            delta = -self._own_size(key)
            self.charged += delta
            self.limits.charge(delta)
        dict.__delitem__(self, key)

    def pop(self, key: str, *default: str) -> str:  # type: ignore[override]
        if key in self:
            value = dict.__getitem__(self, key)
            del self[key]
            return value
        return dict.pop(self, key, *default)

    def update(self, *args: object, **kwargs: str) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key: str, default: str = "") -> str:
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def fork(self) -> Variables:
        """The copy a subshell starts with (nothing charged until it changes something)."""
        return Variables(dict(self), self.limits, owned=False)

    def release(self) -> None:
        """The process ended: what it held is free again."""
        if self.limits is not None and self.charged:
            self.limits.charge(-self.charged)
            self.charged = 0


class LeftRunning(BaseException):
    """A background job ran out of the steps the shell gives it: it runs on without the shell
    waiting for it (its effects from there on are not simulated)."""


class Job:
    """The processes started together (a pipeline's, a background job's): stopped together
    when one of them is killed or the terminal's Ctrl-C ends them. A background job has a
    budget of steps, shared by everything it starts (a job inside it draws on the same)."""

    def __init__(self, parent: Job | None = None, *, background: bool = False) -> None:
        self.parent = parent
        self.signal: int = parent.signal if parent is not None else 0  # set once stopped
        self.children: set[Job] = set()
        self.budget: list[int] | None = parent.budget if parent is not None else None
        if background and self.budget is None:
            self.budget = [BACKGROUND_STEPS]
        if parent is not None:
            parent.children.add(self)

    def step(self) -> None:
        """One command more; raises if the job was stopped or its budget is spent."""
        if self.signal:
            raise Killed(self.signal)
        budget = self.budget
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise LeftRunning()

    def stop(self, signal: int) -> None:
        self.signal = signal
        for child in list(self.children):
            child.stop(signal)

    def done(self) -> None:
        if self.parent is not None:
            self.parent.children.discard(self)
