"""Readiness and liveness probes, and kubesim why: watching OrderedReady halt on a pod."""

from __future__ import annotations

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
