#!/usr/bin/env sh
# The article's walkthrough (../shared/seed): a headless Service and a StatefulSet, their pods'
# stable names and DNS records, and a pod that comes back with the same name after deletion.
# Runs against your default kubesim cluster with its clock: in auto time moves by itself, in
# manual `kubesim wait` moves it until what it waits for happens.
set -e
cd "$(dirname "$0")/.."
step() { printf '\n$ %s\n' "$1"; eval "$1"; }

# start from a clean slate if an earlier run left the objects behind
kubesim delete -f samples/statefulset.yaml -f samples/svc.yaml --ignore-not-found >/dev/null

step "kubesim create -f samples/svc.yaml"
step "kubesim get service nginx"
step "kubesim create -f samples/statefulset.yaml"
kubesim wait --for=jsonpath='{.status.readyReplicas}'=2 statefulset/web --timeout=5m >/dev/null
step "kubesim get statefulset web"
step "kubesim get pods -l app=nginx"
step "kubesim exec web-0 -- sh -c 'hostname'"
step "kubesim exec web-1 -- sh -c 'hostname'"
step "kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-0.nginx"
step "kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-1.nginx"
step "kubesim get pod web-0 -o wide"
step "kubesim delete pod web-0"
kubesim wait --for=create pod/web-0 --timeout=5m >/dev/null
kubesim wait --for=condition=Ready pod/web-0 --timeout=5m >/dev/null
step "kubesim get pod web-0 -o wide"
step "kubesim run dns-test --image busybox:1.28.4 --rm -i --restart=Never -- nslookup web-0.nginx"
printf '\nweb-0 came back with the same name and hostname; its DNS record follows its new IP.\n'
printf 'Try it yourself: kubesim run -i --tty --image busybox:1.28.4 dns-test --restart=Never --rm /bin/sh\n'
