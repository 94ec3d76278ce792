# kubectl delete -i (--interactive): kubectl lists what it is about to
# delete and asks; one word is read (Go's fmt.Fscan: blank lines skipped),
# and only "y", in either case, deletes.
kubectl run a --image=nginx
kubectl run b --image=nginx
kubectl create deployment web --image=nginx
kubectl delete pod a -i
n
kubectl get pods a b
kubectl delete pod a b --interactive

Y
kubectl get pods
# "yes" is not "y".
kubectl delete deployment web -i
yes
# A pipe answers without an echo.
echo y | kubectl delete deployment web -i -o name
# Names are not looked up before the question (the builder's
# RequireObject(false)): a missing one is listed, and fails at its DELETE.
kubectl delete pod missing -i
y
# A selector is: nothing matches, nothing is asked.
kubectl delete pods -l app=none -i
kubectl create configmap settings
# `-f -` reads standard input to its end: the question reads end of file.
kubectl delete -f - -i <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
YAML
# The script ends at the question: end of file is no.
kubectl delete configmap settings -i
