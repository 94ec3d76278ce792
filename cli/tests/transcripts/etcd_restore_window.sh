# The CKA backup/restore exercise with kubectl delete: while etcd restarts on
# the restored data dir, the apiserver it ran against fails its etcd check and
# refuses connections until the kubelet restarts it.
kubectl create deployment web --image=nginx --replicas=2
sleep 10
export ETCDCTL_API=3
etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /opt/snapshot-pre-boot.db
kubectl delete deployment web
sleep 30
kubectl get deploy,pods
etcdutl snapshot restore /opt/snapshot-pre-boot.db --data-dir /var/lib/etcd-from-backup
sed -i 's|path: /var/lib/etcd$|path: /var/lib/etcd-from-backup|' /etc/kubernetes/manifests/etcd.yaml
grep 'path: /var/lib/etcd' /etc/kubernetes/manifests/etcd.yaml
sleep 10
kubectl get deploy
crictl ps --name 'etcd|kube-apiserver'
sleep 60
kubectl get deploy
sleep 30
crictl ps --name 'etcd|kube-apiserver'
kubectl get deploy,pods
kubectl get pods -n kube-system
kubectl describe pod kube-apiserver-controlplane -n kube-system | sed -n '/^Events/,$p'
