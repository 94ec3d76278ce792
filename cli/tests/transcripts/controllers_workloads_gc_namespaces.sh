# kube-controller-manager's controllers through kubectl (no scheduler yet:
# pods stay Pending, which keeps the counts exact).
kubectl create deployment web --image=nginx --replicas=3
kubectl get deploy,rs
kubectl get pods --no-headers | wc -l
kubectl delete deployment web
kubectl get rs,pods
kubectl create deployment keep --image=nginx --replicas=2
kubectl delete deployment keep --cascade=orphan
kubectl get rs
kubectl create namespace dev
kubectl get sa,cm -n dev
kubectl create cronjob hello --image=busybox --schedule="*/1 * * * *" -- date
sleep 60
kubectl get cronjob hello
kubectl get jobs
kubectl create job pi --image=perl -- perl -e 1
kubectl get jobs
kubectl delete namespace dev
kubectl get ns dev
kubectl cordon node01
kubectl get node node01 -o jsonpath='{.spec.taints}{"\n"}'
kubectl uncordon node01
kubectl get node node01 -o jsonpath='{.spec.taints}{"\n"}'
kubectl get ep,endpointslices -n kube-system
