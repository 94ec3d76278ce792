# A Job with completions 3 and parallelism 1 runs its pods one after the
# other and reaches 3/3 (COMPLETIONS and DURATION as kubectl 1.33 prints
# them). A Deployment's deleted pod is replaced by its ReplicaSet.
kubectl create -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: count
spec:
  completions: 3
  parallelism: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: count
        image: busybox
        command: ["sh", "-c", "echo done"]
EOF
kubectl get job count
sleep 5
kubectl get job count
kubectl get pods
sleep 30
kubectl get job count
kubectl get pods
kubectl get job count -o jsonpath='{.status.succeeded} {.status.conditions[*].type}'; echo
kubectl create deployment web --image=nginx --replicas=3
sleep 30
kubectl get deploy web
kubectl get pods -l app=web
kubectl delete pod $(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
kubectl get pods -l app=web
sleep 10
kubectl get pods -l app=web
kubectl get deploy web
