"""Package managers inside containers: apt-get and apt in Debian and Ubuntu images, apk in
Alpine ones, answering from kubesim's package catalogue and installing the programs."""

from __future__ import annotations

from tests.conftest import Kubesim


def test_apt_get_needs_its_lists_then_installs_curl(kubesim: Kubesim) -> None:
    kubesim("run deb --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    # the image ships without package lists: nothing can be located before an update
    result = kubesim("exec deb -- apt-get install -y curl")
    assert result.out == "Reading package lists...\nBuilding dependency tree...\n" \
        "Reading state information...\n"  # fmt: skip
    assert result.err == "E: Unable to locate package curl\ncommand terminated with exit code 100\n"
    update = kubesim("exec deb -- apt-get update").out.splitlines()
    assert update[0] == "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"
    assert update[-2].startswith("Fetched 9303 kB in 1s (")
    assert update[-1] == "Reading package lists..."
    assert kubesim("exec deb -- apt-get update").out.splitlines()[:3] == [
        "Hit:1 http://deb.debian.org/debian bookworm InRelease",
        "Hit:2 http://deb.debian.org/debian bookworm-updates InRelease",
        "Hit:3 http://deb.debian.org/debian-security bookworm-security InRelease",
    ]
    # without -y and without a terminal to answer, apt gives up
    asked = kubesim("exec deb -- apt-get install curl")
    assert asked.out.endswith("Do you want to continue? [Y/n] Abort.\n")
    assert asked.code == 1
    installed = kubesim("exec deb -- apt-get install -y curl")
    lines = installed.out.splitlines()
    assert lines[3:5] == [
        "The following additional packages will be installed:",
        "  ca-certificates krb5-locales libbrotli1 libcurl4 libgssapi-krb5-2",
    ]
    assert "0 upgraded, 21 newly installed, 0 to remove and 0 not upgraded." in lines
    assert (
        "Get:21 http://deb.debian.org/debian bookworm/main amd64 curl amd64 7.88.1-10+deb12u8 "
        "[315 kB]" in lines
    )
    assert "Unpacking libcurl4:amd64 (7.88.1-10+deb12u8) ..." in lines
    assert lines[-5:] == [
        "Processing triggers for ca-certificates (20230311) ...",
        "Updating certificates in /etc/ssl/certs...",
        "0 added, 0 removed; done.",
        "Running hooks in /etc/ca-certificates/update.d...",
        "done.",
    ]
    assert installed.err == "debconf: delaying package configuration, since apt-utils is not " \
        "installed\n"  # fmt: skip
    assert kubesim("exec deb -- which curl").out == "/usr/bin/curl\n"
    assert kubesim("exec deb -- curl -s -o /dev/null -w %{http_code} http://nope").out == "000"
    again = kubesim("exec deb -- apt-get install -y curl").out.splitlines()
    assert again[3:] == [
        "curl is already the newest version (7.88.1-10+deb12u8).",
        "0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.",
    ]
    # a new container starts from the image again
    kubesim("delete pod deb --wait=false")
    kubesim("run deb2 --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    assert 'exec: "curl": executable file not found' in kubesim("exec deb2 -- curl").err


def test_the_tools_tutorials_install(kubesim: Kubesim) -> None:
    kubesim("run ub --image=ubuntu:24.04 -- sleep 3600")
    kubesim("tick 3")
    script = "apt-get update -qq && apt-get install -y -qq dnsutils iputils-ping procps >/dev/null"
    assert kubesim(f"exec ub -- bash -c '{script}'").code == 0
    assert kubesim("exec ub -- nslookup kubernetes.default").out.endswith(
        "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n"
    )
    ping = kubesim("exec ub -- ping -c 1 kubernetes.default").out
    assert ping.startswith(
        "PING kubernetes.default.svc.cluster.local (10.96.0.1) 56(84) bytes of data.\n"
    )
    assert "1 packets transmitted, 0 received, 100% packet loss, time 0ms" in ping
    assert kubesim("exec ub -- ps").out.startswith("    PID TTY          TIME CMD\n")
    missing = kubesim("exec ub -- apt-get install -y vim-nope")
    assert missing.err.startswith("E: Unable to locate package vim-nope\n")
    warned = kubesim("exec ub -- apt install -y net-tools")
    assert warned.err.startswith(
        "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n"
    )


def test_apk_fetches_its_indexes_and_installs(kubesim: Kubesim) -> None:
    kubesim("run alp --image=alpine:3.21 -- sleep 3600")
    kubesim("run curl --image=curlimages/curl:8.11.1 -- sleep 3600")
    kubesim("tick 3")
    assert kubesim("exec alp -- apk add bash").out == (
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz\n"
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/community/x86_64/APKINDEX.tar.gz\n"
        "(1/4) Installing ncurses-terminfo-base (6.5_p20241006-r3)\n"
        "(2/4) Installing libncursesw (6.5_p20241006-r3)\n"
        "(3/4) Installing readline (8.2.13-r0)\n"
        "(4/4) Installing bash (5.2.37-r0)\n"
        "Executing busybox-1.37.0-r12.trigger\n"
        "OK: 9 MiB in 19 packages\n"
    )
    # bash is a shell now; the index is cached
    assert kubesim("exec alp -- bash -c 'echo $0'").out == "bash\n"
    assert kubesim("exec alp -- apk add bash").out == "OK: 9 MiB in 19 packages\n"
    missing = kubesim("exec alp -- apk add nope")
    assert missing.err == (
        "ERROR: unable to select packages:\n  nope (no such package):\n"
        "    required by: world[nope]\ncommand terminated with exit code 1\n"
    )
    update = kubesim("exec alp -- apk update").out.splitlines()
    assert update[-1] == "OK: 25397 distinct packages available"
    # busybox's nslookup gives way to bind's
    kubesim("exec alp -- apk add --no-cache bind-tools")
    assert kubesim("exec alp -- nslookup kubernetes.default").out.startswith(
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n"
    )
    # the curl image runs as curl_user, who cannot touch apk's database
    denied = kubesim("exec curl -- apk add jq")
    assert denied.err == (
        "ERROR: Unable to lock database: Permission denied\n"
        "ERROR: Failed to open apk database: Permission denied\n"
        "command terminated with exit code 99\n"
    )
