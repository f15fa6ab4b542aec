# vmk: a Mach/BSD-style VM kernel for 64-bit RISC-V.
#
#   make run     build and boot under QEMU (Ctrl-A X leaves QEMU)
#   make check   host tests, then guest tests; ends with "N passed, N failed"
#   make gdb     boot halted with a gdb stub and attach gdb-multiarch
#
# WITNESS=1 builds the debug kernel (lock-order checking, the lock
# legends' assertions) into $(B)/witness/; make check and make stress use
# it, make run and make bench the normal kernel unless WITNESS=1 is given.
#
# Both run scripts/deps.sh first, which installs missing Debian packages.

CROSS	?= riscv64-linux-gnu-
CC	:= $(CROSS)gcc
OBJDUMP	:= $(CROSS)objdump
NM	:= $(CROSS)nm
HOSTCC	?= gcc
PYTHON	?= python3

B	:= build
# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# --- kernel -----------------------------------------------------------------

KCFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-ffreestanding -fno-common -fno-stack-protector -fno-pie \
	-fno-omit-frame-pointer -fno-tree-loop-distribute-patterns \
	-std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror \
	-I. -Iarch/riscv/include -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-T,arch/riscv/kernel.ld -Wl,--no-warn-rwx-segments

KSRCS := $(wildcard arch/riscv/*.c arch/riscv/*.S kern/*.c vm/*.c dev/*.c \
	dev/virtio/*.c fs/*.c fs/ext2/*.c fs/procfs/*.c fs/tmpfs/*.c tests/kernel/*.c)

# KB: where this kernel is built.  The witness is a source file of its own.
WITNESS ?= 0
WB	:= $(B)/witness
ifeq ($(WITNESS),1)
KB	:= $(WB)
KCFLAGS += -DWITNESS
else
KB	:= $(B)
KSRCS := $(filter-out kern/subr_witness.c,$(KSRCS))
endif
KOBJS := $(patsubst %,$(KB)/k/%.o,$(basename $(KSRCS)))

$(KB)/k/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KB)/k/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# Two links: the first has an empty symbol table; the second embeds the
# first's text symbols.  The table sits after all text, so text addresses
# cannot move between the links (checked below).
$(KB)/ksyms-empty.S: scripts/ksyms.sh
	@mkdir -p $(KB)
	$(Q)sh scripts/ksyms.sh --empty > $@

$(KB)/kernel-pass1.elf: $(KOBJS) $(KB)/k/ksyms-empty.o arch/riscv/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJS) $(KB)/k/ksyms-empty.o

$(KB)/ksyms.S: $(KB)/kernel-pass1.elf scripts/ksyms.sh
	$(Q)sh scripts/ksyms.sh $(NM) $< > $@

$(KB)/k/ksyms-empty.o: $(KB)/ksyms-empty.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KB)/k/ksyms.o: $(KB)/ksyms.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(KB)/kernel.elf: $(KOBJS) $(KB)/k/ksyms.o arch/riscv/kernel.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(KLDFLAGS) -o $@ $(KOBJS) $(KB)/k/ksyms.o
	$(Q)sh scripts/ksyms.sh $(NM) $@ | cmp -s - $(KB)/ksyms.S || \
		{ echo "kernel symbol table moved between links"; rm -f $@; exit 1; }
	$(Q)$(OBJDUMP) -S $@ > $(KB)/kernel.asm
	$(Q)$(NM) -n $@ > $(KB)/kernel.sym

kernel: $(KB)/kernel.elf

# --- userland ---------------------------------------------------------------

# Static glibc programs from Debian's cross compiler.  Tools go to /bin,
# init to /sbin, test programs to /test; scripts/mkfsimages.sh copies the
# staging tree into the root image.
UCC	:= $(CROSS)gcc
UCFLAGS	:= -static -O2 -g -Wall -Wextra -Werror -Iuserland/include
UBIN	:= $(B)/rootfs-stage
USER_TOOLS := $(basename $(notdir $(wildcard userland/*.c)))
USER_TESTS := $(basename $(notdir $(wildcard userland/tests/*.c)))
USER_STRESS := $(basename $(notdir $(wildcard userland/stress/*.c)))
USER_BENCH := $(basename $(notdir $(wildcard userland/bench/*.c)))
USER_SCRIPTS := $(basename $(notdir $(wildcard userland/tests/*.sh)))
USER_BINS := $(patsubst %,$(UBIN)/bin/%,$(filter-out init,$(USER_TOOLS))) \
	$(UBIN)/sbin/init $(patsubst %,$(UBIN)/test/%,$(USER_TESTS) $(USER_SCRIPTS)) \
	$(patsubst %,$(UBIN)/stress/%,$(USER_STRESS)) \
	$(patsubst %,$(UBIN)/bench/%,$(USER_BENCH))

# $(UBIN)/FOLDER/NAME from SRCDIR/NAME.c: $(call user_programs,FOLDER,SRCDIR)
define user_programs
$(UBIN)/$(1)/%: $(2)/%.c $$(wildcard userland/include/*.h)
	@mkdir -p $$(dir $$@)
	@echo "  UCC     $$<"
	$$(Q)$$(UCC) $$(UCFLAGS) -o $$@ $$<
endef
$(eval $(call user_programs,bin,userland))
$(eval $(call user_programs,sbin,userland))
$(eval $(call user_programs,test,userland/tests))
$(eval $(call user_programs,stress,userland/stress))
$(eval $(call user_programs,bench,userland/bench))

# Shell scripts (run by busybox ash) go to /test without their .sh.
$(UBIN)/test/%: userland/tests/%.sh
	@mkdir -p $(dir $@)
	$(Q)install -m 755 $< $@

# The fuzzer takes its call table from the kernel's.
$(UBIN)/test/sysfuzz: kern/syscalls.def

# Two programs have no libc (userland/include/nolibc.h): the exec probe,
# whose first instruction reads the counter, and the static-pie loader
# test (Debian's cross glibc has no static-pie start files).
NOLIBC_CFLAGS := -O2 -Wall -Werror -nostdlib -Iuserland/include
$(UBIN)/bench/execprobe: UCFLAGS := $(NOLIBC_CFLAGS) -static
$(UBIN)/test/pie: UCFLAGS := $(NOLIBC_CFLAGS) -fPIE -static-pie \
	-Wl,--no-dynamic-linker

# A program whose source is gone leaves the staging tree too.
userland: $(USER_BINS)
	$(Q)for f in $$(find $(UBIN) -type f); do \
		case " $(USER_BINS) " in *" $$f "*) ;; *) rm -f $$f ;; esac; done

# busybox: Debian's source package, cross-built static with the tree's
# config (scripts/busybox.sh, which uses a private apt configuration under
# $(B)/apt).  Cached under $(B)/busybox: fetched once, rebuilt only when
# the config's settings change (the script is a no-op otherwise, and
# leaves the binary's time alone).
BUSYBOX_CONFIG := userland/busybox/config
BUSYBOX := $(B)/busybox/busybox
$(BUSYBOX): $(BUSYBOX_CONFIG) scripts/busybox.sh
	@sh scripts/busybox.sh $(B) $(BUSYBOX_CONFIG)

busybox: $(BUSYBOX)

# --- QEMU -------------------------------------------------------------------

QEMU	 := qemu-system-riscv64
MEM	 ?= 256M
SMP	 ?= 4
BOOTARGS ?=
QEMU_MACHINE := -M virt -m $(MEM) -nographic -bios default \
	-global virtio-mmio.force-legacy=false -no-reboot
# One host thread per hart (MTTCG), so harts really run in parallel.
# -icount needs the single-threaded TCG: the benchmarks use QEMU_ONE_HART.
QEMU_SMP := -smp $(SMP) -accel tcg,thread=multi
QEMUFLAGS := $(QEMU_MACHINE) $(QEMU_SMP) -kernel $(KB)/kernel.elf
WITNESS_QEMUFLAGS := $(QEMU_MACHINE) $(QEMU_SMP) -kernel $(WB)/kernel.elf
QEMU_ONE_HART := $(QEMU_MACHINE) -smp 1 -icount shift=0

# Disks, in the order they become vda, vdb, ...: the root file system,
# then for the tests a scratch disk and file-system images (see
# tests/kernel/test_fs.c).  The tests write to them: made fresh each run.
#
# make run (and gdb) boot $(B)/root.img, which persists: what is written in
# the guest is still there next time.  It is made again only when its
# inputs change, or by `make image`.  Everything else boots fresh copies
# in $(B)/test/, made by `make images` before each use.
disk = -drive file=$(B)/$(1),if=none,format=raw,id=$(basename $(notdir $(1))) \
	-device virtio-blk-device,drive=$(basename $(notdir $(1)))
ROOT_DISK := $(call disk,root.img)
TEST_ROOT_DISK := $(call disk,test/root.img)
TEST_DISKS := $(TEST_ROOT_DISK) $(call disk,test/scratch.img) $(call disk,test/fs1k.img) \
	$(call disk,test/fs2k.img) $(call disk,test/badmagic.img) \
	$(call disk,test/badblock.img) $(call disk,test/dirloop.img)
ROOT_INPUTS := $(USER_BINS) $(BUSYBOX) scripts/mkfsimages.sh $(wildcard userland/etc/*)

images: userland busybox
	@sh scripts/mkfsimages.sh $(B) $(B)/test
	@$(PYTHON) scripts/mkscratch.py $(B)/test/scratch.img 8

$(B)/root.img: $(ROOT_INPUTS)
	@echo "  IMAGE   $@"
	$(Q)sh scripts/mkfsimages.sh $(B) $(B)/new-root root
	$(Q)mv $(B)/new-root/root.img $@

image:
	@rm -f $(B)/root.img
	@$(MAKE) --no-print-directory $(B)/root.img

deps:
	@sh scripts/deps.sh

# make run SWAP=256M: a fresh swap disk of that size (mkswap'd) as vdb,
# used from boot (swap=vdb).
SWAP ?=
ifneq ($(SWAP),)
SWAP_DISK = $(call disk,swap.img)
RUN_ARGS = swap=vdb $(BOOTARGS)
else
SWAP_DISK =
RUN_ARGS = $(BOOTARGS)
endif

swapdisk:
	@if [ -n "$(SWAP)" ]; then rm -f $(B)/swap.img && \
		truncate -s $(SWAP) $(B)/swap.img && \
		PATH="$$PATH:/sbin:/usr/sbin" mkswap -q $(B)/swap.img; fi

run: deps
	@$(MAKE) --no-print-directory kernel
	@$(MAKE) --no-print-directory $(B)/root.img
	@$(MAKE) --no-print-directory swapdisk
	$(QEMU) $(QEMUFLAGS) $(ROOT_DISK) $(SWAP_DISK) -append "$(strip $(RUN_ARGS))"

# `make qemu-gdb` waits for a debugger on tcp::1234; `make gdb` starts both.
qemu-gdb: deps
	@$(MAKE) --no-print-directory kernel
	@$(MAKE) --no-print-directory $(B)/root.img
	$(QEMU) $(QEMUFLAGS) $(ROOT_DISK) -append "$(BOOTARGS)" -s -S

gdb: deps
	@$(MAKE) --no-print-directory kernel
	@$(MAKE) --no-print-directory $(B)/root.img
	scripts/gdb.sh $(KB)/kernel.elf $(B)/gdb-console.log $(B)/qemu-gdb.pid \
		$(QEMU) $(QEMUFLAGS) $(ROOT_DISK) -append "$(BOOTARGS)"

# --- host tests -------------------------------------------------------------

HCFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Wno-unused-parameter -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DLOCK_CHECKS -I. -Itests/host/include -MMD -MP
HLIBS	:= -lcmocka

# MI code the host tests build natively, and the host's kernel services.
HOST_MI := kern/subr_sysctl.c kern/subr_prf.c kern/subr_fdt.c kern/platform.c kern/physmem.c \
	kern/cmdline.c kern/subr_string.c kern/kern_malloc.c kern/kern_sx.c kern/kern_kpath.c \
	vm/vm_page.c vm/vm_radix.c vm/vm_object.c vm/vm_map.c vm/vm_fault.c vm/vm_meter.c \
	vm/vm_pageout.c vm/swap_pager.c vm/vnode_pager.c vm/vm_mmap.c
HOST_SUPPORT := tests/host/kernel_host.c tests/host/pmap_stub.c \
	tests/host/vm_host.c tests/host/file_host.c
HOST_TESTS := $(basename $(notdir $(wildcard tests/host/test_*.c)))
HOST_BINS := $(addprefix $(B)/host/,$(HOST_TESTS))
HOST_OBJS := $(patsubst %,$(B)/host/o/%.o,$(basename $(HOST_MI) $(HOST_SUPPORT)))

$(B)/host/o/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HCFLAGS) -c $< -o $@

$(B)/host/test_%: tests/host/test_%.c $(HOST_OBJS)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(HCFLAGS) -o $@ $< $(HOST_OBJS) $(HLIBS)

# Device trees for the FDT tests: QEMU's own, plus hand-written fixtures.
DTS_FIXTURES := $(wildcard tests/host/fixtures/*.dts)
DTB_FIXTURES := $(patsubst tests/host/fixtures/%.dts,$(B)/host/dtb/%.dtb,$(DTS_FIXTURES))

$(B)/host/dtb/%.dtb: tests/host/fixtures/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(B)/host/dtb/qemu-virt.dtb:
	@mkdir -p $(dir $@)
	$(Q)$(QEMU) -M virt,dumpdtb=$@ -m 512M -smp 4 -nographic >/dev/null

host-tests: $(HOST_BINS) $(DTB_FIXTURES) $(B)/host/dtb/qemu-virt.dtb

# --- tests ------------------------------------------------------------------

# Every test boots the witness kernel, except the benchmark checks, which
# boot the normal one.
check: deps
	@$(MAKE) --no-print-directory WITNESS=0 kernel host-tests images
	@$(MAKE) --no-print-directory WITNESS=1 kernel
	@$(PYTHON) scripts/check.py --build $(B) \
		--qemu "$(QEMU) $(WITNESS_QEMUFLAGS) $(TEST_DISKS)" \
		--qemu-icount "$(QEMU) $(QEMU_ONE_HART) -kernel $(B)/kernel.elf $(TEST_DISKS)"

# Long stress runs, on the witness kernel: make stress DURATION=seconds
# (default 300).
DURATION ?= 300
stress: deps
	@$(MAKE) --no-print-directory WITNESS=1 kernel
	@$(MAKE) --no-print-directory images swapdisk
	@$(PYTHON) scripts/runtests.py --qemu "$(QEMU) $(WITNESS_QEMUFLAGS) $(TEST_ROOT_DISK) $(SWAP_DISK)" \
		--append "$(strip $(RUN_ARGS) init=/stress/stressrun stress_seconds=$(DURATION))" \
		--timeout $$(( $(DURATION) * 2 + 300 )) --log $(B)/logs/stress-long.log

# Long fuzzer runs: make fuzz SEED=n CALLS=n (default: a seed from the
# clock, 20000 calls); FUZZ_ARGS="fuzz_verbose=1" prints every call before
# it is made, "fuzz_log=1" every call with its result, "fuzz_first=B"
# starts at batch B (to see a finding of batch B again: CALLS=500).
CALLS ?= 20000
SEED ?=
FUZZ_ARGS ?=
fuzz: deps
	@$(MAKE) --no-print-directory kernel images
	@$(PYTHON) scripts/runtests.py --qemu "$(QEMU) $(QEMUFLAGS) $(TEST_ROOT_DISK)" \
		--append "init=/test/sysfuzz fuzz_calls=$(CALLS)$(if $(SEED), fuzz_seed=$(SEED)) $(FUZZ_ARGS)" \
		--timeout $$(( $(CALLS) / 20 + 300 )) --log $(B)/logs/fuzz-long.log

# SMP scaling: fixed workloads on 1, 2 and 4 harts (MTTCG), wall-time
# ratios side by side in one run; then the instructions of one remote TLB
# shootdown, on two harts under -icount (scripts/smpbench.py).
smpbench: deps
	@$(MAKE) --no-print-directory kernel images
	@$(PYTHON) scripts/smpbench.py --out $(B)/bench \
		--qemu "$(QEMU) $(QEMU_MACHINE) -kernel $(KB)/kernel.elf $(TEST_ROOT_DISK)"

# Benchmarks: one hart, and -icount shift=0 so that the guest's instruction
# counter is exact; results, table and plots in $(B)/bench (scripts/bench.py).
BENCH_QEMU = $(QEMU) $(QEMU_ONE_HART) -kernel $(KB)/kernel.elf $(TEST_ROOT_DISK)
bench: deps
	@$(MAKE) --no-print-directory kernel images
	@$(PYTHON) scripts/bench.py --out $(B)/bench --qemu "$(BENCH_QEMU)"

# Paging throughput beside the swap disk's raw throughput (scripts/swapbench.py):
# a 64 MiB machine, one hart, -icount shift=0, a fresh swap disk as vdb;
# RUNS=n takes each figure from the least disturbed of n runs.
SWAPBENCH_MEM ?= 64M
RUNS ?= 1
SWAPBENCH_QEMU = $(subst -m $(MEM) ,-m $(SWAPBENCH_MEM) ,$(BENCH_QEMU))
swapbench: deps
	@$(MAKE) --no-print-directory kernel images
	@$(PYTHON) scripts/swapbench.py --out $(B)/bench --runs $(RUNS) \
		--qemu "$(SWAPBENCH_QEMU)"

# Where one operation's instructions go, function by function:
# make profile CASE=zfod (see scripts/profile.py for the cases); LINES=vm_fault
# also breaks one kernel function down by source line.
CASE ?= zfod
profile: deps
	@$(MAKE) --no-print-directory kernel images
	@mkdir -p $(B)/bench
	@$(PYTHON) scripts/profile.py --case $(CASE) --kernel $(KB)/kernel.elf \
		--user $(UBIN)/bench/vmbench --out $(B)/bench/profile-$(CASE).txt \
		$(if $(LINES),--lines $(LINES)) --qemu "$(BENCH_QEMU)"

# The same for swapbench's paging phases, stepping PAGES pages of one with
# device interrupts let in: make swapprofile PHASE=seq_read PAGES=64.
PHASE ?= seq_read
PAGES ?= 64
swapprofile: deps
	@$(MAKE) --no-print-directory kernel images
	@mkdir -p $(B)/bench
	@$(PYTHON) -c 'import sys; sys.path.insert(0, "scripts"); import runtests; \
		runtests.fresh_swap_disk("$(B)/bench/swap.img", 512)'
	@$(PYTHON) scripts/profile.py --case $(PHASE) --kernel $(KB)/kernel.elf \
		--user $(UBIN)/bench/swapbench --init /bench/swapbench --irqs \
		--append "swap=vdb profile_pages=$(PAGES)" \
		--out $(B)/bench/swapprofile-$(PHASE).txt \
		--qemu "$(SWAPBENCH_QEMU) -drive file=$(B)/bench/swap.img,if=none,format=raw,id=swap \
		-device virtio-blk-device,drive=swap"

clean:
	rm -rf $(B)

# Keep intermediate objects: a rebuild should not recompile everything.
.SECONDARY:

.PHONY: busybox image smpbench kernel deps run swapdisk qemu-gdb gdb host-tests images userland check stress \
	fuzz bench swapbench profile swapprofile clean

-include $(KOBJS:.o=.d) $(HOST_OBJS:.o=.d) $(HOST_BINS:=.d)
