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
    mmio = {c: {} for c in CONFIGS}
    # Moves come in rounds (the configurations take turns): counts and
    # accesses are summed over the rounds, each round's median and p99
    # time kept for the median over the rounds.
    sums = {c: {} for c in CONFIGS}
    costs = {'read': [], 'write': []}
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
            t = sums[cfg].setdefault(key, [0, 0, 0])
            t[0] += int(kv['n'])
            t[1] += int(kv['reads'])
            t[2] += int(kv['writes'])
            f.setdefault(key + ' p50 ns', []).append(int(kv['p50_ns']))
            f.setdefault(key + ' p99 ns', []).append(int(kv['p99_ns']))
        elif what in ('msix_mmio_w', 'msix_mmio_rw'):
            # The CPUs' data watchpoints on the table entry: every write
            # (w), or every read and write (rw), in runs of their own.
            kind, kv = w[2], dict(zip(w[3::2], w[4::2]))
            if kind in ('cpu+vector', 'cpu-only', 'vector-only'):
                t = mmio[cfg].setdefault(what[10:], [0, 0])
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
            # One config access's cost in this boot, interrupts off.
            kv = dict(zip(w[2::2], w[3::2]))
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
    for cfg, t in mmio.items():
        if t.get('w', [0])[0] and t.get('rw', [0])[0]:
            wr = t['w'][1] / t['w'][0]
            boot[cfg]['msix table writes/move (watchpoints)'] = wr
            boot[cfg]['msix table reads/move (watchpoints)'] = t['rw'][1] / t['rw'][0] - wr
            boot[cfg]['msix table accesses/move (watchpoints)'] = t['rw'][1] / t['rw'][0]
    for cfg, keys in sums.items():
        for key, (n, r, wr) in keys.items():
            boot[cfg][key + ' moves'] = n
            boot[cfg][key + ' reads/move'] = r / n
            boot[cfg][key + ' writes/move'] = wr / n
    # Several samples per boot: the boot's figure is their median.
    for f in boot.values():
        for k, v in f.items():
            if isinstance(v, list):
                f[k] = statistics.median(v)
    # A move's time is its config accesses plus everything else (the
    # vector domain, the irq core, the probes that time it).  Split the
    # median time with the mean accesses per move, each at the cost the
    # boot measured: the median over every turn of every configuration,
    # since the module does not change what an access costs.
    if costs['read']:
        rd, wr = statistics.median(costs['read']), statistics.median(costs['write'])
        for f in boot.values():
            for kind in ('msi cpu+vector', 'msi cpu-only'):
                if kind + ' p50 ns' not in f:
                    continue
                acc = f[kind + ' reads/move'] * rd + f[kind + ' writes/move'] * wr
                f[kind + ' config access ns'] = acc
                f[kind + ' rest ns'] = f[kind + ' p50 ns'] - acc
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
                  'msix table accesses/move (watchpoints)']
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
