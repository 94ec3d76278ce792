# kube-apiserver compacts etcd every 5 minutes (--etcd-compaction-interval),
# to the revision it saw at the previous round, and records it under
# compact_rev_key. After that, reads of older revisions fail with etcd's
# own error; `etcdctl compact` does the same by hand.
export ETCDCTL_API=3
alias e='etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
kubectl create configmap app --from-literal=v=1
RV=$(kubectl get cm app -o jsonpath='{.metadata.resourceVersion}')
e get compact_rev_key
sleep 300
e get compact_rev_key -w json
kubectl patch cm app -p '{"data":{"v":"2"}}'
e get /registry/configmaps/default/app --rev=$RV --keys-only
sleep 300
e get compact_rev_key -w json
e get /registry/configmaps/default/app --rev=$RV --keys-only
echo $?
kubectl get cm app -o jsonpath='{.data.v}{"\n"}'
NOW=$(e get compact_rev_key -w json | sed 's/.*"revision":\([0-9]*\).*/\1/')
e compact $NOW
e compaction $NOW
e compact 99999
e compact abc
e compact
echo $?
snap=/tmp/snap.db
e snapshot save $snap 2>/dev/null
etcdutl snapshot status $snap -w table
