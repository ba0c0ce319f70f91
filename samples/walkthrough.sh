#!/usr/bin/env sh
# The article's walkthrough (../shared/seed): a headless Service and a StatefulSet, their pods'
# stable names and DNS records, and a pod that comes back with the same name after deletion.
# Runs against your default kubesim cluster with the auto clock, as it would on a real cluster.
set -e
here=$(dirname "$0")
step() { printf '\n$ %s\n' "$*"; "$@"; }
wait_ready() { # wait_ready POD: until the pod is Running and Ready
  until [ "$(kubesim get pod "$1" -o 'jsonpath={.status.containerStatuses[0].ready}' 2>/dev/null)" = "true" ]; do sleep 1; done
}

# start from a clean slate if an earlier run left the objects behind
kubesim delete -f "$here/statefulset.yaml" -f "$here/svc.yaml" --ignore-not-found >/dev/null

step kubesim create -f "$here/svc.yaml"
step kubesim get service nginx
step kubesim create -f "$here/statefulset.yaml"
wait_ready web-0
wait_ready web-1
step kubesim get statefulset web
step kubesim get pods -l app=nginx
step kubesim exec web-0 -- sh -c 'hostname'
step kubesim exec web-1 -- sh -c 'hostname'
step kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-0.nginx
step kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-1.nginx
step kubesim get pod web-0 -o wide
step kubesim delete pod web-0
wait_ready web-0
step kubesim get pod web-0 -o wide
step kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-0.nginx
printf '\nweb-0 came back with the same name and hostname; its DNS record follows its new IP.\n'
printf 'Try it interactively: kubesim run -i --tty --image busybox:1.28.4 dns-test --restart=Never --rm /bin/sh\n'
