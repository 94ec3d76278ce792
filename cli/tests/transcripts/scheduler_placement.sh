# The default scheduler binds a new pod and says so in an event.
kubectl run web --image=nginx
kubectl get pod web -o wide
kubectl get events
# Two pods take most of node01's 2 CPUs; a third finds no room anywhere:
# the control plane is tainted, node01 is short of CPU, and nothing of lower
# priority could be preempted there.
kubectl run a --image=nginx --overrides='{"spec":{"containers":[{"name":"a","image":"nginx","resources":{"requests":{"cpu":"800m"}}}]}}'
kubectl run b --image=nginx --overrides='{"spec":{"containers":[{"name":"b","image":"nginx","resources":{"requests":{"cpu":"800m"}}}]}}'
kubectl run c --image=nginx --overrides='{"spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"800m"}}}]}}'
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.name=c
kubectl get pod c -o jsonpath='{.status.conditions[0].reason}{"\n"}{.status.conditions[0].message}{"\n"}'
# nodeSelector with no matching node; labelling the node schedules it.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: ssd
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: ssd
    image: nginx
EOF
kubectl get events --field-selector involvedObject.name=ssd
# Labelling node01 is a node update: the pod leaves the unschedulable pool,
# waits out its 1 s backoff, and lands.
kubectl label node node01 disktype=ssd
kubectl get pod ssd -o wide
sleep 1
kubectl get pod ssd -o wide
kubectl get events --field-selector involvedObject.name=ssd
# A toleration and a node affinity put a pod on the control plane.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: on-cp
spec:
  tolerations:
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: node-role.kubernetes.io/control-plane
            operator: Exists
  containers:
  - name: on-cp
    image: nginx
EOF
kubectl get pod on-cp -o wide
kubectl get events --field-selector involvedObject.name=on-cp
# spec.nodeName bypasses the scheduler: no Scheduled event.
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: manual
spec:
  nodeName: controlplane
  containers:
  - name: manual
    image: nginx
EOF
kubectl get pod manual -o wide
kubectl get events --field-selector involvedObject.name=manual
# A cordoned node takes no new pods; uncordoning it schedules the waiting pod.
kubectl cordon node01
kubectl run late --image=nginx
kubectl get events --field-selector involvedObject.name=late
kubectl uncordon node01
sleep 1
kubectl get pod late -o wide
# A taint keeps pods without a matching toleration away; Exists tolerates any value.
kubectl taint nodes node01 app=blue:NoSchedule
kubectl run plain --image=nginx
kubectl get events --field-selector involvedObject.name=plain
kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: tolerant
spec:
  tolerations:
  - key: app
    operator: Exists
    effect: NoSchedule
  containers:
  - name: tolerant
    image: nginx
EOF
kubectl get pod tolerant -o wide
