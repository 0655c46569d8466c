/** Entry point of `npm create greeter-plugin`. The generator itself lands with its own issue. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--version')) {
    process.stdout.write(`${__PKG_VERSION__}\n`);
    return 0;
  }
  process.stderr.write('create-greeter-plugin: the generator is not built yet.\n');
  return 1;
}

declare const __PKG_VERSION__: string;
