# A ReplicaSet adopts a matching bare pod instead of creating one of its
# own (the pod gets a controller ownerReference); relabelling that pod
# releases it (the ownerReference goes) and a replacement is created.
kubectl run bare --image=nginx --labels=app=web
sleep 5
kubectl get pod bare -o jsonpath='{.metadata.ownerReferences}'; echo
kubectl create -f - <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
EOF
sleep 5
kubectl get pods --show-labels
kubectl get pod bare -o jsonpath='{range .metadata.ownerReferences[*]}{.apiVersion} {.kind} {.name} controller={.controller} blockOwnerDeletion={.blockOwnerDeletion}{"\n"}{end}'
kubectl get rs web
kubectl label pod bare app=debug --overwrite
sleep 5
kubectl get pods --show-labels
kubectl get pod bare -o jsonpath='{.metadata.ownerReferences}'; echo
kubectl get rs web
kubectl describe rs web | grep -A10 Events
