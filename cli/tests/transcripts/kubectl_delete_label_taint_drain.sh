# delete: by name, force with its warning, usage errors, --all, -f, -l.
kubectl run nginx --image=nginx
kubectl delete pod nginx
kubectl run a --image=nginx
kubectl delete pod a --force --grace-period=0
kubectl delete pods
kubectl delete pod zz
kubectl delete pod zz --ignore-not-found
kubectl delete pods --all
kubectl delete pod x --now --grace-period=3
kubectl delete
kubectl run b --image=nginx --labels=app=b
kubectl run c --image=nginx --labels=app=c
kubectl delete pods -l app=b
kubectl run d --image=nginx --dry-run=client -o yaml > d.yaml
kubectl create -f d.yaml
kubectl delete -f d.yaml -o name
kubectl delete pod c --dry-run=client
# scale
kubectl create deployment web --image=nginx --replicas=2
kubectl scale deployment web --replicas=3
kubectl scale deploy web
kubectl scale deploy web --replicas=2 --current-replicas=5
kubectl get deploy web -o jsonpath='{.spec.replicas}'; echo
# label / annotate
kubectl label nodes node01 size=Large
kubectl label nodes node01 size=Small
kubectl label nodes node01 size=Small --overwrite
kubectl label nodes node01 size-
kubectl label nodes node01 size=Large size-
kubectl label pods
kubectl label pods c
kubectl annotate deploy web team=a
kubectl annotate deploy web team=b
kubectl annotate deploy web team-
# taint (the notes' typo, the missing node, add twice, remove twice)
kubectl taint nodes node01 app=blue:NoSchdule
kubectl taint nodes node1 app=blue:NoSchedule
kubectl taint nodes node01 app=blue:NoSchedule
kubectl taint nodes node01 app=blue:NoSchedule
kubectl taint nodes node01 app=red:NoSchedule --overwrite
kubectl taint nodes controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl taint nodes controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl taint nodes node01 app-
kubectl taint pods c a=b:NoSchedule
# cordon / drain refusals / uncordon
kubectl cordon node01
kubectl cordon node01
kubectl run bare --image=nginx --overrides='{"spec":{"nodeName":"node01"}}'
kubectl drain node01
kubectl drain node01 --ignore-daemonsets --force --dry-run=client
kubectl uncordon node01
kubectl uncordon node01
kubectl cordon
