# kubectl __complete: cobra's protocol (candidates, then :directive; the directive named on stderr).
kubectl __complete ''
kubectl __complete ro
kubectl __complete rollout ''
kubectl __complete get dep
kubectl __complete get nodes ''
kubectl __complete get pods -n kube-system kube-
kubectl __complete describe -n kube- 
kubectl __complete logs -n kube-system etcd
kubectl __complete get --sel
kubectl __complete apply -f ''
kubectl __completeNoDesc create config
# The script kubectl completion bash prints asks it, then filters by the word typed.
kubectl completion bash | grep -n "__complete "
