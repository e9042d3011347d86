#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Deterministic injection: the edu device raises its interrupt right
# after the k-th write to its MSI capability during a migration, for
# every k, on both paths the kernel moves an interrupt by:
#   deferred  an smp_affinity write, applied in the next interrupt's ack
#   offline   fixup_irqs() on the CPU being taken down
# against the stock kernel, msi_affinity mode=safe and mode=direct.
# Stock and direct must lose at least one (the bug, and proof that the
# detector fires); safe must lose none and print no "No irq handler".
. /selftests/lib/lib.sh

edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip injection "no edu device"; exit $KSFT_SKIP; }
[ "$(ncpus)" -ge 4 ] || { ksft_skip injection "needs 4 CPUs"; exit $KSFT_SKIP; }
msia_loaded && rmmod msi_affinity
# The most MSI writes a move makes: stock writes flags, address low,
# address high and data.
KMAX=4
. /selftests/lib/inject.sh

cfg=stock
sweep
ksft_summary inject_total config=stock lost=$lost no_irq_handler=$noirq
ksft_check "stock: every k ran on a CPU-and-vector move" [ "$nomove" = 0 ]
if [ "$(cmdline_str kernel "")" = patched ]; then
	# make upstream-test: the kernel carries the root fix.
	ksft_check "patched kernel: the stock path loses none (lost $lost)" [ "$lost" = 0 ]
else
	ksft_check "stock kernel loses an injected interrupt (lost $lost)" [ "$lost" -gt 0 ]
fi
# Where the torn (new CPU, old vector) pair lands on a free vector the
# kernel says "No irq handler"; where another interrupt owns it, that
# handler gets it silently.  Either way edu's interrupt is gone, so the
# loss is the test and the message only a symptom.
echo "# stock: 'No irq handler for' reported $noirq times"

msia_insmod irqs="$edu" || { ksft_fail "insmod msi_affinity.ko irqs=$edu"; exit 1; }
cfg=safe
sweep
ksft_summary inject_total config=safe lost=$lost no_irq_handler=$noirq
ksft_check "safe: every k ran on a CPU-and-vector move" [ "$nomove" = 0 ]
ksft_check "msi_affinity safe: 0 lost at every k" [ "$lost" = 0 ]
ksft_check "msi_affinity safe: no No-irq-handler message" [ "$noirq" = 0 ]
hits=$(awk -v i="$edu" '$1 == i {print $9}' $MSIA/managed)
ksft_check "msi_affinity safe: a stray on the intermediate vector was replayed ($hits IRR hits)" [ "$hits" -gt 0 ]
rmmod msi_affinity

msia_insmod irqs="$edu" mode=direct || { ksft_fail "insmod mode=direct"; exit 1; }
cfg=direct
sweep
ksft_summary inject_total config=direct lost=$lost no_irq_handler=$noirq
ksft_check "direct: every k ran on a CPU-and-vector move" [ "$nomove" = 0 ]
ksft_check "msi_affinity direct: the detector catches a loss (lost $lost)" [ "$lost" -gt 0 ]
rmmod msi_affinity
ksft_check "MSI still enabled, no INTx" [ "$(edu_stat msi_enabled)$(edu_stat intx)" = 10 ]
ksft_finished
