"""Syntax rules for names, label keys and values, with apimachinery's exact messages.

Source: k8s.io/apimachinery/pkg/util/validation/validation.go.
"""

from __future__ import annotations

import re

_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_FMT = _LABEL_FMT + r"(\." + _LABEL_FMT + ")*"
_DNS1035_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(" + _QUALIFIED_NAME_FMT + ")?"

_LABEL_RE = re.compile(f"^{_LABEL_FMT}$")
_SUBDOMAIN_RE = re.compile(f"^{_SUBDOMAIN_FMT}$")
_DNS1035_RE = re.compile(f"^{_DNS1035_FMT}$")
_QUALIFIED_NAME_RE = re.compile(f"^{_QUALIFIED_NAME_FMT}$")
_LABEL_VALUE_RE = re.compile(f"^{_LABEL_VALUE_FMT}$")


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """RegexError(): the message, its examples and the regex, quirks included."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    message += " (e.g. "
    for i, example in enumerate(examples):
        if i > 0:
            message += " or "
        message += f"'{example}', "
    return message + f"regex used for validation is '{fmt}')"


def _max_len(length: int) -> str:
    return f"must be no more than {length} characters"


def dns1123_label_errors(value: str) -> list[str]:
    """IsDNS1123Label: namespaces, StatefulSet names, hostnames."""
    errors = []
    if len(value) > 63:
        errors.append(_max_len(63))
    if not _LABEL_RE.match(value):
        if not dns1123_subdomain_errors(value):
            errors.append("must not contain dots")
        else:
            errors.append(
                _regex_error(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                    "characters or '-', and must start and end with an alphanumeric character",
                    _LABEL_FMT,
                    "my-name",
                    "123-abc",
                )
            )
    return errors


def dns1123_subdomain_errors(value: str) -> list[str]:
    """IsDNS1123Subdomain: most object names (pods, configmaps, nodes...)."""
    errors = []
    if len(value) > 253:
        errors.append(_max_len(253))
    if not _SUBDOMAIN_RE.match(value):
        errors.append(
            _regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                "characters, '-' or '.', and must start and end with an alphanumeric character",
                _SUBDOMAIN_FMT,
                "example.com",
            )
        )
    return errors


def dns1035_label_errors(value: str) -> list[str]:
    """IsDNS1035Label: Service names, so that their DNS names start with a letter."""
    errors = []
    if len(value) > 63:
        errors.append(_max_len(63))
    if not _DNS1035_RE.match(value):
        errors.append(
            _regex_error(
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                "start with an alphabetic character, and end with an alphanumeric character",
                _DNS1035_FMT,
                "my-name",
                "abc-123",
            )
        )
    return errors


def label_key_errors(key: str) -> list[str]:
    """IsQualifiedName: `[prefix/]name` label and annotation keys."""
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            return ["prefix part must be non-empty"]
        prefix_errors = dns1123_subdomain_errors(prefix)
        if prefix_errors:
            return [f"prefix part {e}" for e in prefix_errors]
    else:
        return [
            _regex_error(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', "
                "and must start and end with an alphanumeric character",
                _QUALIFIED_NAME_FMT,
                "MyName",
                "my.name",
                "123-abc",
            )
        ]
    if not name:
        return ["name part must be non-empty"]
    errors = []
    if len(name) > 63:
        errors.append("name part " + _max_len(63))
    if not _QUALIFIED_NAME_RE.match(name):
        errors.append(
            "name part "
            + _regex_error(
                "must consist of alphanumeric characters, '-', '_' or '.', "
                "and must start and end with an alphanumeric character",
                _QUALIFIED_NAME_FMT,
                "MyName",
                "my.name",
                "123-abc",
            )
        )
    return errors


def label_value_errors(value: str) -> list[str]:
    """IsValidLabelValue: empty, or up to 63 alphanumerics with '-', '_', '.' inside."""
    errors = []
    if len(value) > 63:
        errors.append(_max_len(63))
    if not _LABEL_VALUE_RE.match(value):
        errors.append(
            _regex_error(
                "a valid label must be an empty string or consist of alphanumeric characters, "
                "'-', '_' or '.', and must start and end with an alphanumeric character",
                _LABEL_VALUE_FMT,
                "MyValue",
                "my_value",
                "12345",
            )
        )
    return errors


_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_RE = re.compile(f"^{_CONFIG_MAP_KEY_FMT}$")


def config_map_key_errors(key: str) -> list[str]:
    """IsConfigMapKey: a ConfigMap's or Secret's data key, which becomes a file name."""
    errors = []
    if len(key) > 253:
        errors.append(_max_len(253))
    if not _CONFIG_MAP_KEY_RE.match(key):
        errors.append(
            _regex_error(
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                _CONFIG_MAP_KEY_FMT,
                "key.name",
                "KEY_NAME",
                "key-name",
            )
        )
    if key == ".":
        errors.append("must not be '.'")
    elif key == "..":
        errors.append("must not be '..'")
    elif key.startswith(".."):
        errors.append("must not start with '..'")
    return errors


_ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
_ENV_VAR_NAME_RE = re.compile(f"^{_ENV_VAR_NAME_FMT}$")


def env_var_name_errors(name: str) -> list[str]:
    """IsEnvVarName: the strict rule (kubectl's env files)."""
    errors = []
    if not _ENV_VAR_NAME_RE.match(name):
        errors.append(
            _regex_error(
                "a valid environment variable name must consist of alphabetic characters, "
                "digits, '_', '-', or '.', and must not start with a digit",
                _ENV_VAR_NAME_FMT,
                "my.env-name",
                "MY_ENV.NAME",
                "MyEnvName1",
            )
        )
    if name == ".":
        errors.append("must not be '.'")
    elif name == "..":
        errors.append("must not be '..'")
    elif name.startswith(".."):
        errors.append("must not start with '..'")
    return errors


def relaxed_env_var_name_errors(name: str) -> list[str]:
    """IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation, on in v1.32): printable
    ASCII other than '='; what the apiserver and the kubelet accept."""
    if not name:
        return ["environment variable name must be non-empty"]
    if any(not 32 <= ord(c) < 127 or c == "=" for c in name):
        return [
            "a valid environment variable name must consist only of printable ASCII "
            "characters other than '='"
        ]
    return []
