/**
 * The other languages' runtimes the documentation's examples are run with: Java 17 (`java File.java`,
 * single-file source launch) and Python 3. Found on PATH (JAVA_HOME/bin first); a missing one fails
 * the test naming what to install, never skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

export function javaRuntime(): string {
  const home = process.env.JAVA_HOME !== undefined ? join(process.env.JAVA_HOME, 'bin', 'java') : undefined;
  const java = home !== undefined && existsSync(home) ? home : onPath('java');
  if (java === undefined) throw new Error('java not found (JAVA_HOME or PATH): install Java 17, e.g. apt-get install -y openjdk-17-jre-headless (.ci/run does)');
  // `java -version` writes to stderr; a Java before 11 has no single-file source launch.
  const version = spawnSync(java, ['-version'], { encoding: 'utf8' }).stderr;
  const major = Number(/version "(?:1\.)?(\d+)/.exec(version)?.[1] ?? 0);
  if (major < 11) throw new Error(`${java} is Java ${major}: the examples need Java 11 or later (17 is what .ci/run installs)`);
  return java;
}

export function pythonRuntime(): string {
  const python = onPath('python3');
  if (python === undefined) throw new Error('python3 not found on PATH: install Python 3, e.g. apt-get install -y python3');
  return python;
}
