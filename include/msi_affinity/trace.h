/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of msi_affinity, in /sys/kernel/tracing/events/msi_affinity/.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM msi_affinity

#if !defined(_MSI_AFFINITY_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MSI_AFFINITY_TRACE_H

#include <linux/tracepoint.h>
#include <msi_affinity/core.h>

TRACE_DEFINE_ENUM(MSIA_PATH_NONE);
TRACE_DEFINE_ENUM(MSIA_PATH_DIRECT);
TRACE_DEFINE_ENUM(MSIA_PATH_MASKED);
TRACE_DEFINE_ENUM(MSIA_PATH_TWO_STEP);
TRACE_DEFINE_ENUM(MSIA_PATH_NONLOCAL);
TRACE_DEFINE_ENUM(MSIA_PATH_CACHED);
TRACE_DEFINE_ENUM(MSIA_REG_ADDR_LO);
TRACE_DEFINE_ENUM(MSIA_REG_ADDR_HI);
TRACE_DEFINE_ENUM(MSIA_REG_DATA);

TRACE_EVENT(msi_affinity_migrate,
	    TP_PROTO(unsigned int irq, unsigned int old_cpu,
		     unsigned int old_vector, unsigned int new_cpu,
		     unsigned int new_vector, int path),
	    TP_ARGS(irq, old_cpu, old_vector, new_cpu, new_vector, path),
	    TP_STRUCT__entry(__field(unsigned int, irq)
			     __field(unsigned int, old_cpu)
			     __field(unsigned int, old_vector)
			     __field(unsigned int, new_cpu)
			     __field(unsigned int, new_vector)
			     __field(int, path)),
	    TP_fast_assign(__entry->irq = irq;
			   __entry->old_cpu = old_cpu;
			   __entry->old_vector = old_vector;
			   __entry->new_cpu = new_cpu;
			   __entry->new_vector = new_vector;
			   __entry->path = path;),
	    TP_printk("irq=%u %u/0x%x -> %u/0x%x path=%s",
		      __entry->irq, __entry->old_cpu, __entry->old_vector,
		      __entry->new_cpu, __entry->new_vector,
		      __print_symbolic(__entry->path,
				       { MSIA_PATH_NONE, "none" },
				       { MSIA_PATH_DIRECT, "direct" },
				       { MSIA_PATH_MASKED, "masked" },
				       { MSIA_PATH_TWO_STEP, "two-step" },
				       { MSIA_PATH_NONLOCAL, "nonlocal" },
				       { MSIA_PATH_CACHED, "cached" }))
);

TRACE_EVENT(msi_affinity_retrigger,
	    TP_PROTO(unsigned int irq, unsigned int from_cpu,
		     unsigned int vector),
	    TP_ARGS(irq, from_cpu, vector),
	    TP_STRUCT__entry(__field(unsigned int, irq)
			     __field(unsigned int, from_cpu)
			     __field(unsigned int, vector)),
	    TP_fast_assign(__entry->irq = irq;
			   __entry->from_cpu = from_cpu;
			   __entry->vector = vector;),
	    TP_printk("irq=%u vector 0x%x pending on CPU %u, replayed at the new target",
		      __entry->irq, __entry->vector, __entry->from_cpu)
);

TRACE_EVENT(msi_affinity_heal,
	    TP_PROTO(unsigned int irq, unsigned int regs,
		     const struct msia_msg *seen, const struct msia_msg *want),
	    TP_ARGS(irq, regs, seen, want),
	    TP_STRUCT__entry(__field(unsigned int, irq)
			     __field(unsigned int, regs)
			     __field(u32, seen_addr)
			     __field(u32, seen_data)
			     __field(u32, want_addr)
			     __field(u32, want_data)),
	    TP_fast_assign(__entry->irq = irq;
			   __entry->regs = regs;
			   __entry->seen_addr = seen->addr_lo;
			   __entry->seen_data = seen->data;
			   __entry->want_addr = want->addr_lo;
			   __entry->want_data = want->data;),
	    TP_printk("irq=%u read back addr=0x%08x data=0x%04x, wrote %s again for addr=0x%08x data=0x%04x",
		      __entry->irq, __entry->seen_addr, __entry->seen_data,
		      __print_flags(__entry->regs, "|",
				    { BIT(MSIA_REG_ADDR_LO), "addr_lo" },
				    { BIT(MSIA_REG_ADDR_HI), "addr_hi" },
				    { BIT(MSIA_REG_DATA), "data" }),
		      __entry->want_addr, __entry->want_data)
);

#endif /* _MSI_AFFINITY_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH msi_affinity
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
