# A deleted Node: the garbage collector removes the node's mirror pods (the
# Node is their owner) and the pod GC its other pods; the kubelet keeps
# running but creates no mirror pod without its Node (the mirror client needs
# the Node's UID), so the cluster goes quiet: etcd's revision moves only with
# node01's lease, once every 10 s.
# A kubelet restart registers the Node again — without kubeadm's role label
# and control-plane taint — and the mirror pods come back.
alias status='ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key endpoint status -w table'
kubectl delete node controlplane
sleep 60
status
sleep 60
status
kubectl get pods -n kube-system
kubectl get nodes
systemctl restart kubelet
sleep 30
kubectl get nodes
kubectl describe node controlplane | grep -E '^(Roles|Taints):'
kubectl get pods -n kube-system
