# A one-node Slurm cluster for a test, all of it under one folder: its own
# munge key and munged socket, slurm.conf, state and spool, and free ports,
# so that it touches nothing of the machine's (no /etc/slurm, /run/munge)
# and two of them can run at once. Sourced by test_slurm.sh (after lib.sh).
#
#   slurm_start DIR    start munged, slurmctld, slurmd; wait for the node
#   slurm_stop         stop them by their PIDs (and what their jobs left)
#
# Everything talks over the loopback (NodeAddr, SlurmctldHost's address):
# the host name need not resolve. The daemons run as root (SlurmUser=root): ProctrackType=proctrack/linuxproc
# and TaskPlugin=task/none need no cgroup, so this runs in containers and VMs
# without systemd. The client commands find the cluster through SLURM_CONF,
# which is exported.

SLURM_PIDS=""

# A TCP port nobody listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

slurm_start() {
	SLURM_DIR=$1
	mkdir -p "$SLURM_DIR"/{munge,state,spool,log}
	chmod 700 "$SLURM_DIR" "$SLURM_DIR/munge"
	local host cpus mem_mb ctld_port d_port
	host=$(hostname -s)
	cpus=$(nproc)
	# RealMemory in MB, a little under what the machine has.
	mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
	ctld_port=$(free_port)
	d_port=$(free_port)
	while [ "$d_port" = "$ctld_port" ]; do d_port=$(free_port); done

	head -c 1024 /dev/urandom >"$SLURM_DIR/munge/munge.key"
	chmod 400 "$SLURM_DIR/munge/munge.key"
	MUNGE_SOCKET=$SLURM_DIR/munge/munge.socket
	munged --foreground --force --key-file="$SLURM_DIR/munge/munge.key" \
		--socket="$MUNGE_SOCKET" --pid-file="$SLURM_DIR/munge/munged.pid" \
		--log-file="$SLURM_DIR/log/munged.log" --seed-file="$SLURM_DIR/munge/seed" \
		</dev/null >>"$SLURM_DIR/log/munged.out" 2>&1 &
	SLURM_PIDS="$!"
	for _ in $(seq 100); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.05; done
	[ -S "$MUNGE_SOCKET" ] || { cat "$SLURM_DIR"/log/munged.* >&2; return 1; }

	SLURM_CONF=$SLURM_DIR/slurm.conf
	export SLURM_CONF
	cat >"$SLURM_CONF" <<EOF
ClusterName=fptest$$
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool/%n
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
# A cancelled or timed-out task gets SIGTERM, then SIGKILL this many
# seconds later (the default is 30).
KillWait=3
# sbatch --wait polls every 2 s only while 2 < MinJobAge / 2 fails to
# hold; past that it sleeps 8 then 32 s between polls. Finished jobs stay
# visible to scontrol for MinJobAge, and until the next purge (60 s).
MinJobAge=4
InactiveLimit=0
SlurmdTimeout=60
MaxArraySize=1001
NodeName=$host NodeAddr=127.0.0.1 NodeHostname=$host CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
	slurmctld -D -c -f "$SLURM_CONF" </dev/null >>"$SLURM_DIR/log/slurmctld.out" 2>&1 &
	SLURM_PIDS="$SLURM_PIDS $!"
	slurmd -D -f "$SLURM_CONF" </dev/null >>"$SLURM_DIR/log/slurmd.out" 2>&1 &
	SLURM_PIDS="$SLURM_PIDS $!"
	# Up when the node takes jobs.
	local state=""
	for _ in $(seq 150); do
		state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
		case $state in idle | mixed | allocated) return 0 ;; esac
		sleep 0.1
	done
	echo "slurm did not come up (node: '$state')" >&2
	tail -5 "$SLURM_DIR"/log/*.log >&2
	return 1
}

# Slurm processes of this cluster (slurmstepd of a job outlives slurmd):
# they carry its folder in their environment (SLURM_CONF).
slurm_leftovers() {
	local f pid
	for f in $(grep -l -s -a "SLURM_CONF=$SLURM_CONF" /proc/[0-9]*/environ 2>/dev/null); do
		pid=${f#/proc/}
		pid=${pid%/environ}
		case $(cat "/proc/$pid/comm" 2>/dev/null) in slurm*) echo "$pid" ;; esac
	done
}

slurm_stop() {
	[ -n "${SLURM_CONF:-}" ] || return 0
	# Jobs first, while the daemons can still end them.
	scancel --full --quiet --user=root 2>/dev/null || true
	for _ in $(seq 50); do
		[ -z "$(squeue -h 2>/dev/null)" ] && break
		sleep 0.1
	done
	local pid
	for pid in $SLURM_PIDS; do kill -TERM "$pid" 2>/dev/null; done
	for _ in $(seq 50); do
		local alive=""
		for pid in $SLURM_PIDS; do kill -0 "$pid" 2>/dev/null && alive=1; done
		[ -z "$alive" ] && break
		sleep 0.1
	done
	for pid in $SLURM_PIDS; do kill -KILL "$pid" 2>/dev/null; done
	for pid in $SLURM_PIDS; do wait "$pid" 2>/dev/null; done
	for pid in $(slurm_leftovers); do kill -KILL "$pid" 2>/dev/null; done
	SLURM_PIDS=""
}
