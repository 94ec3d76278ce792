# `--` ends kubectl's flags: -h after it belongs to the container's command.
sleep 60
kubectl exec kube-apiserver-controlplane -n kube-system -- kube-apiserver -h | grep enable-admission-plugins | cut -c1-120
kubectl exec kube-apiserver-controlplane -n kube-system -- kube-apiserver -h | head -9
# kubectl logs by selector, by controller, and with time/size windows.
kubectl create deployment web --image=busybox --replicas=3 -- sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 5; done'
sleep 60
kubectl logs -l app=web --prefix --tail=2
kubectl logs -l app=web | wc -l
kubectl logs -l app=web -f
kubectl logs -l app=web -f --max-log-requests=2 --tail=1
kubectl logs -l app=web -f --max-log-requests=3 --tail=1
kubectl logs -l app=nope
kubectl logs web -l app=web
kubectl logs deploy/web --tail=2
kubectl logs deployment/nope
kubectl logs rs/$(kubectl get rs -o name | cut -d/ -f2) --tail=1
kubectl create job once --image=busybox -- echo done
sleep 20
kubectl logs job/once
kubectl logs deploy/web --since=11s
kubectl logs deploy/web --since=abc
kubectl logs deploy/web --since=10s --since-time=2025-04-23T08:00:00Z
kubectl logs deploy/web --timestamps --tail=1 --limit-bytes=20; echo
kubectl logs deploy/web --tail=3 --limit-bytes=15; echo
kubectl logs web-nope -c a b
