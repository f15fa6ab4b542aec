#!/bin/sh
# ashtest: the shell-level suite, run by busybox ash in the guest (booted
# with init=/test/ashtest).  Each check prints one line
#
#     TEST <name>: PASS        or        TEST <name>: FAIL <what>
#
# and the run ends with "ashtest: N passed, N failed"; the exit status is
# 0 only if every check passed.  "ashtest NAME..." runs only those tests.
# It works under /tmp/ashtest, which it makes and removes.

T=/tmp/ashtest
pass=0
fail=0

# ok NAME EXPECTED ACTUAL: one TEST line (the values on one line each).
ok() {
	if [ "$2" = "$3" ]; then
		echo "TEST $1: PASS"
		pass=$((pass + 1))
	else
		echo "TEST $1: FAIL expected [$(echo "$2" | tr '\n' '|')]," \
		    "got [$(echo "$3" | tr '\n' '|')]"
		fail=$((fail + 1))
	fi
}

# uptime_cs: the time since boot in hundredths of a second (/proc/uptime).
uptime_cs() {
	read up _ < /proc/uptime
	cs=${up#*.}
	echo $((${up%%.*} * 100 + ${cs#0}))
}

t_pipeline() {
	ok pipeline 2 "$(echo hello world | wc -w)"
	ok pipeline_long 19 "$(seq 1 100 | grep 7 | sort -r | uniq | wc -l)"
	false | true
	ok pipeline_status_last 0 $?
	true | false
	ok pipeline_status_fails 1 $?
	ok pipeline_big "$(seq 1 20000 | wc -l)" "$(seq 1 20000 | cat | cat | wc -l)"
}

t_glob() {
	mkdir -p $T/g && cd $T/g || return
	touch a1 a2 b1 .hidden
	ok glob_star "a1 a2" "$(echo a*)"
	ok glob_question "a1 b1" "$(echo ?1)"
	ok glob_class "a2" "$(echo [ab]2)"
	ok glob_no_match 'z*' "$(echo z*)"
	ok glob_hidden "a1 a2 b1" "$(echo *)"
	ok glob_path "$T/g/a1 $T/g/b1" "$(echo $T/g/*1)"
	ok glob_quoted 'a*' "$(echo 'a*')"
	cd / && rm -r $T/g
}

t_variables() {
	x=hello
	ok var_plain hello "$x"
	ok var_default def "${unset_var:-def}"
	ok var_length 5 "${#x}"
	f=archive.tar.gz
	ok var_suffix archive.tar "${f%.*}"
	ok var_prefix tar.gz "${f#*.}"
	ok var_env_to_child 1 "$(GREETING=1 sh -c 'echo $GREETING')"
	export EXPORTED=yes
	ok var_export yes "$(sh -c 'echo $EXPORTED')"
	ok var_arith 42 "$((6 * 7))"
	set -- one two three
	ok var_positional "3 two" "$# $2"
}

t_status() {
	false
	ok status_false 1 $?
	sh -c 'exit 7'
	ok status_exit 7 $?
	/nonexistent/program 2>/dev/null
	ok status_not_found 127 $?
	! true
	ok status_negated 1 $?
	sh -c 'kill -9 $$'
	ok status_signal 137 $?
}

t_pids() {
	[ "$$" -gt 1 ]
	ok pid_dollar 0 $?
	ok pid_child_ppid "$$" "$(sh -c 'echo $PPID')"
	sleep 0 &
	bg=$!
	wait $bg
	ok pid_bang_differs 0 $([ "$bg" != "$$" ]; echo $?)
}

t_redirect() {
	mkdir -p $T
	echo one > $T/f
	echo two >> $T/f
	ok redir_append "one
two" "$(cat $T/f)"
	ok redir_input 2 "$(wc -l < $T/f)"
	ok redir_stderr_to_stdout err "$(sh -c 'echo err >&2' 2>&1)"
	ok redir_stderr_null "" "$(sh -c 'echo err >&2' 2>/dev/null)"
	ok redir_heredoc "a b" "$(cat <<EOF
a b
EOF
)"
	exec 3> $T/fd3
	echo via3 >&3
	exec 3>&-
	ok redir_fd3 via3 "$(cat $T/fd3)"
	: > $T/f
	ok redir_truncate 0 "$(wc -c < $T/f)"
	mkfifo $T/fifo
	echo through > $T/fifo &
	read line < $T/fifo
	wait
	ok redir_fifo through "$line"
	ok redir_dev_null "" "$(cat /dev/null)"
	rm -f $T/f $T/fd3 $T/fifo
}

t_background() {
	sleep 1 &
	p=$!
	wait $p
	ok bg_wait_status 0 $?
	(exit 3) &
	wait $!
	ok bg_exit_status 3 $?
	sleep 10 &
	p=$!
	kill $p
	wait $p
	ok bg_killed 143 $?
	# Two two-second sleeps at once run at the same time: each job notes
	# when its sleep began and ended, and the later start comes before
	# the earlier end, which one after the other it could not.  (Not the
	# time the whole took: on a loaded host, starting two processes may
	# take a second.)  Each slept its 2 s, and wait waited for both.
	mkdir -p $T
	for j in 1 2; do
		(b=$(uptime_cs); sleep 2; echo $b $(uptime_cs) > $T/par$j) &
	done
	wait
	read b1 e1 < $T/par1
	read b2 e2 < $T/par2
	r=apart
	[ $b1 -lt $e2 ] && [ $b2 -lt $e1 ] && r=overlap
	[ $((e1 - b1)) -ge 200 ] && [ $((e2 - b2)) -ge 200 ] || r="$r, short"
	[ "$r" = overlap ] || r="$r: slept $b1-$e1 and $b2-$e2"
	ok bg_parallel overlap "$r"
	for i in 1 2 3 4; do echo $i > $T/bg$i & done
	wait
	ok bg_many "1 2 3 4" "$(cat $T/bg1 $T/bg2 $T/bg3 $T/bg4 | tr '\n' ' ' | sed 's/ $//')"
	rm -f $T/bg* $T/par*
}

t_control() {
	n=0
	while [ $n -lt 5 ]; do n=$((n + 1)); done
	ok ctl_while 5 $n
	s=
	for w in a b c; do s=$s$w; done
	ok ctl_for abc "$s"
	case vmk.img in *.img) r=image ;; *) r=other ;; esac
	ok ctl_case image $r
	twice() { echo "$1$1"; }
	ok ctl_function abab "$(twice ab)"
	ok ctl_subshell outer "$(v=outer; (v=inner); echo $v)"
	ok ctl_trap_exit bye "$(sh -c 'trap "echo bye" EXIT; true')"
	ok ctl_and_or yes "$(false && echo no || echo yes)"
}

t_tools() {
	mkdir -p $T/t/sub
	printf 'b 2\na 1\nc 3\n' > $T/t/data
	ok tool_sort "a 1 b 2 c 3" "$(sort $T/t/data | tr '\n' ' ' | sed 's/ $//')"
	ok tool_awk 6 "$(awk '{ s += $2 } END { print s }' $T/t/data)"
	ok tool_sed "B 2" "$(sed -n 's/b/B/p' $T/t/data)"
	ok tool_cut "b a c" "$(cut -d' ' -f1 $T/t/data | tr '\n' ' ' | sed 's/ $//')"
	ok tool_head_tail "a 1" "$(head -n 2 $T/t/data | tail -n 1)"
	ok tool_grep_count 1 "$(grep -c '^c' $T/t/data)"
	touch $T/t/sub/x.txt
	ok tool_find "$T/t/sub/x.txt" "$(find $T/t -name '*.txt')"
	ok tool_xargs 3 "$(printf '1\n2\n3\n' | xargs echo | wc -w)"
	ok tool_dd_zero 4096 "$(dd if=/dev/zero bs=1024 count=4 2>/dev/null | wc -c)"
	ln -s data $T/t/link
	ok tool_readlink data "$(readlink $T/t/link)"
	ok tool_test_file 0 $([ -f $T/t/data ] && [ -d $T/t/sub ] && [ -L $T/t/link ]; echo $?)
	rm -r $T/t
	ok tool_rm_gone 1 $([ -e $T/t ]; echo $?)
}

# The BSD shapes of our own tools: sysctl's struct formats, vmstat's
# FreeBSD columns, per-process nodes listed by sysctl -a.
t_bsdtools() {
	ok bsd_boottime 1 "$(sysctl kern.boottime |
	    grep -c '^kern.boottime: { sec = [0-9]*, usec = [0-9]* } [A-Z][a-z][a-z] ')"
	ok bsd_vmtotal 1 "$(sysctl vm.vmtotal | grep -c '^Processes:.*(RUNQ: [0-9]')"
	ok bsd_page_size 4096 "$(sysctl -n vm.stats.vm.v_page_size)"
	ok bsd_vmstat_header "r b w avm fre flt re pi po fr sr in sy cs us sy id" \
	    "$(vmstat | sed -n 2p | tr -s ' ' | sed 's/^ //')"
	ok bsd_vmstat_fields 17 "$(vmstat | sed -n 3p | wc -w)"
	ok bsd_vmstat_interval 4 "$(vmstat 1 2 | wc -l)"
	ok bsd_vmstat_bad_option 2 "$(vmstat -q 2>/dev/null; echo $?)"
	ok bsd_procmap_header "PID START END PRT RES PRES REF SHD FLAG TP PATH" \
	    "$(procmap $$ | head -n 1 | tr -s ' ' | sed 's/^ //')"
	# (the shell forked for $(...): whether it wrote its stack since,
	# which clears needs-copy, N, depends on who ran first)
	ok bsd_procmap_stack 1 "$(procmap $$ | grep -c ' rw- .* .[-N]-D- [ds][fw]$')"
	ok bsd_procmap_text 1 "$(procmap $$ | grep -c ' r-x .* vn /bin/busybox$')"
	ok bsd_procmap_own_path 1 \
	    "$(sh -c 'exec procmap $$' | grep -c ' r-x .* vn /bin/procmap$')"
	ok bsd_procmap_paths_as_maps \
	    "$(grep -c ' /bin/busybox$' /proc/$$/maps)" \
	    "$(procmap $$ | grep -c ' /bin/busybox$')"
	ok bsd_procmap_vmk_view 1 "$(procmap -x $$ | head -n 1 | grep -c 'DEPTH NAME')"
	ok bsd_procmap_vmk_names 1 "$(procmap -x $$ | grep -c ' \[stack\]$')"
	ok bsd_sysctl_a_per_process 1 "$(sysctl -a | grep -c '^vm.proc.map.1: ')"
	ok bsd_sysctl_prefix_arguments 1 \
	    "$(sysctl -a | grep -c '^vm.proc.chain: (takes arguments)')"
}


