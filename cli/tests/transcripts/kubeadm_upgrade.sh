# A cluster upgrade the kubeadm way (the course's "kubeadm으로 업그레이드"):
# kubeadm first, then the control plane, then each kubelet. kubectl shows a
# node's kubelet version, so VERSION moves only after the kubelet package
# is upgraded and the service restarted.
kubectl get nodes
sudo kubeadm upgrade plan
apt-cache madison kubeadm
# The packages are held: apt refuses until they are unheld.
apt-get install -y kubeadm=1.33.6-1.1
apt-get install -y kubeadm=1.33.9-1.1
sudo apt-mark unhold kubeadm && sudo apt-get update && sudo apt-get install -y kubeadm='1.33.6-1.1' && sudo apt-mark hold kubeadm
kubeadm version -o short
kubeadm upgrade apply v1.34.1
# kubeadm asks before it changes anything; the terminal's next line is
# the answer (y or yes, any case). A pipe answers without an echo.
kubeadm upgrade apply v1.33.6
no
echo n | kubeadm upgrade apply v1.33.6
kubeadm upgrade apply v1.33.6 && kubectl version
Y
grep image: /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/etcd.yaml
ls /etc/kubernetes/tmp
kubectl get nodes
kubectl drain controlplane --ignore-daemonsets
apt-mark unhold kubelet kubectl
apt-get install -y kubelet=1.33.6-1.1 kubectl=1.33.6-1.1
apt-mark hold kubelet kubectl
systemctl daemon-reload && systemctl restart kubelet
sleep 5
kubectl uncordon controlplane
kubectl get nodes
kubectl -n kube-system get ds kube-proxy -o jsonpath='{.spec.template.spec.containers[0].image}{"\n"}'
# The worker: drain from the control plane, upgrade on the node.
kubectl drain node01 --ignore-daemonsets
ssh node01
apt-mark unhold kubeadm kubelet
apt-get update > /dev/null
apt-get install -y kubeadm=1.33.6-1.1 kubelet=1.33.6-1.1 | tail -3
kubeadm upgrade node
kubeadm upgrade apply v1.33.6 -y
kubelet --version
systemctl restart kubelet
exit
sleep 5
kubectl uncordon node01
kubectl get nodes
# The next minor lives in its own channel of the repository.
sed -i 's/v1.33/v1.34/' /etc/apt/sources.list.d/kubernetes.list
apt-cache madison kubeadm | head -2
apt-get update | tail -2
apt-cache madison kubeadm
apt-mark unhold kubeadm
apt-get install -y kubeadm=1.34.2-1.1 | tail -1
kubeadm upgrade plan | sed -n '7,30p'
dpkg -l | grep kube
