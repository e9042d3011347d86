#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In a Xen PV domain (here dom0 on Debian's Xen, booted under QEMU) the
# hypervisor owns the APIC and programs every MSI message itself: the
# kernel binds each MSI to a physical IRQ by hypercall, on Xen's own
# chip, and never reaches msi_set_affinity().  msi_affinity must load as
# the package loads it (the loader's vector_irq= included), say that it
# has nothing to manage there, leave the interrupts alone, and unload.
. /selftests/lib/lib.sh

# The xen boot says it is one (msia.xen=1): there, not finding a PV
# domain fails the test instead of skipping it.
gtype=$(cat /sys/hypervisor/guest_type 2>/dev/null)
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" != xen ] || [ "$gtype" != PV ]; then
	why="not a Xen PV domain (${gtype:-no /sys/hypervisor})"
	[ "$(cmdline_int xen 0)" = 1 ] || { ksft_skip xen_pv "$why"; exit $KSFT_SKIP; }
	ksft_fail "xen_pv: booted on Xen as a PV dom0, but $why"
	ksft_finished
fi
edu=$(edu_irq)
[ -n "$edu" ] || { ksft_skip xen_pv "no edu device"; exit $KSFT_SKIP; }
chip=$(chip_of "$edu")
echo "# edu irq $edu on chip $chip; MSI chips: $(grep -c -- '-msi' /proc/interrupts), PCI-MSI: $(grep -c 'PCI-MSI' /proc/interrupts)"
ksft_check "edu's MSI is bound by Xen, not on a PCI-MSI chip" \
	sh -c "echo '$chip' | grep -q '^xen-' && ! grep -q 'PCI-MSI' /proc/interrupts"
msia_loaded && rmmod msi_affinity

# The package's loader: it finds vector_irq in /proc/kallsyms here too.
params=$(/msia/msi-affinity-params)
echo "# loader: $params"
ksft_check "insmod with the loader's parameters ($params)" msia_insmod
ksft_check "the loader's vector_irq= left unused, and said so" \
	sh -c 'dmesg | grep -q "msi_affinity: vector_irq=0x[0-9a-f]* not used: in a Xen PV domain no interrupt goes through the kernel.s vector table"'
ksft_check "none managed" [ "$(grep -c '^[0-9]' $MSIA/managed)" = 0 ]
ksft_check "load message: 0 managed" sh -c 'dmesg | grep -qE "msi_affinity: managing 0 interrupts \(0 MSI without masking, 0 maskable MSI, 0 MSI-X\)"'
ksft_check "load message: Xen PV, nothing to manage, can be unloaded" \
	sh -c 'dmesg | grep -q "msi_affinity: Xen PV guest: Xen routes every MSI here, msi_affinity has nothing to manage and can be unloaded"'
ksft_check "edu's chip untouched ($chip)" [ "$(chip_of "$edu")" = "$chip" ]
ksft_check "edu not hooked" [ "$(edu_stat hooked)" = 0 ]

# Xen moves the physical IRQ when the kernel asks; nothing of ours runs.
raised0=$(edu_stat raised) handled0=$(edu_stat handled) lost0=$(edu_stat lost)
for cpu in 1 0 1; do
	echo $cpu >/proc/irq/"$edu"/smp_affinity_list
	echo 20 >$EDU/fire
	ksft_check "Xen moved edu to CPU $cpu" [ "$(irq_cpu "$edu")" = $cpu ]
done
echo "# edu: raised $(($(edu_stat raised) - raised0)) handled $(($(edu_stat handled) - handled0)) lost $(($(edu_stat lost) - lost0))"
ksft_check "edu: 60 raised and 60 handled across the 3 moves, none lost" \
	[ $(($(edu_stat raised) - raised0)) = 60 -a $(($(edu_stat handled) - handled0)) = 60 -a "$(edu_stat lost)" = "$lost0" ]
ksft_check "rmmod" rmmod msi_affinity
ksft_check "unload message" sh -c 'dmesg | grep -q "msi_affinity: all interrupts restored"'
ksft_check "MSI still enabled, no INTx" [ "$(edu_stat msi_enabled)$(edu_stat intx)" = 10 ]
ksft_finished
