# Pathname expansion, grep -l/-L/-x, and ssh running one command remotely.
ls /etc/kubernetes/manifests/kube-*
echo /etc/kubernetes/manifests/*.json
echo '/etc/kubernetes/manifests/*.yaml'
grep -l 'component: kube-scheduler' /etc/kubernetes/manifests/*.yaml
grep -L 'etcd' /etc/kubernetes/manifests/*.yaml
grep -c 'image:' /etc/kubernetes/manifests/*.yaml
grep -h 'image:' /etc/kubernetes/manifests/etcd.yaml /etc/kubernetes/manifests/kube-scheduler.yaml
grep -x '  name: etcd' /etc/kubernetes/manifests/etcd.yaml
ssh node01 'cat /var/lib/kubelet/config.yaml | grep staticPodPath'
hostname
ssh node01 ls /etc/kubernetes/manifests
