# kubectl logs/exec go through the node's kubelet; crictl reads containerd.
kubectl run web --image=nginx --overrides='{"spec":{"nodeName":"node01"}}'
kubectl logs web
sleep 5
kubectl logs web --tail=3
kubectl exec web -- cat /etc/hostname
kubectl exec web -- ls /nope
kubectl exec web -c nope -- env
kubectl run bb --image=busybox --overrides='{"spec":{"nodeName":"node01"}}' -- sh -c 'echo hello from $HOSTNAME; exit 3'
sleep 20
kubectl get pod bb
kubectl logs bb
kubectl logs bb --previous
kubectl logs nope
ssh node01
crictl ps
crictl pods
crictl images
crictl ps -a --name bb
systemctl stop kubelet
exit
kubectl logs web
