# describe: a pod, a deployment with its events, a service, a node, errors.
kubectl run nginx --image=nginx --port=80 --labels=app=web
kubectl describe pod nginx
kubectl describe pod nope
kubectl describe pods ngin
kubectl create deployment web --image=nginx:1.25 --replicas=2
sleep 5
kubectl describe deployment web
kubectl expose deployment web --port=80 --target-port=8080 --type=NodePort
kubectl describe svc web
kubectl describe node node01
kubectl describe
# rollout: history, image change, undo, restart, pause/resume
kubectl rollout history deployment/web
kubectl set image deployment/web nginx=nginx:1.27
sleep 5
kubectl set image deployment/web nope=nginx:1.27
kubectl rollout history deployment web
kubectl rollout undo deployment/web
sleep 5
kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'; echo
kubectl rollout undo deployment/web --to-revision=9
kubectl rollout pause deployment/web
kubectl rollout pause deployment/web
kubectl rollout undo deployment/web
kubectl rollout resume deployment/web
kubectl rollout restart deployment/web
kubectl rollout status deployment/nope
kubectl rollout status
kubectl rollout undo deployment/nope
# patch
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web -p '{"spec":{"replicas":3}}'
kubectl patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1}]'
kubectl patch deployment web
kubectl patch deployment web -p '{}' --type=foo
# edit through $KUBE_EDITOR: a change, no change, an invalid pod edit kept in /tmp, then replace --force
KUBE_EDITOR="sed -i 's/^  replicas: 1/  replicas: 4/'" kubectl edit deployment web
kubectl get deploy web -o jsonpath='{.spec.replicas}'; echo
KUBE_EDITOR=true kubectl edit deployment web
KUBE_EDITOR="sed -i 's/containerPort: 80/containerPort: 81/'" kubectl edit pod nginx
ls /tmp
grep -A2 'was not valid' /tmp/kubectl-edit-3928112884.yaml
kubectl replace --force -f /tmp/kubectl-edit-3928112884.yaml
kubectl get pod nginx -o jsonpath='{.spec.containers[0].ports[0].containerPort}'; echo
kubectl get pod nginx -o yaml > pod.yaml
kubectl replace -f pod.yaml
kubectl replace
# config
kubectl config current-context
kubectl config get-contexts
kubectl config set-context --current --namespace=kube-system
kubectl get deploy
kubectl config set-context --current --namespace=default
kubectl config use-context nope
kubectl config view
# the small verbs
kubectl top node
kubectl top pod
kubectl cluster-info
kubectl auth can-i create pods
kubectl completion bash | head -1
kubectl wait --for=delete pod/nginx --timeout=5s
kubectl wait --for=condition=Available deployment/web --timeout=3s
kubectl api-versions
# describe quota and limitrange (no Events section for these)
kubectl create quota compute --hard=cpu=2,memory=1Gi,pods=10
kubectl describe quota compute
kubectl apply -f - <<LR
apiVersion: v1
kind: LimitRange
metadata:
  name: cpu-limits
spec:
  limits:
  - type: Container
    default:
      cpu: 500m
    defaultRequest:
      cpu: 250m
    max:
      cpu: "1"
LR
kubectl describe limitrange cpu-limits
