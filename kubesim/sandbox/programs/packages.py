"""The package managers: apt-get and apt (Debian, Ubuntu: apt 2.6/2.7 with dpkg), apk (Alpine:
apk-tools 2.14). They answer from the catalogue in packages.yaml as they would from a mirror,
with their own lines (apt-private's Get:/Fetched/ShowList/Stats, dpkg's unpacking and setting
up, apk's commit.c), and install a package's programs into the container's writable layer.

What a container has installed is kept in its files, where the tools keep it: apt's lists
under /var/lib/apt/lists (an image ships without them: `apt-get install` before
`apt-get update` cannot locate anything), dpkg's /var/lib/dpkg/info/PKG.list, apk's index
cache in /var/cache/apk and its database /lib/apk/db/installed. A package whose programs the
image already has counts as installed, with what it depends on.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program

Package = dict[str, Any]
LISTS = "/var/lib/apt/lists"
DPKG_INFO = "/var/lib/dpkg/info"
APK_CACHE = "/var/cache/apk"
APK_INSTALLED = "/lib/apk/db/installed"
ARCH = "amd64"  # kind's nodes on x86-64
SCREEN_WIDTH = 80  # apt's ScreenWidth without a terminal to ask


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    """packages.yaml's distributions."""
    import yaml

    text = resources.files("kubesim.sandbox").joinpath("packages.yaml").read_text()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return dict(parsed["distributions"])


def distribution(proc: Proc) -> tuple[str, dict[str, Any]] | None:
    """The container's distribution (from /etc/os-release) and its catalogue entry."""
    release = fs.read(proc.container, "/etc/os-release") or ""
    fields = dict(
        (k, v.strip('"')) for k, _, v in (line.partition("=") for line in release.splitlines())
    )
    if fields.get("ID") == "alpine":
        key = "alpine-" + ".".join(fields.get("VERSION_ID", "").split(".")[:2])
    else:
        key = f"{fields.get('ID', '')}-{fields.get('VERSION_CODENAME', '')}"
    entry = catalogue().get(key)
    return (key, entry) if entry is not None else None


def is_root(proc: Proc) -> bool:
    from kubesim.sandbox.identity import identity

    return identity(proc.container).uid == 0


def closure(packages: dict[str, Package], name: str, recommends: bool = True) -> list[str]:
    """`name` and what it brings, dependencies first (the order they are unpacked in)."""
    order: list[str] = []

    def visit(current: str) -> None:
        if current in order or current not in packages:
            return
        entry = packages[current]
        for dependency in entry.get("depends") or []:
            visit(dependency)
        order.append(current)
        if recommends:
            for recommended in entry.get("recommends") or []:
                visit(recommended)

    visit(name)
    return order


def preinstalled(proc: Proc, packages: dict[str, Package]) -> set[str]:
    """The packages the image came with: those whose programs it has, with their closures."""
    found: set[str] = set()
    image = proc.image
    for name, entry in packages.items():
        programs = {
            path.rsplit("/", 1)[-1]: run for path, run in (entry.get("programs") or {}).items()
        }
        # the image's own program of that name, not another's (busybox's wget is no GNU wget)
        if any(
            image.has(program) and image.implementation(program) == run
            for program, run in programs.items()
        ):
            found.update(closure(packages, name))
    return found


def install_programs(proc: Proc, entry: Package) -> None:
    """Put a package's executables in the container's layer."""
    for path, implementation in (entry.get("programs") or {}).items():
        fs.write(proc.container, path, f"{fs.PROGRAM}{implementation}\n")
        fs.set_mode(proc.container, path, 0o755)


# --- apt ----------------------------------------------------------------------------------------


def size_text(size: float) -> str:
    """apt's SizeToStr: 3 significant figures, SI units (`151 k`, `55.4 k`, `9303 `)."""
    units = ["", "k", "M", "G", "T"]
    for index, unit in enumerate(units):
        if size < 100 and index != 0:
            return f"{size:.1f} {unit}"
        if size < 10000:
            return f"{size:.0f} {unit}"
        size /= 1000.0
    return f"{size:.0f} P"