t_proc() {
	# busybox's ps, free, uptime and top read /proc.
	ok proc_ps_self 1 "$(busybox ps | awk -v p=$$ '$1 == p' | wc -l)"
	ok proc_ps_init "/sbin/init" "$(busybox ps | awk '$1 == 1 { print $3 }')"
	ok proc_free_total "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)" \
	    "$(busybox free | awk '/^Mem:/ { print $2 }')"
	ok proc_uptime_load 1 "$(busybox uptime | grep -c 'load average: [0-9]*\.[0-9][0-9], ')"
	ok proc_top_batch 1 "$(busybox top -n 1 -b | grep -c '^ *1 *0 .*/sbin/init')"
	ok proc_top_self 1 "$(busybox top -n 1 -b | grep -c 'busybox top -n 1 -b$')"
	sleep 5 &
	# Until it is asleep: under load it may still be starting up (R).
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(cut -d' ' -f3 /proc/$!/stat)" = S ] && break
	done
	ok proc_bg_stat "$! (sleep) S $$" "$(cut -d' ' -f1-4 /proc/$!/stat)"
	kill $!
	wait $! 2>/dev/null
	ok proc_gone 1 $([ -e /proc/$! ]; echo $?)
	ok proc_sysctl_write 7 "$(echo 7 > /proc/sys/vm/prefault_ahead; cat /proc/sys/vm/prefault_ahead)"
	echo 4 > /proc/sys/vm/prefault_ahead
	ok proc_mount_list 1 "$(busybox mount | grep -c '^proc on /proc type proc (rw)$')"
	ok proc_exe /bin/busybox "$(readlink /proc/$$/exe)"
	ok proc_sysctl_bad 1 "$( (echo x > /proc/sys/vm/prefault_ahead) 2>/dev/null; echo $?)"
}

