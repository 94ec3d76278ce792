# A worker whose kubelet stops: NotReady after node-monitor-grace-period
# (50 s in v1.33), the unreachable taints, eviction when the pods' 300 s
# toleration (DefaultTolerationSeconds) runs out, replacements elsewhere;
# the evicted pods stay Terminating until the kubelet comes back.
kubectl taint node controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl create deployment web --image=nginx --replicas=4
kubectl run bare --image=nginx --overrides='{"spec":{"nodeName":"node01"}}'
sleep 30
kubectl get pods -o wide
kubectl get pod bare -o jsonpath='{range .spec.tolerations[*]}{.key}:{.effect}:{.tolerationSeconds}{"\n"}{end}'
ssh node01 systemctl stop kubelet
sleep 40
kubectl get nodes
sleep 20
kubectl get nodes
kubectl describe node node01 | grep -A1 Taints
kubectl describe node node01 | sed -n '/^Conditions:/,/^Addresses:/p'
kubectl get events --field-selector involvedObject.kind=Node,involvedObject.name=node01 | grep -v Starting
kubectl get pods -o wide
sleep 240
kubectl get pods -o wide
sleep 60
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.name=bare | tail -3
kubectl get deploy web
ssh node01 systemctl start kubelet
sleep 20
kubectl get nodes
kubectl describe node node01 | grep -A1 Taints
kubectl get pods -o wide
