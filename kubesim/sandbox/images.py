"""Image personalities: which shell, which commands and which base files an image brings.

Three families: busybox (and alpine-based images: busybox applets, ash), Debian-based nginx
(dash as sh, bash, GNU coreutils) and a generic minimal image (ash-like sh, core commands,
no network tools). The reference string is parsed like a container image reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Dialect = Literal["ash", "dash", "bash"]
Userland = Literal["busybox", "gnu"]

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BIN_DIRS = ("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")

# Commands every userland here provides (the ones Kubernetes tutorials run in pods)
CORE_COMMANDS = frozenset(
    "cat echo env printenv ls pwd mkdir rm touch sleep true false test [ printf head tail "
    "wc grep hostname date id whoami uname kill which seq tee sort cp mv chmod".split()
)
BUSYBOX_COMMANDS = CORE_COMMANDS | {"nslookup", "wget", "ps", "ping", "busybox", "tar"}

# Build stamps of the official images' binaries (the usage banner shows them)
BUSYBOX_BUILDS = {(1, 28, 4): "2018-05-22 17:00:17 UTC"}
BUSYBOX_PATCH = {
    (1, 28): 4, (1, 29): 3, (1, 30): 1, (1, 31): 1, (1, 32): 1,
    (1, 33): 1, (1, 34): 1, (1, 35): 0, (1, 36): 1, (1, 37): 0,
}  # fmt: skip
LATEST_BUSYBOX = (1, 37, 0)
LATEST_NGINX = "1.27.3"

_WELCOME_BODY = """<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
# nginx's docs/html/index.html: 612 bytes up to 1.20, then (1.21) 615 bytes with compact styles
# and a color scheme
NGINX_WELCOME_OLD = (
    """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
"""
    + _WELCOME_BODY
)
NGINX_WELCOME = (
    """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
"""
    + _WELCOME_BODY
)

NGINX_CONF = """user  nginx;
worker_processes  1;

error_log  /var/log/nginx/error.log warn;
pid        /var/run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;
    sendfile        on;
    keepalive_timeout  65;
    include /etc/nginx/conf.d/*.conf;
}
"""

NGINX_DEFAULT_SITE = """server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

DEBIAN_RELEASES = {
    8: ("jessie", "Debian GNU/Linux 8 (jessie)"),
    12: ("bookworm", "Debian GNU/Linux 12 (bookworm)"),
}


@dataclass(frozen=True)
class Image:
    """What one image brings into a container."""

    reference: str
    repository: str  # last path component, e.g. "busybox", "nginx-slim"
    tag: str
    userland: Userland
    shells: Mapping[str, Dialect]  # executable name -> the shell it is
    commands: frozenset[str]  # other executables on $PATH
    env: tuple[tuple[str, str], ...] = (("PATH", DEFAULT_PATH),)
    workdir: str = "/"
    files: Mapping[str, str] = field(default_factory=dict)
    dirs: frozenset[str] = frozenset()
    busybox: tuple[int, int, int] | None = None  # busybox version, when applets come from it
    nginx: str | None = None  # nginx version, when the image runs nginx

    def has(self, name: str) -> bool:
        """True if `name` is an executable on this image's $PATH."""
        return name in self.shells or name in self.commands

    def busybox_banner(self) -> str:
        """`BusyBox v1.28.4 (2018-05-22 17:00:17 UTC)` as usage texts start."""
        version = self.busybox or LATEST_BUSYBOX
        built = BUSYBOX_BUILDS.get(version)
        text = "BusyBox v" + ".".join(map(str, version))
        # TODO: build stamps of other official busybox images are not recorded yet
        return f"{text} ({built})" if built else f"{text} ()"


