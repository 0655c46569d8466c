import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from './fixtures.js';

export const GO_GREETER_DIR = fileURLToPath(new URL('../../../examples/go-greeter/', import.meta.url));
const GO_PLUGIN_SRC = '/usr/share/gocode/src/github.com/hashicorp/go-plugin';

/** Why the Go plugin cannot be built here, or undefined when it can. */
export function whyNoGo(): string | undefined {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return '`go` is not on PATH (install it with .ci/install-go.sh)';
  }
  if (!existsSync(GO_PLUGIN_SRC)) {
    return `hashicorp/go-plugin sources are not under ${GO_PLUGIN_SRC} (install golang-github-hashicorp-go-plugin-dev with .ci/install-go.sh)`;
  }
  return undefined;
}

/**
 * Writes the go-greeter example into the project as a plugin package at `at`: its real manifest,
 * overridden by `xPlugin`, and its binary, built by the example's own build script.
 */
export function addGoGreeter(project: Project, at: string, binary: string, xPlugin: object = {}): string {
  const pkg = JSON.parse(readFileSync(join(GO_GREETER_DIR, 'package.json'), 'utf8')) as {
    xPlugin: Record<string, unknown>;
  };
  project.write(
    join(at, 'package.json'),
    JSON.stringify({ ...pkg, xPlugin: { ...pkg.xPlugin, command: [binary], ...xPlugin } }, null, 2),
  );
  return join(project.dir, at);
}

/** hashicorp/go-plugin v1.4.10's sources, vendored (test/go/go-plugin-v1.4.10/VENDORED.md). */
export const GO_PLUGIN_1_4 = fileURLToPath(new URL('./go/go-plugin-v1.4.10/', import.meta.url));

/** Builds go-greeter against Debian's go-plugin 1.0.1, or against the go-plugin source tree `goPlugin`. */
export function buildGoGreeter(out: string, goPlugin?: string): void {
  execFileSync('sh', [join(GO_GREETER_DIR, 'build.sh'), out], {
    stdio: 'inherit',
    timeout: 600_000,
    env: goPlugin === undefined ? process.env : { ...process.env, GO_PLUGIN_SRC: goPlugin },
  });
}

/** greeter.pb.go as Debian's protoc-gen-go makes it from @x/contract's greeter.proto, or undefined without protoc. */
export function generateGreeterPb(scratch: string): string | undefined {
  const out = join(scratch, 'pbgen');
  mkdirSync(out, { recursive: true });
  const protoDir = fileURLToPath(new URL('../../contract/proto/', import.meta.url));
  try {
    execFileSync('protoc', ['-I', protoDir, `--go_out=plugins=grpc:${out}`, 'greeter.proto'], {
      stdio: 'pipe',
    });
  } catch {
    return undefined;
  }
  return readFileSync(join(out, 'greeter.pb.go'), 'utf8');
}
