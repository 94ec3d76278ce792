# A fresh cluster is what `kubeadm init` + `kubeadm join` leave at v1.33.
kubectl get ns
kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints
kubectl get nodes --show-labels
kubectl get pods -n kube-system -o wide
kubectl get deploy,svc -n kube-system
kubectl get pod -n kube-system etcd-controlplane -o jsonpath='{.spec.serviceAccountName}|{.spec.tolerations}|{.metadata.annotations.kubernetes\.io/config\.source}{"\n"}'
export ETCDCTL_API=3
etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/namespaces --prefix --keys-only
