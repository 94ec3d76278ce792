# A multi-document apply with bad documents applies the good ones and reports each bad one as
# kubectl does (successes as they happen, the errors at the end, exit 1); a refused object
# leaves nothing behind, and applying the fixed file then creates only what was missing. One bad
# object alone is printed in CheckErr's own form for an invalid object.
cat > /root/app.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: c
    imagee: nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 0
Y
kubectl apply -f /root/app.yaml; echo "exit $?"
kubectl get cm settings --no-headers | wc -l
kubectl get deploy/web -o name
kubectl get pod typo
kubectl get svc web
sed -i 's/imagee:/image:/; s/port: 0/port: 80/' /root/app.yaml
kubectl apply -f /root/app.yaml; echo "exit $?"
cat > /root/one.yaml <<'Y'
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  ports:
  - port: 0
Y
kubectl apply -f /root/one.yaml; echo "exit $?"
kubectl create -f /root/app.yaml; echo "exit $?"
