# A Node created by hand gets the v1.33 defaults: spec: {} and the
# zero-valued daemonEndpoints/nodeInfo structs, allocatable from capacity.
cat <<EOF | kubectl create -f -
apiVersion: v1
kind: Node
metadata:
  name: node02
EOF
kubectl get node node02 -o yaml
cat <<EOF | kubectl create -f -
apiVersion: v1
kind: Node
metadata:
  name: node03
status:
  capacity:
    cpu: "2"
    memory: 4Gi
    pods: "110"
EOF
kubectl get node node03 -o jsonpath='{.status.allocatable}'; echo
kubectl delete node node02 node03
# autoscaling/v1: created and read back in v1 (minReplicas 1, 80% CPU when
# no target is given, the v1 status); kubectl's default is autoscaling/v2.
kubectl create deployment php-apache --image=registry.k8s.io/hpa-example
cat <<EOF | kubectl create -f - -o yaml
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: php-apache
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  maxReplicas: 10
EOF
kubectl get hpa
kubectl get hpa php-apache -o jsonpath='{.apiVersion} {.spec.metrics}'; echo
kubectl get hpa.v1.autoscaling php-apache -o yaml
kubectl patch hpa.v1.autoscaling php-apache -p '{"spec":{"targetCPUUtilizationPercentage":50}}'
kubectl get hpa php-apache -o jsonpath='{.spec.metrics[0].resource.target}'; echo
kubectl get hpa.v1.autoscaling php-apache -o jsonpath='{.spec.targetCPUUtilizationPercentage} {.status}'; echo
cat <<EOF | kubectl create -f -
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: typo
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: php-apache
  maxReplicas: 10
  targetCPUUtilization: 50
EOF
kubectl autoscale deployment php-apache --name=auto --max=3
kubectl get hpa.v1.autoscaling auto -o jsonpath='{.apiVersion} {.spec}'; echo
kubectl delete hpa.v1.autoscaling auto
