# kube-proxy's iptables rules on a node: one KUBE-SVC chain per Service port
# with ready endpoints, one KUBE-SEP chain per endpoint.
kubectl create deployment web --image=nginx --replicas=3
kubectl expose deployment web --port=80 --type=NodePort
kubectl create service clusterip empty --tcp=8080:8080
sleep 20
kubectl get pods -o wide
kubectl get svc web
iptables -t nat -L KUBE-SERVICES -n
iptables -t nat -L KUBE-SVC-LOLE4ISW44XBNF3G -n
iptables -t nat -L KUBE-NODEPORTS -n
iptables-save | grep web
iptables-save -t nat | grep -c KUBE-SEP
# A Service without endpoints is rejected in the filter table.
iptables -L KUBE-SERVICES -n
ssh node01
iptables -t nat -S KUBE-SVC-LOLE4ISW44XBNF3G
exit
# Scaling down rewrites the rules.
kubectl scale deployment web --replicas=1
sleep 40
iptables -t nat -L KUBE-SVC-LOLE4ISW44XBNF3G
iptables -t nat -L KUBE-NOPE
iptables -t nat
iptables -t raw -L
iptables -t nat -L KUBE-POSTROUTING -n
iptables-save -t mangle
