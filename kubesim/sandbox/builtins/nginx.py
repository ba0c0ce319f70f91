"""nginx -v / -V / -t / -s SIGNAL: the control side of the server the image runs."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc, Serving

CONF = "/etc/nginx/nginx.conf"


def main(proc: Proc) -> int:
    version = proc.image.nginx or "1.27.3"
    if "-v" in proc.args or "-V" in proc.args:
        proc.err(f"nginx version: nginx/{version}\n")
        return 0
    if "-t" in proc.args or "-T" in proc.args:
        proc.err(f"nginx: the configuration file {CONF} syntax is ok\n"
                 f"nginx: configuration file {CONF} test is successful\n")  # fmt: skip
        return 0
    if "-s" in proc.args:
        return 0
    if "daemon off;" in proc.args:
        # the image's own CMD, run as the container's main process: it serves until stopped
        raise Serving("nginx", (80,))
    # the server is already PID 1 in this container
    proc.err("nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)\n")
    return 1
