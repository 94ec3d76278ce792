# case … esac, as scripts and exam one-liners use it.
node=$(hostname); case $node in controlplane) echo "on the control plane";; node*) echo "on a worker";; esac
for f in a.yaml b.json c.txt; do
  case "$f" in
    *.yaml|*.yml) echo "$f: yaml" ;;
    *.json) echo "$f: json" ;;
    *) echo "$f: other" ;;
  esac
done
case x in x echo bad;; esac
# xargs reads its standard input.
kubectl get nodes -o name | xargs -n1 echo node:
printf 'a\nb\n' | xargs -I{} echo item {}
# --help of the coreutils, as GNU prints it.
grep --help | head -4
cat --help | head -3
ls --help | head -2
wc --help | sed -n '1,2p'
base64 --help | head -3
# wget on a node is GNU Wget.
kubectl create deployment web --image=nginx
kubectl expose deployment web --port=80 --type=NodePort
sleep 15
IP=$(kubectl get svc web -o jsonpath='{.spec.clusterIP}')
wget $IP
head -4 index.html
wget -qO- $IP | grep title
wget -O - http://$IP/ 2>/dev/null | wc -l
wget http://$IP/nope
echo $?
wget web.default.svc.cluster.local
echo $?
wget
wget --help | head -2
# vi without a terminal runs $EDITOR as a scripted editor.
echo 'replicas: 1' > d.yaml
EDITOR="sed -i s/1/3/" vi d.yaml
cat d.yaml
vi d.yaml
# No manual pages on a minimized Ubuntu: --help is the way.
man grep
