# How etcdctl v3.5 meets kubeadm's etcd (TLS on port 2379, client
# certificates of the etcd CA only): each mistake gives the error etcd v3.5.21
# and grpc-go v1.59 give (read from their source), after the command timeout
# (5s), with the grpc connection error in the retry interceptor's log line. `snapshot save` has no deadline: it waits
# for ever after its first line, until Ctrl-C (leaving FILE.part) or until
# etcd answers again.
export C="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
etcdctl $C --endpoints=https://127.0.0.1:2379 get /registry/namespaces/default --keys-only
etcdctl $C --endpoints=https://controlplane:2379 member list
# The wrong port, an address nobody answers, a name nobody knows.
etcdctl $C --endpoints=https://127.0.0.1:2378 get /registry/namespaces/default --keys-only
echo $?
etcdctl $C --endpoints=https://10.0.0.99:2379 --command-timeout=2s get /registry/namespaces/default --keys-only
etcdctl $C --endpoints=https://etcd0:2379 get /registry/namespaces/default --keys-only
# The scheme chooses the credentials: http:// drops TLS, https:// needs it.
etcdctl $C --endpoints=http://127.0.0.1:2379 get /registry/namespaces/default --keys-only
etcdctl --endpoints=https://127.0.0.1:2379 get /registry/namespaces/default --keys-only
etcdctl --cacert=/etc/kubernetes/pki/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/namespaces/default --keys-only
etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt get /registry/namespaces/default --keys-only
etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.pem --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get k
echo $?
# One client per endpoint: the healthy answer at once, the other at its deadline.
etcdctl $C --endpoints=127.0.0.1:2379,127.0.0.1:2380 endpoint health
echo $?
# A timeout of zero or less: every call fails at once, the healthy one too.
etcdctl $C --endpoints=127.0.0.1:2378,127.0.0.1:2379 --command-timeout=-3s endpoint health
# Status asks each endpoint in turn: a failed one is reported, the rest printed.
etcdctl $C --endpoints=127.0.0.1:2379,127.0.0.1:2378 endpoint status -w table
echo $?
etcdctl $C --endpoints=127.0.0.1:2379,127.0.0.1:2380 snapshot save /opt/a.db
echo $?
# Without certificates snapshot save waits for ever: Ctrl-C leaves the .part file.
etcdctl snapshot save /opt/nocerts.db


^C
echo $?
ls /opt
# While etcd restarts on a changed manifest, the stream waits for it (each
# empty line is a second), then completes; a call waits up to its timeout.
sed -i 's/--snapshot-count=10000/--snapshot-count=20000/' /etc/kubernetes/manifests/etcd.yaml
etcdctl $C snapshot save /opt/while-restarting.db








ls /opt
sed -i 's/--snapshot-count=20000/--snapshot-count=10000/' /etc/kubernetes/manifests/etcd.yaml
etcdctl $C --command-timeout=10s endpoint health
# watch holds the terminal until Ctrl-C: from --rev it replays the history
# (PUT/DELETE, the previous value with --prev-kv, then the key and value).
kubectl create configmap cm1 --from-literal=a=b
kubectl delete configmap cm1
etcdctl $C watch /registry/configmaps/default/cm1 --rev=200 --prev-kv

^C
echo $?
etcdctl $C watch
echo $?
etcdctl $C watch a b --prefix
etcdctl $C compaction 250
etcdctl $C watch /registry --prefix --rev=5
echo $?
