"""Environment variables: the "Define Environment Variables for a Container" and "Expose Pod
Information to Containers Through Environment Variables" tasks end to end, $(VAR) references,
and the downward API's fields."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim

ENVARS = """\
apiVersion: v1
kind: Pod
metadata:
  name: envar-demo
  labels:
    purpose: demonstrate-envars
spec:
  containers:
  - name: envar-demo-container
    image: nginx
    env:
    - name: DEMO_GREETING
      value: "Hello from the environment"
    - name: DEMO_FAREWELL
      value: "Such a sweet sorrow"
"""
GREETING = """\
apiVersion: v1
kind: Pod
metadata:
  name: print-greeting
spec:
  containers:
  - name: env-print-demo
    image: bash
    env:
    - name: GREETING
      value: "Warm greetings to"
    - name: HONORIFIC
      value: "The Most Honorable"
    - name: NAME
      value: "Kubernetes"
    - name: MESSAGE
      value: "$(GREETING) $(HONORIFIC) $(NAME)"
    command: ["echo"]
    args: ["$(MESSAGE)"]
"""
FIELD_REF = """\
apiVersion: v1
kind: Pod
metadata:
  name: dapi-envars-fieldref
spec:
  containers:
    - name: test-container
      image: registry.k8s.io/busybox:1.27.2
      command: [ "sh", "-c"]
      args:
      - while true; do
          echo -en '\\n';
          printenv MY_NODE_NAME MY_POD_NAME MY_POD_NAMESPACE;
          printenv MY_POD_IP MY_POD_SERVICE_ACCOUNT;
          sleep 10;
        done;
      env:
        - name: MY_NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: MY_POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: MY_POD_NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: MY_POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: MY_POD_SERVICE_ACCOUNT
          valueFrom:
            fieldRef:
              fieldPath: spec.serviceAccountName
  restartPolicy: Never
"""
RESOURCE_FIELD_REF = """\
apiVersion: v1
kind: Pod
metadata:
  name: dapi-envars-resourcefieldref
spec:
  containers:
    - name: test-container
      image: registry.k8s.io/busybox:1.27.2
      command: [ "sh", "-c"]
      args:
      - while true; do
          echo -en '\\n';
          printenv MY_CPU_REQUEST MY_CPU_LIMIT;
          printenv MY_MEM_REQUEST MY_MEM_LIMIT;
          sleep 10;
        done;
      resources:
        requests:
          memory: "32Mi"
          cpu: "125m"
        limits:
          memory: "64Mi"
          cpu: "250m"
      env:
        - name: MY_CPU_REQUEST
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: requests.cpu
        - name: MY_CPU_LIMIT
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: limits.cpu
        - name: MY_MEM_REQUEST
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: requests.memory
        - name: MY_MEM_LIMIT
          valueFrom:
            resourceFieldRef:
              containerName: test-container
              resource: limits.memory
  restartPolicy: Never
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _check_envars(kubesim: Kubesim, tmp_path: Path, reference: str) -> None:
    manifest = ENVARS.replace("nginx", reference)
    kubesim(f"apply -f {write(tmp_path, 'envars.yaml', manifest)}")
    kubesim("tick 8")
    listed = kubesim("get pods -l purpose=demonstrate-envars").out
    assert listed.splitlines()[1].split()[:3] == ["envar-demo", "1/1", "Running"]
    described = kubesim("describe pod envar-demo").out
    assert "DEMO_GREETING:  Hello from the environment\n" in described
    if reference.startswith("gcr.io/google-samples/hello-app"):
        # kubesim's catalogue builds hello-app on distroless: there is no printenv to run
        failed = kubesim("exec envar-demo -- printenv")
        assert failed.code == 1 and 'exec: "printenv": executable file not found' in failed.err
        return
    printed = kubesim("exec envar-demo -- printenv").out.splitlines()
    assert "DEMO_GREETING=Hello from the environment" in printed
    assert "DEMO_FAREWELL=Such a sweet sorrow" in printed
    assert "HOSTNAME=envar-demo" in printed


