# auth can-i: RBAC answers for users (--as), groups (--as-group) and ServiceAccounts.
kubectl create role dev --verb=get,list --resource=pods,pods/log
kubectl create rolebinding dev --role=dev --user=jane
kubectl auth can-i list pods --as jane
kubectl auth can-i delete pods --as jane
kubectl auth can-i list pods --as jane -n kube-system
kubectl auth can-i get pods --subresource=log --as jane
kubectl create serviceaccount builder
kubectl create clusterrole deployer --verb=create,update --resource=deployments.apps
kubectl create rolebinding builder --clusterrole=deployer --serviceaccount=default:builder
kubectl auth can-i create deployments --as system:serviceaccount:default:builder
kubectl auth can-i create deployments.apps --as=system:serviceaccount:default:builder -n kube-system
kubectl create clusterrolebinding nodes-view --clusterrole=node-viewer --group=ops
kubectl create clusterrole node-viewer --verb=get,list --resource=nodes
kubectl auth can-i list nodes --as bob --as-group ops
kubectl auth can-i list nodes --as bob
kubectl auth can-i get foo --as jane
kubectl auth can-i --list --as jane
kubectl auth can-i create pods
kubectl auth can-i create pods -q; echo "status $?"
kubectl auth can-i delete pods --as jane -q; echo "status $?"
# port-forward and proxy: the target is checked, then an honest refusal.
kubectl port-forward pod/nope 8080:80
kubectl run web --image=nginx
kubectl port-forward pod/web 8080:80
kubectl proxy
# kubectl events: oldest first, Kind/name, --for and --types filters.
sleep 20
kubectl events --for pod/web
kubectl events --types=Warning
kubectl events -A --types=Warning
kubectl events --types=Bad
