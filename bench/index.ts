// `npm run bench -- <command> [options]`: one entry point for the benchmark suites.
// Each command is a module exporting `main(args)`; add a suite by adding a line to COMMANDS.
type Command = { main(args: string[]): Promise<void> };

const COMMANDS: Record<string, { about: string; load: () => Promise<Command> }> = {
  kernels: { about: 'int8 vs f32 vs scalar kernels: GEMM, pointwise, first conv, requant [--quick] [--json FILE]', load: () => import('./kernels/index.js') },
  bound: { about: 'SIMD128 multiply-accumulate ceiling on this machine (int8 dot vs f32), MobileNetV2 floor [--quick]', load: () => import('./bound/index.js') },
  models: { about: 'MobileNetV2 vs LiteRT.js, onnxruntime-web/node, tfjs-wasm, 1 thread [--quick] [--runs N] [--json FILE] [--svg FILE] [--md FILE]', load: () => import('./models/index.js') },
};

const [name, ...args] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  console.error(`usage: npm run bench -- <command> [options]\n${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(10)}${c.about}`).join('\n')}`);
  process.exit(name ? 1 : 0);
}
await (await command.load()).main(args);
