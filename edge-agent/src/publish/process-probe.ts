import { performance } from 'node:perf_hooks';

/** Process CPU (% of one core since the previous sample) and resident memory, for health messages. */
export interface ProcessProbe {
  sample(): { cpuPct: number; rssMb: number };
}

export function createProcessProbe(): ProcessProbe {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  return {
    sample() {
      const cpu = process.cpuUsage(lastCpu);
      const at = performance.now();
      const wallMs = Math.max(at - lastAt, 1);
      lastCpu = process.cpuUsage();
      lastAt = at;
      const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
      return { cpuPct: Math.round(cpuPct * 10) / 10, rssMb: Math.round((process.memoryUsage.rss() / 1048576) * 10) / 10 };
    },
  };
}
