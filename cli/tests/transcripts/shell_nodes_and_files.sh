# Nodes are machines: ssh moves the session, each has its own files.
hostname
cat /var/lib/kubelet/config.yaml | grep staticPodPath
ls /etc/kubernetes/manifests
ssh node01
hostname
ls /etc/kubernetes/manifests
kubectl get nodes
exit
hostname
ssh node02
# Files, redirections and exam habits.
echo -n 'passwd' | base64
echo cGFzc3dk | base64 --decode
echo
mkdir -p /opt/backup && echo first > /opt/backup/notes.txt && echo second >> /opt/backup/notes.txt
cat /opt/backup/notes.txt | wc -l
cat /opt/backup/missing.txt
alias k=kubectl
k get no
kubectl get nodes --no-headers 2>/dev/null | wc -l
foo
echo done; false || echo recovered
| grep x
