# apply --prune deletes what an earlier apply made and the files no longer hold.
mkdir app
cat > app/cm.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels:
    app: shop
data:
  mode: fast
YAML
cat > app/deploy.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  labels:
    app: shop
spec:
  replicas: 1
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: nginx
YAML
kubectl apply -f app/ --prune
kubectl apply -f app/ --prune --all -l app=shop
kubectl apply -f app/ -l app=shop --prune-allowlist=core/v1/Thing/x --prune
kubectl apply -f app/ -l app=shop --prune
kubectl create configmap handmade --from-literal=a=1
kubectl label configmap handmade app=shop
rm app/cm.yaml
kubectl apply -f app/ -l app=shop --prune --dry-run=client
kubectl apply -f app/ -l app=shop --prune
kubectl get configmaps -l app=shop
# -l also filters the objects of the files.
kubectl apply -f app/deploy.yaml -l app=other
# --save-config keeps what create sent, so apply can merge later.
kubectl create configmap saved --from-literal=k=v --save-config
kubectl get configmap saved -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
kubectl run web --image=nginx --port=80 --save-config
kubectl get pod web -o jsonpath='{.metadata.annotations}{"\n"}' | cut -c1-90
kubectl expose pod web --type=LoadBalancer --load-balancer-ip=192.168.100.240 --save-config
kubectl get svc web -o jsonpath='{.spec.loadBalancerIP} {.spec.type}{"\n"}'
kubectl run patched --image=nginx --override-type=json --overrides='[{"op":"add","path":"/spec/hostname","value":"custom"}]' --dry-run=client -o jsonpath='{.spec.hostname}{"\n"}'
# wait -o: the object, or its name, instead of "condition met".
kubectl wait pod web --for=condition=Ready -o name
kubectl wait pod web --for=condition=Ready -o jsonpath='{.status.phase}{"\n"}'
kubectl wait pod web --for=condition=Ready -o wide
kubectl run tmp --image=busybox --rm -it --restart=Never --grace-period=5 --wait -- echo hi
# logs --all-pods: every pod of the object, each line prefixed.
kubectl scale deployment shop --replicas=2
kubectl rollout status deployment shop
kubectl logs deployment/shop --all-pods --tail=1
kubectl logs -l app=shop --all-pods --tail=1
# Server-side apply (field managers, conflicts) is not simulated: refused, not faked.
kubectl apply -f app/deploy.yaml --server-side
