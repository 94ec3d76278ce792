# The etcd model through etcdctl: real keys, --limit, -w json, and an
# object's resourceVersion is its key's mod_revision.
export ETCDCTL_API=3
alias e='etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
e get /registry/namespaces --prefix --keys-only --limit 2
e get /registry/minions --prefix --keys-only
e get /registry/services/specs/default/kubernetes -w json --keys-only
kubectl get svc kubernetes -o jsonpath='{.metadata.resourceVersion}{"\n"}'
kubectl create configmap app --from-literal=a=1
e get /registry/configmaps/default/app -w json --keys-only
kubectl get cm app -o jsonpath='{.metadata.resourceVersion}{"\n"}'
