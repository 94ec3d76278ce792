# Images kubernetes.io's pages use pull and do what their process does.
kubectl run mongo --image=mongo
kubectl run rabbit --image=rabbitmq:3-management
kubectl run wordpress --image=wordpress:6.2.1-apache --env=WORDPRESS_DB_HOST=mysql
kubectl run hello --image=hello-world --restart=Never
kubectl run php-apache --image=registry.k8s.io/hpa-example --port=80 --expose
kubectl run old-busybox --image=k8s.gcr.io/busybox --restart=Never -- sh -c 'echo hello from $(hostname)'
kubectl run no-such --image=registry.k8s.io/busybox:9.9
# The Job example: perl computes pi to 2000 places.
kubectl apply -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
EOF
sleep 30
kubectl get pods
kubectl get job pi
kubectl logs job/pi | cut -c1-60
kubectl logs job/pi | wc -c
kubectl logs mongo | tail -1
kubectl logs rabbit | grep -E 'Server startup|listener'
kubectl logs wordpress | head -3
kubectl logs hello | head -3
kubectl logs old-busybox
kubectl describe pod no-such | grep Failed | head -1
# The HPA walkthrough's load generator asks php-apache through its Service.
kubectl run load --image=busybox:1.28 -- sleep 3600
sleep 5
kubectl exec load -- wget -q -O- http://php-apache
kubectl exec wordpress -- curl -sI localhost
