# sed reads an `s` command's flags as GNU sed does (messages checked against GNU sed 4.9): blanks
# skipped, unknown or repeated options refused with their position, an empty regex is the last one
# used. Found by the shell fuzz target: flags like `  replicas: 4` were half-read (`p` printed
# every line twice), so a KUBE_EDITOR sed doubled the file at each of kubectl edit's re-openings.
echo hello | sed 's//^  replicas:2/  replicas: 4/'; echo "rc=$?"
echo hello | sed 's/h/X/ g'
echo hello | sed 's//X/'; echo "rc=$?"
echo hello | sed 's/h/X/gq'; echo "rc=$?"
echo hello | sed 's/h/X/0'; echo "rc=$?"
echo hello | sed 's/h/X/pp'; echo "rc=$?"
echo hello | sed 's/h/X/gg'; echo "rc=$?"
echo hello | sed 's/l/L/2'
echo hello | sed '/h/s//J/'
kubectl create deployment web --image=nginx --replicas=2
KUBE_EDITOR="sed -i 's//^  replicas:2/  replicas: 4/'" kubectl edit deployment web; echo "rc=$?"
kubectl get deployment web -o jsonpath='{.spec.replicas}{"\n"}'
