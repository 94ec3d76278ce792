# A rolling update of 4 replicas (maxSurge 25 % → 1, maxUnavailable 25 % → 1):
# never more than 5 pods, never fewer than 3 available; revisions with their
# change-cause; undo to a revision; Recreate.
kubectl create deployment web --image=nginx:1.27 --replicas=4
kubectl annotate deployment web kubernetes.io/change-cause="create nginx:1.27"
sleep 30
kubectl get rs
kubectl set image deployment/web nginx=nginx:1.28
kubectl annotate deployment web kubernetes.io/change-cause="image nginx:1.28" --overwrite
kubectl get rs
kubectl get pods
sleep 3
kubectl get rs
sleep 2
kubectl get rs
kubectl rollout status deployment web
sleep 30
kubectl get rs
kubectl get events --field-selector reason=ScalingReplicaSet --sort-by=.lastTimestamp
kubectl rollout history deployment web
kubectl rollout history deployment web --revision=2
kubectl set image deployment/web nginx=nginx:1.29
kubectl annotate deployment web kubernetes.io/change-cause="image nginx:1.29" --overwrite
sleep 30
kubectl rollout history deployment web
kubectl rollout undo deployment web --to-revision=1
sleep 30
kubectl rollout history deployment web
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
kubectl rollout undo deployment web --to-revision=7
kubectl patch deployment web -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'
kubectl set image deployment/web nginx=nginx:1.28
kubectl get pods
sleep 1
kubectl get rs
sleep 30
kubectl get rs
kubectl describe deployment web | grep -A1 StrategyType
