//! etcdctl v3.5.21's commands and flags as plain data, declared once: the
//! parser, the help and cobra's suggestions are all read from here.
//!
//! The table is text rather than Rust structs because pointer tables cost
//! the browser's download several times what the words do. Its lines:
//!
//! ```text
//! = PATH | USE | SHORT                   a command that runs
//! + PATH | USE | SHORT                   a group (cobra prints its help)
//! > TEXT                                 a line of the command's Long text
//! - KIND NAME[,X] DEFAULT | USAGE        a flag of the command's own
//! * KIND NAME[,X] DEFAULT | USAGE        a persistent flag, inherited below
//! ```
//!
//! Commands come in the order etcdctl adds them (`ctlv3/ctl.go`, then each
//! group's `AddCommand` calls): that is the order of cobra's "Did you mean
//! this?"; help lists them sorted. The first is the root, `help` (cobra's
//! own) the last. String defaults are written as Go quotes them.

/// The commands, flags and texts of etcdctl v3.5.21 (see the module's doc).
pub const TABLE: &str = r#"+ etcdctl | etcdctl | A simple command line client for etcd3.
* stringSlice endpoints [127.0.0.1:2379] | gRPC endpoints
* bool debug false | enable client-side debug logging
* string write-out,w "simple" | set the output format (fields, json, protobuf, simple, table)
* bool hex false | print byte strings as hex encoded strings
* duration dial-timeout 2s | dial timeout for client connections
* duration command-timeout 5s | timeout for short running command (excluding dial timeout)
* duration keepalive-time 2s | keepalive time for client connections
* duration keepalive-timeout 6s | keepalive timeout for client connections
* bool insecure-transport true | disable transport security for client connections
* bool insecure-discovery true | accept insecure SRV records describing cluster endpoints
* bool insecure-skip-tls-verify false | skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)
* string cert "" | identify secure client using this TLS certificate file
* string key "" | identify secure client using this TLS key file
* string cacert "" | verify certificates of TLS-enabled secure servers using this CA bundle
* string user "" | username[:password] for authentication (prompt if password is not supplied)
* string password "" | password for authentication (if this option is used, --user option shouldn't include password)
* string discovery-srv,d "" | domain name to query for SRV records describing cluster endpoints
* string discovery-srv-name "" | service name to query when using DNS discovery
= get | get [options] <key> [range_end] | Gets the key or a range of keys
- string consistency "l" | Linearizable(l) or Serializable(s)
- string order "" | Order of results; ASCEND or DESCEND (ASCEND by default)
- string sort-by "" | Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION
- int limit 0 | Maximum number of results
- bool prefix false | Get keys with matching prefix
- bool from-key false | Get keys that are greater than or equal to the given key using byte compare
- int rev 0 | Specify the kv revision
- bool keys-only false | Get only the keys
- bool count-only false | Get only the count
- bool print-value-only false | Only write values when using the "simple" output format
= put | put [options] <key> <value> (<value> can also be given from stdin) | Puts the given key into the store
>
> Puts the given key into the store.
>
> When <value> begins with '-', <value> is interpreted as a flag.
> Insert '--' for workaround:
>
> $ put <key> -- <value>
> $ put -- <key> <value>
>
> If <value> isn't given as a command line argument and '--ignore-value' is not specified,
> this command tries to read the value from standard input.
>
> If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,
> this command tries to read the value from standard input.
>
> For example,
> $ cat file | put <key>
> will store the content of the file to <key>.
>
- string lease "0" | lease ID (in hexadecimal) to attach to the key
- bool prev-kv false | return the previous key-value pair before modification
- bool ignore-value false | updates the key using its current value
- bool ignore-lease false | updates the key using its current lease
= del | del [options] <key> [range_end] | Removes the specified key or range of keys [key, range_end)
- bool prefix false | delete keys with matching prefix
- bool prev-kv false | return deleted key-value pairs
- bool from-key false | delete keys that are greater than or equal to the given key using byte compare
- bool range false | delete range of keys
= txn | txn [options] | Txn processes all the requests in one transaction
- bool interactive,i false | Input transaction in interactive mode
= compaction | compaction [options] <revision> | Compacts the event history in etcd
- bool physical false | 'true' to wait for compaction to physically remove all old revisions
+ alarm | alarm <subcommand> | Alarm related commands
= alarm disarm | disarm | Disarms all alarms
= alarm list | list | Lists all alarms
= defrag | defrag | Defragments the storage of the etcd members with given endpoints
* bool cluster false | use all endpoints from the cluster member list
- string data-dir "" | Optional. If present, defragments a data directory not in use by etcd.
+ endpoint | endpoint <subcommand> | Endpoint related commands
* bool cluster false | use all endpoints from the cluster member list
= endpoint health | health | Checks the healthiness of endpoints specified in `--endpoints` flag
= endpoint status | status | Prints out the status of endpoints specified in `--endpoints` flag
> When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
> The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.
>
= endpoint hashkv | hashkv | Prints the KV history hash for each endpoint in --endpoints
* int rev 0 | maximum revision to hash (default: all revisions)
= move-leader | move-leader <transferee-member-id> | Transfers leadership to another etcd cluster member.
= watch | watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...] | Watches events stream on keys or prefixes
- bool interactive,i false | Interactive mode
- bool prefix false | Watch on a prefix if prefix is set
- int rev 0 | Revision to start watching
- bool prev-kv false | get the previous key-value pair before the event happens
- bool progress-notify false | get periodic watch progress notification from server
= version | version | Prints the version of etcdctl
+ lease | lease <subcommand> | Lease related commands
= lease grant | grant <ttl> | Creates leases
= lease revoke | revoke <leaseID> | Revokes leases
= lease timetolive | timetolive <leaseID> [options] | Get lease information
- bool keys false | Get keys attached to this lease
= lease list | list | List all active leases
= lease keep-alive | keep-alive [options] <leaseID> | Keeps leases alive (renew)
- bool once false | Resets the keep-alive time to its original value and cobrautl.Exits immediately
+ member | member <subcommand> | Membership related commands
= member add | add <memberName> [options] | Adds a member into the cluster
- string peer-urls "" | comma separated peer URLs for the new member.
- bool learner false | indicates if the new member is raft learner
= member remove | remove <memberID> | Removes a member from the cluster
= member update | update <memberID> [options] | Updates a member in the cluster
- string peer-urls "" | comma separated peer URLs for the updated member.
= member list | list | Lists all members in the cluster
> When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
> The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.
>
= member promote | promote <memberID> | Promotes a non-voting member in the cluster
> Promotes a non-voting learner member to a voting one in the cluster.
>
+ snapshot | snapshot <subcommand> | Manages etcd node snapshots
= snapshot save | save <filename> | Stores an etcd node backend snapshot to a given file
= snapshot restore | restore <filename> [options] | Restores an etcd member snapshot to an etcd directory
> Moved to `etcdctl snapshot restore ...`
>
- string data-dir "" | Path to the data directory
- string wal-dir "" | Path to the WAL directory (use --data-dir if none given)
- string initial-cluster "default=http://localhost:2380" | Initial cluster configuration for restore bootstrap
- string initial-cluster-token "etcd-cluster" | Initial cluster token for the etcd cluster during restore bootstrap
- string initial-advertise-peer-urls "http://localhost:2380" | List of this member's peer URLs to advertise to the rest of the cluster
- string name "default" | Human-readable name for this member
- bool skip-hash-check false | Ignore snapshot integrity hash value (required if copied from data directory)
- int bump-revision 0 | How much to increase the latest revision after restore
- bool mark-compacted false | Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)
- int initial-memory-map-size 0 | Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0
= snapshot status | status <filename> | [deprecated] Gets backend snapshot status of a given file
> When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.
> The items in the lists are hash, revision, total keys, total size.
>
> Moved to 'etcdctl snapshot status ...'
>
= make-mirror | make-mirror [options] <destination> | Makes a mirror at the destination etcd cluster
- string prefix "" | Key-value prefix to mirror
- string dest-prefix "" | destination prefix to mirror a prefix to a different prefix in the destination cluster
- bool no-dest-prefix false | mirror key-values to the root of the destination cluster
- string dest-cert "" | Identify secure client using this TLS certificate file for the destination cluster
- string dest-key "" | Identify secure client using this TLS key file
- string dest-cacert "" | Verify certificates of TLS enabled secure servers using this CA bundle
- bool dest-insecure-transport true | Disable transport security for client connections
- string dest-user "" | Destination username[:password] for authentication (prompt if password is not supplied)
- string dest-password "" | Destination password for authentication (if this option is used, --user option shouldn't include password)
= lock | lock <lockname> [exec-command arg1 arg2 ...] | Acquires a named lock
- int ttl 10 | timeout for session
= elect | elect <election-name> [proposal] | Observes and participates in leader election
- bool listen,l false | observation mode
+ auth | auth <enable or disable> | Enable or disable authentication
= auth enable | enable | Enables authentication
= auth disable | disable | Disables authentication
= auth status | status | Returns authentication status
+ user | user <subcommand> | User related commands
= user add | add <user name or user:password> [options] | Adds a new user
- bool interactive true | Read password from stdin instead of interactive terminal
- string new-user-password "" | Supply password from the command line flag
- bool no-password false | Create a user without password (CN based auth only)
= user delete | delete <user name> | Deletes a user
= user get | get <user name> [options] | Gets detailed information of a user
- bool detail false | Show permissions of roles granted to the user
= user list | list | Lists all users
= user passwd | passwd <user name> [options] | Changes password of user
- bool interactive true | If true, read password from stdin instead of interactive terminal
= user grant-role | grant-role <user name> <role name> | Grants a role to a user
= user revoke-role | revoke-role <user name> <role name> | Revokes a role from a user
+ role | role <subcommand> | Role related commands
= role add | add <role name> | Adds a new role
= role delete | delete <role name> | Deletes a role
= role get | get <role name> | Gets detailed information of a role
= role list | list | Lists all roles
= role grant-permission | grant-permission [options] <role name> <permission type> <key> [endkey] | Grants a key to a role
- bool prefix false | grant a prefix permission
- bool from-key false | grant a permission of keys that are greater than or equal to the given key using byte compare
= role revoke-permission | revoke-permission <role name> <key> [endkey] | Revokes a key from a role
- bool prefix false | revoke a prefix permission
- bool from-key false | revoke a permission of keys that are greater than or equal to the given key using byte compare
+ check | check <subcommand> | commands for checking properties of the etcd cluster
= check perf | perf [options] | Check the performance of the etcd cluster
- string load "s" | The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)
- string prefix "/etcdctl-check-perf/" | The prefix for writing the performance check's keys.
- bool auto-compact false | Compact storage with last revision after test is finished.
- bool auto-defrag false | Defragment storage after test is finished.
= check datascale | datascale [options] | Check the memory usage of holding data for different workloads on a given server endpoint.
> If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.
- string load "s" | The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)
- string prefix "/etcdctl-check-datascale/" | The prefix for writing the datascale check's keys.
- bool auto-compact false | Compact storage with last revision after test is finished.
- bool auto-defrag false | Defragment storage after test is finished.
= help | help [command] | Help about any command
> Help provides help for any command in the application.
> Simply type etcdctl help [path to command] for full details.
"#;

