# PodDisruptionBudgets: kubectl create pdb (and its errors), the disruption
# controller's status (get, -o yaml, describe), and kubectl drain evicting
# through the budget: a refused eviction is retried every 5s until the
# budget allows it again, or until --timeout.
kubectl create pdb web --min-available=2
kubectl create pdb web --selector=app=web
kubectl create pdb web --selector=app=web --min-available=2 --max-unavailable=1
kubectl create pdb web --selector=app=web --min-available=two
kubectl create pdb web --selector='app in (web' --min-available=2
kubectl create pdb --selector=app=web --min-available=2
kubectl taint node controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl create deployment web --image=nginx --replicas=3
kubectl create pdb web --selector=app=web --min-available=2
sleep 30
kubectl get pods -o wide
kubectl get pdb
kubectl get pdb web -o yaml
kubectl describe pdb web
kubectl drain node01 --ignore-daemonsets --timeout=2m
kubectl get pdb
kubectl uncordon node01
# A percentage: 50% of the Deployment's 3 replicas, rounded up, may be unavailable.
kubectl delete pdb web
kubectl create pdb web --selector=app=web --max-unavailable=50%
kubectl get pdb
# A budget that allows nothing: drain gives up at --timeout.
kubectl delete pdb web
kubectl create pdb web --selector=app=web --min-available=100%
sleep 30
kubectl get pdb
kubectl drain controlplane --ignore-daemonsets --pod-selector=app=web --timeout=12s; echo "exit $?"
kubectl get pods -o wide
