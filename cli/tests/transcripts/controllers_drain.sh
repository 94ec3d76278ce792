# kubectl drain with DaemonSet pods, emptyDir volumes and a bare pod: each
# refusal names its flag; the drained pods' replacements land elsewhere,
# or wait Pending when their nodeSelector only fits the cordoned node.
kubectl taint node controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl create deployment web --image=nginx --replicas=2
kubectl run bare --image=nginx --overrides='{"spec":{"nodeName":"node01"}}'
cat <<Y | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cache
spec:
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      nodeSelector:
        kubernetes.io/hostname: node01
      containers:
      - name: redis
        image: redis
        volumeMounts:
        - name: data
          mountPath: /data
      volumes:
      - name: data
        emptyDir: {}
Y
sleep 30
kubectl get pods -o wide
kubectl drain node01
echo "exit status $?"
kubectl drain node01 --ignore-daemonsets
kubectl drain node01 --ignore-daemonsets --delete-emptydir-data
kubectl drain node01 --ignore-daemonsets --delete-emptydir-data --force
echo "exit status $?"
kubectl get nodes
sleep 30
kubectl get pods -o wide
kubectl get pods -n kube-system -o wide | grep kube-proxy
kubectl uncordon node01
kubectl get nodes
