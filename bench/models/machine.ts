// The machine a benchmark ran on, printed and stored with its results.
import os from 'node:os';
import { readFileSync } from 'node:fs';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  v8: string;
  date: string;
  /** 1-minute load average when the run started (other processes share the machine) */
  load1: number;
  command: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown cpu';
}

export function machine(command: string): Machine {
  return { cpu: cpuModel(), cores: os.cpus().length, node: process.version, v8: process.versions.v8, date: new Date().toISOString(), load1: os.loadavg()[0], command };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, node ${m.node} (V8 ${m.v8}), ${m.date}, load average ${m.load1.toFixed(2)}\ncommand: ${m.command}`;
}
