# etcd is a static pod too: with its manifest moved away the apiserver has
# no storage, and kubectl cannot get an answer.
mv /etc/kubernetes/manifests/etcd.yaml /root/
sleep 30
kubectl get nodes
crictl ps --name etcd
mv /root/etcd.yaml /etc/kubernetes/manifests/
sleep 60
kubectl get nodes
# A typo in etcd's flags: it exits at start.
sed -i 's/--snapshot-count=10000/--snapshot-count-x=10000/' /etc/kubernetes/manifests/etcd.yaml
sleep 40
kubectl get nodes
crictl logs $(crictl ps -a --name etcd -q | head -1)
sed -i 's/--snapshot-count-x=10000/--snapshot-count=10000/' /etc/kubernetes/manifests/etcd.yaml
sleep 60
kubectl get nodes
# kube-controller-manager with a bad flag crash-loops and reconciles
# nothing: a new Deployment gets no ReplicaSet and no pods.
sed -i 's/--use-service-account-credentials=true/--use-service-account-credential=true/' /etc/kubernetes/manifests/kube-controller-manager.yaml
sleep 40
kubectl get pods -n kube-system kube-controller-manager-controlplane
kubectl logs -n kube-system kube-controller-manager-controlplane
kubectl create deployment web --image=nginx --replicas=2
sleep 20
kubectl get deploy,rs,pods
sed -i 's/--use-service-account-credential=true/--use-service-account-credentials=true/' /etc/kubernetes/manifests/kube-controller-manager.yaml
sleep 60
kubectl get pods -n kube-system kube-controller-manager-controlplane
kubectl get deploy web
# kube-scheduler with a bad flag: CrashLoopBackOff, and pods stay Pending.
sed -i 's/--leader-elect=true/--leader-elekt=true/' /etc/kubernetes/manifests/kube-scheduler.yaml
sleep 40
kubectl get pods -n kube-system kube-scheduler-controlplane
kubectl logs -n kube-system kube-scheduler-controlplane
kubectl run db --image=nginx
sleep 10
kubectl get pod db
sed -i 's/--leader-elekt=true/--leader-elect=true/' /etc/kubernetes/manifests/kube-scheduler.yaml
sleep 60
kubectl get pods -n kube-system kube-scheduler-controlplane
kubectl get pod db -o wide
