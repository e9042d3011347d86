# SPDX-License-Identifier: GPL-2.0
#
# msi_affinity: user-facing targets.  The kernel build itself is
# described in Kbuild, which serves both this out-of-tree build and a
# copy dropped into a kernel tree.
#
#   make            build msi_affinity.ko (and the edu test driver) for
#                   KDIR, or for the headers of KVER, or of the running
#                   kernel, else of Debian 12's 6.1; installs nothing
#   make run        build, boot the test kernel, insmod, hotplug stress, report
#   make test       every test: KUnit (UML, x86_64) and the in-guest selftests
#   make kunit      KUnit suites only
#   make selftest   in-guest kselftests only
#   make bench      stock against msi_affinity, side by side, over 3 boots
#                   of each supported kernel (MSIA_BENCH_KERNELS)
#   make soak       the full logical plan 10 times, half beside a host CPU hog
#   make upstream-test  the kernel patches in upstream/: 7.3 built unpatched
#                   and patched, the injection against the kernel's own path,
#                   managed MSI-X moves, cf8_race; backports applied, compiled
#   make check      checkpatch --strict, sparse, kernel-doc, modinfo, docs
#   make deb       msi-affinity-dkms_<VERSION>_all.deb in out/deb/ (debhelper,
#                  dh-dkms, lintian)
#   make dkms-install / dkms-remove   through Debian's dkms, from this tree
#   make intree     build as =m and =y inside a 6.1 tree (drivers/pci/)

SCRIPTS := $(CURDIR)/scripts
# KVER picks the kernel for make and make run: a series
# (6.1, the default, or 6.12) or a full release name.
export KVER

.PHONY: all modules deps clean kunit selftest test run bench soak upstream-test check deb dkms-install dkms-remove intree

all: modules

deps:
	@$(SCRIPTS)/deps.sh

# Plain make only builds: it never installs a package or touches apt,
# on any distribution.  The test targets run deps first.
modules:
	@KDIR=$$(bash -c '. $(SCRIPTS)/lib.sh && msia_kdir') && \
		$(MAKE) -C $$KDIR M=$(CURDIR) modules

kunit: deps
	@$(SCRIPTS)/kunit.sh

selftest: deps
	@$(SCRIPTS)/selftest.sh

deb: deps
	@$(SCRIPTS)/deb.sh

dkms-install: deps
	@$(SCRIPTS)/dkms.sh install

dkms-remove: deps
	@$(SCRIPTS)/dkms.sh remove

intree: deps
	@$(SCRIPTS)/intree.sh

check: deps modules
	@$(SCRIPTS)/check.sh

# make test's deps build the UML KUnit kernel while they download.
test:
	@MSIA_PREBUILD=1 $(SCRIPTS)/deps.sh
	@$(SCRIPTS)/test.sh

run: deps
	@$(SCRIPTS)/run.sh

soak: deps
	@$(SCRIPTS)/soak.sh

upstream-test: deps
	@$(SCRIPTS)/upstream.sh

bench:
	@$(SCRIPTS)/deps.sh --bench
	@$(MAKE) -s modules
	@$(SCRIPTS)/bench.sh

clean:
	@KDIR=$$(bash -c '. $(SCRIPTS)/lib.sh && msia_kdir' 2>/dev/null) && \
		[ -n "$$KDIR" ] && $(MAKE) -C $$KDIR M=$(CURDIR) clean || true
	rm -rf out
