"""The image catalogue (images.yaml) and what the simulated registries hold.

The catalogue is data, read once and lazily: nothing here is parsed until a container's image
or a pull is looked at. Each image entry names the repositories it is known by; a reference
is matched on its normalized name (`nginx` is `docker.io/library/nginx`).

Which tags exist: an entry lists them, gives a pattern, or points at the Docker Hub history
kept in hub_tags.json (tools/gen_hub_tags.py). A false failure of a valid image is worse than a
missed typo, so every rule errs towards "exists": repositories kubesim has no entry for exist
with every tag, and so do Docker Hub official images without tag data; only the official
namespace can say that a repository does not exist at all.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

Entry = dict[str, Any]

# Docker Hub's official images (hub.docker.com/_/NAME), current and deprecated: deprecated
# ones still pull. `scratch` is reserved and cannot be pulled.
OFFICIAL_IMAGES = frozenset(
    """
    adminer adoptopenjdk aerospike almalinux alpine alt amazoncorretto amazonlinux api-firewall
    arangodb archlinux backdrop bash bonita buildpack-deps busybox caddy cassandra celery centos
    chronograf cirros clearlinux clefos clickhouse clojure composer consul convertigo couchbase
    couchdb crate crux dart debian django docker drupal eclipse-mosquitto eclipse-temurin eggdrop
    elasticsearch elixir emqx erlang euleros express-gateway fedora flink fluentd friendica fsharp
    gazebo gcc geonetwork ghost glassfish golang gradle groovy haproxy haskell haxe hello-seattle
    hello-world hipache hitch httpd hylang ibm-semeru-runtimes ibmjava influxdb iojs irssi java
    jenkins jetty jobber joomla jruby julia kaazing-gateway kapacitor kibana known kong krakend
    lightstreamer liquibase logstash mageia mariadb matomo maven mediawiki memcached mongo
    mongo-express monica mono mysql nats nats-streaming neo4j neurodebian nextcloud nginx node
    notary nuxeo odoo open-liberty openjdk opensuse oraclelinux orientdb owncloud percona perl
    photon php php-zendserver phpmyadmin piwik plone postfixadmin postgres powershell pypy python
    r-base rabbitmq rails rakudo-star rapidoid redis redmine registry rethinkdb rocket.chat
    rockylinux ros ruby rust sapmachine satosa sentry silverpeas sl solr sonarqube sourcemage
    spiped storm swarm swift swipl teamspeak telegraf thrift tomcat tomee traefik ubuntu
    ubuntu-debootstrap ubuntu-upstart unit varnish vault websphere-liberty wordpress xwiki yourls
    znc zookeeper
    """.split()
)


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The parsed images.yaml (pages, programs, bases, images)."""
    import yaml

    text = resources.files("kubesim.sandbox").joinpath("images.yaml").read_text()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed: dict[str, Any] = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return parsed


@lru_cache(maxsize=1)
def hub_tags() -> dict[str, Any]:
    """hub_tags.json: per official image, the grammar of the tags it has had."""
    text = resources.files("kubesim.sandbox").joinpath("hub_tags.json").read_text()
    parsed: dict[str, Any] = json.loads(text)
    return parsed


@lru_cache(maxsize=1)
def _by_repository() -> dict[str, str]:
    return {
        repository: name
        for name, entry in data()["images"].items()
        for repository in entry.get("repositories") or []
    }


def entry_named(name: str) -> Entry:
    """The catalogue entry `name` (KeyError if there is none)."""
    entry: Entry = data()["images"][name]
    return entry


def lookup(repository: str) -> str | None:
    """The name of the catalogue entry for a normalized repository name, None if unknown."""
    return _by_repository().get(repository)


def base(name: str) -> Entry:
    """A userland, with what it extends merged in (lists and mappings add up)."""
    return _base(name)


@lru_cache(maxsize=32)
def _base(name: str) -> Entry:
    own: Entry = data()["bases"][name]
    parent = own.get("extends")
    if not parent:
        return own
    merged = dict(_base(parent))
    for key, value in own.items():
        if key == "extends":
            continue
        if key in ("programs", "dirs") and key in merged:
            merged[key] = [*merged[key], *value]
        elif key == "files" and key in merged:
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def program_stop(name: str) -> Any:
    """The `stop` rule of a program (images.yaml `programs`), None when not recorded."""
    return (data()["programs"].get(name) or {}).get("stop")


# --- which tags exist ---------------------------------------------------------------------------


def tag_exists(entry: Entry, tag: str) -> bool:
    """Whether the registry has `tag` for a catalogue entry's repositories."""
    rule = entry.get("tags")
    if isinstance(rule, list):
        return tag in (str(t) for t in rule)
    if not isinstance(rule, dict) or rule.get("any"):
        return True
    if "pattern" in rule:
        return re.fullmatch(str(rule["pattern"]), tag) is not None
    if "hub" in rule:
        grammar = hub_tags().get(str(rule["hub"]))
        return True if grammar is None else hub_tag_exists(grammar, tag)
    return True


def hub_tag_exists(grammar: dict[str, Any], tag: str) -> bool:
    """A tag of an official image, by the grammar gen_hub_tags.py derived from its history."""
    head, *rest = tag.split("-")
    if not rest:
        return head in grammar["alone"] or head in grammar["heads"]
    then = grammar["then"]
    if head not in grammar["heads"] or len(rest) > len(then):
        return False
    return all(part in then[index] for index, part in enumerate(rest))
