# Every kubectl command of the learner's notes (engine/tests/corpus/
# seed_kubectl_commands.txt; each NOTE:LINE is named in a comment before
# its command), run in the notes' order on the default cluster, with what
# each needs made first and its placeholders (<파드명> …) filled in; the
# output shows each does what the note says (kubectl_coverage.rs checks
# every command is here).
# 000:53 — a typo in the notes: kubectl refuses it.
kubectl autosac
# 001:111, 001:112 — the scheduler's events and its logs.
kubectl run nginx --image nginx
sleep 5
kubectl get events -o wide
kubectl logs kube-scheduler-controlplane -n kube-system | tail -3
# 001:134 — the admission plugins kube-apiserver can enable (its own -h).
kubectl exec kube-apiserver-controlplane -n kube-system -- kube-apiserver -h | grep enable-admission-plugins
# 002:93, 002:109
kubectl get pods -o yaml | grep -E '^[a-z]|^- |^  kind|^    name:'
kubectl get pods --show-labels
# 004:222, 004:228, 004:274, 004:287, 004:291, 004:296, 004:301, 004:309,
# 004:315 — pods from run and from a file; describe; -o wide.
kubectl run nginx --image nginx
kubectl get pods
cat > pod-definitaion.yml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
    type: front-end
spec:
  containers:
  - name: nginx-container
    image: nginx
EOF
kubectl create -f pod-definitaion.yml
sleep 5
kubectl get pods
kubectl get pods -o wide
kubectl run nginx --image=nginx
kubectl describe pod myapp-pod | head -8
kubectl describe pod nginx | grep -A3 '^Containers:'
kubectl get pods -o wide
# 004:327, 004:330 — a manifest from run's dry run.
kubectl run redis --image=redis123 --dry-run=client -o yaml
kubectl run redis --image=redis123 --dry-run=client -o yaml > redis.yaml
kubectl create -f redis.yaml
sleep 10
kubectl get pod redis
# 004:420, 004:504, 004:511, 004:516, 004:523, 004:529 — ReplicationController
# and ReplicaSet.
kubectl get replicationcontroller
cat > replicaset.yaml <<EOF
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: myapp-replicaset
  labels:
    app: myapp
spec:
  replicas: 3
  selector:
    matchLabels:
      type: back-end
  template:
    metadata:
      name: myapp-pod
      labels:
        type: back-end
    spec:
      containers:
      - name: nginx-container
        image: nginx
EOF
kubectl create -f replicaset.yaml
kubectl get replicaset
sed -i 's/replicas: 3/replicas: 4/' replicaset.yaml
kubectl replace -f replicaset.yaml
kubectl get replicaset
kubectl scale --replicas=6 -f replicaset.yaml
kubectl get replicaset
kubectl scale --replicas=6 replicaset myapp-replicaset
KUBE_EDITOR="sed -i 's/image: nginx$/image: nginx:1.27/'" kubectl edit replicaset myapp-replicaset
kubectl get replicaset myapp-replicaset -o wide
# 004:546, 004:550, 004:555, 004:559, 004:563, 004:568 — run and create
# deployment, and their manifests.
kubectl run nginx --image=nginx
kubectl run nginx --image=nginx --dry-run=client -o yaml
kubectl create deployment --image=nginx nginx
kubectl create deployment --image=nginx nginx --dry-run=client -o yaml
kubectl create deployment --image=nginx nginx --dry-run=client -o yaml > nginx-deployment.yaml
kubectl create deployment --image=nginx nginx --replicas=4 --dry-run=client -o yaml > nginx-deployment.yaml
grep replicas nginx-deployment.yaml
# 004:573 — scale the deployment.
kubectl scale deployment nginx --replicas=4
sleep 5
kubectl get deployment nginx
# 004:578, 004:583, 004:589, 004:593 — Service manifests from expose and
# create service.
kubectl expose pod redis --port=6379 --name redis-service --dry-run=client -o yaml
kubectl create service clusterip redis --tcp=6379:6379 --dry-run=client -o yaml
kubectl expose pod nginx --type=NodePort --port=80 --name=nginx-service --dry-run=client -o yaml
kubectl create service nodeport nginx --tcp=80:80 --node-port=30080 --dry-run=client -o yaml
# 004:600, 004:606, 004:612, 004:618, 004:624, 004:630 — the
# imperative-commands exercises.
kubectl delete pod redis
kubectl run redis --image=redis:alpine --labels="tier=db"
kubectl create deployment webapp --image=kodekloud/webapp-color --replicas=3
kubectl run custom-nginx --image=nginx --port=8080
kubectl create namespace dev-ns
kubectl create deployment redis-deploy --image=redis --namespace=dev-ns --replicas=2
kubectl create deployment elasticsearch --image=registry.k8s.io/fluentd-elasticsearch:1.20 -n kube-system --dry-run=client -o yaml > fluentd.yaml
head -4 fluentd.yaml
sleep 10
kubectl get pods --show-labels
kubectl get deploy -n dev-ns
# 004:790 — a Service's target port.
kubectl expose pod redis --port=6379 --name redis-service
kubectl describe svc redis-service | grep -i port
# 004:801, 004:806, 004:837, 004:842, 004:847, 004:867 — namespaces.
kubectl get pods --namespace=kube-system
kubectl create namespace dev
cat > pod.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
spec:
  containers:
  - name: nginx-container
    image: nginx
