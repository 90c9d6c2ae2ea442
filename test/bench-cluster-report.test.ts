import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { percentile } from '../bench/cluster-measure.ts';
import { type ClusterRun, renderCluster } from '../bench/cluster-report.ts';
import { cpuUsOf, treeCpuUs } from '../bench/process-cpu.ts';
import { waitFor } from './helpers/wait-for.ts';

/** The arithmetic of `npm run bench -- --cluster`: percentiles, the cost per message and the projection, and CPU of a process tree. */

function run(nodes: number, nodeCpu: number, rate: number): ClusterRun {
  const names = Array.from({ length: nodes }, (_, i) => `node ${i + 1}`);
  const cpu = { ...Object.fromEntries(names.map((n) => [n, nodeCpu])), PostgreSQL: 20, Redis: 1, HAProxy: 10, 'load generator': 5 };
  return {
    nodes,
    boxesPerNode: names.map(() => 10_000 / nodes),
    haproxySockets: [10_000, 10_000],
    connect: { boxes: 10_000, wallS: 4, medianMs: 200, p99Ms: 700 },
    reps: [{ rate: 40_000, sent: 1000, stored: 1000, cpu }],
    decisions: { faults: 200, decided: 200, p50Ms: 5, p99Ms: 20, pubackP99Ms: 10, backgroundRate: rate, cpu },
  };
}

describe('the cluster benchmark report', () => {
  it('takes the nearest-rank percentile of sorted values', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 99)).toBe(100);
    expect(percentile(xs, 50)).toBe(51);
    expect(percentile([], 99)).toBeNaN();
  });

  it('projects the nodes for 100,000 msg/s from the real-rate cost of the largest run, half a core each', () => {
    // 3 nodes at 25 % each for 10,000 msg/s: 0.075 CPU-s per 1,000 messages, 7.5 cores for 100,000 msg/s, 15 nodes.
    const text = renderCluster([run(1, 60, 10_000), run(3, 25, 10_000)], {
      command: 'npm run bench -- --cluster',
      durationS: 60,
      boxes: 10_000,
      qos: 0,
      window: 4,
      balancers: 2,
    });
    expect(text).toContain('from the 3-node run at the real rate');
    expect(text).toContain('7.5 cores of node CPU at 0.075 CPU-s per 1,000 messages');
    expect(text).toContain('**15 nodes**, 6,667 boxes each');
    expect(text).toContain('PostgreSQL: 2.00 cores');
    expect(text.startsWith('<!-- cluster:start')).toBe(true);
    expect(text.trimEnd().endsWith('<!-- cluster:end -->')).toBe(true);
  });

  it("counts a child process's CPU in its parent's tree, and keeps it once the child has ended", async () => {
    // Burns 0.3 s of its own CPU (not of wall time: the machine may be busy), then idles.
    const busy = 'while (process.cpuUsage().user + process.cpuUsage().system < 300_000) {} setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['-e', busy], { stdio: 'ignore' });
    try {
      await waitFor(() => cpuUsOf(child.pid!) >= 200_000, { timeoutMs: 30_000, what: 'the child to burn 0.2 s of CPU' });
      expect(treeCpuUs(process.pid) - cpuUsOf(process.pid)).toBeGreaterThanOrEqual(200_000);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    // Reaped by this process: its time now sits in this process's cutime.
    expect(treeCpuUs(process.pid) - cpuUsOf(process.pid)).toBeGreaterThanOrEqual(200_000);
  }, 40_000);
});
