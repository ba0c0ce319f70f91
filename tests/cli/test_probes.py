"""Readiness and liveness probes, and kubesim why: watching OrderedReady halt on a pod."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import SAMPLES, Kubesim


def ready_column(kubesim: Kubesim) -> dict[str, str]:
    return {line.split()[0]: line.split()[1] for line in kubesim("get pods").out.splitlines()[1:]}


def test_ordered_ready_halts_until_the_probe_passes(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'readiness.yaml'}")
    kubesim("tick 29")
    assert ready_column(kubesim) == {"probed-0": "0/1"}
    assert kubesim("why sts/probed").out == (
        "statefulset.apps/probed: probed-1 waits for probed-0 to be Running and Ready (OrderedReady)\n"
        "  probed-0: not Ready: Readiness probe failed: cat: can't open '/tmp/healthy': "
        "No such file or directory (5 times, last 1s ago)\n"
    )
    events = kubesim("get events --field-selector reason=Unhealthy").out.splitlines()
    assert events[1].split()[1:4] == ["Warning", "Unhealthy", "pod/probed-0"]
    kubesim("exec probed-0 -- touch /tmp/healthy")
    kubesim("tick 5")
    assert ready_column(kubesim)["probed-0"] == "1/1"
    kubesim("tick 15")
    assert ready_column(kubesim) == {"probed-0": "1/1", "probed-1": "0/1"}


def test_http_probe_against_nginx(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    readinessProbe:
      httpGet: {path: /healthz, port: 80}
      periodSeconds: 1
      failureThreshold: 1
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 6")
    assert ready_column(kubesim) == {"web": "0/1"}
    assert (
        "Readiness probe failed: HTTP probe failed with statuscode: 404"
        in kubesim("why pod web").out
    )
    kubesim("exec web -- sh -c 'echo ok > /usr/share/nginx/html/healthz'")
    kubesim("tick 2")
    assert ready_column(kubesim) == {"web": "1/1"}
    kubesim("exec web -- rm /usr/share/nginx/html/healthz")
    kubesim("tick 2")
    assert ready_column(kubesim) == {"web": "0/1"}


def test_failing_liveness_probe_restarts_the_container(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: app
    image: busybox:1.28.4
    command: [sh, -c, sleep 3600]
    livenessProbe:
      exec: {command: [cat, /tmp/alive]}
      periodSeconds: 2
      failureThreshold: 2
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 12")
    killed = kubesim("get events --field-selector reason=Killing").out
    assert "Container app failed liveness probe, will be restarted" in killed
    # sh as PID 1 ignores SIGTERM: it runs on until the 30 s grace period is over
    assert kubesim("get pod live").out.splitlines()[1].split()[3] == "0"
    kubesim("tick 30")
    row = kubesim("get pod live").out.splitlines()[1].split()
    assert row[0] == "live" and int(row[3]) >= 1
    last = kubesim("get pod live -o jsonpath={.status.containerStatuses[0].lastState.terminated}")
    assert '"exitCode":137' in last.out and '"reason":"Error"' in last.out


def test_why_a_pod_is_not_scheduled(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: picky
spec:
  nodeSelector: {disk: ssd}
  containers:
  - name: app
    image: nginx:1.25
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 2")
    assert kubesim("why pod picky").out == (
        "pod/picky: not scheduled: 0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling.\n"
        "  kubesim-worker, kubesim-worker2: node(s) didn't match Pod's node affinity/selector\n"
        "  kubesim-control-plane: node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }\n"
    )


def test_a_startup_probe_holds_liveness_and_readiness_until_it_passes(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: slow
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: [sh, -c, 'sleep 12; touch /tmp/up; sleep 3600']
    startupProbe:
      exec: {command: [cat, /tmp/up]}
      periodSeconds: 5
      failureThreshold: 10
    livenessProbe:
      exec: {command: [cat, /tmp/up]}
      periodSeconds: 5
      failureThreshold: 1
"""
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 10")
    started = "get pod slow -o jsonpath={.status.containerStatuses[0].started}"
    assert kubesim(started).out == "false"
    assert kubesim("get pod slow --no-headers").out.split()[1:3] == ["0/1", "Running"]
    # the liveness probe would have killed it at once: it waits for the startup probe
    kubesim("tick 12")
    assert kubesim(started).out == "true"
    assert kubesim("get pod slow --no-headers").out.split()[1:4] == ["1/1", "Running", "0"]
    events = kubesim("get events --field-selector reason=Unhealthy -o custom-columns=M:.message")
    assert {line.split(":")[0] for line in events.out.splitlines()[1:]} == {"Startup probe failed"}


