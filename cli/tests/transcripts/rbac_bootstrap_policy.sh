# A fresh kubeadm cluster's RBAC: the apiserver's bootstrap policy and kubeadm's objects.
kubectl get clusterroles
kubectl get clusterrolebindings
kubectl get roles -A
kubectl get rolebindings -A
kubectl get clusterrole cluster-admin -o yaml
kubectl get clusterrolebinding cluster-admin -o yaml
kubectl get rolebinding -n kube-public kubeadm:bootstrap-signer-clusterinfo -o yaml
# admin, edit and view are aggregated from the aggregate-to-* roles.
kubectl get clusterrole edit -o jsonpath='{.aggregationRule}{"\n"}{.metadata.labels}{"\n"}'
kubectl get clusterrole view -o yaml
# A Pod's default ServiceAccount may only discover the API.
kubectl auth can-i list pods --as=system:serviceaccount:default:default
kubectl auth can-i get /healthz --as=system:anonymous
kubectl auth can-i get /api --as=system:anonymous
kubectl auth can-i --list --as=system:serviceaccount:default:default
# Users bound to view and edit.
kubectl create rolebinding jane-view --clusterrole=view --user=jane
kubectl create rolebinding bob-edit --clusterrole=edit --user=bob
kubectl auth can-i list pods --as jane
kubectl auth can-i get secrets --as jane
kubectl auth can-i create deployments.apps --as jane
kubectl auth can-i create deployments.apps --as bob
kubectl auth can-i get secrets --as bob
kubectl auth can-i create rolebindings --as bob
kubectl auth can-i list pods --as bob -n kube-system
# A learner's role labelled aggregate-to-view joins view (and edit, admin).
kubectl create clusterrole secret-reader --verb=get,list --resource=secrets
kubectl label clusterrole secret-reader rbac.authorization.k8s.io/aggregate-to-view=true
kubectl auth can-i get secrets --as jane
kubectl get clusterrole view -o jsonpath='{.rules[0]}{"\n"}'
kubectl delete clusterrole secret-reader
kubectl auth can-i get secrets --as jane
