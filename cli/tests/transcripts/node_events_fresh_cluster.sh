# A fresh kubeadm cluster's events: each node's kubelet start and the node controller's registration, in default.
kubectl get events
kubectl get events --field-selector reason=RegisteredNode -o wide
kubectl describe node controlplane | sed -n '/^Events:/,$p'
