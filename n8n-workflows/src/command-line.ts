/**
 * The one flag `pnpm <command> [<flag>]` takes: whether it was given. Any other argument prints
 * the usage and exits 2.
 */
export function optionalFlag(command: string, flag: string): boolean {
  const args = process.argv.slice(2);
  if (args.some((arg) => arg !== flag)) {
    console.error(`usage: ${command} [${flag}]`);
    process.exit(2);
  }
  return args.includes(flag);
}
