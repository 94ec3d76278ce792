# The kubelet troubleshooting classics: a wrong CA path, a wrong apiserver
# port, a broken config file; systemctl status and journalctl show why.
ssh node01
journalctl -u kubelet --no-pager
sed -i 's#clientCAFile: /etc/kubernetes/pki/ca.crt#clientCAFile: /etc/kubernetes/pki/CA.crt#' /var/lib/kubelet/config.yaml
systemctl restart kubelet
systemctl status kubelet
sleep 25
journalctl -u kubelet -n 6
systemctl is-active kubelet
sed -i 's#pki/CA.crt#pki/ca.crt#' /var/lib/kubelet/config.yaml
sleep 10
systemctl status kubelet | head -5
sed -i 's/6443/6444/' /etc/kubernetes/kubelet.conf
systemctl restart kubelet
sleep 60
journalctl -xeu kubelet | tail -2
exit
kubectl get nodes
ssh node01
sed -i 's/6444/6443/' /etc/kubernetes/kubelet.conf
systemctl restart kubelet
echo -e 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath /etc/kubernetes/manifests\n  x: y' > /var/lib/kubelet/config.yaml
systemctl restart kubelet
journalctl -u kubelet | tail -4
systemctl stop kubelet
systemctl status kubelet --no-pager | head -5
journalctl -u containerd
exit
kubectl get nodes
