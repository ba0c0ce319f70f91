"""ConfigMaps: the "Configure a Pod to Use a ConfigMap" task end to end (create configmap from
directories, files, env files and literals; variables, envFrom, $(VAR) in commands; volumes,
items, subPath, updates), and their failures as the kubelet reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Kubesim

GAME = """\
enemies=aliens
lives=3
enemies.cheat=true
enemies.cheat.level=noGoodRotten
secret.code.passphrase=UUDDLRLRBABAS
secret.code.allowed=true
secret.code.lives=30
"""
UI = """\
color.good=purple
color.bad=yellow
allow.textmode=true
how.nice.to.look=fairlyNice
"""
GAME_ENV = """\
enemies=aliens
lives=3
allowed="true"

# This comment and the empty line above it are ignored
"""
UI_ENV = """\
color=purple
textmode=true
how=fairlyNice
"""
MULTIKEYS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: special-config
  namespace: default
data:
  SPECIAL_LEVEL: very
  SPECIAL_TYPE: charm
"""
CONFIGMAPS = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: special-config
  namespace: default
data:
  special.how: very
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: env-config
  namespace: default
data:
  log_level: INFO
"""


def pod(name: str, command: str, extra: str) -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n"
        f"  name: {name}\n"
        "spec:\n  containers:\n    - name: test-container\n"
        "      image: registry.k8s.io/busybox:1.27.2\n"
        f"      command: {command}\n"
        f"{extra}"
        "  restartPolicy: Never\n"
    )


SINGLE_ENV = pod(
    "dapi-test-pod",
    '[ "/bin/sh", "-c", "env" ]',
    "      env:\n"
    "        - name: SPECIAL_LEVEL_KEY\n"
    "          valueFrom:\n"
    "            configMapKeyRef:\n"
    "              name: special-config\n"
    "              key: special.how\n",
)
MULTIPLE_ENV = pod(
    "dapi-test-pod",
    '[ "/bin/sh", "-c", "env" ]',
    "      env:\n"
    "        - name: SPECIAL_LEVEL_KEY\n"
    "          valueFrom:\n"
    "            configMapKeyRef:\n"
    "              name: special-config\n"
    "              key: special.how\n"
    "        - name: LOG_LEVEL\n"
    "          valueFrom:\n"
    "            configMapKeyRef:\n"
    "              name: env-config\n"
    "              key: log_level\n",
)
ENV_FROM = pod(
    "dapi-test-pod",
    '[ "/bin/sh", "-c", "env" ]',
    "      envFrom:\n      - configMapRef:\n          name: special-config\n",
)
VALUE_FROM = pod(
    "dapi-test-pod",
    '[ "/bin/echo", "$(SPECIAL_LEVEL_KEY) $(SPECIAL_TYPE_KEY)" ]',
    "      env:\n"
    "        - name: SPECIAL_LEVEL_KEY\n"
    "          valueFrom:\n"
    "            configMapKeyRef:\n"
    "              name: special-config\n"
    "              key: SPECIAL_LEVEL\n"
    "        - name: SPECIAL_TYPE_KEY\n"
    "          valueFrom:\n"
    "            configMapKeyRef:\n"
    "              name: special-config\n"
    "              key: SPECIAL_TYPE\n",
)
VOLUME = pod(
    "dapi-test-pod",
    '[ "/bin/sh", "-c", "ls /etc/config/" ]',
    "      volumeMounts:\n"
    "      - name: config-volume\n"
    "        mountPath: /etc/config\n"
    "  volumes:\n"
    "    - name: config-volume\n"
    "      configMap:\n"
    "        # Provide the name of the ConfigMap containing the files you want\n"
    "        # to add to the container\n"
    "        name: special-config\n",
)
SPECIFIC_KEY = pod(
    "dapi-test-pod",
    '[ "/bin/sh","-c","cat /etc/config/keys" ]',
    "      volumeMounts:\n"
    "      - name: config-volume\n"
    "        mountPath: /etc/config\n"
    "  volumes:\n"
    "    - name: config-volume\n"
    "      configMap:\n"
    "        name: special-config\n"
    "        items:\n"
    "        - key: SPECIAL_LEVEL\n"
    "          path: keys\n",
)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The page's sample files, in configure-pod-container/configmap/."""
    directory = tmp_path / "configure-pod-container" / "configmap"
    directory.mkdir(parents=True)
    for name, text in (
        ("game.properties", GAME),
        ("ui.properties", UI),
        ("game-env-file.properties", GAME_ENV),
        ("ui-env-file.properties", UI_ENV),
    ):
        (directory / name).write_text(text)
    return directory


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_configmap_from_a_directory(kubesim: Kubesim, files: Path) -> None:
    created = kubesim("create configmap game-config --from-file=configure-pod-container/configmap/")
    assert created.out == "configmap/game-config created\n"
    assert kubesim("describe configmaps game-config").out == (
        "Name:         game-config\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Data\n"
        "====\n"
        "game-env-file.properties:\n"
        "----\n"
        f"{GAME_ENV}\n\n"
        "game.properties:\n"
        "----\n"
        f"{GAME}\n\n"
        "ui-env-file.properties:\n"
        "----\n"
        f"{UI_ENV}\n\n"
        "ui.properties:\n"
        "----\n"
        f"{UI}\n\n"
        "\n"
        "BinaryData\n"
        "====\n"
        "\n"
        "Events:  <none>\n"
    )
    data = kubesim("get configmaps game-config -o yaml").out
    assert "  game.properties: |\n    enemies=aliens\n    lives=3\n" in data


