#!/usr/bin/env python3
"""Summarises a gateway benchmark run: python3 parse.py RAW_DIR  -> markdown on stdout.

Per run (bench.sh writes <cfg>_c<N>_r<rep>.wrk|.warm|.meta, or <cfg>_t<T>_r<rep>.client|.meta):
  req/s, p50, p99 (wrk --latency), non-2xx (wrk's "Non-2xx or 3xx responses"), socket errors;
  CPU of the front process (gateway, or Beast for the floor) and of the backend, per request
  in microseconds = process CPU / wall time / req/s, as perf-floor's parse.py computes it;
  wrk cores, and other cores = whole-machine busy CPU minus ours (a run with other cores
  well above ~0.1 was disturbed); VmHWM (peak RSS) of both processes.
Rows give the median over repetitions and (min-max); ratios compare medians."""
import glob
import os
import re
import statistics
import sys
from collections import defaultdict

UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3}
LABEL = {
    "gw_memory": "(a) gateway -> in-memory backend, HMAC-SHA256",
    "floor": "(b) floor: Beast + pipelined Thrift (beast_thrift_threaded)",
    "gw_sqlite": "(c) gateway -> opp-payment (SQLite)",
    "gw_memory_rsa2": "(a') gateway -> in-memory backend, RSA2",
    "direct_memory": "(d) Thrift client -> in-memory backend",
    "direct_sqlite": "(d) Thrift client -> opp-payment (SQLite)",
}
ORDER = list(LABEL)


def read_meta(path):
    meta = {}
    for line in open(path, errors="replace"):
        if "=" in line:
            k, v = line.rstrip("\n").split("=", 1)
            meta.setdefault(k, v)
    return meta


def latency_ms(txt, pct):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % pct, txt, re.M)
    return float(m.group(1)) * UNIT[m.group(2)] if m else float("nan")


def machine(meta, own_cpu_s):
    """Wall seconds of the run and the cores used by anything else."""
    a = [int(x) for x in meta["procstat_before"].split()[1:]]
    b = [int(x) for x in meta["procstat_after"].split()[1:]]
    d = [y - x for x, y in zip(a, b)]
    tck, ncpu = int(meta.get("clk_tck", 100)), int(meta.get("ncpu", 2))
    total = sum(d[:8]) / tck
    busy = total - (d[3] + d[4]) / tck
    wall = total / ncpu
    return wall, max(busy - own_cpu_s, 0) / wall


def cpu_of(meta, key):
    return int(meta.get(key, 0)) / int(meta.get("clk_tck", 100))


def tool_cpu(meta, key):
    m = re.match(r"([\d.]+) ([\d.]+)", meta.get(key, "0 0"))
    return float(m.group(1)) + float(m.group(2)) if m else 0.0


def http_runs(raw):
    runs = []
    for w in sorted(glob.glob(os.path.join(raw, "*.wrk"))):
        base = w[:-4]
        txt = open(w, errors="replace").read()
        if "Requests/sec" not in txt or not os.path.exists(base + ".meta"):
            print(f"skipping incomplete run {os.path.basename(base)}", file=sys.stderr)
            continue
        meta = read_meta(base + ".meta")
        if "procstat_after" not in meta:
            continue
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", txt).group(1))
        total = int(re.search(r"(\d+) requests in", txt).group(1))
        non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", txt)
        sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", txt)
        main_s, backend_s, wrk_s = cpu_of(meta, "main_ticks"), cpu_of(meta, "backend_ticks"), \
            tool_cpu(meta, "wrk_cpu_user_sys")
        wall, other = machine(meta, main_s + backend_s + wrk_s)
        check = re.search(r"checked=(\d+) bad=(\d+)", meta.get("warm_body_check", ""))
        exhausted = False
        if meta.get("bodies_total"):
            exhausted = int(meta["bodies_start"]) + total + 2 * int(meta["conns"]) > int(meta["bodies_total"])
        runs.append(dict(
            cfg=meta["config"], n=int(meta["conns"]), rep=int(meta["rep"]), rps=rps,
            p50=latency_ms(txt, 50), p99=latency_ms(txt, 99),
            non2xx=int(non2xx.group(1)) if non2xx else 0,
            sockerr=sum(int(x) for x in sock.groups()) if sock else 0,
            main_us=main_s / wall * 1e6 / rps, backend_us=backend_s / wall * 1e6 / rps,
            main_cores=main_s / wall, wrk_cores=wrk_s / wall, other=other,
            main_hwm=int(meta.get("main_vmhwm_kb") or 0), backend_hwm=int(meta.get("backend_vmhwm_kb") or 0),
            checked=int(check.group(1)) if check else None, bad=int(check.group(2)) if check else None,
            exhausted=exhausted, log_lines=meta.get("access_log_lines")))
    return runs


