# A second scheduler deployed the CKA-course way (kubernetes.io, "Configure
# Multiple Schedulers"): a ServiceAccount bound to system:kube-scheduler, a
# KubeSchedulerConfiguration in a ConfigMap, and a Deployment running the
# kube-scheduler image with that file as --config.
kubectl run early --image=nginx --dry-run=client -o yaml > early.yaml
sed -i 's/^spec:/spec:\n  schedulerName: my-scheduler/' early.yaml
kubectl apply -f early.yaml
sleep 5
kubectl get pod early
kubectl get events --field-selector involvedObject.name=early
cat > my-scheduler-config.yaml <<EOF
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: my-scheduler
leaderElection:
  leaderElect: false
EOF
kubectl create configmap my-scheduler-config -n kube-system --from-file=my-scheduler-config.yaml
kubectl create serviceaccount my-scheduler -n kube-system
kubectl create clusterrolebinding my-scheduler-as-kube-scheduler --clusterrole=system:kube-scheduler --serviceaccount=kube-system:my-scheduler
cat > my-scheduler.yaml <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    component: scheduler
    tier: control-plane
  name: my-scheduler
  namespace: kube-system
spec:
  selector:
    matchLabels:
      component: scheduler
      tier: control-plane
  replicas: 1
  template:
    metadata:
      labels:
        component: scheduler
        tier: control-plane
        version: second
    spec:
      serviceAccountName: my-scheduler
      containers:
      - command:
        - /usr/local/bin/kube-scheduler
        - --config=/etc/kubernetes/my-scheduler/my-scheduler-config.yaml
        image: registry.k8s.io/kube-scheduler:v1.33.1
        name: kube-second-scheduler
        volumeMounts:
        - name: config-volume
          mountPath: /etc/kubernetes/my-scheduler
      volumes:
      - name: config-volume
        configMap:
          name: my-scheduler-config
EOF
kubectl apply -f my-scheduler.yaml
sleep 20
kubectl get pods -n kube-system -l component=scheduler
kubectl logs -n kube-system deploy/my-scheduler
# The waiting pod is now scheduled, by my-scheduler.
kubectl get pod early -o wide
kubectl get events -o wide --field-selector involvedObject.name=early,reason=Scheduled
kubectl get events --field-selector involvedObject.name=early,reason=Scheduled -o jsonpath='{.items[0].reportingComponent}{"\n"}'
# Deleting the Deployment stops it: new pods for my-scheduler wait again.
kubectl delete deployment my-scheduler -n kube-system
sleep 35
kubectl get pods -n kube-system -l component=scheduler
kubectl run late --image=nginx --dry-run=client -o yaml > late.yaml
sed -i 's/^spec:/spec:\n  schedulerName: my-scheduler/' late.yaml
kubectl apply -f late.yaml
sleep 10
kubectl get pod late
# A config the binary cannot decode: the scheduler crash-loops with the
# decoder's error, and nothing is scheduled.
kubectl create configmap my-scheduler-config -n kube-system --from-literal=my-scheduler-config.yaml='apiVersion: kubescheduler.config.k8s.io/v1beta3
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: my-scheduler
' --dry-run=client -o yaml | kubectl replace -f -
kubectl apply -f my-scheduler.yaml
sleep 30
kubectl get pods -n kube-system -l component=scheduler
kubectl logs -n kube-system deploy/my-scheduler
kubectl get pod late
# Leader election left on (the default): it waits for kube-scheduler's lease.
kubectl create configmap my-scheduler-config -n kube-system --from-literal=my-scheduler-config.yaml='apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: my-scheduler
' --dry-run=client -o yaml | kubectl replace -f -
kubectl rollout restart deployment my-scheduler -n kube-system
sleep 30
kubectl get pods -n kube-system -l component=scheduler
kubectl logs -n kube-system deploy/my-scheduler
kubectl get pod late
# Without the ClusterRoleBinding it may not list pods or bind them.
kubectl create configmap my-scheduler-config -n kube-system --from-file=my-scheduler-config.yaml --dry-run=client -o yaml | kubectl replace -f -
kubectl delete clusterrolebinding my-scheduler-as-kube-scheduler
kubectl rollout restart deployment my-scheduler -n kube-system
sleep 30
kubectl get pods -n kube-system -l component=scheduler
kubectl get pod late
kubectl create clusterrolebinding my-scheduler-as-kube-scheduler --clusterrole=system:kube-scheduler --serviceaccount=kube-system:my-scheduler
sleep 5
kubectl get pod late -o wide
