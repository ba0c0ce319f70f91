"""busybox [APPLET [ARGS]]: run an applet by name, or list them."""

from __future__ import annotations

from kubesim.sandbox.images import LATEST_BUSYBOX
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    if not proc.args or proc.args[0].startswith("-"):
        applets = sorted({*proc.image.commands, *proc.image.shells} - {"busybox"})
        # appletlib.c's copyright line moved from 1998-2012 to 1998-2015 in 1.24
        version = proc.image.busybox or LATEST_BUSYBOX
        until = "2015" if tuple(version) >= (1, 24) else "2012"
        proc.out(f"{proc.image.busybox_banner()} multi-call binary.\n"
                 f"BusyBox is copyrighted by many authors between 1998-{until}.\n"
                 "Licensed under GPLv2. See source distribution for detailed\n"
                 "copyright notices.\n\nUsage: busybox [function [arguments]...]\n"
                 "   or: busybox --list[-full]\n   or: busybox --install [-s] [DIR]\n"
                 "   or: function [arguments]...\n\n"
                 "Currently defined functions:\n\t" + ", ".join(applets) + "\n")  # fmt: skip
        return 0
    applet = proc.args[0]
    if not proc.image.has(applet) or proc.spawn is None:
        proc.err(f"{applet}: applet not found\n")
        return 127
    status = proc.spawn(proc.child(proc.args), proc.args)
    return 127 if status is None else status