def test_a_configmap_from_files_and_keys(kubesim: Kubesim, files: Path) -> None:
    kubesim(
        "create configmap game-config-2 "
        "--from-file=configure-pod-container/configmap/game.properties "
        "--from-file=configure-pod-container/configmap/ui.properties"
    )
    assert kubesim("get cm game-config-2 -o jsonpath='{.data}'").out == (
        '{"game.properties":"enemies=aliens\\nlives=3\\nenemies.cheat=true\\n'
        "enemies.cheat.level=noGoodRotten\\nsecret.code.passphrase=UUDDLRLRBABAS\\n"
        'secret.code.allowed=true\\nsecret.code.lives=30\\n","ui.properties":'
        '"color.good=purple\\ncolor.bad=yellow\\nallow.textmode=true\\n'
        'how.nice.to.look=fairlyNice\\n"}'
    )
    kubesim(
        "create configmap game-config-3 "
        "--from-file=game-special-key=configure-pod-container/configmap/game.properties"
    )
    assert kubesim("get cm game-config-3 -o jsonpath='{.data}'").out.startswith(
        '{"game-special-key":"enemies=aliens'
    )


def test_a_configmap_from_env_files(kubesim: Kubesim, files: Path) -> None:
    kubesim(
        "create configmap game-config-env-file "
        "--from-env-file=configure-pod-container/configmap/game-env-file.properties"
    )
    shown = kubesim("get configmap game-config-env-file -o yaml").out
    assert 'data:\n  allowed: \'"true"\'\n  enemies: aliens\n  lives: "3"\nkind: ConfigMap\n' in (
        shown
    )
    kubesim(
        "create configmap config-multi-env-files "
        "--from-env-file=configure-pod-container/configmap/game-env-file.properties "
        "--from-env-file=configure-pod-container/configmap/ui-env-file.properties"
    )
    assert kubesim("get cm config-multi-env-files -o jsonpath='{.data}'").out == (
        '{"allowed":"\\"true\\"","color":"purple","enemies":"aliens","how":"fairlyNice",'
        '"lives":"3","textmode":"true"}'
    )


def test_a_configmap_from_literals(kubesim: Kubesim) -> None:
    kubesim(
        "create configmap special-config --from-literal=special.how=very "
        "--from-literal=special.type=charm"
    )
    shown = kubesim("get configmaps special-config -o yaml").out
    assert shown.startswith("apiVersion: v1\ndata:\n  special.how: very\n  special.type: charm\n")
    assert kubesim("get configmaps").out.splitlines()[1:] == [
        "kube-root-ca.crt   1      0s",
        "special-config     2      0s",
    ]


def test_create_configmap_dry_run_prints_what_kubectl_prints(kubesim: Kubesim, files: Path) -> None:
    (files / "bin.dat").write_bytes(b"\xff\xfe")
    shown = kubesim(
        "create configmap c --from-file=configure-pod-container/configmap/ui.properties "
        "--from-file=configure-pod-container/configmap/bin.dat --from-literal=y=y "
        "--dry-run=client -o yaml"
    )
    assert shown.out == (
        "apiVersion: v1\n"
        "binaryData:\n"
        "  bin.dat: //4=\n"
        "data:\n"
        "  ui.properties: |\n"
        "    color.good=purple\n"
        "    color.bad=yellow\n"
        "    allow.textmode=true\n"
        "    how.nice.to.look=fairlyNice\n"
        '  "y": "y"\n'
        "kind: ConfigMap\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "  name: c\n"
    )
    assert kubesim("get cm c").err == 'Error from server (NotFound): configmaps "c" not found\n'


