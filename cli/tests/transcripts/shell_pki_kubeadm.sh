# The cluster's certificates: openssl x509 and kubeadm certs, bootstrap tokens.
openssl x509 -in /etc/kubernetes/pki/apiserver.crt -text -noout
openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -subject -issuer -dates
openssl x509 -in /etc/kubernetes/pki/etcd/server.crt -text -noout | grep -A1 'Subject Alternative Name'
openssl x509 -in /etc/kubernetes/pki/ca.crt -text -noout | grep -E 'Issuer|Subject:|Not After|CA:'
openssl x509 -in /etc/kubernetes/pki/ca.key -noout -text
openssl x509 -in /etc/kubernetes/pki/nope.crt -noout -text
kubeadm certs check-expiration
sleep 10m
kubeadm certs renew apiserver
kubeadm certs check-expiration | grep -E 'apiserver |admin.conf'
openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -enddate
kubeadm token create --print-join-command
kubeadm token list
kubectl -n kube-system get secrets --field-selector type=bootstrap.kubernetes.io/token
ssh node01 'openssl x509 -in /var/lib/kubelet/pki/kubelet-client-current.pem -noout -subject -issuer'