def direct_runs(raw):
    runs = []
    for c in sorted(glob.glob(os.path.join(raw, "*.client"))):
        base = c[:-7]
        txt = open(c, errors="replace").read()
        m = re.search(r"calls=(\d+) seconds=([\d.]+) calls_per_s=(\d+) p50_us=(\d+) p99_us=(\d+) errors=(\d+)", txt)
        if not m or not os.path.exists(base + ".meta"):
            print(f"skipping incomplete run {os.path.basename(base)}", file=sys.stderr)
            continue
        meta = read_meta(base + ".meta")
        if "procstat_after" not in meta:
            continue
        cps = float(m.group(3))
        backend_s, client_s = cpu_of(meta, "backend_ticks"), tool_cpu(meta, "client_cpu_user_sys")
        wall, other = machine(meta, backend_s + client_s)
        runs.append(dict(cfg=meta["config"], n=int(meta["conns"]), rep=int(meta["rep"]), rps=cps,
                         p50=int(m.group(4)), p99=int(m.group(5)), errors=int(m.group(6)),
                         backend_us=backend_s / wall * 1e6 / cps, backend_cores=backend_s / wall,
                         client_cores=client_s / wall, other=other,
                         backend_hwm=int(meta.get("backend_vmhwm_kb") or 0)))
    return runs


def med(rs, k):
    return statistics.median(r[k] for r in rs)


def span(rs, k, fmt):
    vals = [r[k] for r in rs]
    return f"{fmt.format(statistics.median(vals))} ({fmt.format(min(vals))}-{fmt.format(max(vals))})"


def grouped(runs):
    g = defaultdict(list)
    for r in runs:
        g[(r["cfg"], r["n"])].append(r)
    return dict(sorted(g.items(), key=lambda kv: (ORDER.index(kv[0][0]) if kv[0][0] in ORDER else 99, kv[0][1])))


