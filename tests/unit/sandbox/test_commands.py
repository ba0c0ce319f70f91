from __future__ import annotations

from kubesim.sandbox import HttpResponse, Result, run
from tests.unit.sandbox.containers import container, sh


def test_busybox_echo_options() -> None:
    assert sh(container(), "echo -n a; echo -e 'b\\tc'").stdout == "ab\tc\n"


def test_dash_echo_expands_escapes_and_knows_no_e() -> None:
    assert sh(container("nginx:1.9.1"), "echo -e 'a\\tb'").stdout == "-e a\tb\n"


def test_printf_reuses_its_format() -> None:
    assert run(container(), ["printf", "%s=%d\\n", "a", "1", "b", "2"]).stdout == "a=1\nb=2\n"


def test_head_and_tail() -> None:
    assert sh(container(), "head -n 1 /etc/resolv.conf; tail -1 /etc/resolv.conf").stdout == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n"
    )


def test_wc_of_stdin_counts_unpadded() -> None:
    assert sh(container(), "cat /etc/resolv.conf | wc -l").stdout == "3\n"


def test_grep_count_and_ignore_case() -> None:
    assert run(container(), ["grep", "-ic", "LOCALHOST", "/etc/hosts"]).stdout == "2\n"


def test_grep_without_match_exits_1() -> None:
    assert run(container(), ["grep", "nothing", "/etc/hosts"]) == Result("", "", 1)


def test_env_prints_path_first_and_home_last() -> None:
    assert run(container(), ["env"]).stdout == (
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        "HOSTNAME=web-0\nKUBERNETES_SERVICE_HOST=10.96.0.1\nHOME=/root\n"
    )


def test_env_runs_a_command_with_extra_variables() -> None:
    assert run(container(), ["env", "A=1", "printenv", "A"]).stdout == "1\n"


def test_nginx_image_sets_its_version() -> None:
    assert run(container("nginx:1.9.1"), ["printenv", "NGINX_VERSION"]).stdout == "1.9.1\n"


def test_test_bracket_needs_its_closing_bracket() -> None:
    assert sh(container(), "[ 1 -eq 1").stderr == "sh: missing ]\n"


def test_date_shows_the_simulated_time() -> None:
    assert run(container(), ["date"]).stdout == "Thu May 28 20:26:40 UTC 2026\n"


def test_sleep_returns_at_once() -> None:
    assert run(container(), ["sleep", "3600"]) == Result("", "", 0)


def test_curl_localhost_gets_the_page_nginx_serves() -> None:
    target = container("nginx:1.25")
    sh(target, 'echo "$(hostname)" > /usr/share/nginx/html/index.html')
    assert run(target, ["curl", "-s", "http://localhost/"]).stdout == "web-0\n"


def test_curl_of_an_unknown_host() -> None:
    assert run(container("nginx:1.25"), ["curl", "-sS", "http://nosuch/"]) == Result(
        "", "curl: (6) Could not resolve host: nosuch\n", 6
    )


def test_wget_of_an_unknown_host() -> None:
    assert run(container(), ["wget", "-qO-", "http://nosuch"]) == Result(
        "", "wget: bad address 'nosuch'\n", 1
    )


def test_wget_without_a_route_is_refused() -> None:
    assert run(container(), ["wget", "-qO-", "http://kubernetes.default"]) == Result(
        "", "wget: can't connect to remote host (10.96.0.1): Connection refused\n", 1
    )


def test_wget_through_the_http_seam() -> None:
    target = container()
    target.http = lambda ip, port, method, path, headers=(): HttpResponse(
        200, f"{ip}:{port}{path}\n"
    )
    assert run(target, ["wget", "-qO-", "http://web-1.nginx/x"]).stdout == "10.244.2.2:80/x\n"


def test_seq_drives_a_loop() -> None:
    assert sh(container(), "for i in $(seq 0 2); do echo web-$i; done").stdout == (
        "web-0\nweb-1\nweb-2\n"
    )


def test_tee_writes_the_file_and_stdout() -> None:
    target = container()
    assert sh(target, "echo hi | tee /tmp/f").stdout == "hi\n"
    assert target.files["/tmp/f"] == "hi\n"


def test_sort_numeric_reverse() -> None:
    assert sh(container(), "printf '2\\n10\\n1\\n' | sort -nr").stdout == "10\n2\n1\n"


def test_mv_moves_a_file() -> None:
    assert sh(container(), "echo x > /tmp/a; mv /tmp/a /tmp/b; cat /tmp/b; ls /tmp").stdout == (
        "x\nb\n"
    )


def test_curl_head_shows_the_headers_nginx_sends() -> None:
    target = container("nginx:1.25")
    sh(target, "printf 'hi\\n' > /usr/share/nginx/html/index.html")
    head = run(target, ["curl", "-sI", "http://localhost/"]).stdout.split("\r\n")
    assert head[0] == "HTTP/1.1 200 OK"
    assert [line.split(": ")[0] for line in head[1:-2]] == [
        "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection",
        "ETag", "Accept-Ranges",
    ]  # fmt: skip
    assert head[1:2] == ["Server: nginx/1.25.5"]  # the 1.25 tag is the series' last release
    assert head[2] == "Date: Thu, 28 May 2026 20:26:40 GMT"
    assert head[4] == "Content-Length: 3"
    assert head[7].startswith('ETag: "') and head[7].endswith('-3"')
    missing = run(target, ["curl", "-sI", "http://localhost/nope"]).stdout.split("\r\n")
    assert missing[0] == "HTTP/1.1 404 Not Found"
    assert [line.split(": ")[0] for line in missing[1:-2]] == [
        "Server", "Date", "Content-Type", "Content-Length", "Connection",
    ]  # fmt: skip


def test_the_welcome_page_is_the_one_each_nginx_release_ships() -> None:
    new = run(container("nginx:1.25"), ["curl", "-s", "http://localhost/"]).stdout
    old = run(container("nginx:1.9.1"), ["cat", "/usr/share/nginx/html/index.html"])
    assert len(new.encode()) == 615 and "html { color-scheme: light dark; }\nbody { width" in new
    assert len(old.stdout.encode()) == 612 and "    body {\n        width: 35em;" in old.stdout
