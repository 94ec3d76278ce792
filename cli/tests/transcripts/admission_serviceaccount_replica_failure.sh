# A pod naming a ServiceAccount that does not exist is refused by the ServiceAccount admission plugin;
# a Deployment whose pods are refused (missing account, exceeded quota) retries with the
# workqueue's back-off and reports ReplicaFailure on its ReplicaSet and on itself.
kubectl run p1 --image=nginx --overrides='{"spec":{"serviceAccountName":"robot"}}'
cat <<'Y' > /tmp/p.yaml
apiVersion: v1
kind: Pod
metadata:
  name: p2
spec:
  serviceAccountName: robot
  containers:
  - name: c
    image: nginx
Y
kubectl apply -f /tmp/p.yaml
kubectl create deployment web --image=nginx
kubectl patch deployment web -p '{"spec":{"template":{"spec":{"serviceAccountName":"robot"}}}}'
sleep 5
kubectl get rs
kubectl describe rs | tail -5
kubectl create sa robot
kubectl create secret docker-registry reg --docker-server=r.io --docker-username=u --docker-password=p
kubectl patch sa robot -p '{"imagePullSecrets":[{"name":"reg"}],"automountServiceAccountToken":false}'
kubectl apply -f /tmp/p.yaml
kubectl get pod p2 -o jsonpath='{.spec.imagePullSecrets}{"\n"}{.spec.volumes}{"\n"}'
sleep 20
kubectl get pods
kubectl create ns fresh
kubectl run q --image=nginx -n fresh
kubectl get pods -n fresh
kubectl create ns team
kubectl create deployment web -n team --image=nginx --replicas=2
kubectl create quota q -n team --hard=pods=3
kubectl scale deployment web -n team --replicas=5
sleep 10
kubectl get deploy,rs -n team
kubectl describe deployment web -n team
kubectl get deployment web -n team -o yaml | sed -n '/conditions/,$p'
kubectl get events -n team --field-selector reason=FailedCreate
kubectl describe quota -n team
kubectl delete quota q -n team
sleep 20
kubectl get deploy web -n team
kubectl get deployment web -n team -o jsonpath='{range .status.conditions[*]}{.type}{" "}{.status}{"\n"}{end}'
