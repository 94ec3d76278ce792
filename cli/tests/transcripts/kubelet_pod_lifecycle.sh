# Pods bound to node01 (the scheduler's own transcript binds by itself).
kubectl run web --image=nginx --overrides='{"spec":{"nodeName":"node01"}}'
kubectl get pods
sleep 5
kubectl get pods -o wide
kubectl get events
kubectl run bad --image=redis123 --overrides='{"spec":{"nodeName":"node01"}}'
sleep 3
kubectl get pod bad
sleep 3
kubectl get pod bad
kubectl get events --field-selector involvedObject.name=bad
kubectl run bb --image=busybox --overrides='{"spec":{"nodeName":"node01"}}'
kubectl run once --image=busybox --restart=Never --overrides='{"spec":{"nodeName":"node01"}}'
sleep 5
kubectl get pods
sleep 60
kubectl get pods
kubectl get events --field-selector involvedObject.name=bb
kubectl get leases -n kube-node-lease