def split_reference(reference: str) -> tuple[str, str]:
    """(repository name, tag) of an image reference; a missing tag is `latest`."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    repository, _, tag = last.partition(":")
    return repository, tag or "latest"


def _version(tag: str) -> tuple[int, ...] | None:
    match = re.match(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?", tag)
    if not match:
        return None
    return tuple(int(g) for g in match.groups() if g is not None)


# `ls /` in busybox:1.28 shows bin dev etc home proc root sys tmp usr var
BASE_DIRS = frozenset(
    {"/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr", "/usr/sbin",
     "/var", "/var/spool", "/var/www"}
)  # fmt: skip
DEBIAN_DIRS = frozenset(
    {"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt", "/opt",
     "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/usr/bin", "/usr/lib",
     "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/usr/sbin", "/usr/share", "/var",
     "/var/cache", "/var/lib", "/var/log", "/var/run"}
)  # fmt: skip


def _busybox_files() -> dict[str, str]:
    return {
        "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\n"
        "daemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
        "bin:x:2:2:bin:/bin:/bin/false\n"
        "sys:x:3:3:sys:/dev:/bin/false\n"
        "sync:x:4:100:sync:/bin:/bin/sync\n"
        "mail:x:8:8:mail:/var/spool/mail:/bin/false\n"
        "www-data:x:33:33:www-data:/var/www:/bin/false\n"
        "operator:x:37:37:Operator:/var:/bin/false\n"
        "nobody:x:65534:65534:nobody:/home:/bin/false\n",
        "/etc/group": "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\n"
        "disk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\n"
        "dialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\n"
        "www-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\n"
        "lock:x:54:\nnetdev:x:82:\nusers:x:100:\nnogroup:x:65534:\n",
        "/dev/null": "",
    }


def _debian_files(nginx_version: str, major: int) -> dict[str, str]:
    codename, pretty = DEBIAN_RELEASES[major]
    version_id = str(major)
    parsed = _version(nginx_version)
    modern = parsed is None or parsed >= (1, 21)  # the welcome page gained color-scheme in 1.21
    return {
        "/etc/os-release": f'PRETTY_NAME="{pretty}"\nNAME="Debian GNU/Linux"\n'
        f'VERSION_ID="{version_id}"\nVERSION="{major} ({codename})"\n'
        f"VERSION_CODENAME={codename}\nID=debian\n"
        'HOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n'
        'BUG_REPORT_URL="https://bugs.debian.org/"\n',
        "/etc/debian_version": "8.11\n" if major == 8 else "12.8\n",
        "/etc/passwd": "root:x:0:0:root:/root:/bin/bash\n"
        "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
        "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        "nginx:x:101:101:nginx user:/nonexistent:/bin/false\n",
        "/etc/nginx/nginx.conf": NGINX_CONF,
        "/etc/nginx/conf.d/default.conf": NGINX_DEFAULT_SITE,
        "/usr/share/nginx/html/index.html": NGINX_WELCOME if modern else NGINX_WELCOME_OLD,
        "/usr/share/nginx/html/50x.html": "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n"
        "</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n",
        "/dev/null": "",
    }


@lru_cache(maxsize=64)
def personality(reference: str) -> Image:
    """The personality of an image reference (unknown images get the generic one)."""
    repository, tag = split_reference(reference)
    version = _version(tag)
    if repository in ("busybox", "alpine", "curl") or "alpine" in tag:
        if repository == "busybox" and version and len(version) >= 2:
            major, minor = version[0], version[1]
            patch = version[2] if len(version) > 2 else BUSYBOX_PATCH.get((major, minor), 0)
            busybox = (major, minor, patch)
        else:
            busybox = LATEST_BUSYBOX if repository == "busybox" else (1, 36, 1)
        applets = set(BUSYBOX_COMMANDS)
        if repository.startswith("nginx"):
            applets |= {"nginx", "curl"}
        if repository == "curl":  # curlimages/curl: Alpine with curl as its entrypoint
            applets.add("curl")
        return Image(
            reference=reference, repository=repository, tag=tag, userland="busybox",
            shells={"sh": "ash", "ash": "ash"}, commands=frozenset(applets),
            files=_busybox_files(), dirs=BASE_DIRS, busybox=busybox,
            nginx=_nginx_version(repository, tag),
        )  # fmt: skip
    if repository.startswith("nginx"):
        nginx_version = _nginx_version(repository, tag) or LATEST_NGINX
        major = 8 if version and version[:2] < (1, 11) and repository == "nginx" else 12
        programs = set(CORE_COMMANDS) | {"nginx", "tar"}  # Debian's essential set has GNU tar
        # the official Dockerfiles install curl (with gettext-base) since about 1.19
        # (UNVERIFIED cut-over); nginx-slim images ship it, as the StatefulSet tutorial curls
        if repository != "nginx" or version is None or version[:2] >= (1, 19):
            programs.add("curl")
        return Image(
            reference=reference, repository=repository, tag=tag, userland="gnu",
            shells={"sh": "dash", "dash": "dash", "bash": "bash"}, commands=frozenset(programs),
            env=(("PATH", DEFAULT_PATH), ("NGINX_VERSION", nginx_version)),
            files=_debian_files(nginx_version, major),
            dirs=DEBIAN_DIRS | {"/docker-entrypoint.d", "/etc/nginx", "/etc/nginx/conf.d",
                                "/usr/share/nginx", "/usr/share/nginx/html", "/var/log/nginx",
                                "/var/cache/nginx"},
            nginx=nginx_version,
        )  # fmt: skip
    return Image(
        reference=reference, repository=repository, tag=tag, userland="busybox",
        shells={"sh": "ash"}, commands=CORE_COMMANDS, files={"/dev/null": ""}, dirs=BASE_DIRS,
    )  # fmt: skip


def _nginx_version(repository: str, tag: str) -> str | None:
    """The nginx release an image runs: its tag's, completed to the series' last patch release
    for a `1.25`-style tag (the image it names was rebuilt with each patch)."""
    if repository != "nginx":
        return LATEST_NGINX if repository.startswith("nginx") else None
    from kubesim.sandbox.catalogue import NGINX_RELEASES

    number = tag.split("-")[0]
    parts = _version(number)
    if not parts or len(parts) == 1:
        return LATEST_NGINX
    if len(parts) == 2:
        patch = NGINX_RELEASES.get((parts[0], parts[1]))
        if patch is None:
            return LATEST_NGINX if LATEST_NGINX.startswith(f"{number}.") else f"{number}.0"
        return f"{number}.{patch}"
    return number


# official images whose default command is a shell or an interpreter, which exits at once
# without a terminal: these are known to stop, unlike an unknown image's server
_SHELL_IMAGES = frozenset(
    "ubuntu debian centos fedora alpine busybox almalinux rockylinux oraclelinux amazonlinux "
    "archlinux opensuse photon python node golang ruby perl php bash openjdk eclipse-temurin "
    "amazoncorretto rust gcc julia erlang elixir clojure groovy haskell swift pypy r-base "
    "hello-world curl".split()
)


def is_unknown(reference: str) -> bool:
    """An image kubesim has no personality for (its entrypoint is taken to be a server)."""
    image = personality(reference)
    return (
        image.nginx is None
        and image.busybox is None
        and image.repository not in _SHELL_IMAGES
        and image.commands == CORE_COMMANDS
    )


def image_env(reference: str) -> dict[str, str]:
    """The image's own ENV lines other than PATH (e.g. NGINX_VERSION), in Dockerfile order."""
    return {k: v for k, v in personality(reference).env if k != "PATH"}


def entrypoint(reference: str) -> list[str]:
    """The image's ENTRYPOINT: what the spec's args are passed to when it gives no command."""
    if personality(reference).repository == "curl":
        return ["curl"]  # curlimages/curl: ENTRYPOINT ["/entrypoint.sh"] runs curl
    return []


def default_command(reference: str) -> list[str]:
    """The image's ENTRYPOINT + CMD: what runs when the pod spec gives no command."""
    image = personality(reference)
    if image.nginx is not None:
        return ["nginx", "-g", "daemon off;"]
    if image.repository == "curl":
        return ["curl", "--help"]
    return ["sh"]
