import { PGlite } from '@electric-sql/pglite';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedVersion } from '../drivers/version.js';

/**
 * PGlite's initdb takes seconds (over ten on a busy 2-core machine) and most of a gigabyte, so
 * each harness run initialises one empty data directory and every embedded run starts from a copy
 * of it, which is what CREATE DATABASE does with its template on a server.
 */
let template: Promise<string> | null = null;

/** The template must be written by the PGlite the embedded store runs, or it may not open it. */
async function checkSameVersion(): Promise<void> {
  const manifest = new URL('../../../packages/adapter-pg/package.json', import.meta.url);
  const deps = (JSON.parse(await readFile(manifest, 'utf8')) as { dependencies?: Record<string, string> }).dependencies;
  const theirs = deps?.['@electric-sql/pglite'];
  const ours = installedVersion('@electric-sql/pglite');
  if (theirs && theirs !== ours) {
    throw new Error(`bench pins @electric-sql/pglite ${ours} but adapter-pg uses ${theirs}: pin the same version in bench/package.json`);
  }
}

async function makeTemplate(): Promise<string> {
  await checkSameVersion();
  const dir = await mkdtemp(join(tmpdir(), 'bench-pglite-template-'));
  const db = new PGlite(dir);
  await db.waitReady;
  await db.close();
  return dir;
}

/** Starts initialising the template now, so the first embedded run does not wait for it. */
export function prewarmEmbedded(): Promise<string> {
  template ??= makeTemplate();
  return template;
}

/** A fresh, empty PGlite data directory. */
export async function freshEmbeddedDir(tag: string): Promise<string> {
  const source = await prewarmEmbedded();
  const dir = await mkdtemp(join(tmpdir(), `bench-${tag.replace(/[^a-z0-9]+/gi, '-')}-`));
  await cp(source, dir, { recursive: true });
  return dir;
}

export async function disposeEmbeddedTemplate(): Promise<void> {
  if (template) await rm(await template, { recursive: true, force: true });
  template = null;
}
