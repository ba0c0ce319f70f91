"""Images that behave like themselves: each catalogue image starts, logs what it logs, serves
what it serves (to `kubesim exec other -- wget ...` at the pod's IP and through a Service),
and a tag its registry lacks fails to pull."""

from __future__ import annotations

import time
from pathlib import Path

from tests.cli.test_port_forward import Forward
from tests.conftest import Kubesim

BOOTCAMP = "gcr.io/google-samples/kubernetes-bootcamp"
AGNHOST = "registry.k8s.io/e2e-test-images/agnhost"


def pod_ip(kubesim: Kubesim, name: str) -> str:
    return kubesim(f"get pod {name} -o jsonpath={{.status.podIP}}").out


def started(kubesim: Kubesim, name: str) -> float:
    """When the pod's first container started (its status's startedAt)."""
    text = kubesim(
        f"get pod {name} -o jsonpath={{.status.containerStatuses[0].state.running.startedAt}}"
    ).out
    return float(time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def go_stamp(seconds: float) -> str:
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(seconds))


def status_of(kubesim: Kubesim, pod: str) -> list[str]:
    return kubesim(f"get pod {pod}").out.splitlines()[1].split()[1:4]


def test_the_bootcamp_app_starts_logs_and_answers_through_its_service(kubesim: Kubesim) -> None:
    kubesim(f"create deployment kubernetes-bootcamp --image={BOOTCAMP}:v1")
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim("tick 8")
    pod = kubesim("get pods -l app=kubernetes-bootcamp -o name").out.strip().removeprefix("pod/")
    at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(started(kubesim, pod)))
    assert kubesim(f"logs {pod}").out == (
        f"Kubernetes Bootcamp App Started At: {at} | Running On:  {pod} \n\n"
    )
    answer = f"Hello Kubernetes bootcamp! | Running on: {pod} | v=1\n"
    assert kubesim(f"exec other -- wget -qO- http://{pod_ip(kubesim, pod)}:8080/").out == answer
    kubesim("expose deployment/kubernetes-bootcamp --type=NodePort --port 8080")
    kubesim("tick 2")
    assert kubesim("exec other -- wget -qO- http://kubernetes-bootcamp:8080").out == answer
    # a port nothing listens on is refused
    refused = kubesim(f"exec other -- wget -qO- http://{pod_ip(kubesim, pod)}:80/")
    assert refused.err.startswith("wget: can't connect to remote host (")
    assert kubesim(f"exec {pod} -- cat /server.js").out.count("v=1") == 1
    assert kubesim(f"exec {pod} -- node -v").out == "v6.3.1\n"


def test_a_tag_the_registry_lacks_fails_to_pull_and_the_next_version_answers(
    kubesim: Kubesim,
) -> None:
    kubesim(f"create deployment kubernetes-bootcamp --image={BOOTCAMP}:v1")
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim("expose deployment/kubernetes-bootcamp --port 8080")
    kubesim("tick 8")
    kubesim(
        "set image deployments/kubernetes-bootcamp "
        "kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2"
    )
    kubesim("tick 40")
    pod = kubesim("get pods -l app=kubernetes-bootcamp -o name").out.strip().removeprefix("pod/")
    assert kubesim("exec other -- wget -qO- http://kubernetes-bootcamp:8080").out == (
        f"Hello Kubernetes bootcamp! | Running on: {pod} | v=2\n"
    )
    kubesim(f"set image deployments/kubernetes-bootcamp kubernetes-bootcamp={BOOTCAMP}:v10")
    kubesim("tick 8")
    waiting = [line.split()[2] for line in kubesim("get pods").out.splitlines()[1:]]
    assert "ErrImagePull" in waiting or "ImagePullBackOff" in waiting
    events = kubesim("get events --field-selector reason=Failed").out
    assert (
        f'Failed to pull image "{BOOTCAMP}:v10": rpc error: code = NotFound desc = failed to pull '
        f'and unpack image "{BOOTCAMP}:v10": failed to resolve reference "{BOOTCAMP}:v10": '
        f"{BOOTCAMP}:v10: not found"
    ) in events


