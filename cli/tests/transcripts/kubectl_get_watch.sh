# kubectl get -w streams one row per change while time passes; ^C stops it.
kubectl get pods -w
^C
kubectl run web --image=nginx
kubectl get pods -w




^C
echo $?
kubectl create deployment app --image=httpd --replicas=2
kubectl get pods --watch-only -l app=app -o wide




^C
kubectl get deploy --watch-only

^C
kubectl get pods,svc -w
kubectl get pods -w -o yaml