class Apt:
    """One apt-get (or apt) run: its options and what it prints."""

    def __init__(self, proc: Proc, front: str) -> None:
        self.proc, self.front = proc, front
        self.quiet = 0 if proc.isatty(1) else 1
        self.assume_yes = False
        self.recommends = True
        self.words: list[str] = []

    def parse(self) -> str | None:
        """The options; the message of one apt does not understand."""
        for arg in self.proc.args:
            if arg in ("-y", "--yes", "--assume-yes"):
                self.assume_yes = True
            elif arg.startswith("-q") and set(arg[1:]) == {"q"}:
                self.quiet = max(self.quiet, len(arg) - 1)
            elif arg in ("--quiet", "--silent"):
                self.quiet = max(self.quiet, 1)
            elif arg == "--no-install-recommends":
                self.recommends = False
            elif arg == "--install-recommends":
                self.recommends = True
            elif arg.startswith("-") and len(arg) > 1:
                letters = arg.lstrip("-")
                if arg.startswith("-") and not arg.startswith("--") and set(letters) <= {"y", "q"}:
                    self.assume_yes = self.assume_yes or "y" in letters
                    self.quiet = max(self.quiet, letters.count("q"))
                    continue
                if arg.startswith("--"):
                    continue  # long options kubesim does not model change nothing it shows
                return (f"E: Command line option '{letters[0]}' [from {arg}] is not understood "
                        "in combination with the other options.\n")  # fmt: skip
            else:
                self.words.append(arg)
        return None

    def out(self, text: str) -> None:
        """c1out: what -qq silences."""
        if self.quiet < 2:
            self.proc.out(text)

    def progress(self, operation: str) -> None:
        """OpTextProgress: `Reading package lists...`, with ` Done` on a terminal."""
        if self.quiet >= 2:
            return
        self.proc.out(f"{operation}...{' Done' if self.quiet == 0 else ''}\n")

    def run(self) -> int:
        problem = self.parse()
        if problem is not None:
            self.proc.err(problem)
            return 100
        if self.front == "apt" and not self.proc.isatty(1):
            self.proc.err("\nWARNING: apt does not have a stable CLI interface. "
                          "Use with caution in scripts.\n\n")  # fmt: skip
        if not self.words:
            if self.front == "apt-get":
                self.proc.out(_apt_get_help(self.version()))
            return 1
        command, names = self.words[0], self.words[1:]
        found = distribution(self.proc)
        if found is None or found[1].get("manager") != "apt":
            image = self.proc.image.reference
            self.proc.err(f"kubesim: {self.front}: the package mirrors of {image} are not "
                          "simulated\n")  # fmt: skip
            return 100
        self.distro = found[1]
        if command == "update":
            return self.update()
        if command == "install":
            return self.install(names)
        self.proc.err(f"kubesim: {self.front} {command} is not simulated\n")
        return 100

    def version(self) -> str:
        found = distribution(self.proc)
        return str(found[1].get("version", "2.6.1")) if found else "2.6.1"

    def lists_present(self) -> bool:
        return any(
            fs.read(self.proc.container, f"{LISTS}/{name}") is not None
            for name in self.distro.get("lists") or []
        )

    def update(self) -> int:
        if not is_root(self.proc):
            self.proc.err(
                f"E: Could not open lock file {LISTS}/lock - open (13: Permission denied)\n"
                f"E: Unable to lock directory {LISTS}/\n"
            )
            return 100
        fresh = not self.lists_present()
        total = 0
        for index, (description, size) in enumerate(self.distro["update"], start=1):
            if fresh:
                self.out(f"Get:{index} {description} [{size_text(size)}B]\n")
                total += int(size)
            elif "InRelease" in description:
                self.out(f"Hit:{index} {description}\n")
        if total:
            seconds = max(1.0, total / 7_500_000)
            self.out(f"Fetched {size_text(total)}B in {int(seconds)}s "
                     f"({size_text(total / seconds)}B/s)\n")  # fmt: skip
        for name in self.distro.get("lists") or []:
            fs.write(self.proc.container, f"{LISTS}/{name}", "")
        self.progress("Reading package lists")
        if self.front == "apt":
            self.progress("Building dependency tree")
            self.progress("Reading state information")
            self.out("All packages are up to date.\n")
        return 0

    def installed(self, packages: dict[str, Package]) -> set[str]:
        found = preinstalled(self.proc, packages)
        for name, entry in packages.items():
            if fs.read(self.proc.container, f"{DPKG_INFO}/{self.qualified(name, entry)}.list"):
                found.add(name)
        return found

    def qualified(self, name: str, entry: Package) -> str:
        return f"{name}:{ARCH}" if entry.get("multiarch") else name

    def install(self, names: list[str]) -> int:
        proc = self.proc
        if not is_root(proc):
            proc.err(
                "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: "
                "Permission denied)\nE: Unable to acquire the dpkg frontend lock "
                "(/var/lib/dpkg/lock-frontend), are you root?\n"
            )
            return 100
        self.progress("Reading package lists")
        self.progress("Building dependency tree")
        self.progress("Reading state information")
        packages: dict[str, Package] = self.distro["packages"] if self.lists_present() else {}
        missing = [name for name in names if name not in packages]
        if missing:
            for name in missing:
                proc.err(f"E: Unable to locate package {name}\n")
            return 100
        have = self.installed(packages)
        new: list[str] = []
        for name in names:
            if name in have:
                version = packages[name]["version"]
                self.out(f"{name} is already the newest version ({version}).\n")
                continue
            for member in closure(packages, name, self.recommends):
                if member not in have and member not in new:
                    new.append(member)
        extra = sorted(n for n in new if n not in names)
        suggested = sorted({s for n in new for s in packages[n].get("suggests") or []})
        recommended = sorted(
            {r for n in new for r in packages[n].get("recommends") or []} - set(new) - have
        )
        self.show_list("The following additional packages will be installed:", extra)
        self.show_list("Suggested packages:", suggested)
        if not self.recommends:
            self.show_list("Recommended packages:", recommended)
        self.show_list("The following NEW packages will be installed:", sorted(new))
        self.out(f"0 upgraded, {len(new)} newly installed, 0 to remove and 0 not upgraded.\n")
        if not new:
            return 0
        download = sum(int(packages[n].get("size", 0)) for n in new)
        disk = sum(int(packages[n].get("installed", 0)) for n in new) * 1024
        self.out(f"Need to get {size_text(download)}B of archives.\n")
        self.out(f"After this operation, {size_text(disk)}B of additional disk space "
                 "will be used.\n")  # fmt: skip
        if extra and not self.assume_yes and self.quiet < 2:
            self.proc.out("Do you want to continue? [Y/n] ")
            answer = proc.stdin.readline()
            if answer is None or answer.strip().lower() not in ("", "y", "yes"):
                self.proc.out("Abort.\n")
                return 1
        self.fetch(packages, new, download)
        self.unpack(packages, new, have)
        return 0

    def show_list(self, title: str, names: list[str]) -> None:
        """ShowList: the title, then the names wrapped at the screen's width, two in."""
        if not names:
            return
        width = SCREEN_WIDTH - 3
        text, used = title, 0
        for name in names:
            if used == 0 or used + len(name) >= width:
                text += "\n  "
                used = 0
            else:
                text += " "
                used += 1
            text += name
            used += len(name)
        self.out(text + "\n")

    def fetch(self, packages: dict[str, Package], new: list[str], download: int) -> None:
        archive = str(self.distro["archive"])
        for index, name in enumerate(new, start=1):
            entry = packages[name]
            arch = entry.get("arch", ARCH)
            size = size_text(int(entry.get("size", 0)))
            self.out(f"Get:{index} {archive} {ARCH} {name} {arch} {entry['version']} [{size}B]\n")
        seconds = download / 20_000_000
        self.out(f"Fetched {size_text(download)}B in {int(seconds)}s "
                 f"({size_text(download / max(seconds, 0.05))}B/s)\n")  # fmt: skip
        if any(packages[n].get("templates") for n in new):
            # dpkg-preconfigure, the Pre-Install-Pkgs hook, without apt-utils
            self.proc.err("debconf: delaying package configuration, since apt-utils is not "
                          "installed\n")  # fmt: skip

    def unpack(self, packages: dict[str, Package], new: list[str], have: set[str]) -> None:
        """dpkg: select, unpack, then set up each package, then the triggers."""
        proc = self.proc
        known = int(self.distro.get("database", 0)) + sum(
            _files(packages[n]) for n in have if n in packages
        )
        width = len(str(len(new) - 1))
        for index, name in enumerate(new):
            entry = packages[name]
            shown = self.qualified(name, entry)
            version = str(entry["version"])
            file_version = version.replace(":", "%3a")
            prefix = f"{index:0{max(width, 2)}d}-" if len(new) > 1 else ""
            self.out(f"Selecting previously unselected package {shown}.\n")
            if index == 0:
                self.out(f"(Reading database ... {known} files and directories currently "
                         "installed.)\n")  # fmt: skip
            arch = entry.get("arch", ARCH)
            self.out(f"Preparing to unpack .../{prefix}{name}_{file_version}_{arch}.deb ...\n")
            self.out(f"Unpacking {shown} ({version}) ...\n")
        for name in new:
            entry = packages[name]
            self.out(f"Setting up {self.qualified(name, entry)} ({entry['version']}) ...\n")
            if entry.get("certificates"):
                self.out(f"Updating certificates in /etc/ssl/certs...\n"
                         f"{entry['certificates']} added, 0 removed; done.\n")  # fmt: skip
            install_programs(proc, entry)
            listed = "\n".join((entry.get("programs") or {}).keys()) or "/."
            fs.write(proc.container, f"{DPKG_INFO}/{self.qualified(name, entry)}.list", listed)
        if any(packages[n].get("multiarch") for n in new):
            for trigger, version in (self.distro.get("triggers") or {}).items():
                self.out(f"Processing triggers for {trigger} ({version}) ...\n")
        if "ca-certificates" in new:
            version = packages["ca-certificates"]["version"]
            self.out(f"Processing triggers for ca-certificates ({version}) ...\n"
                     "Updating certificates in /etc/ssl/certs...\n0 added, 0 removed; done.\n"
                     "Running hooks in /etc/ca-certificates/update.d...\ndone.\n")  # fmt: skip


