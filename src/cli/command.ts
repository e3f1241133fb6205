// What every `wasmq <command>` module provides: a function that adds the command to the program.
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

/** Repeatable options (`-i a.npy -i b.npy`) collect into an array. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
