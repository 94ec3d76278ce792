# A static pod on node01: its mirror pod comes back when deleted and goes with the file.
kubectl get pods -n kube-system
ssh node01
cat > /etc/kubernetes/manifests/static-web.yaml <<Y
apiVersion: v1
kind: Pod
metadata:
  name: static-web
spec:
  containers:
  - name: web
    image: nginx
Y
exit
sleep 10
kubectl get pods -o wide
kubectl get pod static-web-node01 -o jsonpath='{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.spec.tolerations}{"\n"}'
kubectl delete pod static-web-node01
kubectl get pods
ssh node01
rm /etc/kubernetes/manifests/static-web.yaml
exit
kubectl get pods