def _files(entry: Package) -> int:
    """About how many paths a package adds to dpkg's database."""
    return 8 + int(entry.get("installed", 0)) // 50


def _apt_get_help(version: str) -> str:
    commands = [
        ("update", "Retrieve new lists of packages"), ("upgrade", "Perform an upgrade"),
        ("install", "Install new packages (pkg is libc6 not libc6.deb)"),
        ("reinstall", "Reinstall packages (pkg is libc6 not libc6.deb)"),
        ("remove", "Remove packages"), ("purge", "Remove packages and config files"),
        ("autoremove", "Remove automatically all unused packages"),
        ("dist-upgrade", "Distribution upgrade, see apt-get(8)"),
        ("dselect-upgrade", "Follow dselect selections"),
        ("build-dep", "Configure build-dependencies for source packages"),
        ("satisfy", "Satisfy dependency strings"), ("clean", "Erase downloaded archive files"),
        ("autoclean", "Erase old downloaded archive files"),
        ("check", "Verify that there are no broken dependencies"),
        ("source", "Download source archives"),
        ("download", "Download the binary package into the current directory"),
        ("changelog", "Download and display the changelog for the given package"),
    ]  # fmt: skip
    return (
        f"apt {version} ({ARCH})\n"
        "Usage: apt-get [options] command\n"
        "       apt-get [options] install|remove pkg1 [pkg2 ...]\n"
        "       apt-get [options] source pkg1 [pkg2 ...]\n\n"
        "apt-get is a command line interface for retrieval of packages\n"
        "and information about them from authenticated sources and\n"
        "for installation, upgrade and removal of packages together\n"
        "with their dependencies.\n\n"
        "Most used commands:\n"
        + "".join(f"  {name} - {text}\n" for name, text in commands)
        + "\nSee apt-get(8) for more information about the available commands.\n"
        "Configuration options and syntax is detailed in apt.conf(5).\n"
        "Information about how to configure sources can be found in sources.list(5).\n"
        "Package and version choices can be expressed via apt_preferences(5).\n"
        "Security details are available in apt-secure(8).\n"
        + "This APT has Super Cow Powers.".rjust(70)
        + "\n"
    )