def test_create_configmap_errors(kubesim: Kubesim, files: Path) -> None:
    directory = "configure-pod-container/configmap"
    cases = {
        "create configmap": (
            "error: exactly one NAME is required, got 0\n"
            "See 'kubesim create configmap -h' for help and examples\n"
        ),
        "create cm c --from-literal=a=1 --from-literal=a=2": (
            'error: cannot add key "a", another key by that name already exists in Data for '
            'ConfigMap "c"\n'
        ),
        f"create cm c --from-file=k={directory}": (
            "error: cannot give a key name for a directory path\n"
        ),
        f"create cm c --from-env-file={directory}": (
            "error: env config file cannot be a directory\n"
        ),
        "create cm c --from-file==x": "error: key name for file path x missing\n",
        "create cm c --from-file=x=": "error: file path for key name x missing\n",
        "create cm c --from-file=a=b=c": "error: key names or file paths cannot contain '='\n",
        "create cm c --type=Opaque": (
            "Error: unknown flag: --type\nSee 'kubesim create configmap --help' for usage.\n"
        ),
    }
    for command, message in cases.items():
        result = kubesim(command)
        assert (result.code, result.err) == (1, message), command
    kubesim("create configmap twice --from-literal=a=1")
    again = kubesim("create configmap twice --from-literal=a=1")
    assert again.err == 'error: failed to create configmap: configmaps "twice" already exists\n'


def test_variables_from_one_and_from_several_configmaps(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim("create configmap special-config --from-literal=special.how=very")
    kubesim(f"create -f {write(tmp_path, 'single.yaml', SINGLE_ENV)}")
    kubesim("tick 6")
    assert "SPECIAL_LEVEL_KEY=very\n" in kubesim("logs dapi-test-pod").out
    kubesim("delete pod dapi-test-pod")
    kubesim("delete configmap special-config")
    kubesim(f"create -f {write(tmp_path, 'configmaps.yaml', CONFIGMAPS)}")
    kubesim(f"create -f {write(tmp_path, 'multiple.yaml', MULTIPLE_ENV)}")
    kubesim("tick 6")
    logged = kubesim("logs dapi-test-pod").out
    assert "SPECIAL_LEVEL_KEY=very\n" in logged and "LOG_LEVEL=INFO\n" in logged


def test_env_from_and_variables_in_the_command(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'multikeys.yaml', MULTIKEYS)}")
    kubesim(f"create -f {write(tmp_path, 'envfrom.yaml', ENV_FROM)}")
    kubesim("tick 6")
    logged = kubesim("logs dapi-test-pod").out
    assert "SPECIAL_LEVEL=very\n" in logged and "SPECIAL_TYPE=charm\n" in logged
    kubesim("delete pod dapi-test-pod")
    kubesim(f"create -f {write(tmp_path, 'valuefrom.yaml', VALUE_FROM)}")
    kubesim("tick 6")
    assert kubesim("logs dapi-test-pod").out == "very charm\n"