/// A flag's type, as pflag names it (`flag.Value.Type()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    String,
    Int,
    Duration,
    StringSlice,
}

/// One flag.
#[derive(Clone, Debug)]
pub struct Flag {
    pub name: &'static str,
    pub shorthand: Option<char>,
    pub kind: Kind,
    /// pflag's `DefValue`: the default as help prints it (strings unquoted).
    pub default: &'static str,
    pub usage: &'static str,
}

/// One command of the tree.
#[derive(Clone, Debug)]
pub struct Command {
    /// The words after `etcdctl` that name it (`snapshot save`); the root's is empty.
    pub path: &'static str,
    /// cobra's `Use`: its name, then how its arguments go.
    pub usage: &'static str,
    pub short: &'static str,
    pub long: Vec<&'static str>,
    pub runnable: bool,
    pub flags: Vec<Flag>,
    pub persistent: Vec<Flag>,
    pub parent: Option<usize>,
    /// Its subcommands, in the order they were added.
    pub children: Vec<usize>,
}

impl Command {
    /// The last word of its path (cobra's `Name()`).
    pub fn name(&self) -> &'static str {
        self.usage.split(' ').next().unwrap_or_default()
    }
}

/// The whole tree; the root is command 0.
pub fn commands() -> Vec<Command> {
    let mut out: Vec<Command> = Vec::new();
    for line in TABLE.lines() {
        let (tag, rest) = line.split_at(line.len().min(1));
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        match tag {
            "=" | "+" => {
                let mut parts = rest.splitn(3, " | ");
                let path = parts.next().unwrap_or_default();
                let path = if out.is_empty() { "" } else { path };
                let parent = path
                    .rsplit_once(' ')
                    .map(|(p, _)| p)
                    .and_then(|p| out.iter().position(|c| c.path == p))
                    .or(if out.is_empty() { None } else { Some(0) });
                let index = out.len();
                if let Some(p) = parent.and_then(|p| out.get_mut(p)) {
                    p.children.push(index);
                }
                out.push(Command {
                    path,
                    usage: parts.next().unwrap_or_default(),
                    short: parts.next().unwrap_or_default(),
                    long: Vec::new(),
                    runnable: tag == "=",
                    flags: Vec::new(),
                    persistent: Vec::new(),
                    parent,
                    children: Vec::new(),
                });
            }
            ">" => {
                if let Some(c) = out.last_mut() {
                    c.long.push(rest);
                }
            }
            "-" | "*" => {
                let (Some(c), Some(flag)) = (out.last_mut(), flag(rest)) else {
                    continue;
                };
                if tag == "*" {
                    c.persistent.push(flag);
                } else {
                    c.flags.push(flag);
                }
            }
            _ => {}
        }
    }
    out
}

