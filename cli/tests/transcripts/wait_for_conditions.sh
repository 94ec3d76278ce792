# kubectl wait --for: create, delete, condition=NAME[=STATUS] and jsonpath=EXPR[=VALUE], with
# kubectl's own parse errors; --timeout=0 looks once ("condition not met for ..."); a timeout
# names the resource without its group (pods/web, deployments/web).
kubectl wait pod/web; echo "exit $?"
kubectl wait pod/web --for=ready; echo "exit $?"
kubectl wait pod/web --for=jsonpath=; echo "exit $?"
kubectl wait pod/web --for='jsonpath={.status.phase'; echo "exit $?"
kubectl wait pod/web --for='jsonpath={.a}=1=2'; echo "exit $?"
kubectl wait pod/web --for="jsonpath={.a}=''"; echo "exit $?"
kubectl run web --image=nginx
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/web --timeout=0; echo "exit $?"
kubectl wait --for=jsonpath='{.status.phase}'=Running pod/web; echo "exit $?"
kubectl wait --for=jsonpath=.status.podIP pod/web
kubectl wait --for='jsonpath={.status.conditions[?(@.type=="Ready")].status}=True' pod/web
kubectl wait --for=jsonpath='{.spec}'=x pod/web; echo "exit $?"
kubectl wait --for=jsonpath='{.spec.containers[*].name}' pod/web
kubectl wait --for=jsonpath='{.metadata.labels.*}' pod/web; echo "exit $?"
kubectl wait --for=condition=Ready=false pod/web --timeout=0; echo "exit $?"
kubectl wait --for=jsonpath='{.status.phase}'=Succeeded pod/web --timeout=5s; echo "exit $?"
kubectl create deployment api --image=nginx
kubectl wait --for=condition=Progressing=false deploy/api --timeout=3s; echo "exit $?"
kubectl wait --for=condition=Available deploy/api --timeout=1m30s
kubectl wait --for=delete pod/nothere; echo "exit $?"
kubectl wait --for=create secret/s1 --timeout=2s; echo "exit $?"
kubectl create namespace team
kubectl wait --for=create serviceaccount/default configmap/kube-root-ca.crt -n team