def test_a_configmap_in_a_volume(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim(f"create -f {write(tmp_path, 'multikeys.yaml', MULTIKEYS)}")
    kubesim(f"create -f {write(tmp_path, 'volume.yaml', VOLUME)}")
    kubesim("tick 6")
    assert kubesim("logs dapi-test-pod").out == "SPECIAL_LEVEL\nSPECIAL_TYPE\n"
    kubesim("delete pod dapi-test-pod")
    kubesim(f"create -f {write(tmp_path, 'key.yaml', SPECIFIC_KEY)}")
    kubesim("tick 6")
    assert kubesim("logs dapi-test-pod").out == "very"


def test_a_missing_configmap_then_created(kubesim: Kubesim, tmp_path: Path) -> None:
    """CreateContainerConfigError, the kubelet's event each time the pod worker tries, then
    the container starts by itself once the ConfigMap exists."""
    kubesim(f"create -f {write(tmp_path, 'single.yaml', SINGLE_ENV)}")
    kubesim("tick 15")
    assert kubesim("get pod dapi-test-pod").out == (
        "NAME            READY   STATUS                       RESTARTS   AGE\n"
        "dapi-test-pod   0/1     CreateContainerConfigError   0          15s\n"
    )
    events = kubesim("describe pod dapi-test-pod").out
    assert (
        "  Warning  Failed     1s (x3 over 12s)  kubelet            Error: configmap "
        '"special-config" not found\n'
    ) in events
    kubesim("create configmap special-config --from-literal=special.other=x")
    kubesim("tick 10")
    waiting = kubesim("get pod dapi-test-pod -o jsonpath={.status.containerStatuses[0].state}")
    assert waiting.out == (
        '{"waiting":{"message":"couldn\'t find key special.how in ConfigMap '
        'default/special-config","reason":"CreateContainerConfigError"}}'
    )
    kubesim('patch configmap special-config -p \'{"data":{"special.how":"very"}}\'')
    kubesim("tick 12")
    assert kubesim("get pod dapi-test-pod").out.splitlines()[1].split()[2] == "Completed"
    assert "SPECIAL_LEVEL_KEY=very\n" in kubesim("logs dapi-test-pod").out


def test_optional_references(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = pod(
        "optional",
        '[ "/bin/sh", "-c", "echo [$A]; ls /etc/config | wc -l" ]',
        "      env:\n"
        "        - name: A\n"
        "          valueFrom:\n"
        "            configMapKeyRef:\n"
        "              name: nothing\n"
        "              key: a\n"
        "              optional: true\n"
        "      envFrom:\n"
        "      - secretRef:\n"
        "          name: nothing\n"
        "          optional: true\n"
        "      volumeMounts:\n"
        "      - name: config\n"
        "        mountPath: /etc/config\n"
        "  volumes:\n"
        "  - name: config\n"
        "    configMap:\n"
        "      name: nothing\n"
        "      optional: true\n",
    )
    kubesim(f"create -f {write(tmp_path, 'optional.yaml', manifest)}")
    kubesim("tick 6")
    assert kubesim("logs optional").out == "[]\n0\n"


def test_mounted_files_follow_the_configmap_a_minute_later(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    """A change reaches the volume at the pod's next periodic sync; a subPath mount and the
    container's variables keep what the container started with."""
    manifest = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n"
        "  - name: reader\n    image: busybox:1.28\n    command: ['sleep', '3600']\n"
        "    env:\n    - name: LEVEL\n      valueFrom:\n        configMapKeyRef:\n"
        "          name: special-config\n          key: SPECIAL_LEVEL\n"
        "    volumeMounts:\n    - name: config\n      mountPath: /etc/config\n"
        "    - name: config\n      mountPath: /etc/level\n      subPath: SPECIAL_LEVEL\n"
        "  volumes:\n  - name: config\n    configMap:\n      name: special-config\n"
    )
    kubesim(f"create -f {write(tmp_path, 'multikeys.yaml', MULTIKEYS)}")
    kubesim(f"create -f {write(tmp_path, 'reader.yaml', manifest)}")
    kubesim("tick 10")
    read = "exec reader -- sh -c 'cat /etc/config/SPECIAL_LEVEL; echo; cat /etc/level; echo; echo $LEVEL'"
    assert kubesim(read).out == "very\nvery\nvery\n"
    kubesim('patch configmap special-config -p \'{"data":{"SPECIAL_LEVEL":"extremely"}}\'')
    kubesim("tick 20")
    assert kubesim(read).out == "very\nvery\nvery\n"
    kubesim("tick 60")
    assert kubesim(read).out == "extremely\nvery\nvery\n"
    assert kubesim("exec reader -- ls /etc/config").out == "SPECIAL_LEVEL\nSPECIAL_TYPE\n"


def test_a_missing_key_in_a_volume_fails_the_mount(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim("create configmap special-config --from-literal=other=x")
    kubesim(f"create -f {write(tmp_path, 'key.yaml', SPECIFIC_KEY)}")
    kubesim("tick 3")
    message = kubesim(
        "get events --field-selector reason=FailedMount -o jsonpath={.items[0].message}"
    )
    assert message.out == (
        'MountVolume.SetUp failed for volume "config-volume" : configmap references '
        "non-existent config key: SPECIAL_LEVEL"
    )


def test_items_modes_and_binary_data(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: files\n"
        "data:\n  script.sh: echo hi\n"
        "binaryData:\n  blob: aGVsbG8=\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: reader\nspec:\n  containers:\n"
        "  - name: reader\n    image: busybox:1.28\n    command: ['sleep', '3600']\n"
        "    volumeMounts:\n    - name: files\n      mountPath: /files\n"
        "  volumes:\n  - name: files\n    configMap:\n      name: files\n"
        "      defaultMode: 0400\n      items:\n      - key: script.sh\n"
        "        path: bin/run.sh\n        mode: 0755\n      - key: blob\n        path: blob\n"
    )
    kubesim(f"create -f {write(tmp_path, 'files.yaml', manifest)}")
    kubesim("tick 8")
    listed = kubesim("exec reader -- ls -l /files/bin/run.sh /files/blob").out
    assert [line.split()[0] for line in listed.splitlines()] == ["-rwxr-xr-x", "-r--------"]
    assert kubesim("exec reader -- cat /files/blob").out == "hello"


def test_an_immutable_configmap(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\nimmutable: true\n"
        "data:\n  a: one\n",
    )
    kubesim(f"create -f {manifest}")
    changed = kubesim('patch configmap frozen -p \'{"data":{"a":"two"}}\'')
    assert changed.err == (
        'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when '
        "`immutable` is set\n"
    )
    thawed = kubesim("patch configmap frozen -p '{\"immutable\":false}'")
    assert "immutable: Forbidden: field is immutable when `immutable` is set" in thawed.err
