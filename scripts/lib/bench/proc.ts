import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of a process and its descendants, from /proc (Linux):
 * what the benchmark reports for each gateway (worker processes included).
 */
const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux

function children(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return out;
}

export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

/** User + system CPU seconds of one process (0 when it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeSample {
  cpuSeconds: number;
  rssMb: number;
}

export function sampleTree(pid: number): TreeSample {
  const pids = processTree(pid);
  return {
    cpuSeconds: pids.reduce((sum, p) => sum + cpuSeconds(p), 0),
    rssMb: pids.reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0) / 1024,
  };
}

/** Peak resident memory the kernel recorded for each process of the tree (VmHWM), summed. */
export function peakRssMb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + statusKb(p, 'VmHWM'), 0) / 1024;
}

/** Samples a process tree every `everyMs` until stopped: CPU used between start and stop, and the peak RSS seen. */
export function monitor(pid: number, everyMs = 200) {
  const first = sampleTree(pid);
  const started = performance.now();
  let peak = first.rssMb;
  const timer = setInterval(() => {
    const s = sampleTree(pid);
    if (s.rssMb > peak) peak = s.rssMb;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = sampleTree(pid);
      const seconds = (performance.now() - started) / 1000;
      const cpu = last.cpuSeconds - first.cpuSeconds;
      return { cpuSeconds: cpu, wallSeconds: seconds, cores: cpu / seconds, peakRssMb: Math.max(peak, last.rssMb), hwmMb: peakRssMb(pid) };
    },
  };
}

/** Load and busy-ness of the machine (for the results: was it busy?). */
export function machineLoad(): { loadavg: string; cpuBusy: (ms: number) => Promise<number> } {
  const read = () => {
    const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
    const values = cpu!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { idle, total: values.reduce((a, b) => a + b, 0) };
  };
  return {
    loadavg: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    async cpuBusy(ms: number) {
      const a = read();
      await new Promise((r) => setTimeout(r, ms));
      const b = read();
      return 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
    },
  };
}
