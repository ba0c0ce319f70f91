"""The programs and shell builtins of the simulated container, by name.

COMMANDS are executables an image may put on $PATH (which ones it has is the image's
business, see images.py); looking one up gives the program the image binds to that name
(kubesim.sandbox.programs: an image's own docker-entrypoint.sh, bind9's nslookup), the common
builtin otherwise. SPECIAL are builtins that only exist inside a shell because they change it.
SHELL_UTILITIES are programs the shells also build in, so `echo` works in a shell even where
no /bin/echo exists.
"""

from __future__ import annotations

from kubesim.sandbox.builtins import (
    busybox,
    cat,
    cd,
    chmod,
    cp,
    curl,
    date,
    echo,
    env,
    evaluation,
    exit,
    false,
    flow,
    grep,
    head,
    hostname,
    id,
    kill,
    ls,
    misc,
    mkdir,
    nslookup,
    ping,
    printenv,
    printf,
    ps,
    pwd,
    read,
    rm,
    seq,
    sleep,
    sort,
    tail,
    tar,
    tee,
    test,
    touch,
    true,
    uname,
    variables,
    wc,
    wget,
    which,
    whoami,
)
from kubesim.sandbox.proc import Builtin, Proc


class Commands(dict[str, Builtin]):
    """Executables by name; `COMMANDS[name]` runs what the process's image has under it."""

    def __getitem__(self, name: str) -> Builtin:
        builtin = self.get(name)

        def run(proc: Proc) -> int:
            from kubesim.sandbox import programs

            return programs.dispatch(proc, builtin)

        return run


COMMANDS: Commands = Commands(
    {
        "[": test.main,
        "busybox": busybox.main,
        "cat": cat.main,
        "chmod": chmod.main,
        "cp": cp.main,
        "curl": curl.main,
        "date": date.main,
        "echo": echo.main,
        "env": env.main,
        "false": false.main,
        "grep": grep.main,
        "head": head.main,
        "hostname": hostname.main,
        "id": id.main,
        "kill": kill.main,
        "ls": ls.main,
        "mkdir": mkdir.main,
        "mv": cp.main,
        "nslookup": nslookup.main,
        "ping": ping.main,
        "printenv": printenv.main,
        "printf": printf.main,
        "ps": ps.main,
        "pwd": pwd.main,
        "rm": rm.main,
        "seq": seq.main,
        "sleep": sleep.main,
        "sort": sort.main,
        "tail": tail.main,
        "tar": tar.main,
        "tee": tee.main,
        "test": test.main,
        "touch": touch.main,
        "true": true.main,
        "uname": uname.main,
        "wc": wc.main,
        "wget": wget.main,
        "which": which.main,
        "whoami": whoami.main,
    }
)

SPECIAL: dict[str, Builtin] = {
    ":": true.main,
    ".": evaluation.dot,
    "break": flow.break_,
    "cd": cd.main,
    "command": misc.command,
    "continue": flow.continue_,
    "eval": evaluation.eval_,
    "exec": misc.exec_,
    "exit": exit.main,
    "export": variables.export,
    "hash": misc.noop,
    "local": variables.local,
    "read": read.main,
    "readonly": variables.local,
    "return": flow.return_,
    "set": variables.set_,
    "shift": variables.shift,
    "source": evaluation.dot,
    "trap": misc.noop,
    "type": misc.type_,
    "umask": misc.umask,
    "unset": variables.unset,
    "wait": misc.noop,
}

SHELL_UTILITIES = frozenset({"echo", "printf", "test", "[", "true", "false", "pwd", "kill"})