def test_the_bootcamp_answer_through_port_forward(kubesim: Kubesim, home: Path) -> None:
    kubesim(f"run boot --image={BOOTCAMP}:v1")
    kubesim("tick 6")
    forward = Forward(home, "pod/boot", ":8080")
    try:
        status, headers, body = forward.get()
    finally:
        forward.process.kill()
        forward.process.wait()
    assert (status, body) == (200, "Hello Kubernetes bootcamp! | Running on: boot | v=1\n")
    assert headers["Content-Type"] == "text/plain"


def test_agnhost_netexec_serves_its_endpoints(kubesim: Kubesim) -> None:
    kubesim(f"run netexec --image={AGNHOST}:2.39 -- netexec --http-port=8080 --udp-port=-1")
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim("tick 6")
    stamp = go_stamp(started(kubesim, "netexec"))
    assert kubesim("logs netexec").out == f"{stamp} Started HTTP server on port 8080\n"
    url = f"http://{pod_ip(kubesim, 'netexec')}:8080"
    assert kubesim(f"exec other -- wget -qO- {url}/hostname").out == "netexec"
    assert kubesim(f"exec other -- wget -qO- '{url}/echo?msg=hello'").out == "hello"
    assert kubesim(f"exec other -- wget -qO- '{url}/shell?cmd=echo%20hi'").out == (
        '{"output":"hi\\n"}'
    )
    # /healthz: the UDP server is off, so it never becomes ready
    assert kubesim(f"exec other -- wget -qO- {url}/healthz").err == (
        "wget: server returned error: HTTP/1.1 412 Precondition Failed\n"
        "command terminated with exit code 1\n"
    )
    assert kubesim("exec netexec -- /agnhost nosuch").err == (
        'Error: unknown command "nosuch" for "app"\nRun \'app --help\' for usage.\n'
    )


def test_agnhost_liveness_is_healthy_for_ten_seconds_from_its_start(kubesim: Kubesim) -> None:
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim(f"run liveness --image={AGNHOST}:2.40 -- liveness")
    kubesim("tick 4")
    url = f"http://{pod_ip(kubesim, 'liveness')}:8080/healthz"
    assert kubesim(f"exec other -- wget -qO- {url}").out == "ok"
    kubesim("tick 10")
    assert kubesim(f"exec other -- wget -qO- {url}").err == (
        "wget: server returned error: HTTP/1.1 500 Internal Server Error\n"
        "command terminated with exit code 1\n"
    )
    assert kubesim(
        f"exec liveness -- curl -s localhost:8080{url.split(':8080')[1]}"
    ).out.startswith("error: ")


def test_agnhost_pause_and_serve_hostname(kubesim: Kubesim) -> None:
    kubesim(f"run paused --image={AGNHOST}:2.53")
    kubesim(f"run hostnames --image={AGNHOST}:2.53 -- serve-hostname")
    kubesim("tick 6")
    assert kubesim("logs paused").out == "Paused\n"
    assert status_of(kubesim, "paused") == ["1/1", "Running", "0"]
    stamp = go_stamp(started(kubesim, "hostnames"))
    assert kubesim("logs hostnames").out == f"{stamp} Serving on port 9376.\n"
    assert kubesim("exec paused -- wget -qO- hostnames:9376").code == 1  # no such name
    ip = pod_ip(kubesim, "hostnames")
    assert kubesim(f"exec paused -- wget -qO- {ip}:9376").out == "hostnames"
    assert kubesim("exec paused -- /agnhost dns-server-list").out == "10.96.0.10\n"


