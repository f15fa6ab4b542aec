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
	# Two two-second sleeps at once take two seconds, not four.
	start=$(date +%s)
	sleep 2 & sleep 2 &
	wait
	took=$(($(date +%s) - start))
	ok bg_parallel 0 $([ $took -lt 4 ]; echo $?)
	mkdir -p $T
	for i in 1 2 3 4; do echo $i > $T/bg$i & done
	wait
	ok bg_many "1 2 3 4" "$(cat $T/bg1 $T/bg2 $T/bg3 $T/bg4 | tr '\n' ' ' | sed 's/ $//')"
	rm -f $T/bg*
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

# Mounts with busybox mount and umount.  "mount" alone and df read
# /proc/mounts, which is not there yet: stat -f shows the types instead.
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
	rm -r $T/m $T/f $T/script $T/busybox
}

TESTS="pipeline glob variables status pids redirect background control tools mount"
[ $# -gt 0 ] && TESTS="$*"
mkdir -p $T
for t in $TESTS; do
	t_$t
done
cd / && rm -rf $T
echo "ashtest: $pass passed, $fail failed"
[ $fail -eq 0 ]
