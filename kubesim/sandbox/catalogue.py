"""What the simulated registries hold: the Docker Hub official images, and the tags of the
repositories whose tags kubesim knows well enough to refuse a typo.

A false failure of a valid image is worse than a missed typo, so every rule here errs towards
"exists": repositories not listed outside Docker Hub's official namespace always exist, and
official images without a rule accept every tag.

Sources: the nginx release history (nginx.org text/en/CHANGES-1.28 and CHANGES-1.30, spot-checked
against nginx/nginx docs/xml/nginx/changes.xml); the official images' tag scheme (docker-library
official-images library/nginx: `1.21.1`, `1.21`, `1`, `mainline`, `stable`, `-perl`, `-alpine`,
`-alpine-perl`; later `-alpine-slim`, `-otel`, `-bookworm`); the first Docker Hub nginx tags
(1.7.x, official-images pull requests of 2014-2015); nginx-slim tags used in kubernetes/website
and kubernetes/kubernetes manifests (0.7 to 0.27).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

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

# nginx releases that have Docker Hub tags: (major, minor) -> last patch release; None for the
# current mainline series, whose next patch release kubesim cannot know.
NGINX_RELEASES: Mapping[tuple[int, int], int | None] = {
    (1, 7): 12, (1, 8): 1, (1, 9): 15, (1, 10): 3, (1, 11): 13, (1, 12): 2, (1, 13): 12,
    (1, 14): 2, (1, 15): 12, (1, 16): 1, (1, 17): 10, (1, 18): 0, (1, 19): 10, (1, 20): 2,
    (1, 21): 6, (1, 22): 1, (1, 23): 4, (1, 24): 0, (1, 25): 5, (1, 26): 3, (1, 27): 5,
    (1, 28): 3, (1, 29): 8, (1, 30): 5, (1, 31): None,
}  # fmt: skip
# the base images and flavours of the nginx tags (1.27.3-alpine3.20-slim, stable-bookworm-perl)
_NGINX_VARIANT = re.compile(
    r"^(?:(?:alpine(?:3\.\d+)?|bookworm|bullseye|buster|stretch|jessie|trixie)"
    r"(?:-(?:perl|slim|otel))?|perl|otel)$"
)

# busybox releases with Docker Hub tags: minor -> last patch (1.28.4, 1.36.1, 1.37.0)
BUSYBOX_RELEASES: Mapping[int, int] = {
    21: 1, 22: 1, 23: 2, 24: 2, 25: 1, 26: 2, 27: 2, 28: 4, 29: 3, 30: 1, 31: 1, 32: 1,
    33: 2, 34: 1, 35: 0, 36: 1, 37: 0,
}  # fmt: skip
_BUSYBOX_FLAVOURS = ("musl", "glibc", "uclibc")

# registry.k8s.io/nginx-slim (once gcr.io/google_containers/nginx-slim): 0.1 ... 0.27
NGINX_SLIM_LAST = 27


def _version(text: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d+(?:\.\d+){0,2}", text):
        return None
    return tuple(int(part) for part in text.split("."))


def nginx_tag_exists(tag: str) -> bool:
    """A tag of docker.io/library/nginx: latest, stable, mainline, 1, 1.27, 1.27.3, each
    alone or with a variant (-alpine, -perl, -alpine-slim, -bookworm-otel...)."""
    if tag == "latest" or _NGINX_VARIANT.match(tag):
        return True
    base, _, variant = tag.partition("-")
    if variant and not _NGINX_VARIANT.match(variant):
        return False
    if base in ("stable", "mainline", "1"):
        return True
    version = _version(base)
    if version is None or len(version) < 2 or (version[0], version[1]) not in NGINX_RELEASES:
        return False
    last = NGINX_RELEASES[(version[0], version[1])]
    return len(version) == 2 or last is None or version[2] <= last


def busybox_tag_exists(tag: str) -> bool:
    """A tag of docker.io/library/busybox: latest, stable, unstable, musl, 1, 1.36, 1.36.1,
    each alone or with -musl, -glibc or -uclibc."""
    base, _, flavour = tag.partition("-")
    if flavour and flavour not in _BUSYBOX_FLAVOURS:
        return False
    if base in ("latest", "stable", "unstable", "1", *_BUSYBOX_FLAVOURS):
        return not (base in _BUSYBOX_FLAVOURS and flavour) and not (base == "latest" and flavour)
    version = _version(base)
    if version is None or len(version) < 2 or version[0] != 1 or version[1] not in BUSYBOX_RELEASES:
        return False
    return len(version) == 2 or version[2] <= BUSYBOX_RELEASES[version[1]]


def nginx_slim_tag_exists(tag: str) -> bool:
    """A tag of registry.k8s.io/nginx-slim: 0.1 to 0.27."""
    match = re.fullmatch(r"0\.(\d+)", tag)
    return match is not None and 1 <= int(match.group(1)) <= NGINX_SLIM_LAST


# repository (domain/path) -> which tags exist; repositories not here accept every tag
TAG_RULES: Mapping[str, Callable[[str], bool]] = {
    "docker.io/library/nginx": nginx_tag_exists,
    "docker.io/library/busybox": busybox_tag_exists,
    "registry.k8s.io/nginx-slim": nginx_slim_tag_exists,
    "k8s.gcr.io/nginx-slim": nginx_slim_tag_exists,
    "gcr.io/google_containers/nginx-slim": nginx_slim_tag_exists,
    "gcr.io/google-containers/nginx-slim": nginx_slim_tag_exists,
}
