"""Generate kubesim/sandbox/hub_tags.json: the tags of the Docker Hub official images in the
image catalogue, as a compact grammar.

Every tag an official image ever had is in the history of docker-library/official-images
(`library/NAME`: `Tags:` and `SharedTags:` lines, and before 2016 `TAG: git://...` lines), and
Docker Hub keeps old tags. The full lists are large (node alone has some 9,000 tags), so each
image is kept as the tag's first dash-separated part (`1.27.3`, `stable`, `3.13`) and, position
by position, the parts seen after it (`alpine3.21`, `slim`, `perl`...). A tag exists when its
first part and each following part are among those seen at their position: a few combinations
that never existed are accepted (a false "not found" is worse than a missed typo), misspelt
versions and variants are not. First parts that only ever stood alone (`latest`) take no suffix.

Usage (with a clone of https://github.com/docker-library/official-images):
    python tools/gen_hub_tags.py OFFICIAL_IMAGES_GIT_DIR nginx busybox ... \
        > kubesim/sandbox/hub_tags.json
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

TAGS_LINE = re.compile(r"^\+(?:Shared)?Tags:\s*(.*)$")
OLD_LINE = re.compile(r"^\+([a-z0-9._-]+):\s+(?:git|https?)://")


def history_tags(repo: str, image: str) -> set[str]:
    """Every tag `library/IMAGE` has listed in the repository's history."""
    log = subprocess.run(
        ["git", "-C", repo, "log", "-p", "--format=", "--", f"library/{image}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found: set[str] = set()
    for line in log.splitlines():
        if match := TAGS_LINE.match(line):
            found.update(t.strip() for t in match.group(1).split(",") if t.strip())
        elif match := OLD_LINE.match(line):
            found.add(match.group(1))
    return found


def grammar(tags: set[str]) -> dict[str, list[str] | list[list[str]]]:
    parts = [tag.split("-") for tag in tags]
    heads = {p[0] for p in parts if len(p) > 1}
    alone = {p[0] for p in parts if len(p) == 1} - heads
    then: list[set[str]] = []
    for p in parts:
        for index, segment in enumerate(p[1:]):
            while len(then) <= index:
                then.append(set())
            then[index].add(segment)
    return {"alone": sorted(alone), "heads": sorted(heads), "then": [sorted(s) for s in then]}


def main(repo: str, images: list[str]) -> None:
    result = {image: grammar(history_tags(repo, image)) for image in images}
    json.dump(result, sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
