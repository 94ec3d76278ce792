# Mistyped commands, as cobra answers them in kubectl 1.33: at the root,
# 'Did you mean this?' with the commands within two edits or starting with
# what was typed, in the order kubectl adds them (and SuggestFor: rm, ps,
# list); in a command group, the words quoted as one. Every line checked
# against kubectl.1.33's own output (they fail before any server is asked).
kubectl gett pods
kubectl xyz
kubectl crate deploy x
kubectl delet pod x
kubectl g
kubectl de
kubectl ps
kubectl rm pod x
kubectl list
kubectl hlp
kubectl alph
kubectl optons
kubectl debu
kubectl Gett
kubectl rollout restar deploy/x
kubectl config use-contex x
kubectl top nod
kubectl set imag x
kubectl auth can-i2
kubectl create secret generc x
kubectl create deploymnt x
kubectl --foo
kubectl -n
kubectl "a b"
kubectl 'a"b'
kubectl --namespace
kubectl -s
kubectl --request-timeout
kubectl -n dev
kubectl -n dev --v=2
kubectl --v=2
kubectl events unused-argument