# until_jobs PATTERN: wait up to 5 s for "jobs" to print PATTERN (a stop
# is reported once the job's last thread has parked, a moment after kill).
until_jobs() {
	i=0
	while [ $i -lt 50 ]; do
		case "$(jobs)" in *$1*) return 0 ;; esac
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# Job control (set -m): background jobs in their own groups, stopped and
# continued by kill and bg, brought to the foreground by fg.
t_jobs() {
	mkdir -p $T
	set -m
	sleep 10 &
	until_jobs "Running"*"sleep 10"
	ok jobs_running 0 $?
	kill -STOP %1
	until_jobs "Stopped"*"sleep 10"
	ok jobs_stopped 0 $?
	bg %1 > /dev/null
	until_jobs "Running"*"sleep 10"
	ok jobs_bg_running 0 $?
	kill %1
	wait %1
	ok jobs_kill_status 143 $?
	# A stopped job does nothing until kill -CONT continues it.  (The
	# job waited for above keeps its number until "jobs" shows it: %%.)
	(sleep 0.3; echo done > $T/cont) &
	kill -STOP %%
	until_jobs "Stopped"
	sleep 1
	ok jobs_stop_holds 1 $([ -e $T/cont ]; echo $?)
	kill -CONT %%
	i=0
	while [ ! -e $T/cont ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	ok jobs_cont_resumes done "$(cat $T/cont 2>/dev/null)"
	fg %% > /dev/null
	ok jobs_fg_after_cont 0 $?
	sh -c 'sleep 0.3; exit 6' &
	kill -STOP %%
	until_jobs "Stopped"
	fg %% > /dev/null
	ok jobs_fg_stopped_status 6 $?
	jobs > /dev/null	# reports (and so forgets) the jobs that ended
	ok jobs_none "" "$(jobs)"
	set +m
	rm -f $T/cont
}

# Mounts with busybox mount and umount; stat -f shows the types.
t_mount() {
	mkdir -p $T/m
	mount -t tmpfs -o size=1m,mode=700 tmpfs $T/m
	ok mount_status 0 $?
	ok mount_type tmpfs "$(stat -f -c %T $T/m)"
	ok mount_tmp_is_tmpfs tmpfs "$(stat -f -c %T /tmp)"
	ok mount_root_mode 700 "$(stat -c %a $T/m)"
	ok mount_size 256 "$(stat -f -c %b $T/m)"
	echo data > $T/m/f
	ok mount_file data "$(cat $T/m/f)"
	ok mount_busy 1 "$(cd $T/m && umount $T/m 2>/dev/null; echo $?)"
	mv $T/m/f $T/f
	ok mount_mv_across data "$(cat $T/f)"
	# (with the type and source given: "-o remount DIR" alone looks the
	# mount up in /proc/mounts)
	mount -t tmpfs -o remount,ro tmpfs $T/m
	ok mount_remount_ro 1 "$(touch $T/m/g 2>/dev/null; echo $?)"
	printf '#!/bin/sh\necho ran\n' > $T/script
	chmod +x $T/script
	ok mount_tmpfs_script ran "$($T/script)"
	cp /bin/busybox $T/busybox	# (busybox's name picks the applet)
	ok mount_tmpfs_elf hi "$($T/busybox echo hi)"
	umount $T/m
	ok umount_status 0 $?
	ok umount_uncovers "" "$(ls $T/m)"
	# umount -l (MNT_DETACH) while a shell sits inside: the shell goes on
	# in the detached tree, the mount point shows the directory below.
	mount -t tmpfs tmpfs $T/m
	echo lazy > $T/m/f
	ok umount_lazy "0 lazy 0" "$(cd $T/m && umount -l $T/m; echo $? $(cat f) \
	    $(ls $T/m | wc -l))"
	rm -r $T/m $T/f $T/script $T/busybox
}

TESTS="pipeline glob variables status pids redirect background control tools bsdtools proc jobs mount"
[ $# -gt 0 ] && TESTS="$*"
mkdir -p $T
for t in $TESTS; do
	t_$t
done
cd / && rm -rf $T
echo "ashtest: $pass passed, $fail failed"
[ $fail -eq 0 ]
