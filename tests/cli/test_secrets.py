"""Secrets: the "Distribute Credentials Securely Using Secrets" task end to end, the types and
their validation, `create secret generic|tls|docker-registry`, immutability, stringData."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim

SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: test-secret
data:
  username: bXktYXBw
  password: Mzk1MjgkdmRnN0pi
"""
SECRET_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: secret-test-pod
spec:
  containers:
    - name: test-container
      image: nginx
      volumeMounts:
        # name must match the volume name below
        - name: secret-volume
          mountPath: /etc/secret-volume
          readOnly: true
  # The secret data is exposed to Containers in the Pod through a Volume.
  volumes:
    - name: secret-volume
      secret:
        secretName: test-secret
"""
SINGLE_ENV = """\
apiVersion: v1
kind: Pod
metadata:
  name: env-single-secret
spec:
  containers:
  - name: envars-test-container
    image: nginx
    env:
    - name: SECRET_USERNAME
      valueFrom:
        secretKeyRef:
          name: backend-user
          key: backend-username
"""
MULTIPLE_ENV = """\
apiVersion: v1
kind: Pod
metadata:
  name: envvars-multiple-secrets
spec:
  containers:
  - name: envars-test-container
    image: nginx
    env:
    - name: BACKEND_USERNAME
      valueFrom:
        secretKeyRef:
          name: backend-user
          key: backend-username
    - name: DB_USERNAME
      valueFrom:
        secretKeyRef:
          name: db-user
          key: db-username
"""
ENV_FROM = """\
apiVersion: v1
kind: Pod
metadata:
  name: envfrom-secret
