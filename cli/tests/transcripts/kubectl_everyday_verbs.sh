# Everyday verbs and flags not covered elsewhere: get all, api-resources,
# create token, scale -f, logs -p, exec -it, apply -f DIR, -o json of a live
# object, version.
kubectl create deployment web --image=nginx --replicas=2
kubectl expose deployment web --port=80
sleep 30
kubectl get all
kubectl api-resources | head -8
kubectl api-resources --namespaced=false -o name | head -5
kubectl api-resources --api-group=apps
kubectl create serviceaccount robot
kubectl create token robot | cut -d. -f1
kubectl get deployment web -o yaml > web.yaml
kubectl scale --replicas=3 -f web.yaml
kubectl get deployment web
kubectl run crash --image=busybox -- sh -c 'echo boom; exit 1'
sleep 40
kubectl get pod crash
kubectl logs crash -p
kubectl logs crash --previous=false
kubectl exec -it crash -- echo hi
mkdir manifests
kubectl create configmap a --from-literal=x=1 --dry-run=client -o yaml > manifests/a.yaml
kubectl create configmap b --from-literal=y=2 --dry-run=client -o yaml > manifests/b.yaml
kubectl apply -f manifests/
kubectl get configmap a -o json
kubectl version --client
kubectl version -o yaml | head -4
