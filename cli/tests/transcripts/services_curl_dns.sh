# Services route: curl from a node to a ClusterIP and a NodePort, from a pod
# to <svc>, <svc>.<ns> and the FQDN through its resolv.conf search path;
# nslookup and dig against CoreDNS; the failures curl and wget print.
kubectl create deployment web --image=nginx --replicas=2
kubectl expose deployment web --port=80 --type=NodePort
kubectl create namespace prod
kubectl create deployment db -n prod --image=httpd
kubectl expose deployment db -n prod --port=8080 --target-port=80
kubectl create service clusterip empty --tcp=80:80
cat <<EOF | kubectl apply -f -
apiVersion: apps/v1
kind: Deployment
metadata:
  name: color
spec:
  replicas: 2
  selector:
    matchLabels:
      app: color
  template:
    metadata:
      labels:
        app: color
    spec:
      containers:
      - name: webapp
        image: kodekloud/webapp-color
        env:
        - name: APP_COLOR
          value: green
EOF
kubectl expose deployment color --port=8080
kubectl run tools --image=busybox:1.28 -- sleep 3600
kubectl run bb --image=busybox -- sleep 3600
sleep 40
kubectl get svc,ep
WEB=$(kubectl get svc web -o jsonpath='{.spec.clusterIP}')
PORT=$(kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}')
curl -s http://$WEB | head -4
curl -I $WEB
curl -s -o /dev/null -w '%{http_code}\n' $WEB/missing
curl -o index.html $WEB
ls index.html
curl -s node01:$PORT | grep '<h1>'
curl -s 192.168.100.10:$PORT | grep '<h1>'
curl $(kubectl get svc empty -o jsonpath='{.spec.clusterIP}')
echo "exit status $?"
curl --max-time 3 $WEB:8080
curl web.default.svc.cluster.local
nslookup web.default.svc.cluster.local
nslookup web.default.svc.cluster.local 10.96.0.10
dig @10.96.0.10 db.prod.svc.cluster.local +short
kubectl exec tools -- nslookup web
kubectl exec tools -- nslookup db.prod
kubectl exec tools -- nslookup db
kubectl exec tools -- nslookup 10-244-1-2.default.pod.cluster.local
kubectl exec bb -- nslookup kubernetes.default
kubectl exec bb -- wget -qO- db.prod:8080
kubectl exec bb -- wget -O- db.prod.svc.cluster.local:8080
kubectl exec bb -- wget -qO- empty
kubectl exec bb -- wget -qO- nosuch
POD=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
kubectl exec $POD -- curl -s color:8080
echo
kubectl exec $POD -- curl -s color:8080/color
echo
kubectl exec $POD -- curl -s color.default.svc.cluster.local:8080 | grep Hello
kubectl exec $POD -- curl -s color.default.svc.cluster.local:8080 | grep Hello
kubectl exec $POD -- curl nosuch
kubectl exec $POD -- nslookup web
kubectl run test --image=busybox:1.28 --rm -it --restart=Never -- nslookup color > /root/color.svc
cat /root/color.svc
kubectl run test --image=busybox:1.28 --rm -it --restart=Never -- nslookup 10-244-1-2.default.pod
