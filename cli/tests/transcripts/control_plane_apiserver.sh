# kube-apiserver is a static pod. A typo in one of its flags makes the
# binary exit at start; the kubelet restarts it with a growing back-off
# (CrashLoopBackOff), and kubectl meets a closed port.
sed -i 's/--allow-privileged=true/--allow-privilegd=true/' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 40
kubectl get nodes
kubectl version
# The node's tools keep working: the container runtime shows the crash and
# the binary's own error.
crictl ps -a --name kube-apiserver
crictl logs $(crictl ps -a --name kube-apiserver -q | head -1)
# Repaired, the kubelet starts it again; after its start-up the API answers.
sed -i 's/--allow-privilegd=true/--allow-privileged=true/' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get nodes
kubectl get pods -n kube-system kube-apiserver-controlplane
# A wrong --etcd-servers: the apiserver cannot reach its storage and gives up.
sed -i 's#--etcd-servers=https://127.0.0.1:2379#--etcd-servers=https://127.0.0.1:2380#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get pods
crictl logs $(crictl ps -a --name kube-apiserver -q | head -1) | tail -2
sed -i 's#--etcd-servers=https://127.0.0.1:2380#--etcd-servers=https://127.0.0.1:2379#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get nodes
# A certificate path that does not exist.
sed -i 's#/etc/kubernetes/pki/apiserver.crt#/etc/kubernetes/pki/apiserver.cert#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get pods
crictl logs $(crictl ps -a --name kube-apiserver -q | head -1)
sed -i 's#/etc/kubernetes/pki/apiserver.cert#/etc/kubernetes/pki/apiserver.crt#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get nodes
# A wrong image: the pull fails and no container runs.
sed -i 's#registry.k8s.io/kube-apiserver:v1.33.1#registry.k8s.io/kube-apiserver:v1.33.100#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get nodes
crictl ps -a --name kube-apiserver
sed -i 's#registry.k8s.io/kube-apiserver:v1.33.100#registry.k8s.io/kube-apiserver:v1.33.1#' /etc/kubernetes/manifests/kube-apiserver.yaml
sleep 60
kubectl get nodes
# The manifest moved away: the kubelet stops the pod.
mv /etc/kubernetes/manifests/kube-apiserver.yaml /root/
sleep 30
kubectl get pods
mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/
sleep 60
kubectl get pods -n kube-system
