/** The machine a run happened on, for results.json and BENCHMARKS.md. */
import { cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  /** 1/5/15-minute load averages when the run started: other work on the machine skews figures. */
  loadAverage: number[];
  os: string;
  node: string;
  java: string;
}

const gib = (bytes: number): number => Math.round((bytes / 2 ** 30) * 10) / 10;

export function machine(java: string): Machine {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${platform()} ${release()}`,
    node: process.version,
    java,
  };
}
