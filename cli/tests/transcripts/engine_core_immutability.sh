# Fields fixed at creation: the apiserver refuses the change whichever verb sends it.
kubectl create job pi --image=busybox -- sleep 5
kubectl patch job pi -p '{"spec":{"completions":3}}'
KUBE_EDITOR="sed -i 's/image: busybox$/image: busybox:1.36/'" kubectl edit job pi
grep -l 'was not valid' /tmp/kubectl-edit-*.yaml | wc -l
grep '^# \*' /tmp/kubectl-edit-*.yaml | cut -c1-60
cat > sts.yaml <<EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: nginx
EOF
kubectl apply -f sts.yaml
sed -i 's/serviceName: db/serviceName: db2/' sts.yaml
kubectl apply -f sts.yaml
kubectl replace -f sts.yaml
kubectl patch sts db -p '{"spec":{"replicas":2}}'
cat > pvc.yaml <<EOF
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
EOF
kubectl apply -f pvc.yaml
kubectl patch pvc data -p '{"spec":{"accessModes":["ReadWriteMany"]}}'
kubectl patch pvc data -p '{"spec":{"resources":{"requests":{"storage":"2Gi"}}}}'
kubectl create service clusterip web --tcp=80:80
kubectl patch svc web -p '{"spec":{"clusterIP":"10.96.0.99"}}'
kubectl create secret generic s --from-literal=a=b
kubectl patch secret s -p '{"type":"kubernetes.io/tls"}'
kubectl create configmap c --from-literal=a=b
kubectl patch configmap c -p '{"immutable":true}'
kubectl patch configmap c -p '{"data":{"a":"z"}}'
kubectl patch configmap c -p '{"immutable":false}'
kubectl get cm c -o jsonpath='{.data.a} {.immutable}'; echo
# kubectl's own List output can be applied back, and read by create, replace and delete.
kubectl create configmap l1 --from-literal=k=v
kubectl create configmap l2 --from-literal=k=v
kubectl get configmap l1 l2 -o yaml > list.yaml
head -3 list.yaml
kubectl apply -f list.yaml
kubectl replace -f list.yaml
kubectl delete -f list.yaml
kubectl create -f list.yaml
# A YAML syntax error reads as kubectl prints it, from a file or stdin.
cat > bad.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: x
  labels:
    app: x
     tier: y
EOF
kubectl apply -f bad.yaml
kubectl create -f - < bad.yaml
# autoscaling/v1 is decoded as itself.
kubectl apply -f - <<EOF
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: h
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: StatefulSet
    name: db
  maxReplicas: 3
  targetCPUUtilization: 50
EOF
# v1 Endpoints are deprecated in v1.33.
kubectl get endpoints web
