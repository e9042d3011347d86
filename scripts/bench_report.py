#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Collect the '# bench:' lines of several boots into min/median/max
figures, module/stock ratios per boot, bench/results.json, a table on
stdout and the gnuplot data and script for bench/bench.png."""
import json
import os
import statistics
import sys

CONFIGS = ('stock', 'safe', 'direct')


def parse(path):
    """One boot: {config: {figure: value}}."""
    boot = {c: {} for c in CONFIGS}
    # The non-maskable moves come in rounds (the configurations take
    # turns): counts and accesses are summed over the rounds; a round's
    # median and p99 time, and its split into config accesses at what an
    # access cost in that same turn and the rest, are kept for the median
    # over the rounds.
    sums = {c: {} for c in CONFIGS}
    turn_cost = {}
    costs = {'read': [], 'write': []}
    # Watchpoint hits by configuration, run (w or rw) and kind of move.
    mmio = {c: {} for c in CONFIGS}
    for line in open(path):
        if not line.startswith('# bench: '):
            continue
        w = line.split()[2:]
        cfg, what = w[0], w[1]
        if cfg not in boot:
            continue
        f = boot[cfg]
        if what in ('msi', 'msix'):
            kind, kv = w[2], dict(zip(w[3::2], w[4::2]))
            key = '%s %s' % (what, kind)
            n, r, wr = int(kv['n']), int(kv['reads']), int(kv['writes'])
            t = sums[cfg].setdefault(key, [0, 0, 0])
            t[0] += n
            t[1] += r
            t[2] += wr
            p50 = int(kv['p50_ns'])
            f.setdefault(key + ' p50 ns', []).append(p50)
            f.setdefault(key + ' p99 ns', []).append(int(kv['p99_ns']))
            if what == 'msi' and kind in ('cpu+vector', 'cpu-only') and cfg in turn_cost:
                rd_ns, wr_ns = turn_cost[cfg]
                acc = (r * rd_ns + wr * wr_ns) / n
                f.setdefault(key + ' config access ns', []).append(acc)
                f.setdefault(key + ' rest ns', []).append(p50 - acc)
        elif what in ('msix_mmio_w', 'msix_mmio_rw'):
            # The CPUs' data watchpoints on the table entry: every write
            # (w), or every read and write (rw), in runs of their own.
            kind, kv = w[2], dict(zip(w[3::2], w[4::2]))
            if kind in ('cpu+vector', 'cpu-only', 'vector-only'):
                t = mmio[cfg].setdefault(what.rsplit('_', 1)[1], {}).setdefault(kind, [0, 0])
                t[0] += int(kv['n'])
                t[1] += int(kv['mmio'])
        elif what == 'msix_mmio':
            # The module's own count of its MSI-X table accesses, exact.
            kv = dict(zip(w[2::2], w[3::2]))
            n = int(kv['moves'])
            if n:
                f['msix table writes/move (module count)'] = int(kv['writes']) / n
                f['msix table reads/move (module count)'] = int(kv['reads']) / n
        elif what == 'offline':
            f.setdefault('offline %s vectors ns' % w[3], []).append(int(w[5]))
        elif what == 'cfgcost':
            # What one config access costs in this turn, interrupts off.
            kv = dict(zip(w[2::2], w[3::2]))
            turn_cost[cfg] = (int(kv['read_ns']), int(kv['write_ns']))
            f.setdefault('cfg read ns', []).append(int(kv['read_ns']))
            f.setdefault('cfg write ns', []).append(int(kv['write_ns']))
            costs['read'].append(int(kv['read_ns']))
            costs['write'].append(int(kv['write_ns']))
        elif what == 'inject':
            f['inject lost'] = int(w[3])
            f['inject no_irq_handler'] = int(w[5])
        elif what == 'hotplug':
            f['hotplug raised'] = int(w[3])
            f['hotplug lost'] = int(w[7])
    # Per kind of move: the runs' mixes of kinds differ, but each kind
    # makes a fixed number of accesses.
    for cfg, runs in mmio.items():
        for kind, (nw, mw) in runs.get('w', {}).items():
            nrw, mrw = runs.get('rw', {}).get(kind, (0, 0))
            if not nw or not nrw:
                continue
            key = 'msix %s table ' % kind
            boot[cfg][key + 'writes/move (watchpoints)'] = mw / nw
            boot[cfg][key + 'reads/move (watchpoints)'] = mrw / nrw - mw / nw
            boot[cfg][key + 'accesses/move (watchpoints)'] = mrw / nrw
    for cfg, keys in sums.items():
        for key, (n, r, wr) in keys.items():
            boot[cfg][key + ' moves'] = n
            boot[cfg][key + ' reads/move'] = r / n
            boot[cfg][key + ' writes/move'] = wr / n
    # The cost of one access over every turn of every configuration (the
    # module does not change it), under stock's column.
    if costs['read']:
        boot['stock']['cfg read all turns ns'] = statistics.median(costs['read'])
        boot['stock']['cfg write all turns ns'] = statistics.median(costs['write'])
    # Several samples per boot: the boot's figure is their median.
    for f in boot.values():
        for k, v in f.items():
            if isinstance(v, list):
                f[k] = statistics.median(v)
    return boot


def spread(values):
    return {'min': min(values), 'median': statistics.median(values),
            'max': max(values), 'boots': len(values)}


def main():
    out, kernel, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    boots = [parse(p) for p in paths]
    result = {'boots': len(boots), 'configs': {}, 'ratios': {}}
    for cfg in CONFIGS:
        keys = sorted({k for b in boots for k in b[cfg]})
        result['configs'][cfg] = {
            k: spread([b[cfg][k] for b in boots if k in b[cfg]]) for k in keys}
    # Ratios are taken within each boot, then spread over the boots.
    ratio_keys = ['msi cpu+vector p50 ns', 'msi cpu-only p50 ns',
                  'msix cpu+vector p50 ns', 'offline 32 vectors ns',
                  'offline 128 vectors ns', 'msi cpu+vector config access ns',
                  'msi cpu+vector rest ns',
                  'msix cpu+vector table accesses/move (watchpoints)',
                  'msix cpu-only table accesses/move (watchpoints)']
    for mode in ('safe', 'direct'):
        for k in ratio_keys:
            r = [b[mode][k] / b['stock'][k] for b in boots
                 if b[mode].get(k, 0) > 0 and b['stock'].get(k, 0) > 0]
            if r:
                result['ratios']['%s/stock %s' % (mode, k)] = spread(r)
    json.dump(result, open(os.path.join(out, 'results.json'), 'w'), indent=1)

    print('\nmsi_affinity bench on %s: %d boots, each measuring all three side by side;'
          ' min / median / max over the boots\n' % (kernel, len(boots)))
    keys = sorted({k for c in CONFIGS for k in result['configs'][c]})
    print('%-40s %-26s %-26s %-26s' % ('figure', 'stock ' + kernel, 'msi_affinity', 'mode=direct'))

    def unit(k):
        if k.startswith('offline'):
            return k.replace(' ns', ' (ms)'), 1e-6, '%.1f'
        if k.endswith(' ns'):
            return k.replace(' ns', ' (us)'), 1e-3, '%.1f'
        if '/move' in k:
            return k, 1, '%.2f'
        return k, 1, '%d'

    def cell(cfg, k):
        s = result['configs'][cfg].get(k)
        if not s:
            return '-'
        _, scale, fmt = unit(k)
        return ' / '.join(fmt % (s[x] * scale) for x in ('min', 'median', 'max'))
    for k in keys:
        print('%-40s %-26s %-26s %-26s' % (unit(k)[0], cell('stock', k), cell('safe', k), cell('direct', k)))
    print('\nratios (per boot, then min / median / max):')
    for k, s in sorted(result['ratios'].items()):
        print('  %-48s %.3f / %.3f / %.3f' % (k, s['min'], s['median'], s['max']))

    # Plot data: time per migration by kind, and offline time by vectors.
    with open(os.path.join(out, 'moves.dat'), 'w') as d:
        d.write('# kind stock_med stock_min stock_max safe_med safe_min safe_max direct_med direct_min direct_max\n')
        for kind in ('msi cpu+vector', 'msi cpu-only', 'msix cpu+vector', 'msix cpu-only'):
            row = ['"%s"' % kind]
            for cfg in CONFIGS:
                s = result['configs'][cfg].get(kind + ' p50 ns')
                row += ['%g' % (s[x] / 1000) for x in ('median', 'min', 'max')] if s else ['NaN'] * 3
            d.write(' '.join(row) + '\n')
    with open(os.path.join(out, 'offline.dat'), 'w') as d:
        d.write('# vectors stock_med stock_min stock_max safe_med safe_min safe_max\n')
        for n in (32, 128):
            row = [str(n)]
            for cfg in ('stock', 'safe'):
                s = result['configs'][cfg].get('offline %d vectors ns' % n)
                row += ['%g' % (s[x] / 1e6) for x in ('median', 'min', 'max')] if s else ['NaN'] * 3
            d.write(' '.join(row) + '\n')
    with open(os.path.join(out, 'bench.gp'), 'w') as g:
        g.write('''set terminal png size 1100,450 noenhanced
set output "%(o)s/bench.png"
set multiplot layout 1,2 title "msi_affinity bench on %(k)s, %(n)d boots (median, min-max bars)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set ylabel "time per migration, p50 (us)"
set yrange [0:*]
set xtics rotate by -20
set key top left
plot "%(o)s/moves.dat" using 2:3:4:xtic(1) title "stock %(k)s", \\
     "" using 5:6:7 title "msi_affinity", \\
     "" using 8:9:10 title "mode=direct"
unset style
set style data linespoints
set xlabel "managed vectors on the CPU taken offline"
set ylabel "offline time (ms)"
set xtics (32, 128)
set xrange [0:160]
set yrange [0:*]
plot "%(o)s/offline.dat" using 1:2:3:4 with yerrorlines title "stock %(k)s", \\
     "" using 1:5:6:7 with yerrorlines title "msi_affinity"
unset multiplot
''' % {'o': out, 'n': len(boots), 'k': kernel})


main()