def test_the_pages_envar_demo(kubesim: Kubesim, tmp_path: Path) -> None:
    _check_envars(kubesim, tmp_path, "gcr.io/google-samples/hello-app:2.0")


def test_variables_set_with_env(kubesim: Kubesim, tmp_path: Path) -> None:
    """The page's pod, on an image kubesim runs as a server."""
    _check_envars(kubesim, tmp_path, "nginx")


def test_variables_in_variables_and_arguments(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {write(tmp_path, 'greeting.yaml', GREETING)}")
    kubesim("tick 5")
    assert kubesim("logs print-greeting").out == (
        "Warm greetings to The Most Honorable Kubernetes\n"
    )


def test_references_as_expansion_reads_them(kubesim: Kubesim, tmp_path: Path) -> None:
    """An unknown $(VAR) stays as written, $$ escapes, a variable sees only those before it."""
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: refs\nspec:\n  restartPolicy: Never\n"
        "  containers:\n  - name: c\n    image: busybox:1.28\n"
        "    command: ['sh', '-c', 'echo \"$A|$B|$C\"']\n"
        "    env:\n    - name: B\n      value: 'b-$(A)'\n    - name: A\n      value: a\n"
        "    - name: C\n      value: '$(A)-$(B)-$$(A)-$(KUBERNETES_SERVICE_HOST)'\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'refs.yaml', manifest)}")
    kubesim("tick 5")
    assert kubesim("logs refs").out == "a|b-$(A)|a-b-$(A)-$(A)-10.96.0.1\n"
    args = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: args\nspec:\n  restartPolicy: Never\n"
        "  containers:\n  - name: c\n    image: busybox:1.28\n"
        "    command: ['echo', '$(A)', '$$(A)', '$(MISSING)', '$(A']\n"
        "    env:\n    - name: A\n      value: a\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'args.yaml', args)}")
    kubesim("tick 5")
    assert kubesim("logs args").out == "a $(A) $(MISSING) $(A\n"


