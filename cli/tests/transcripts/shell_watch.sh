# watch re-runs a command as virtual time passes: an empty script line is one
# interval, ^C stops it (the browser ticks on a timer and sends Ctrl-C).
kubectl create deployment web --image=nginx --replicas=2
watch -n 5 kubectl get deploy web


^C
echo $?
watch -n 0.5 -t 'kubectl get pods --no-headers | wc -l'

^C
watch
watch -n abc date
date
