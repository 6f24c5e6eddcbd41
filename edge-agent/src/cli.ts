#!/usr/bin/env -S node --max-semi-space-size=2
// A 2 MB young generation (instead of 16 MB) keeps the agent ~30 MB smaller; frames make short-lived garbage that dies young anyway.
import { runDetectCommand } from './detect-cli.js';

const USAGE = `streetwise-edge — Streetwise field-device agent

  streetwise-edge --config device.yaml|device.json   run the agent
  streetwise-edge --config FILE --check              validate a configuration and exit
  streetwise-edge detect --model M.onnx IMAGE... [--json]   check a model on still images
  streetwise-edge config-reference                   every config field (markdown)
  streetwise-edge --help`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'detect') return runDetectCommand(rest);
  if (command === 'config-reference') {
    const { configReferenceMarkdown } = await import('./config/reference.js');
    console.log(configReferenceMarkdown());
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const { runAgentCommand } = await import('./agent-cli.js');
  return runAgentCommand(argv);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err as { code?: string; message?: string };
    console.error(e.code ? `${e.code}: ${e.message}` : err);
    process.exitCode = 1;
  },
);
