# etcdctl v3.5's command line, as cobra and pflag read it: the help
# (etcdctl -h, a command's -h, `help`, a group alone), unique prefixes of
# command names, the double "Error:" of a mistyped command with cobra's
# suggestions, flag errors (usage on stdout), and the ETCDCTL_* variables
# that stand for global flags. The help's layout was checked line by line
# against a real etcdctl (3.4.23 here: the differences are 3.5's commands).
etcdctl -h | head -12
etcdctl snapshot save -h
etcdctl snapshot
etcdctl set key1 value1
echo $?
etcdctl get --foo | head -3
etcdctl get --limit abc k 2>&1 >/dev/null
# Missing arguments are refused before any connection (status 128).
etcdctl snapshot save
echo $?
etcdctl get
# Without certificates the call times out, as against kubeadm's etcd.
etcdctl get /registry/namespaces/default
# The variables stand for the flags not given.
export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt ETCDCTL_CERT=/etc/kubernetes/pki/etcd/server.crt ETCDCTL_KEY=/etc/kubernetes/pki/etcd/server.key
etcdctl get /registry/namespaces/default --keys-only
etcdctl snap save /tmp/backup.db
etcdctl get /registry/namespaces --prefix --count-only
etcdctl get /registry/namespaces --prefix --count-only -w fields
etcdctl get /registry/namespaces/default -w fields --keys-only
etcdctl get /registry/namespaces/default -w table
etcdctl get /registry/namespaces/default -w yaml
etcdctl alarm list
etcdctl defrag
etcdctl watch /registry --prefix
# A variable that names no flag is logged; one shadowed by its flag is fatal.
ETCDCTL_FOO=bar etcdctl get /registry/namespaces/default --keys-only
etcdctl --cacert=/etc/kubernetes/pki/etcd/ca.crt get /registry/namespaces/default --keys-only
echo $?
