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



^C
kubectl scale deployment app --replicas=3
kubectl get deployment app -w -o yaml



^C
kubectl run two --image=nginx -l watch=json
kubectl get pods -l watch=json --watch-only -o json


^C
kubectl get pods -w -o jsonpath='{.items[*].metadata.name}'
^C
# -o jsonpath runs the template on each object alone (so {.items[*]…}
# finds nothing, as above); -o custom-columns streams rows under its header.
kubectl run three --image=nginx -l watch=jp
kubectl get pods -l watch=jp -w -o jsonpath='{.metadata.name} {.status.phase}{"\n"}'




^C
kubectl run four --image=nginx -l watch=cc
kubectl get pods -l watch=cc -w -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName




^C
kubectl get pods -l watch=cc --watch-only -o custom-columns=NAME:.metadata.name --no-headers

^C
