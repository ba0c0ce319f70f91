"""kubectl's own logic, apart from its command line: what the client computes before it
writes to the apiserver (k8s.io/kubectl/pkg/polymorphichelpers and friends)."""
