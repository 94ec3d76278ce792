# A misspelled field is refused by strict decoding and nothing is written.
cat > pod.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - cotainerPort: 80
EOF
kubectl apply -f pod.yaml
kubectl get pods
ETCDCTL_API=3 etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/pods/default --prefix --keys-only
# The wrong apiVersion for a kind is a client-side mapping error.
cat > rs.yaml <<EOF
apiVersion: v1
kind: ReplicaSet
metadata:
  name: frontend
EOF
kubectl create -f rs.yaml
# Invalid names and missing fields are 422s printed from their causes.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: My_Pod
spec:
  containers:
  - name: web
EOF
kubectl create -f pod.yaml -n dev
# Without the etcd client certificates etcdctl cannot talk to etcd.
etcdctl get /registry/pods --prefix --keys-only
