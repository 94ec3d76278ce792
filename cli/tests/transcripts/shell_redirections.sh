# Redirections are set up left to right, as bash does: where each file
# descriptor points when the command writes decides where its output goes.
ls /nope 2>&1 >/dev/null | sed 's/^/piped: /'
ls /nope >/dev/null 2>&1; echo "exit $?"
ls /etc/hosts /nope > /tmp/out 2> /tmp/err; echo "exit $?"
cat /tmp/out
cat /tmp/err
echo "to stderr" >&2 | sed 's/^/not piped: /'
echo "also stderr" 1>&2 2>/dev/null
echo "stdout 1" 1> /tmp/one; echo "stdout 2" 1>> /tmp/one; cat /tmp/one
ls /etc/hosts /nope &> /tmp/both; cat /tmp/both
ls /nope &>> /tmp/both; cat /tmp/both
kubectl get pod nosuch 2>&1 | grep -c NotFound
kubectl get pod nosuch 2>/dev/null; echo "exit $?"
echo "via /dev/stderr" > /dev/stderr
echo a2>/tmp/a2; cat /tmp/a2
