# Memory over the limit: the container is OOMKilled (137) and restarts.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: elephant
spec:
  nodeName: node01
  containers:
  - name: mem-stress
    image: polinux/stress
    command: ["stress"]
    args: ["--vm", "1", "--vm-bytes", "15M", "--vm-hang", "1"]
    resources:
      limits:
        memory: 10Mi
      requests:
        memory: 5Mi
EOF
sleep 30
kubectl get pod elephant
kubectl describe pod elephant | grep -A4 'Last State'
kubectl get pod elephant -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}{"\n"}'
kubectl delete pod elephant --now
# No metrics-server on a kubeadm cluster: no Metrics API.
kubectl top node
kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml
sleep 10
kubectl top pod
sleep 15
kubectl get pods -n kube-system -l k8s-app=metrics-server
kubectl get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[0].reason}{"\n"}'
kubectl top node
kubectl top node --sort-by=memory --no-headers
kubectl top pod -n kube-system --sort-by=cpu
kubectl top pod -A -l k8s-app=kube-dns --containers
kubectl top pod
kubectl top pod nosuch
kubectl top node --sort-by=disk
# An HPA on a Deployment under load scales out, and back in after the
# 5-minute downscale stabilization once the load stops.
kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: nginx
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  minReplicas: 1
  maxReplicas: 4
  targetCPUUtilizationPercentage: 50
EOF
kubectl get hpa
sleep 45
kubectl get hpa
kubectl run load-generator --image=busybox -- /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"
sleep 90
kubectl get hpa
kubectl get deployment php-apache
kubectl get hpa php-apache -o jsonpath='{range .status.conditions[*]}{.type}={.status} {.reason}{"\n"}{end}'
kubectl delete pod load-generator --now
sleep 120
kubectl get hpa
sleep 240
kubectl get hpa
kubectl get events --field-selector involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale
