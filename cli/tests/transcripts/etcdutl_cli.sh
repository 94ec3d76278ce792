# etcdutl v3.5's command line from its own table, with cobra v1.1.3's default
# usage template (its help is the usage alone): the help learners read in the
# exam, the required --data-dir of snapshot restore, prefixes, the hidden
# deprecated snapshot save, flag errors (usage and error on stderr, the error
# twice as etcdutl's main prints it again).
etcdutl
etcdutl snapshot restore -h
etcdutl help snapshot status
etcdutl snapshot restore /opt/x.db 2>&1 | head -3
echo ${PIPESTATUS[0]}
etcdutl snapshot save /opt/x.db
echo $?
etcdutl snap sta
etcdutl snapshot restore /x --data-dir /var/lib/e --bump-revision=-1 2>&1 | tail -2
etcdutl snapshot restore /x --data-dir /var/lib/e --bump-revision=5
etcdutl defrag --data-dir /var/lib/etcd
etcdutl version
etcdutl vers
etcdutl foo
# etcdctl's own snapshot status/restore say they are deprecated first, then
# run etcdutl's, argument checks included.
etcdctl snapshot status
etcdctl snapshot restore /x --bump-revision=5
