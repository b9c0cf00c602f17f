// Prints where a V8 CPU profile (node --cpu-prof) spent its time: by package or folder, and the top functions by self time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (scoped too), src/<folder>, node:internal, or the V8 pseudo-frames such as (garbage collector). */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const sourceMatch = /\/(?:dist|src)\/([^/]+)\//.exec(url);
  if (sourceMatch) return `gateway:${sourceMatch[1]}`;
  if (url.startsWith('node:')) return url.split('/')[0].replace(/^node:internal.*/, 'node:internal');
  return url;
}

export function summarizeProfile(profile: CpuProfile, top = 25): string {
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0) || 1;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = selfMicros.get(node.id) ?? 0;
    if (micros === 0) continue;
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + micros);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${owner}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  }
  const lines = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  return [`Self time by owner (${(total / 1e6).toFixed(1)} s sampled)`, ...lines(byOwner), '', 'Top functions by self time', ...lines(byFunction)].join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node -r ./bench/register.js bench/profile-summary.ts <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(`${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)}\n`);
}