def test_mysql_refuses_to_start_without_a_password_option(kubesim: Kubesim) -> None:
    kubesim("run mysql --image=mysql:8.4")
    kubesim("tick 5")
    assert status_of(kubesim, "mysql") == ["0/1", "CrashLoopBackOff", "1"]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S+00:00", time.gmtime(started_or_finished(kubesim)))
    assert kubesim("logs mysql").out == (
        f"{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.\n"
        f"{stamp} [Note] [Entrypoint]: Switching to dedicated user 'mysql'\n"
        f"{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.3-1.el9 started.\n"
        f"{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not "
        "specified\n"
        "    You need to specify one of the following as an environment variable:\n"
        "    - MYSQL_ROOT_PASSWORD\n"
        "    - MYSQL_ALLOW_EMPTY_PASSWORD\n"
        "    - MYSQL_RANDOM_ROOT_PASSWORD\n"
    )
    exit_code = "{.status.containerStatuses[0].lastState.terminated.exitCode}"
    assert kubesim(f"get pod mysql -o jsonpath={exit_code}").out == "1"


def started_or_finished(kubesim: Kubesim) -> float:
    """When the crashed mysql container of the test started (its last state's startedAt)."""
    path = "{.status.containerStatuses[0].lastState.terminated.startedAt}"
    text = kubesim(f"get pod mysql -o jsonpath={path}").out
    return float(time.mktime(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")) - time.timezone)


def test_mysql_with_a_password_initializes_then_serves_3306(kubesim: Kubesim) -> None:
    kubesim("run db --image=mysql:8.4 --env=MYSQL_ROOT_PASSWORD=secret --env=MYSQL_DATABASE=app")
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim("tick 4")
    ip = pod_ip(kubesim, "db")
    # still initializing: nothing listens yet
    assert "Connection refused" in kubesim(f"exec other -- wget -qO- {ip}:3306").err
    kubesim("tick 15")
    log = kubesim("logs db").out
    assert "[Note] [Entrypoint]: Creating database app\n" in log
    assert "[Note] [Entrypoint]: MySQL init process done. Ready for start up.\n" in log
    assert log.endswith(
        "[MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  "
        "socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n"
    )
    assert kubesim(f"exec other -- wget -qO- {ip}:3306").err.startswith(
        "wget: server returned error: "
    )
    assert status_of(kubesim, "db") == ["1/1", "Running", "0"]


def test_postgres_and_redis(kubesim: Kubesim) -> None:
    kubesim("run pg --image=postgres:17")
    kubesim("run pg2 --image=postgres:17 --env=POSTGRES_PASSWORD=pw")
    kubesim("run redis --image=redis:7.4")
    kubesim("tick 6")
    assert status_of(kubesim, "pg")[:2] == ["0/1", "CrashLoopBackOff"]
    assert kubesim("logs pg").out == (
        "Error: Database is uninitialized and superuser password is not specified.\n"
        "       You must specify POSTGRES_PASSWORD to a non-empty value for the\n"
        '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".\n\n'
        '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all\n'
        "       connections without a password. This is *not* recommended.\n\n"
        '       See PostgreSQL documentation about "trust":\n'
        "       https://www.postgresql.org/docs/current/auth-trust.html\n"
    )
    log = kubesim("logs pg2").out
    assert "PostgreSQL init process complete; ready for start up.\n" in log
    assert log.endswith("LOG:  database system is ready to accept connections\n")
    redis = kubesim("logs redis").out.splitlines()
    assert redis[1].endswith(
        "* Redis version=7.4.2, bits=64, commit=00000000, modified=0, pid=1, just started"
    )
    assert redis[-1].endswith("* Ready to accept connections tcp")


def test_python_http_server_lists_its_directory(kubesim: Kubesim) -> None:
    kubesim("run py --image=python:3.13 -- sh -c 'mkdir -p /srv/a && cd /srv && "
            "python3 -m http.server 8000'")  # fmt: skip
    kubesim("run other --image=busybox:1.36 -- sleep 3600")
    kubesim("tick 6")
    assert kubesim("logs py").out == ""  # stdout is block-buffered without a terminal
    page = kubesim(f"exec other -- wget -qO- http://{pod_ip(kubesim, 'py')}:8000/").out
    assert page == (
        '<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Directory listing for /</title>\n</head>\n<body>\n"
        "<h1>Directory listing for /</h1>\n<hr>\n<ul>\n"
        '<li><a href="a/">a/</a></li>\n</ul>\n<hr>\n</body>\n</html>\n'
    )


def test_perl_computes_pi_as_the_jobs_page_does(kubesim: Kubesim) -> None:
    from tests.unit.sandbox.test_programs import reference_pi

    kubesim(
        "run pi --image=perl:5.34.0 --restart=Never -- perl -Mbignum=bpi -wle 'print bpi(2000)'"
    )
    kubesim("tick 5")
    assert status_of(kubesim, "pi") == ["0/1", "Completed", "0"]
    assert kubesim("logs pi").out == reference_pi(2000) + "\n"


def test_hello_app_and_httpd_and_echoserver(kubesim: Kubesim) -> None:
    kubesim("run hello --image=gcr.io/google-samples/hello-app:2.0")
    kubesim("run web --image=httpd:2.4")
    kubesim("run echo --image=registry.k8s.io/echoserver:1.4")
    kubesim("run other --image=nginx:1.27")
    kubesim("tick 6")
    assert kubesim("logs hello").err == ""
    assert (
        kubesim("logs hello").out
        == f"{go_stamp(started(kubesim, 'hello'))} Server listening on port 8080\n"
    )
    assert kubesim(f"exec other -- curl -s {pod_ip(kubesim, 'hello')}:8080").out == (
        "Hello, world!\nVersion: 2.0.0\nHostname: hello\n"
    )
    # distroless: no shell to exec
    assert kubesim("exec hello -- sh").err.endswith(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": '
        "executable file not found in $PATH: unknown\n"
    )
    web = pod_ip(kubesim, "web")
    assert kubesim(f"exec other -- curl -s {web}").out == (
        "<html><body><h1>It works!</h1></body></html>\n"
    )
    head = kubesim(f"exec other -- curl -sI {web}").out
    assert "Server: Apache/2.4.62 (Unix)\r\n" in head and 'ETag: "2d-432a5e4a73a80"\r\n' in head
    echo_ip, own = pod_ip(kubesim, "echo"), pod_ip(kubesim, "other")
    assert kubesim(f"exec other -- curl -s {echo_ip}:8080/x?y=1").out == (
        f"CLIENT VALUES:\nclient_address={own}\ncommand=GET\nreal path=/x\nquery=y=1\n"
        f"request_version=1.1\nrequest_uri=http://{echo_ip}:8080/x?y=1\n\nSERVER VALUES:\n"
        "server_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\naccept=*/*\n"
        f"host={echo_ip}:8080\nuser-agent=curl/7.88.1\nBODY:\n-no body in request-"
    )


def test_the_dnsutils_image_answers_as_bind9_does(kubesim: Kubesim) -> None:
    kubesim(
        "run dnsutils --image=registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3 -- sleep infinity"
    )
    kubesim("tick 5")
    assert kubesim("exec -i -t dnsutils -- nslookup kubernetes.default").out == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
        "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n"
    )
    assert kubesim("exec dnsutils -- nslookup nosuch").out.endswith(
        "** server can't find nosuch: NXDOMAIN\n\n"
    )
    dig = kubesim("exec dnsutils -- dig kubernetes.default.svc.cluster.local").out
    assert ";; ANSWER SECTION:\nkubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1\n" in dig
    assert ";; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n" in dig
    assert kubesim("exec dnsutils -- dig +short kubernetes.default.svc.cluster.local").out == (
        "10.96.0.1\n"
    )
    assert kubesim("exec dnsutils -- host kubernetes.default").out == (
        "kubernetes.default.svc.cluster.local has address 10.96.0.1\n"
    )


def test_an_unknown_image_keeps_running_and_why_says_so(kubesim: Kubesim) -> None:
    kubesim("run mystery --image=myorg/web:1.0")
    kubesim("run scripted --image=myorg/web:1.0 -- sh -c 'echo hi; sleep 3600'")
    kubesim("tick 20")
    assert status_of(kubesim, "mystery") == ["1/1", "Running", "0"]
    assert kubesim("logs scripted").out == "hi\n"
    assert kubesim("why pod/mystery").out.startswith(
        "pod/mystery: Running and Ready: nothing to wait for\n"
        "  container mystery: kubesim does not know what the image myorg/web:1.0 does: its "
        "process is taken to run until it is stopped, and nothing answers on its ports\n"
        "  scheduled on "
    )
    assert (
        "its command runs with the programs of a minimal shell\n  scheduled on "
        in kubesim("why pod/scripted").out
    )


def test_the_containers_environment_comes_from_its_image(kubesim: Kubesim) -> None:
    kubesim("run curl --image=curlimages/curl:8.11.1 -- sleep 3600")
    kubesim("run perl --image=perl:5.40 -- sleep 3600")
    kubesim("run node --image=node:22 -- sleep 3600")
    kubesim("tick 5")
    assert kubesim("exec curl -- id").out == (
        "uid=100(curl_user) gid=101(curl_group) groups=101(curl_group)\n"
    )
    assert kubesim("exec curl -- whoami").out == "curl_user\n"
    assert kubesim("exec curl -- pwd").out == "/home/curl_user\n"
    assert kubesim("exec curl -- printenv HOME CURL_CA_BUNDLE").out == (
        "/home/curl_user\n/cacert.pem\n"
    )
    assert kubesim("exec perl -- pwd").out == "/usr/src/app\n"
    env = kubesim("exec node -- env").out.splitlines()
    assert env[:4] == [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOSTNAME=node",
        "NODE_VERSION=22.13.0",
        "YARN_VERSION=1.22.22",
    ]
    assert env[-1] == "HOME=/root"
    assert kubesim("exec node -- node --version").out == "v22.13.0\n"


def test_wordpress_copies_itself_and_needs_its_database(kubesim: Kubesim) -> None:
    kubesim("run wp --image=wordpress:6.7.1 --env=WORDPRESS_DB_HOST=db --env=WORDPRESS_DB_USER=u")
    kubesim("run other --image=nginx:1.27")
    kubesim("tick 6")
    assert kubesim("logs wp").out.startswith(
        "WordPress not found in /var/www/html - copying now...\n"
        "Complete! WordPress has been successfully copied to /var/www/html\n"
        "No 'wp-config.php' found in /var/www/html, but 'WORDPRESS_...' variables supplied; "
        "copying 'wp-config-docker.php' (WORDPRESS_DB_HOST WORDPRESS_DB_USER)\n"
        "AH00558: apache2: Could not reliably determine the server's fully qualified domain name"
    )
    answer = kubesim(f"exec other -- curl -si {pod_ip(kubesim, 'wp')}").out
    assert answer.startswith("HTTP/1.1 500 Internal Server Error\r\n")
    assert "<h1>Error establishing a database connection</h1>" in answer


def test_images_without_their_own_server(kubesim: Kubesim) -> None:
    kubesim("run curl --image=curlimages/curl")
    kubesim("run pause --image=registry.k8s.io/pause:3.10")
    kubesim("run proxy --image=registry.k8s.io/goproxy:0.1")
    kubesim("run other --image=nginx:1.27")
    kubesim("tick 20")
    assert status_of(kubesim, "curl")[1] == "CrashLoopBackOff"
    assert kubesim("logs curl").out == (
        "curl: try 'curl --help' or 'curl --manual' for more information\n"
    )
    assert status_of(kubesim, "pause") == ["1/1", "Running", "0"]
    answer = kubesim(f"exec other -- curl -s {pod_ip(kubesim, 'proxy')}:8080").out
    assert answer == "This is a proxy server. Does not respond to non-proxy requests.\n"


def test_each_image_stops_as_its_program_answers_the_stop_signal(kubesim: Kubesim) -> None:
    kubesim(f"run boot --image={BOOTCAMP}:v1")  # node (under sh) as PID 1 ignores SIGTERM
    kubesim("run web --image=nginx:1.27")  # nginx shuts down on its STOPSIGNAL
    kubesim("tick 5")
    kubesim("delete pod boot web --wait=false")
    kubesim("tick 2")
    assert kubesim("get pods --no-headers").out.split()[:3] == ["boot", "1/1", "Terminating"]
    kubesim("tick 30")  # the grace period ends: the kubelet kills it
    assert kubesim("get pods").err == "No resources found in default namespace.\n"


def test_a_liveness_probe_kills_agnhost_which_exits_2_as_go_does(kubesim: Kubesim) -> None:
    kubesim(
        "create -f - ",
        stdin=(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: liveness-http\nspec:\n  containers:\n"
            f"  - name: liveness\n    image: {AGNHOST}:2.40\n    args: [liveness]\n"
            "    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n"
            "      initialDelaySeconds: 3\n      periodSeconds: 3\n"
        ),
    )
    kubesim("tick 25")
    state = "{.status.containerStatuses[0].lastState.terminated}"
    last = kubesim(f"get pod liveness-http -o jsonpath={state}").out
    assert '"exitCode":2' in last and '"reason":"Error"' in last
    events = kubesim("get events --field-selector reason=Unhealthy").out
    assert "Liveness probe failed: HTTP probe failed with statuscode: 500" in events


def test_busyboxplus_curl_the_services_tutorial_s_shell(kubesim: Kubesim) -> None:
    """Connecting Applications with Services: `kubectl run curl --image=radial/busyboxplus:curl
    -i --tty --rm` opens busybox 1.22's sh, with nslookup and curl."""
    kubesim("create deployment my-nginx --image=nginx")
    kubesim("expose deployment my-nginx --port=80")
    kubesim("tick 3")
    typed = "nslookup my-nginx\ncurl -s my-nginx | head -n 1\necho $HOME $ENV\nexit\n"
    result = kubesim("run curl --image=radial/busyboxplus:curl -i --tty --rm", stdin=typed)
    ip = kubesim("get svc my-nginx -o jsonpath={.spec.clusterIP}").out
    assert result.out == (
        "Server:    10.96.0.10\n"
        "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
        "Name:      my-nginx\n"
        f"Address 1: {ip} my-nginx.default.svc.cluster.local\n"
        "<!DOCTYPE html>\n"
        "/root /root/.bashrc\n"
        'pod "curl" deleted\n'
    )
    banner = kubesim("run v --image=radial/busyboxplus:curl --rm -i -- busybox").out
    assert banner.startswith(
        "BusyBox v1.22.1 () multi-call binary.\n"
        "BusyBox is copyrighted by many authors between 1998-2012.\n"
    )


def test_busyboxplus_prompts_as_its_bashrc_says(kubesim: Kubesim) -> None:
    """ash reads $ENV (/root/.bashrc) as an interactive shell starts: its PS1 colours the
    prompt `[ root@HOST:DIR ]$ `."""
    from tests.cli.test_exec import Keyboard

    kubesim("run curl --image=radial/busyboxplus:curl -- sleep 3600")
    kubesim("tick 3")
    typed = Keyboard("cd /tmp\nexit\n")
    result = kubesim("exec -it curl -- sh", stdin=typed)
    colour = "\x1b[40m\x1b[34m[ \x1b[33mroot@curl:\x1b[32m{}\x1b[34m ]$\x1b[0m "
    assert result.out + result.err == colour.format("/") + colour.format("/tmp")
    assert kubesim("exec curl -- sh -c 'echo $PS1'").out == "\n"  # only interactive shells
