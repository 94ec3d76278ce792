# A DaemonSet follows a node that leaves and joins again. Deleting node01's
# Node object: the DaemonSet wants one pod less at once; its pod, bound to
# a node that no longer exists, is left to the pod garbage collector, which
# force-deletes it after its 40 s quarantine. The kubelet on node01 keeps
# running but does not register again until it restarts (as a v1.33
# kubelet: registration happens once per start); then the node is back and
# the DaemonSet puts a pod on it.
kubectl create -f - <<EOF
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logger
spec:
  selector:
    matchLabels:
      app: logger
  template:
    metadata:
      labels:
        app: logger
    spec:
      containers:
      - name: logger
        image: busybox
        command: ["sleep", "3600"]
EOF
sleep 10
kubectl get ds logger
kubectl get pods -o wide
kubectl delete node node01
kubectl get nodes
kubectl get ds logger
kubectl get pods -o wide
sleep 30
kubectl get pods -o wide
sleep 20
kubectl get pods -o wide
ssh node01 systemctl is-active kubelet
sleep 60
kubectl get nodes
ssh node01 systemctl restart kubelet
kubectl get nodes --show-labels
sleep 10
kubectl get ds logger
kubectl get pods -o wide
