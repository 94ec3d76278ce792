# kube-apiserver's --etcd-compaction-interval (5m by default) sets how often
# it compacts etcd: with 1m, every minute from the apiserver's restart with
# the flag, to the revision the round before saw (the first round only
# records one). 0 turns compaction off.
export ETCDCTL_API=3
alias e='etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
sed -i 's|    - --etcd-servers=|    - --etcd-compaction-interval=1m\n    - --etcd-servers=|' /etc/kubernetes/manifests/kube-apiserver.yaml
grep compaction /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 30
kubectl create configmap app --from-literal=v=1
RV=$(kubectl get cm app -o jsonpath='{.metadata.resourceVersion}')
kubectl patch cm app -p '{"data":{"v":"2"}}'
sleep 60
e get compact_rev_key --print-value-only
e get /registry/configmaps/default/app --rev=$RV --keys-only
sleep 60
e get /registry/configmaps/default/app --rev=$RV --keys-only
echo $?
sed -i 's|--etcd-compaction-interval=1m|--etcd-compaction-interval=0|' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 30
NOW=$(e get compact_rev_key -w json | sed 's/.*"revision":\([0-9]*\).*/\1/')
kubectl patch cm app -p '{"data":{"v":"3"}}'
sleep 600
e get /registry/configmaps/default/app --rev=$NOW --print-value-only
