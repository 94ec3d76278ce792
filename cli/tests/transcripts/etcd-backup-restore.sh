# The CKA backup/restore exercise end to end: save, lose data, restore into
# a new data dir, point the etcd static pod at it.
kubectl create deployment web --image=nginx
export ETCDCTL_API=3
etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /opt/snap.db
etcdutl snapshot status /opt/snap.db -w table
etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key del /registry/deployments/default/web
kubectl get deploy
etcdutl snapshot restore /opt/missing.db --data-dir /var/lib/etcd-from-backup
etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup
etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup
ls /var/lib/etcd-from-backup/member/snap
sed -i 's|path: /var/lib/etcd$|path: /var/lib/etcd-from-backup|' /etc/kubernetes/manifests/etcd.yaml
# etcd restarts on the new directory; the apiserver that ran on the old data
# refuses connections until the kubelet restarts it.
sleep 60
kubectl get deploy 2>&1 | tail -1
sleep 40
kubectl get deploy
# The data written until the switch is still in the old directory.
ls -l /var/lib/etcd/member/snap | wc -l