def main():
    raw = sys.argv[1] if len(sys.argv) > 1 else "raw"
    info = read_meta(os.path.join(raw, "run.info")) if os.path.exists(os.path.join(raw, "run.info")) else {}
    out = []
    p = out.append
    p("# opp-gateway end-to-end benchmark")
    p("")
    p(f"Run {info.get('date', '?')} on {info.get('cpu', '?')} ({info.get('ncpu', '?')} CPUs, {info.get('host', '?')}), "
      f"commit {info.get('commit', '?')}, {info.get('wrk', 'wrk')}.")
    p(f"Settings: `{info.get('settings', '?')}`. Request signing self-check: {info.get('signing_check', '?')}.")
    p("Servers pinned with `taskset -c 0,1`, wrk and the Thrift client unpinned; every row: median (min-max) "
      "over interleaved repetitions; requests are POST /gateway/payment queryorder, each with its own nonce and "
      "signature (floor: its own fixed 600-byte POST to a Beast echo).")
    p("")
    for k, v in info.items():
        if k.startswith("skipped_") or k.startswith("broken_"):
            p(f"* **{k.split('_', 1)[1]}**: {'skipped' if k.startswith('skipped_') else 'broken'}: {v}")
    for s in sorted(glob.glob(os.path.join(raw, "*.smoke"))):
        p(f"* {os.path.basename(s)[:-6]}: {open(s).read().strip().splitlines()[-1] if open(s).read().strip() else 'no output'}")
    p("")

    hg = grouped(http_runs(raw))
    if hg:
        p("## HTTP (wrk -t1 --latency)")
        p("")
        p("| config | conns | n | req/s | p50 ms | p99 ms | non-2xx | front CPU us/req | backend CPU us/req "
          "| front cores | wrk cores | other cores | front VmHWM MB | backend VmHWM MB | warm-up bodies checked (bad) |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for (cfg, n), rs in hg.items():
            chk = [r for r in rs if r["checked"] is not None]
            check = f"{sum(r['checked'] for r in chk)} ({sum(r['bad'] for r in chk)})" if chk else "-"
            flag = " (bodies exhausted!)" if any(r["exhausted"] for r in rs) else ""
            p(f"| {LABEL.get(cfg, cfg)} | {n} | {len(rs)} | {span(rs, 'rps', '{:.0f}')}{flag} | {span(rs, 'p50', '{:.3f}')} | "
              f"{span(rs, 'p99', '{:.2f}')} | {sum(r['non2xx'] for r in rs)}"
              f"{' +' + str(sum(r['sockerr'] for r in rs)) + ' socket errors' if any(r['sockerr'] for r in rs) else ''} | "
              f"{med(rs, 'main_us'):.1f} | {med(rs, 'backend_us'):.1f} | {med(rs, 'main_cores'):.2f} | "
              f"{med(rs, 'wrk_cores'):.2f} | {span(rs, 'other', '{:.2f}')} | {max(r['main_hwm'] for r in rs) / 1024:.1f} | "
              f"{max(r['backend_hwm'] for r in rs) / 1024:.1f} | {check} |")
        p("")
        p("front = the process wrk talks to (opp-gateway; Beast for the floor); backend = the Thrift server behind it. "
          "CPU us/req = that process's CPU during the measured run / wall time / req/s.")
        p("")
        for (cfg, n), rs in hg.items():
            for r in rs:
                if r["bad"]:
                    warm = os.path.join(raw, f"{cfg}_c{n}_r{r['rep']}.warm")
                    first = [ln for ln in open(warm, errors="replace") if ln.startswith("first bad response")]
                    p(f"* {cfg} c={n} r={r['rep']}: {r['bad']} of {r['checked']} warm-up responses were not "
                      f"200 with err_code 0; {first[0].strip()[:300] if first else ''}")
                    break
        p("")

    dg = grouped(direct_runs(raw))
    if dg:
        p("## Direct Thrift client, no gateway (QueryOrder, one call in flight per connection)")
        p("")
        p("| backend | client threads | n | calls/s | p50 us | p99 us | errors | backend CPU us/call | backend cores "
          "| client cores | other cores | backend VmHWM MB |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for (cfg, n), rs in dg.items():
            p(f"| {LABEL.get(cfg, cfg)} | {n} | {len(rs)} | {span(rs, 'rps', '{:.0f}')} | {span(rs, 'p50', '{:.0f}')} | "
              f"{span(rs, 'p99', '{:.0f}')} | {sum(r['errors'] for r in rs)} | {med(rs, 'backend_us'):.1f} | "
              f"{med(rs, 'backend_cores'):.2f} | {med(rs, 'client_cores'):.2f} | {span(rs, 'other', '{:.2f}')} | "
              f"{max(r['backend_hwm'] for r in rs) / 1024:.1f} |")
        p("")

    all_runs = [r for rs in list(hg.values()) + list(dg.values()) for r in rs]
    disturbed = [r for r in all_runs if r["other"] > 0.1]
    if disturbed:
        p(f"**{len(disturbed)} of {len(all_runs)} runs were disturbed** (other cores > 0.1: something else used "
          "the machine meanwhile; the quiet gate waits at most MAXWAIT s). Absolute figures of those runs are low "
          "and noisy; CPU per request and same-run ratios are the sturdier figures.")
        p("")
    p("## Ratios (medians)")
    p("")
    conns = sorted({n for (_, n) in hg})
    pairs = [("gw_memory", "floor", "(a)/(b) gateway vs floor"),
             ("gw_sqlite", "gw_memory", "(c)/(a) SQLite backend vs in-memory"),
             ("gw_memory_rsa2", "gw_memory", "(a')/(a) RSA2 vs HMAC-SHA256")]
    any_ratio = False
    for num, den, name in pairs:
        for n in conns:
            a, b = hg.get((num, n)), hg.get((den, n))
            if not a or not b:
                continue
            any_ratio = True
            cpu_a = med(a, "main_us") + med(a, "backend_us")
            cpu_b = med(b, "main_us") + med(b, "backend_us")
            p(f"* {name} at {n} connections: req/s {med(a, 'rps') / med(b, 'rps'):.2f} "
              f"({med(a, 'rps'):.0f} / {med(b, 'rps'):.0f}); p50 {med(a, 'p50') / med(b, 'p50'):.2f}x; "
              f"server CPU per request (front + backend) {cpu_a:.1f} / {cpu_b:.1f} us = {cpu_a / cpu_b:.2f}x")
    if not any_ratio:
        p("* none: a ratio needs both of its configurations measured")
    p("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
