# set env: KEY=VAL, KEY-, --from=configmap, --list, -c; the rollout it starts.
kubectl create deployment web --image=nginx --replicas=2
kubectl create configmap app-config --from-literal=db-host=db --from-literal=MODE=fast
kubectl set env deployment/web LOG=debug TIER=front
kubectl set env deployment/web --list
kubectl set env deployment/web --from=configmap/app-config
kubectl set env deployment/web TIER-
kubectl set env deployment/web --list
kubectl set env deployment/web -c nope A=1
kubectl set env deployment/web TIER-
kubectl rollout history deployment/web
# set resources, serviceaccount, selector.
kubectl set resources deployment web --limits=cpu=200m,memory=512Mi --requests=cpu=0.1
kubectl get deployment web -o jsonpath='{.spec.template.spec.containers[0].resources}'; echo
kubectl set resources deployment web -c=web --limits=cpu=1
kubectl create serviceaccount builder
kubectl set serviceaccount deployment web builder
kubectl set sa deploy/web builder --dry-run=client -o jsonpath='{.spec.template.spec.serviceAccountName}'; echo
kubectl get deployment web -o jsonpath='{.spec.template.spec.serviceAccountName}'; echo
kubectl expose deployment web --port=80
kubectl set selector service web app=other
kubectl get service web -o jsonpath='{.spec.selector}'; echo
# autoscale: an autoscaling/v2 HorizontalPodAutoscaler.
kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80
kubectl get hpa web -o jsonpath='{.spec}'; echo
kubectl autoscale deployment web --max=5
kubectl autoscale deployment web --min=2
kubectl autoscale pod nope --max=2
# explain
kubectl explain pod.spec.restartPolicy
kubectl explain deploy.spec.strategy --recursive
kubectl explain pod.spec.nope