def test_pod_fields_as_variables(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {write(tmp_path, 'dapi.yaml', FIELD_REF)}")
    kubesim("tick 15")
    node = kubesim("get pod dapi-envars-fieldref -o jsonpath={.spec.nodeName}").out
    ip = kubesim("get pod dapi-envars-fieldref -o jsonpath={.status.podIP}").out
    logged = kubesim("logs dapi-envars-fieldref").out
    assert logged.startswith(f"\n{node}\ndapi-envars-fieldref\ndefault\n{ip}\ndefault\n\n")
    printed = kubesim("exec dapi-envars-fieldref -- printenv").out.splitlines()
    for line in (
        "MY_POD_SERVICE_ACCOUNT=default",
        "MY_POD_NAMESPACE=default",
        f"MY_POD_IP={ip}",
        f"MY_NODE_NAME={node}",
        "MY_POD_NAME=dapi-envars-fieldref",
    ):
        assert line in printed


def test_container_fields_as_variables(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {write(tmp_path, 'dapi.yaml', RESOURCE_FIELD_REF)}")
    kubesim("tick 6")
    assert kubesim("get pods").out.splitlines()[1].split()[1:3] == ["1/1", "Running"]
    assert kubesim("logs dapi-envars-resourcefieldref").out == "\n1\n1\n33554432\n67108864\n"


def test_more_downward_fields(kubesim: Kubesim, tmp_path: Path) -> None:
    """Labels and annotations by key, the uid, the IP lists; a limit left out is the node's
    allocatable; a divisor scales."""
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fields\n  labels:\n    tier: web\n"
        "  annotations:\n    owner: me\nspec:\n  restartPolicy: Never\n  containers:\n"
        "  - name: c\n    image: busybox:1.28\n"
        "    command: ['sh', '-c', 'echo $TIER $OWNER $IPS $HOST; echo $CPU $MEM']\n"
        "    env:\n"
        "    - name: TIER\n      valueFrom:\n        fieldRef:\n"
        "          fieldPath: metadata.labels['tier']\n"
        "    - name: OWNER\n      valueFrom:\n        fieldRef:\n"
        "          fieldPath: metadata.annotations['owner']\n"
        "    - name: IPS\n      valueFrom:\n        fieldRef:\n          fieldPath: status.podIPs\n"
        "    - name: HOST\n      valueFrom:\n        fieldRef:\n          fieldPath: status.hostIP\n"
        "    - name: CPU\n      valueFrom:\n        resourceFieldRef:\n"
        "          resource: limits.cpu\n          divisor: 1m\n"
        "    - name: MEM\n      valueFrom:\n        resourceFieldRef:\n"
        "          resource: limits.memory\n          divisor: 1Mi\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'fields.yaml', manifest)}")
    kubesim("tick 5")
    ip = kubesim("get pod fields -o jsonpath={.status.podIP}").out
    host = kubesim("get pod fields -o jsonpath={.status.hostIP}").out
    assert kubesim("logs fields").out == f"web me {ip} {host}\n2000 8192\n"


def test_variables_do_not_follow_a_changed_configmap(kubesim: Kubesim, tmp_path: Path) -> None:
    """A container keeps the values it started with; the next container gets the new ones."""
    kubesim("create configmap settings --from-literal=mode=fast")
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n"
        "  - name: app\n    image: busybox:1.28\n    command: ['sh', '-c', 'echo $MODE; sleep 30']\n"
        "    envFrom:\n    - configMapRef:\n        name: settings\n      prefix: APP_\n"
        "    env:\n    - name: MODE\n      valueFrom:\n        configMapKeyRef:\n"
        "          name: settings\n          key: mode\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'app.yaml', manifest)}")
    kubesim("tick 5")
    kubesim('patch configmap settings -p \'{"data":{"mode":"slow"}}\'')
    kubesim("tick 5")
    assert kubesim("exec app -- sh -c 'echo $MODE $APP_mode'").out == "fast fast\n"
    kubesim("tick 60")
    assert kubesim("logs app").out == "slow\n"
    assert kubesim("logs app --previous").out == "fast\n"


def test_stored_defaults_of_references_and_volumes(kubesim: Kubesim, tmp_path: Path) -> None:
    """The apiserver's defaults: a fieldRef's apiVersion v1, a resourceFieldRef's divisor "0",
    a config volume's defaultMode 420; describe prints the fieldRef with its version."""
    kubesim(f"apply -f {write(tmp_path, 'dapi.yaml', FIELD_REF)}")
    kubesim(f"apply -f {write(tmp_path, 'res.yaml', RESOURCE_FIELD_REF)}")
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: vols\nspec:\n  containers:\n"
        "  - name: c\n    image: busybox:1.28\n    command: ['sleep', '3600']\n"
        "  volumes:\n  - name: a\n    configMap:\n      name: x\n"
        "  - name: b\n    downwardAPI:\n      items:\n      - path: name\n        fieldRef:\n"
        "          fieldPath: metadata.name\n"
    )
    kubesim(f"apply -f {write(tmp_path, 'vols.yaml', manifest)}")
    field = kubesim(
        "get pod dapi-envars-fieldref -o jsonpath={.spec.containers[0].env[0].valueFrom}"
    ).out
    assert field == '{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}'
    divisor = kubesim(
        "get pod dapi-envars-resourcefieldref"
        " -o jsonpath={.spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor}"
    ).out
    assert divisor == "0"
    volumes = kubesim("get pod vols -o jsonpath={.spec.volumes}").out
    assert '"defaultMode":420' in volumes and '"apiVersion":"v1"' in volumes
    kubesim("tick 10")
    described = kubesim("describe pod dapi-envars-fieldref").out
    assert "MY_POD_NAME:             dapi-envars-fieldref (v1:metadata.name)" in described
