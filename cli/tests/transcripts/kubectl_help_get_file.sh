# kubectl's help, as kubectl 1.33 prints it (every command's whole text is
# compared byte for byte in engine/src/kubectl/help.rs).
kubectl --help | head -8
kubectl -h | tail -4
kubectl help | wc -l
kubectl help get | head -3
kubectl help rollout undo | tail -12
kubectl help nosuch 2>&1 | head -4
kubectl run --help | sed -n '/^Examples:/,/^$/p' | head -9
kubectl create deployment -h | sed -n '/^Aliases:/,/^$/p'
kubectl expose --help | grep -A1 load-balancer-ip
kubectl top pod -h | head -3
kubectl options | head -5
# Flags kubectl has but the simulation does not act on are refused, not ignored.
kubectl get pods --server-print=false
kubectl apply -f x.yaml --prune
kubectl get pods --chunk-size=500
kubectl logs --since=5x web
# -h after -- belongs to the container's command.
kubectl exec -n kube-system kube-apiserver-controlplane -- kube-apiserver -h | grep -c enable-admission-plugins
# get -f: the objects a file names, as the server has them.
cat > web.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
YAML
kubectl get -f web.yaml
kubectl apply -f web.yaml
kubectl get -f web.yaml
kubectl get -f web.yaml -o name
kubectl run solo --image=busybox --dry-run=client -o yaml > solo.yaml
kubectl get -f solo.yaml
kubectl apply -f solo.yaml
kubectl get -f solo.yaml -o jsonpath='{.kind} {.metadata.name}{"\n"}'
kubectl get -f solo.yaml -o yaml | head -3
kubectl describe -f solo.yaml | head -3
kubectl get -f web.yaml pods
kubectl delete -f web.yaml
# A command group alone prints its help, as cobra does (stream and status as kubectl's).
kubectl rollout | sed -n '1p;/^Available/,/^$/p'
kubectl config 2>&1 | head -2
kubectl config 2>/dev/null | wc -l
kubectl create secret 2>/dev/null | wc -l
kubectl top; echo "exit $?"
