/** `streetwise-edge --config FILE`: placeholder until the config loader lands. */
export async function runAgentCommand(argv: string[]): Promise<number> {
  console.error(`streetwise-edge: running the agent (${argv.join(' ')}) is not implemented yet`);
  return 2;
}
