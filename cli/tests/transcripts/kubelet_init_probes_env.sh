# Init containers run one at a time before the app container starts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: init-demo
spec:
  nodeName: node01
  initContainers:
  - name: wait-a
    image: busybox
    command: ["sh", "-c", "sleep 5"]
  - name: wait-b
    image: busybox
    command: ["sh", "-c", "sleep 5"]
  containers:
  - name: app
    image: nginx
EOF
sleep 3
kubectl get pod init-demo
sleep 5
kubectl get pod init-demo
sleep 8
kubectl get pod init-demo
# A failing init container keeps the pod in Init: Error, then back-off.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: init-fail
spec:
  nodeName: node01
  initContainers:
  - name: check-db
    image: busybox
    command: ["sh", "-c", "echo waiting for db; exit 1"]
  containers:
  - name: app
    image: nginx
EOF
sleep 2
kubectl get pod init-fail
sleep 30
kubectl get pod init-fail
kubectl logs init-fail -c check-db
# Readiness gates READY and the Service's endpoints.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: ready-web
  labels:
    app: web
spec:
  nodeName: node01
  containers:
  - name: nginx
    image: nginx
    readinessProbe:
      httpGet:
        path: /
        port: 80
      initialDelaySeconds: 10
      periodSeconds: 5
---
apiVersion: v1
kind: Pod
metadata:
  name: never-ready
  labels:
    app: web
spec:
  nodeName: node01
  containers:
  - name: nginx
    image: nginx
    readinessProbe:
      httpGet:
        path: /
        port: 8080
      periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
EOF
sleep 5
kubectl get pods -l app=web
kubectl get endpoints web
sleep 15
kubectl get pods -l app=web
kubectl get endpoints web
kubectl get events --field-selector involvedObject.name=never-ready,reason=Unhealthy
# envFrom: every key of a ConfigMap and a Secret as environment variables.
kubectl create configmap app-config --from-literal=APP_COLOR=blue --from-literal=APP_MODE=prod
kubectl create secret generic app-secret --from-literal=DB_PASSWORD=s3cr3t
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: envpod
spec:
  nodeName: node01
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    envFrom:
    - configMapRef:
        name: app-config
    - secretRef:
        name: app-secret
EOF
sleep 5
kubectl exec envpod -- env | grep -E '^(APP|DB)_'
