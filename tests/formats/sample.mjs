// Runs openmso-formats-sample (src/formats/sample.cc) once into a temporary directory and
// hands its files to the tests in this folder. The binary comes from $BUILD_DIR (default
// build), or OPENMSO_FORMATS_SAMPLE_BIN when set.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let dir;

export function sampleDir() {
  if (dir) return dir;
  const bin = process.env.OPENMSO_FORMATS_SAMPLE_BIN ??
    path.join(root, process.env.BUILD_DIR ?? 'build', 'src/formats/openmso-formats-sample');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: build the target openmso-formats-sample first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openmso-formats-'));
  execFileSync(bin, [dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function readSample(name, encoding = 'utf8') {
  return fs.readFileSync(path.join(sampleDir(), name), encoding);
}
