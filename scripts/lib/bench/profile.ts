import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a frame's code lives: a package, our own code, Node's internals, or V8 (GC, idle, program). */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const local = /\/work\/main\/([^/]+\/[^/]+)/.exec(url) ?? /file:\/\/.*?\/((?:gateway|subgraphs|scripts)\/[^/]+)/.exec(url);
  return local ? local[1]! : url;
}

/**
 * Self time of a `--cpu-prof` profile (the main thread's, in `dir`): the top functions,
 * and the same time grouped by package, so the report says where the gateway's
 * CPU goes (parsing, validation, planning, HTTP, JSON, JWT, logging, GC…).
 */
export function summarizeProfile(dir: string, top = 35): string {
  // One profile per thread (tsx's module loader runs in a worker): the main thread's is the largest.
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  const file = files[0];
  if (!file) return `no .cpuprofile in ${dir}`;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const totalUs = profile.endTime - profile.startTime;
  const byNode = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas![i] ?? 0)));
  } else {
    const sampleUs = totalUs / Math.max(1, profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0));
    for (const n of profile.nodes) byNode.set(n.id, (n.hitCount ?? 0) * sampleUs);
  }
  const functions = new Map<string, number>();
  const owners = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = byNode.get(n.id) ?? 0;
    if (us === 0) continue;
    const name = n.callFrame.functionName || '(anonymous)';
    const where = n.callFrame.url ? `${n.callFrame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '')}:${n.callFrame.lineNumber + 1}` : '';
    functions.set(`${name} ${where}`.trim(), (functions.get(`${name} ${where}`.trim()) ?? 0) + us);
    const o = owner(n.callFrame.url, name);
    owners.set(o, (owners.get(o) ?? 0) + us);
  }
  const busyUs = [...owners].filter(([o]) => o !== '(idle)').reduce((s, [, us]) => s + us, 0);
  const pct = (us: number) => `${((us / busyUs) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy (${((busyUs / totalUs) * 100).toFixed(0)}%); shares of busy time`, '', 'by package / area:'];
  for (const [o, us] of [...owners].filter(([o]) => o !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 25)) lines.push(`  ${pct(us)}  ${o}`);
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = byNode.get(n.id) ?? 0;
    if (us === 0 || n.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const frame = nodeById.get(id)!.callFrame;
      if (!frame.functionName || frame.functionName === '(root)') continue;
      const key = `${frame.functionName} ${frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '').replace(/^.*\/work\/main\//, '')}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  lines.push('', 'top functions (inclusive time: the function and what it calls):');
  for (const [f, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`);
  lines.push('', 'top functions (self time):');
  for (const [f, us] of [...functions].filter(([f]) => !f.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`);
  return lines.join('\n');
}
