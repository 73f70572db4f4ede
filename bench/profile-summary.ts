import { readFile } from 'node:fs/promises';
import { log, percent } from './report';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
}

export interface ProfileSummary {
  /** Share of samples in which the process was idle (waiting for the network or PostgreSQL). */
  idle: number;
  /** Self time by package or source folder, as shares of busy samples, largest first. */
  byOrigin: [string, number][];
  /** Share of busy samples with a package or source folder anywhere on the stack (what it and its callees cost). */
  onStack: [string, number][];
  /** Self time of single functions, as shares of busy samples, largest first. */
  byFunction: [string, number][];
}

const SPECIAL = new Set(['(garbage collector)', '(program)', '(root)']);

/** Where a function comes from: an npm package, a folder of the service, a Node.js module. */
function origin(url: string, functionName: string): string {
  if (SPECIAL.has(functionName)) return functionName;
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + '/node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  const source = /\/dist\/(src|bench)\/(?:([^/]+)\/)?/.exec(url);
  if (source) return source[1] === 'bench' ? 'bench harness' : `tessera src/${source[2] ?? ''}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

function location(url: string, line: number): string {
  const modules = url.lastIndexOf('/node_modules/');
  const short = modules >= 0 ? url.slice(modules + '/node_modules/'.length) : url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  return short ? `${short}:${line + 1}` : 'native';
}

function shares(totals: Map<string, number>, busy: number, top: number): [string, number][] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, hits]) => [name, hits / busy]);
}

function add(totals: Map<string, number>, key: string, hits: number): void {
  totals.set(key, (totals.get(key) ?? 0) + hits);
}

/** Sample counts of several profiles (the rounds of one case) taken together. */
export async function summariseProfile(files: string[], top = 12): Promise<ProfileSummary> {
  const byOrigin = new Map<string, number>();
  const onStack = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const file of files) {
    const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
    const parents = new Map<number, ProfileNode>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node);
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      total += hits;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idle += hits;
        continue;
      }
      add(byOrigin, origin(url, functionName), hits);
      add(byFunction, `${functionName || '(anonymous)'}  ${SPECIAL.has(functionName) ? '' : location(url, lineNumber)}`.trim(), hits);
      const seen = new Set<string>();
      for (let frame: ProfileNode | undefined = node; frame; frame = parents.get(frame.id)) {
        if (frame.callFrame.functionName !== '(root)') seen.add(origin(frame.callFrame.url, frame.callFrame.functionName));
      }
      for (const from of seen) add(onStack, from, hits);
    }
  }
  const busy = Math.max(1, total - idle);
  return {
    idle: total === 0 ? 0 : idle / total,
    byOrigin: shares(byOrigin, busy, top),
    // Every async continuation runs under node:internal/process, and native frames are everywhere: no information.
    onStack: shares(new Map([...onStack].filter(([from]) => from !== 'node:internal/process' && from !== '(native)')), busy, top),
    byFunction: shares(byFunction, busy, top),
  };
}

export function printProfile(name: string, summary: ProfileSummary, files: string[]): void {
  const list = (entries: [string, number][]) => entries.map(([from, share]) => `${from} ${percent(share)}`).join(', ');
  log(`  ${name}: ${percent(summary.idle)} of samples idle; of the busy ones:`);
  log(`    self time by origin: ${list(summary.byOrigin)}`);
  log(`    on the stack (origin and what it calls): ${list(summary.onStack)}`);
  log('    hottest functions (self time):');
  for (const [fn, share] of summary.byFunction) log(`      ${percent(share).padStart(6)}  ${fn}`);
  log(`    profiles: ${files.join(' ')}`);
}
