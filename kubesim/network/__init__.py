"""IPAM, service routing and cluster DNS: the parts CNI, kube-proxy and CoreDNS play."""
