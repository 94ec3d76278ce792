# The CKA "create a user" task: a key, a CSR object, approval, the issued certificate.
openssl genrsa -out jane.key 2048
openssl req -new -key jane.key -subj "/CN=jane/O=dev" -out jane.csr
head -1 jane.csr
REQ=$(cat jane.csr | base64 | tr -d "\n")
cat <<YAML > csr.yaml
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: jane
spec:
  request: $REQ
  signerName: kubernetes.io/kube-apiserver-client
  expirationSeconds: 86400
  usages:
  - client auth
YAML
kubectl apply -f csr.yaml
kubectl get csr
kubectl certificate approve jane
kubectl get csr jane
kubectl get certificatesigningrequests.certificates.k8s.io
kubectl get csr jane -o jsonpath='{.status.conditions[0].type} {.status.conditions[0].reason} {.status.conditions[0].message}{"\n"}'
kubectl get csr jane -o jsonpath='{.status.certificate}' | base64 -d > jane.crt
openssl x509 -in jane.crt -noout -subject -issuer
kubectl certificate approve jane
# A denied request is never issued; approving it afterwards is refused.
kubectl create -f - <<YAML
apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata:
  name: mallory
spec:
  request: $REQ
  signerName: kubernetes.io/kube-apiserver-client
  usages:
  - client auth
YAML
kubectl certificate deny mallory
kubectl certificate approve mallory
kubectl get csr
kubectl certificate approve nobody
kubectl certificate approve