def apt_get(proc: Proc) -> int:
    return Apt(proc, "apt-get").run()


def apt(proc: Proc) -> int:
    return Apt(proc, "apt").run()


# --- apk ----------------------------------------------------------------------------------------


def apk(proc: Proc) -> int:
    """apk update | add [--no-cache] [-U] PKG...: apk-tools' messages and exit codes."""
    args = [a for a in proc.args if not a.startswith("-")]
    flags = [a for a in proc.args if a.startswith("-")]
    if not args:
        proc.err("kubesim: apk without a command is not simulated\n")
        return 1
    found = distribution(proc)
    if found is None or found[1].get("manager") != "apk":
        proc.err(f"kubesim: apk: the package mirrors of {proc.image.reference} are not "
                 "simulated\n")  # fmt: skip
        return 1
    distro = found[1]
    command, names = args[0], args[1:]
    if command not in ("update", "add"):
        proc.err(f"kubesim: apk {command} is not simulated\n")
        return 1
    if not is_root(proc):
        proc.err("ERROR: Unable to lock database: Permission denied\n"
                 "ERROR: Failed to open apk database: Permission denied\n")  # fmt: skip
        return 99
    no_cache = "--no-cache" in flags
    cached = any(
        (fs.read(proc.container, f"{APK_CACHE}/APKINDEX.{repo}.tar.gz") is not None)
        for repo in distro["repositories"]
    )
    if command == "update" or "-U" in flags or "--update-cache" in flags or no_cache or not cached:
        _apk_fetch_indexes(proc, distro, keep=not no_cache)
    if command == "update":
        mirror = distro["mirror"]
        for repo, description in distro["repositories"].items():
            proc.out(f"{description} [{mirror}/{repo}]\n")
        proc.out(f"OK: {distro['available']} distinct packages available\n")
        return 0
    packages: dict[str, Package] = distro["packages"]
    missing = [name for name in names if name not in packages]
    if missing:
        proc.err("ERROR: unable to select packages:\n")
        for name in missing:
            proc.err(f"  {name} (no such package):\n    required by: world[{name}]\n")
        return len(missing)
    have = _apk_installed(proc, packages)
    new: list[str] = []
    for name in names:
        for member in closure(packages, name):
            if member not in have and member not in new:
                new.append(member)
    for index, name in enumerate(new, start=1):
        proc.out(f"({index}/{len(new)}) Installing {name} ({packages[name]['version']})\n")
        install_programs(proc, packages[name])
        record = f"P:{name}\nV:{packages[name]['version']}\n\n"
        fs.write(proc.container, APK_INSTALLED, record, append=True)
    if any(packages[n].get("programs") for n in new):
        proc.out(f"Executing busybox-{distro['busybox']}.trigger\n")
    ours = _apk_installed(proc, packages, image_too=False)
    total = int(distro["base"]["bytes"]) + sum(int(packages[n]["installed"]) for n in ours)
    count = int(distro["base"]["packages"]) + len(ours)
    proc.out(f"OK: {total // (1024 * 1024)} MiB in {count} packages\n")
    return 0


