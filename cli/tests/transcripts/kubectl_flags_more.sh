# The remaining flags of issue 7's list, each against the live cluster.
# Set-based selectors: in, notin, exists, !key.
kubectl run a1 --image=nginx -l env=prod,tier=web
kubectl run a2 --image=nginx -l env=dev,tier=db
kubectl run a3 --image=nginx -l env=qa
kubectl get pods -l 'env in (prod,dev)' --show-labels
kubectl get pods -l 'env notin (prod)' -L env
kubectl get pods --selector 'tier,env!=dev'
kubectl get pods -l '!tier'
kubectl get pods -l 'env in (prod'
# run --command: the words after -- are the container's command, not args.
kubectl run sleeper --image=busybox --command -- sleep 3600
kubectl get pod sleeper -o jsonpath='{.spec.containers[0].command} {.spec.containers[0].args}'; echo
kubectl run echoer --image=busybox -- echo hello
kubectl get pod echoer -o jsonpath='{.spec.containers[0].command} {.spec.containers[0].args}'; echo
# create service loadbalancer and externalname.
kubectl create service loadbalancer lb --tcp=80:8080
kubectl create service externalname db --external-name=db.example.com
kubectl get svc lb db
kubectl get svc db -o jsonpath='{.spec.type} {.spec.externalName}'; echo
# configmap --from-env-file; describe configmap.
printf 'MODE=fast\n# a comment\nLEVEL=3\n' > app.env
kubectl create configmap envs --from-env-file=app.env
kubectl describe configmap envs
kubectl create configmap bad --from-env-file=nope.env
# secret tls (a matching certificate and key: the apiserver's own) and docker-registry.
kubectl create secret tls web-tls --cert=/etc/kubernetes/pki/apiserver.crt --key=/etc/kubernetes/pki/apiserver.key
kubectl get secret web-tls
kubectl create secret tls bad-tls --cert=nope.crt --key=nope.key
kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=me --docker-password=s3cret --docker-email=me@example.com
kubectl get secret regcred -o jsonpath='{.type}'; echo
kubectl get secret regcred -o jsonpath='{.data.\.dockerconfigjson}' | base64 -d; echo
# delete by name.
kubectl delete pod a3
kubectl get pods
# -f DIR reads the directory's manifests; -R its subdirectories too.
mkdir -p app/db app/web
kubectl create configmap top --from-literal=a=1 --dry-run=client -o yaml > app/top.yaml
kubectl create configmap db --from-literal=a=1 --dry-run=client -o yaml > app/db/db.yaml
kubectl create configmap web --from-literal=a=1 --dry-run=client -o json > app/web/web.json
echo 'not a manifest' > app/web/README.md
kubectl apply -f app
kubectl apply -R -f app
kubectl get -R -f app
kubectl delete --recursive -f app
# Global flags then `--`: cobra finds no command after `--`, kubectl prints its root help.
kubectl -n kube-system -- get pods | head -3
