# Controllers whose pods a quota refuses retry with their workqueue's back-off, not at every
# sync: the Job with DefaultJobApiBackOff (1 s doubling to 1 min), the DaemonSet and the
# StatefulSet with the default controller rate limiter (5 ms doubling to 1000 s). Found by the
# kubectl fuzz target: a quota on memory plus a Job made every later command take seconds.
kubectl create quota mem --hard=memory=1Gi
kubectl create job j --image=busybox -- true
cat <<'Y' | kubectl apply -f -
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: a
        image: busybox
        command: ["sleep", "3600"]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: nginx
Y
sleep 60
kubectl describe job j | tail -4
kubectl describe ds agent | tail -4
kubectl describe sts db | tail -4
kubectl get pods
kubectl delete quota mem
sleep 60
kubectl get pods