def _apk_fetch_indexes(proc: Proc, distro: dict[str, Any], keep: bool) -> None:
    for repo in distro["repositories"]:
        proc.out(f"fetch {distro['mirror']}/{repo}/x86_64/APKINDEX.tar.gz\n")
        if keep:
            fs.write(proc.container, f"{APK_CACHE}/APKINDEX.{repo}.tar.gz", "")


def _apk_installed(proc: Proc, packages: dict[str, Package], *, image_too: bool = True) -> set[str]:
    """The packages apk's database lists (and, with `image_too`, those the image came with)."""
    database = fs.read(proc.container, APK_INSTALLED) or ""
    ours = {line[2:] for line in database.splitlines() if line.startswith("P:")}
    return ours | preinstalled(proc, packages) if image_too else ours


def _procps(proc: Proc) -> int:
    from kubesim.sandbox.builtins import ps

    return ps.procps(proc)


def _iputils_ping(proc: Proc) -> int:
    from kubesim.sandbox.builtins import ping

    return ping.iputils(proc)


PROGRAMS = {
    "apt-get": Program(apt_get),
    "apt": Program(apt),
    "apk": Program(apk),
    "ps-procps": Program(_procps),  # procps-ng's ps where busybox's was
    "iputils-ping": Program(_iputils_ping),
}