EOF
kubectl create -f pod.yaml --namespace=dev
kubectl create -f pod.yaml
kubectl create namespace staging
kubectl get pods --all-namespaces | grep myapp
cat > ns-pod.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  namespace: staging
spec:
  containers:
  - name: nginx-container
    image: nginx
EOF
kubectl create -f ns-pod.yaml
# 004:906 — selecting by label.
kubectl run app1 --image=nginx --labels=app=App1
kubectl get pods --selector app=App1
# 004:939, 004:951, 004:958, 004:988, 004:1011 — taints and node labels (the
# notes' NoSchdule is a typo kubectl refuses).
kubectl taint nodes node01 key=val:taint-effect
kubectl taint nodes node1 app=blue:NoSchdule
kubectl taint nodes node01 app=blue:NoSchdule
kubectl taint nodes node01 app=blue:NoSchedule
kubectl describe node node01 | grep Taints
kubectl taint nodes node01 app=blue:NoSchedule-
kubectl taint nodes controlplane node-role.kubernetes.io/control-plane:NoSchedule-
kubectl describe node controlplane | grep Taints
kubectl label nodes node01 size=Large
kubectl get node node01 --show-labels | grep -o 'size=Large'
# 004:1290 — every pod with its node.
kubectl get pod --all-namespaces -o wide | grep -E 'NAMESPACE|scheduler|custom-nginx'
# 004:1366, 004:1374, 004:1378 — metrics-server from its release files (no git on
# the nodes: the manifest is saved into the directory instead), then top.
mkdir metrics-server && cd metrics-server
kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml --dry-run=client -o yaml > components.yaml
kubectl apply -f .
cd ..
sleep 60
kubectl top node
kubectl top pod
# 004:1384, 004:1388 — logs -f of a pod, and of one container of two.
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: webapp
spec:
  containers:
  - name: web
    image: busybox
    command: ["sh", "-c", "echo web started; sleep 3600"]
  - name: log-agent
    image: busybox
    command: ["sh", "-c", "echo agent started; sleep 3600"]
EOF
sleep 10
kubectl logs -f custom-nginx | tail -2
kubectl logs -f webapp log-agent
# 004:1400, 004:1405 — rollout status and undo.
kubectl create deployment myapp-deploy --image=nginx:1.26 --replicas=2
kubectl rollout status deployment/myapp-deploy
kubectl set image deployment/myapp-deploy nginx=nginx:1.27
kubectl rollout status deployment/myapp-deploy
kubectl rollout undo deployment/myapp-deployment
kubectl rollout undo deployment/myapp-deploy
kubectl rollout status deployment/myapp-deploy
kubectl get deployment myapp-deploy -o jsonpath='{.spec.template.spec.containers[0].image}'; echo
# 004:1422, 004:1427, 004:1433 — edit a deployment; a pod edit refused and kept in
# /tmp, then replace --force.
KUBE_EDITOR="sed -i 's/replicas: 2/replicas: 3/'" kubectl edit deployment myapp-deploy
kubectl get deployment myapp-deploy
KUBE_EDITOR="sed -i 's/containerPort: 8080/containerPort: 8081/'" kubectl edit po custom-nginx
kubectl replace --force -f /tmp/kubectl-edit-*.yaml
kubectl get pod custom-nginx -o jsonpath='{.spec.containers[0].ports[0].containerPort}'; echo
# 004:1554, 004:1561, 004:1568, 004:1586, 004:1625 — ConfigMaps from
# literals, a file, a manifest; a Secret applied.
kubectl create configmap app-config-literal --from-literal=APP_MODE=prod
kubectl create configmap app-config --from-literal=APP_COLOR=blue
echo 'APP_COLOR=green' > app_config.properties
kubectl create configmap app-config-file --from-file=app_config.properties
cat > config-map.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config-yaml
data:
  APP_COLOR: red
EOF
kubectl create -f config-map.yaml
cat > 000.yaml <<EOF
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_Host: bXlzcWw=
EOF
kubectl apply -f 000.yaml
kubectl get configmaps
# 004:1650 — secrets.
kubectl get secrets
# 004:1660 — a log file inside a pod of namespace elastic-stack.
kubectl create namespace elastic-stack
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: elastic-stack
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "mkdir -p /log; echo 'INFO: app started' > /log/app.log; sleep 3600"]
EOF
sleep 10
kubectl -n elastic-stack exec -it app -- cat /log/app.log
# 004:1724, 004:1728, 004:1733, 004:1805, 004:1828 — drain and uncordon
# (the notes' node-1 is node01 here).
kubectl drain node-1
kubectl drain node01 --ignore-daemonsets
kubectl drain node01 --ignore-daemonsets --force
kubectl get nodes
kubectl uncordon node-1
kubectl uncordon node01
kubectl get nodes