spec:
  containers:
  - name: envars-test-container
    image: nginx
    envFrom:
    - secretRef:
        name: test-secret
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_secret_from_a_manifest(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(tmp_path, "secret.yaml", SECRET)
    assert kubesim(f"apply -f {manifest}").out == "secret/test-secret created\n"
    kubesim("tick 60")
    assert kubesim("get secret test-secret").out == (
        "NAME          TYPE     DATA   AGE\ntest-secret   Opaque   2      60s\n"
    )
    assert kubesim("describe secret test-secret").out == (
        "Name:         test-secret\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Type:  Opaque\n"
        "\n"
        "Data\n"
        "====\n"
        "password:  12 bytes\n"
        "username:  6 bytes\n"
    )


def test_a_pod_reads_the_secret_through_a_volume(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {write(tmp_path, 'secret.yaml', SECRET)}")
    kubesim(f"apply -f {write(tmp_path, 'secret-pod.yaml', SECRET_POD)}")
    kubesim("tick 8")
    assert kubesim("get pod secret-test-pod").out.splitlines()[1].split()[1:3] == [
        "1/1",
        "Running",
    ]
    assert kubesim("exec secret-test-pod -- ls /etc/secret-volume").out == "password\nusername\n"
    shown = kubesim(
        "exec secret-test-pod -- sh -c 'cd /etc/secret-volume; cat username; echo; cat password; "
        "echo'"
    )
    assert shown.out == "my-app\n39528$vdg7Jb\n"
    refused = kubesim("exec secret-test-pod -- sh -c 'echo x > /etc/secret-volume/username'")
    assert refused.err == (
        "sh: 1: cannot create /etc/secret-volume/username: Read-only file system\n"
        "command terminated with exit code 2\n"
    )


def test_a_pod_waits_in_container_creating_for_its_secret(kubesim: Kubesim, tmp_path: Path) -> None:
    """The kubelet cannot mount the volume: FailedMount with the volume manager's back-off, no
    sandbox; the pod starts by itself once the Secret exists."""
    kubesim(f"apply -f {write(tmp_path, 'secret-pod.yaml', SECRET_POD)}")
    kubesim("tick 20")
    assert kubesim("get pod secret-test-pod").out == (
        "NAME              READY   STATUS              RESTARTS   AGE\n"
        "secret-test-pod   0/1     ContainerCreating   0          20s\n"
    )
    described = kubesim("describe pod secret-test-pod").out
    assert "IP:               \n" in described
    assert "  PodReadyToStartContainers   False \n" in described
    assert described.endswith(
        "  Warning  FailedMount  2s (x6 over 18s)  kubelet            MountVolume.SetUp failed "
        'for volume "secret-volume" : secret "test-secret" not found\n'
    )
    kubesim("create secret generic test-secret --from-literal=username=my-app")
    kubesim("tick 20")
    assert kubesim("get pod secret-test-pod").out.splitlines()[1].split()[1:3] == [
        "1/1",
        "Running",
    ]
    assert kubesim("exec secret-test-pod -- cat /etc/secret-volume/username").out == "my-app"


def test_the_timeout_of_a_mount_that_never_succeeds(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"apply -f {write(tmp_path, 'secret-pod.yaml', SECRET_POD)}")
    kubesim("tick 130")
    events = kubesim("get events --field-selector reason=FailedMount -o name").out.splitlines()
    messages = kubesim(
        "get events --field-selector reason=FailedMount -o jsonpath={.items[*].message}"
    ).out
    assert len(events) == 2
    assert (
        "Unable to attach or mount volumes: unmounted volumes=[secret-volume], unattached "
        "volumes=[], failed to process volumes=[]: context deadline exceeded"
    ) in messages


def test_environment_variables_from_secrets(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim("create secret generic backend-user --from-literal=backend-username='backend-admin'")
    kubesim("create secret generic db-user --from-literal=db-username='db-admin'")
    kubesim(f"create -f {write(tmp_path, 'single.yaml', SINGLE_ENV)}")
    kubesim(f"create -f {write(tmp_path, 'multiple.yaml', MULTIPLE_ENV)}")
    kubesim("tick 8")
    single = kubesim("exec env-single-secret -- /bin/sh -c 'echo $SECRET_USERNAME'")
    assert single.out == "backend-admin\n"
    multiple = kubesim("exec envvars-multiple-secrets -- /bin/sh -c 'env | grep _USERNAME | sort'")
    assert multiple.out == "BACKEND_USERNAME=backend-admin\nDB_USERNAME=db-admin\n"


def test_env_from_a_secret(kubesim: Kubesim, tmp_path: Path) -> None:
    created = kubesim(
        "create secret generic test-secret --from-literal=username='my-app' "
        "--from-literal=password='39528$vdg7Jb'"
    )
    assert created.out == "secret/test-secret created\n"
    kubesim(f"create -f {write(tmp_path, 'envfrom.yaml', ENV_FROM)}")
    kubesim("tick 8")
    shown = kubesim(
        "exec envfrom-secret -- /bin/sh -c 'echo \"username: $username\\npassword: $password\"'"
    )
    assert shown.out == "username: my-app\npassword: 39528$vdg7Jb\n"


def test_a_missing_secret_key_is_a_create_container_config_error(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    kubesim("create secret generic backend-user --from-literal=other=x")
    kubesim(f"create -f {write(tmp_path, 'single.yaml', SINGLE_ENV)}")
    kubesim("tick 5")
    assert kubesim("get pod env-single-secret").out.splitlines()[1].split()[2] == (
        "CreateContainerConfigError"
    )
    waiting = kubesim(
        "get pod env-single-secret -o jsonpath={.status.containerStatuses[0].state.waiting}"
    )
    assert waiting.out == (
        '{"message":"couldn\'t find key backend-username in Secret default/backend-user",'
        '"reason":"CreateContainerConfigError"}'
    )


# --- create secret ---------------------------------------------------------------------------


def test_create_secret_generic_from_files_and_a_directory(kubesim: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "username.txt").write_text("admin")
    (tmp_path / "creds" / "password.txt").write_text("S!B\\*d$zDsb=")
    (tmp_path / "creds" / "sub").mkdir()
    shown = kubesim(
        f"create secret generic db-user-pass --from-file={tmp_path / 'creds'} "
        f"--from-file=key={tmp_path / 'creds' / 'username.txt'} --dry-run=client -o yaml"
    )
    assert shown.out == (
        "apiVersion: v1\n"
        "data:\n"
        "  key: YWRtaW4=\n"
        "  password.txt: UyFCXCpkJHpEc2I9\n"
        "  username.txt: YWRtaW4=\n"
        "kind: Secret\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "  name: db-user-pass\n"
    )


def test_create_secret_generic_with_a_type_and_an_env_file(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    env = write(tmp_path, "creds.env", "# credentials\nusername=admin\n\npassword=secret\n")
    created = kubesim(
        f"create secret generic basic --type=kubernetes.io/basic-auth --from-env-file={env}"
    )
    assert created.out == "secret/basic created\n"
    assert kubesim("get secret basic").out.splitlines()[1].split()[:3] == [
        "basic",
        "kubernetes.io/basic-auth",
        "2",
    ]


def test_create_secret_errors(kubesim: Kubesim, tmp_path: Path) -> None:
    env = write(tmp_path, "a.env", "a=1\n")
    cases = {
        "create secret generic": (
            "error: exactly one NAME is required, got 0\n"
            "See 'kubesim create secret generic -h' for help and examples\n"
        ),
        "create secret generic s --from-literal=a": (
            "error: invalid literal source a, expected key=value\n"
        ),
        "create secret generic s --from-literal=a=1 --from-literal=a=2": (
            "error: cannot add key a, another key by that name already exists\n"
        ),
        "create secret generic s --from-literal=a/b=1": (
            'error: "a/b" is not valid key name for a Secret a valid config key must consist '
            "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
            "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n"
        ),
        f"create secret generic s --from-env-file={env} --from-literal=b=2": (
            "error: from-env-file cannot be combined with from-file or from-literal\n"
        ),
        "create secret generic s --from-file=nofile": (
            "error: error reading nofile: no such file or directory\n"
        ),
        "create secret generic s --schedule=x": (
            "Error: unknown flag: --schedule\n"
            "See 'kubesim create secret generic --help' for usage.\n"
        ),
        "create secret tls t": "error: key and cert must be specified\n",
        f"create secret tls t --cert={env} --key={env}": (
            "error: tls: failed to find any PEM data in certificate input\n"
        ),
        "create secret docker-registry d": (
            "error: either --from-file or the combination of --docker-username, "
            "--docker-password and --docker-server is required\n"
        ),
        "create secret foo x": (
            'error: unknown command "foo x"\n'
            "See 'kubesim create secret -h' for help and examples\n"
        ),
    }
    for command, message in cases.items():
        result = kubesim(command)
        assert (result.code, result.err) == (1, message), command
    assert kubesim("get secrets").err == "No resources found in default namespace.\n"
    helped = kubesim("create secret")
    assert (helped.code, helped.out.splitlines()[0]) == (0, "Create a secret with specified type.")


def test_create_secret_docker_registry(kubesim: Kubesim) -> None:
    shown = kubesim(
        "create secret docker-registry regcred --docker-username=u --docker-password=p "
        "--docker-email=e@x --dry-run=client -o yaml"
    )
    assert shown.out == (
        "apiVersion: v1\n"
        "data:\n"
        "  .dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm"
        "5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiZW1haWwiOiJlQHgiLCJhdXRoIjoiZFRwdyJ9fX0=\n"
        "kind: Secret\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "  name: regcred\n"
        "type: kubernetes.io/dockerconfigjson\n"
    )


def test_create_secret_tls(kubesim: Kubesim, tmp_path: Path) -> None:
    cert = write(
        tmp_path, "tls.crt", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    )
    key = write(
        tmp_path, "tls.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
    )
    assert kubesim(f"create secret tls web --cert={cert} --key={key}").out == (
        "secret/web created\n"
    )
    assert kubesim("describe secret web").out.endswith(
        "Type:  kubernetes.io/tls\n\nData\n====\ntls.crt:  59 bytes\ntls.key:  59 bytes\n"
    )
    swapped = kubesim(f"create secret tls web2 --cert={key} --key={cert}")
    assert swapped.err == (
        "error: tls: failed to find certificate PEM data in certificate input, but did find a "
        "private key; PEM inputs may have been switched\n"
    )


def test_create_secret_with_append_hash(kubesim: Kubesim) -> None:
    created = kubesim("create secret generic s --from-literal=a=1 --append-hash -o name")
    assert created.out == "secret/s-gtkfk5m49d\n"


# --- the apiserver ----------------------------------------------------------------------------


def test_string_data_is_merged_into_data(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "s.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysecret\ntype: Opaque\n"
        "data:\n  username: YWRtaW4=\n  other: eA==\nstringData:\n  username: administrator\n",
    )
    kubesim(f"apply -f {manifest}")
    data = kubesim("get secret mysecret -o jsonpath={.data}").out
    assert data == '{"other":"eA==","username":"YWRtaW5pc3RyYXRvcg=="}'
    assert kubesim("get secret mysecret -o jsonpath={.stringData}").out == ""


def test_each_type_requires_its_keys(kubesim: Kubesim, tmp_path: Path) -> None:
    cases = {
        "kubernetes.io/tls": (
            'The Secret "s" is invalid: \n* data[tls.crt]: Required value\n'
            "* data[tls.key]: Required value\n"
        ),
        "kubernetes.io/basic-auth": (
            'The Secret "s" is invalid: \n* data[username]: Required value\n'
            "* data[password]: Required value\n"
        ),
        "kubernetes.io/ssh-auth": (
            'The Secret "s" is invalid: data[ssh-privatekey]: Required value\n'
        ),
        "kubernetes.io/dockerconfigjson": (
            'The Secret "s" is invalid: data[.dockerconfigjson]: Required value\n'
        ),
        "kubernetes.io/service-account-token": (
            'The Secret "s" is invalid: '
            "metadata.annotations[kubernetes.io/service-account.name]: Required value\n"
        ),
    }
    for kind, message in cases.items():
        manifest = write(
            tmp_path,
            "s.yaml",
            f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: {kind}\n",
        )
        result = kubesim(f"create -f {manifest}")
        assert (result.code, result.err) == (1, message), kind
    bad_json = write(
        tmp_path,
        "d.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/dockerconfigjson\n"
        "stringData:\n  .dockerconfigjson: '{'\n",
    )
    assert kubesim(f"create -f {bad_json}").err == (
        'The Secret "s" is invalid: data[.dockerconfigjson]: Invalid value: '
        '"<secret contents redacted>": unexpected end of JSON input\n'
    )


def test_an_immutable_secret_keeps_its_data(kubesim: Kubesim, tmp_path: Path) -> None:
    first = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: frozen\nimmutable: true\n"
    one = write(tmp_path, "one.yaml", first + "stringData:\n  a: one\n")
    two = write(tmp_path, "two.yaml", first + "stringData:\n  a: two\n")
    kubesim(f"apply -f {one}")
    changed = kubesim(f"apply -f {two}")
    assert changed.err == (
        'The Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` '
        "is set\n"
    )
    retyped = kubesim('patch secret frozen -p \'{"type":"kubernetes.io/tls"}\'')
    assert 'type: Invalid value: "kubernetes.io/tls": field is immutable' in retyped.err


def test_secret_data_must_be_base64(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(
        tmp_path, "s.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  a: '!!'\n"
    )
    result = kubesim(f"create -f {manifest}")
    assert result.code == 1
    assert "illegal base64 data at input byte 0" in result.err


def test_api_resources_lists_the_new_kinds(kubesim: Kubesim) -> None:
    listed = kubesim("api-resources").out.splitlines()
    assert [line.split() for line in listed if "Secret" in line or "Job" in line] == [
        ["secrets", "v1", "true", "Secret"],
        ["cronjobs", "cj", "batch/v1", "true", "CronJob"],
        ["jobs", "batch/v1", "true", "Job"],
    ]