/// `KIND NAME[,X] DEFAULT | USAGE`.
fn flag(line: &'static str) -> Option<Flag> {
    let (spec, usage) = line.split_once(" | ")?;
    let mut words = spec.splitn(3, ' ');
    let kind = match words.next()? {
        "bool" => Kind::Bool,
        "string" => Kind::String,
        "int" => Kind::Int,
        "duration" => Kind::Duration,
        "stringSlice" => Kind::StringSlice,
        _ => return None,
    };
    let word = words.next()?;
    let (name, shorthand) = match word.split_once(',') {
        Some((name, short)) => (name, short.chars().next()),
        None => (word, None),
    };
    let default = words.next()?;
    let default = match kind {
        Kind::String => default.trim_matches('"'),
        _ => default,
    };
    Some(Flag {
        name,
        shorthand,
        kind,
        default,
        usage,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_into_a_tree_with_every_line_used() {
        let cmds = commands();
        let root = cmds.first().map(|c| (c.name(), c.persistent.len()));
        assert_eq!(root, Some(("etcdctl", 18)));
        let save = cmds.iter().find(|c| c.path == "snapshot save");
        let parent = save.and_then(|c| c.parent).and_then(|p| cmds.get(p));
        assert_eq!(parent.map(|p| p.path), Some("snapshot"));
        let restore = cmds.iter().find(|c| c.path == "snapshot restore");
        assert_eq!(restore.map(|c| c.flags.len()), Some(10));
        // Every flag line became a flag and every text line a Long line.
        let flags: usize = cmds
            .iter()
            .map(|c| c.flags.len() + c.persistent.len())
            .sum();
        let flag_lines = TABLE.lines().filter(|l| l.starts_with(['-', '*'])).count();
        assert_eq!(flags, flag_lines);
        let commands_lines = TABLE.lines().filter(|l| l.starts_with(['=', '+'])).count();
        assert_eq!(cmds.len(), commands_lines);
        let w = cmds
            .first()
            .and_then(|c| c.persistent.iter().find(|f| f.name == "write-out"));
        assert_eq!(
            w.map(|f| (f.shorthand, f.default)),
            Some((Some('w'), "simple"))
        );
    }
}