def test_an_http_probe_is_defaulted_to_http_and_slash(kubesim: Kubesim) -> None:
    manifest = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports: [{name: liveness-port, containerPort: 80}]
    livenessProbe:
      httpGet: {port: liveness-port}
"""
    kubesim("create -f -", stdin=manifest)
    probe = kubesim("get pod web -o jsonpath={.spec.containers[0].livenessProbe.httpGet}").out
    assert probe == '{"path":"/","port":"liveness-port","scheme":"HTTP"}'
    described = kubesim("describe pod web").out
    assert "http-get http://:liveness-port/ delay=0s timeout=1s period=10s" in described


# the probes page's examples (content/en/examples/pods/probe/)
TCP_LIVENESS_READINESS = """\
apiVersion: v1
kind: Pod
metadata:
  name: goproxy
  labels:
    app.kubernetes.io/name: goproxy
spec:
  containers:
  - name: goproxy
    image: registry.k8s.io/goproxy:0.1
    ports:
    - containerPort: 8080
    readinessProbe:
      tcpSocket:
        port: {port}
      initialDelaySeconds: 15
      periodSeconds: 10
    livenessProbe:
      tcpSocket:
        port: {port}
      initialDelaySeconds: 15
      periodSeconds: 10
"""
GRPC_LIVENESS = """\
---
{
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "etcd-with-grpc",
  },
  spec: {
    containers: [{
      name: "etcd",
      image: "registry.k8s.io/etcd:3.5.1-0",
      command: [
        "/usr/local/bin/etcd",
        "--data-dir",
        "/var/lib/etcd",
        "--listen-client-urls",
        "http://0.0.0.0:2379",
        "--advertise-client-urls",
        "http://127.0.0.1:2379",
        "--log-level",
        "debug",
      ],
      ports: [{
        containerPort: 2379,
      }],
      livenessProbe: {
        grpc: {
          port: PORT,
        },
        initialDelaySeconds: 10,
      },
    }],
  },
}
"""


def unhealthy(kubesim: Kubesim) -> list[str]:
    listed = kubesim("get events --field-selector reason=Unhealthy -o jsonpath={.items[*].message}")
    return sorted(set(listed.out.split(" Liveness ")))


def test_tcp_probes_of_the_probes_page(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=TCP_LIVENESS_READINESS.replace("{port}", "8080"))
    kubesim("tick 5")
    assert kubesim("get pod goproxy --no-headers").out.split()[1:3] == ["0/1", "Running"]
    seconds = 5
    while ready_column(kubesim) == {"goproxy": "0/1"}:
        kubesim("tick 1")
        seconds += 1
    started = kubesim(
        "get pod goproxy -o jsonpath={.status.containerStatuses[0].state.running.startedAt}"
    ).out
    created = kubesim("get pod goproxy -o jsonpath={.metadata.creationTimestamp}").out
    delay = (datetime.fromisoformat(started) - datetime.fromisoformat(created)).total_seconds()
    assert seconds - delay == 15  # the first probe comes initialDelaySeconds after the start
    assert "Unhealthy" not in kubesim("get events").out
    # a port nothing listens on: refused, then killed after the third failure
    kubesim("delete pod goproxy --wait=false")
    kubesim("tick 3")
    kubesim("create -f -", stdin=TCP_LIVENESS_READINESS.replace("{port}", "8081"))
    kubesim("tick 40")
    ip = kubesim("get pod goproxy -o jsonpath={.status.podIP}").out
    messages = kubesim("get events --field-selector reason=Unhealthy").out
    assert f"Liveness probe failed: dial tcp {ip}:8081: connect: connection refused" in messages
    assert f"Readiness probe failed: dial tcp {ip}:8081: connect: connection refused" in messages
    assert "Container goproxy failed liveness probe, will be restarted" in kubesim("get events").out


def test_a_tcp_probe_passes_on_a_server_that_speaks_no_http(kubesim: Kubesim) -> None:
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: cache}\nspec:\n  containers:\n"
        "  - name: redis\n    image: redis:7.4\n"
        "    readinessProbe: {tcpSocket: {port: 6379}, periodSeconds: 2}\n"
    )
    kubesim("create -f -", stdin=manifest)
    kubesim("tick 5")
    assert ready_column(kubesim) == {"cache": "1/1"}


def test_grpc_probe_of_the_probes_page(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=GRPC_LIVENESS.replace("PORT", "2379"))
    kubesim("tick 40")
    assert kubesim("get pod etcd-with-grpc --no-headers").out.split()[1:4] == [
        "1/1",
        "Running",
        "0",
    ]
    assert "Unhealthy" not in kubesim("get events").out
    # a port nothing listens on: the blocking dial runs out of its second
    kubesim("delete pod etcd-with-grpc --wait=false")
    kubesim("tick 3")
    kubesim("create -f -", stdin=GRPC_LIVENESS.replace("PORT", "2380"))
    kubesim("tick 25")
    ip = kubesim("get pod etcd-with-grpc -o jsonpath={.status.podIP}").out
    assert (
        f'Liveness probe failed: timeout: failed to connect service "{ip}:2380" within 1s: '
        "context deadline exceeded" in kubesim("get events").out
    )


def test_grpc_health_checking_goes_not_serving_and_knows_one_service(kubesim: Kubesim) -> None:
    pod = """\
apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
  - name: agnhost
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args: [grpc-health-checking, --delay-unhealthy-sec=20, --service=api]
    livenessProbe:
      grpc: {port: 5000, service: {service}}
      periodSeconds: 5
"""
    kubesim("create -f -", stdin=pod.replace("{name}", "health").replace("{service}", "api"))
    kubesim("create -f -", stdin=pod.replace("{name}", "other").replace("{service}", "nope"))
    kubesim("tick 15")
    assert kubesim("logs health").err == ""
    logs = kubesim("logs health").out.splitlines()
    assert [line[20:] for line in logs] == [
        "Http server starting to listen on :8080",
        "gRPC server starting to listen on :5000",
    ]
    events = kubesim("get events --field-selector involvedObject.name=other").out
    assert (
        "Liveness probe failed: error: health rpc probe failed: rpc error: code = NotFound "
        "desc = unknown service" in events
    )
    assert "Unhealthy" not in kubesim("get events --field-selector involvedObject.name=health").out
    kubesim("tick 15")
    events = kubesim("get events --field-selector involvedObject.name=health").out
    assert 'Liveness probe failed: service unhealthy (responded with "NOT_SERVING")' in events


NAMED_PORT_PROBES = """apiVersion: v1
kind: Pod
metadata: {name: named}
spec:
  containers:
  - name: nginx
    image: nginx
    startupProbe:
      httpGet: {path: /, port: liveness-port}
      failureThreshold: 3
      periodSeconds: 5
"""


def test_a_probe_on_a_port_name_the_container_lacks_errors_and_never_restarts_it(
    kubesim: Kubesim,
) -> None:
    """probe.ResolveContainerPort fails: the prober records the error and its worker throws the
    result away, so the container is neither started nor restarted (prober.go, worker.go)."""
    kubesim("create -f -", stdin=NAMED_PORT_PROBES)
    kubesim("tick 40")
    row = kubesim("get pod named --no-headers").out.split()
    assert row[1:4] == ["0/1", "Running", "0"]
    messages = kubesim(
        "get events --field-selector reason=Unhealthy -o jsonpath={.items[*].message}"
    ).out
    assert messages == (
        "Startup probe errored and resulted in unknown state: "
        'strconv.Atoi: parsing "liveness-port": invalid syntax'
    )
    count = kubesim("get events --field-selector reason=Unhealthy -o jsonpath={.items[0].count}")
    assert int(count.out) >= 7
    assert "Killing" not in kubesim("get events").out
