# kubernetes.io's liveness-exec example, as learners copy it: the image must pull,
# the probe fails once /tmp/healthy is gone, the kubelet kills and restarts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
EOF
# The HTTP variant: agnhost's liveness server answers 500 after ten seconds.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-http
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/e2e-test-images/agnhost:2.40
    args:
    - liveness
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
        httpHeaders:
        - name: Custom-Header
          value: Awesome
      initialDelaySeconds: 3
      periodSeconds: 3
EOF
sleep 30
kubectl get pods
sleep 20
kubectl describe pod liveness-exec | sed -n '/^Events/,$p'
kubectl describe pod liveness-http | sed -n '/^Events/,$p'
sleep 40
kubectl get pods
kubectl describe pod liveness-exec | sed -n '/^Events/,$p'
# A missing ConfigMap in env: CreateContainerConfigError once the image is there.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: env-cm
spec:
  containers:
  - name: app
    image: busybox:1.28
    command: ["sh", "-c", "env; sleep 3600"]
    env:
    - name: COLOR
      valueFrom:
        configMapKeyRef:
          name: missing
          key: color
EOF
sleep 15
kubectl get pod env-cm
kubectl describe pod env-cm | sed -n '/^Events/,$p'
kubectl create configmap missing --from-literal=color=blue
sleep 15
kubectl get pod env-cm
kubectl exec env-cm -- printenv COLOR
# A missing ConfigMap volume: nothing is pulled until it mounts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: cm-vol
spec:
  containers:
  - name: app
    image: nginx
    volumeMounts:
    - name: config
      mountPath: /etc/config
  volumes:
  - name: config
    configMap:
      name: app-config
EOF
sleep 70
kubectl get pod cm-vol
kubectl describe pod cm-vol | sed -n '/^Events/,$p'
kubectl create configmap app-config --from-literal=color=green
sleep 70
kubectl get pod cm-vol
kubectl describe pod cm-vol | sed -n '/^Events/,$p'
kubectl exec cm-vol -- cat /etc/config/color
