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
# -o yaml|json|name stream whole objects: the listing object by object
# (YAML documents separated by ---), then one object per change.
kubectl run one --image=nginx -l watch=me
kubectl get pods -l watch=me -w -o name

kubectl label pod one color=blue

^C
kubectl get pod one -w -o yaml | grep -E '^---|^  name:|color|resourceVersion'
kubectl label pod one size=big
kubectl delete pod one --wait=false

^C
kubectl get pods -l app=app --watch-only -o json
kubectl delete pods -l app=app --wait=false

^C
kubectl get pods -w -o jsonpath='{.items[*].metadata.name}'
