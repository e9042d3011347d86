// SPDX-License-Identifier: GPL-2.0
/*
 * msia_stack: a test driver that does to msi_affinity what msi_affinity
 * does to the kernel.  Writing an interrupt number to its "irq"
 * parameter gives that interrupt a copy of its current chip whose
 * irq_set_affinity counts the call and then calls the chip it replaced;
 * writing 0 puts the replaced chip back, if the copy is still in place.
 * The foreign_chip selftest stacks it on a chip of msi_affinity's to
 * show that msi_affinity notices, keeps itself loaded while the copy
 * points into its text, and lets go once the copy is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/module.h>
#include <linux/mutex.h>

/*
 * stack_mutex serialises the parameter writes and unload; the chip
 * pointer itself changes only under the interrupt's descriptor lock,
 * where the kernel reads it.
 */
static DEFINE_MUTEX(stack_mutex);
static struct irq_data *stack_irqd;
static struct irq_chip *stack_prev;
static struct irq_chip stack_chip;
static unsigned int stack_irq;
static atomic_t stack_calls = ATOMIC_INIT(0);

static int stack_set_affinity(struct irq_data *irqd,
			      const struct cpumask *mask, bool force)
{
	atomic_inc(&stack_calls);
	/* A function whose address a chip holds: an IBT-sound call. */
	return stack_prev->irq_set_affinity(irqd, mask, force);
}

static void unstack(void)
{
	struct irq_desc *desc;
	unsigned long flags;

	if (!stack_irqd)
		return;
	desc = irq_data_to_desc(stack_irqd);
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (stack_irqd->chip == &stack_chip)
		stack_irqd->chip = stack_prev;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	/* A caller that loaded the copy before the swap may still use it. */
	synchronize_rcu();
	stack_irqd = NULL;
	stack_irq = 0;
}

static int stack(unsigned int irq)
{
	struct irq_data *irqd = irq_get_irq_data(irq);
	struct irq_desc *desc;
	unsigned long flags;

	if (!irqd || !irqd->chip || !irqd->chip->irq_set_affinity) {
		pr_err("irq %u has no chip with affinity control\n", irq);
		return -EINVAL;
	}
	desc = irq_data_to_desc(irqd);
	raw_spin_lock_irqsave(&desc->lock, flags);
	stack_prev = irqd->chip;
	stack_chip = *stack_prev;
	stack_chip.irq_set_affinity = stack_set_affinity;
	irqd->chip = &stack_chip;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	stack_irqd = irqd;
	stack_irq = irq;
	pr_info("irq %u: stacked on %ps\n", irq, stack_prev->irq_set_affinity);
	return 0;
}

static int irq_set(const char *val, const struct kernel_param *kp)
{
	unsigned int irq;
	int ret;

	ret = kstrtouint(val, 0, &irq);
	if (ret)
		return ret;
	mutex_lock(&stack_mutex);
	unstack();
	ret = irq ? stack(irq) : 0;
	mutex_unlock(&stack_mutex);
	return ret;
}

static const struct kernel_param_ops irq_ops = {
	.set = irq_set,
	.get = param_get_uint,
};
module_param_cb(irq, &irq_ops, &stack_irq, 0644);
MODULE_PARM_DESC(irq, "interrupt to stack a chip on (0: none)");

static int calls_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&stack_calls));
}

static const struct kernel_param_ops calls_ops = {
	.get = calls_get,
};
module_param_cb(calls, &calls_ops, NULL, 0444);
MODULE_PARM_DESC(calls, "affinity changes that went through the stacked chip");

static void __exit stack_exit(void)
{
	mutex_lock(&stack_mutex);
	unstack();
	mutex_unlock(&stack_mutex);
}

static int __init stack_init(void)
{
	return 0;
}

module_init(stack_init);
module_exit(stack_exit);
MODULE_DESCRIPTION("msi_affinity test driver: a foreign chip stacked on an interrupt's");
MODULE_LICENSE("GPL");
