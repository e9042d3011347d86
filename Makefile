# SPDX-License-Identifier: GPL-2.0
#
# msi_affinity: user-facing targets.  The kernel build itself is
# described in Kbuild, which serves both this out-of-tree build and a
# copy dropped into a kernel tree.
#
#   make            build msi_affinity.ko (and the edu test driver)
#   make run        build, boot the test kernel, insmod, hotplug stress, report
#   make test       every test: KUnit (UML, x86_64) and the in-guest selftests
#   make kunit      KUnit suites only
#   make selftest   in-guest kselftests only
#   make check      checkpatch --strict, sparse, kernel-doc

SCRIPTS := $(CURDIR)/scripts

.PHONY: all modules deps clean kunit selftest test run check

all: modules

deps:
	@$(SCRIPTS)/deps.sh

modules: deps
	@KDIR=$$(bash -c '. $(SCRIPTS)/lib.sh && msia_kdir') && \
		$(MAKE) -C $$KDIR M=$(CURDIR) modules

kunit: deps
	@$(SCRIPTS)/kunit.sh

selftest: modules
	@$(SCRIPTS)/selftest.sh

check: deps
	@$(SCRIPTS)/check.sh

test: deps
	@$(SCRIPTS)/test.sh

run: modules
	@$(SCRIPTS)/run.sh

clean:
	@KDIR=$$(bash -c '. $(SCRIPTS)/lib.sh && msia_kdir' 2>/dev/null) && \
		[ -n "$$KDIR" ] && $(MAKE) -C $$KDIR M=$(CURDIR) clean || true
	rm -rf out
