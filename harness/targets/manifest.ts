/**
 * Target manifests (schemas/target_manifest_schema_v1.json; DESIGN.md contract 4): how the
 * harness starts an implementation packaged as a container image, and the `${VAR}` templates it
 * fills in (env values, command, entrypoint, file contents with `template: true`, the
 * provisioning admin key).
 *
 * Variables the harness provides (README "Testing your own server image"):
 *
 * | variable               | value                                                                      |
 * |------------------------|----------------------------------------------------------------------------|
 * | `HOST`                 | `127.0.0.1` (containers run with host networking)                          |
 * | `PORT_<NAME>`          | the free loopback port the harness picked for `ports[].name` (upper-cased, `-` → `_`) |
 * | `RESOLVER_URL`         | the harness's key resolver (`https://127.0.0.1:<port>`), role server/client |
 * | `ADMIN_KEY`            | a fresh management API key (`BMK-…`) the harness provisions accounts with  |
 * | `ROUTING_ID`           | routing id of `ROUTING_KEY` (spec/api.md §1.1)                             |
 * | `ROUTING_PRIVATE_KEY`, `ROUTING_PUBLIC_KEY` | the routing key pair the harness generated (`ed25519 …`) |
 * | `ROUTING_KEY`          | that pair as JSON `{"privateKey":…,"publicKey":…}`                        |
 * | `TLS_CERT`, `TLS_KEY`  | PEM server certificate (loopback names) and key, issued by the harness CA  |
 * | `CA_CERT`              | PEM certificate of the harness CA (trust it for outgoing calls)            |
 * | `SEED`                 | the run seed (hex)                                                         |
 *
 * A `files[].source` that is exactly `${VAR}` is that generated content; any other source is a
 * path relative to the manifest's folder (filled in when `template` is true).
 *
 * `features` names the optional features the image has switched on (`{"webhooks": true}`); the
 * ones set to true reach the suites as `BM_FEATURES` (harness/targets/image.ts). `config` states
 * how the image is configured (`{"storage": "redis"}`); it is the run's `--config` default, which
 * selects expectations entries that carry a `config` (harness/expectations.ts).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatErrors, validator } from '../../schemas/index.ts';

export interface ManifestPort { name: string; container: number; protocol: 'https' | 'http' | 'tcp' }
export interface ManifestFile { source: string; target: string; mode?: string; template?: boolean }
export interface Readiness {
  kind: 'http' | 'tcp' | 'log' | 'command';
  port?: string;
  path?: string;
  status?: number;
  pattern?: string;
  command?: string[];
  timeout_ms: number;
}

/** A parsed, schema-valid target manifest (field names as in the JSON). */
export interface TargetManifest {
  schema: 'target_manifest_schema_v1.json';
  name: string;
  role: 'server' | 'resolver' | 'client' | 'library';
  image: string;
  command?: string[];
  entrypoint?: string[];
  env?: Record<string, string>;
  files?: ManifestFile[];
  ports?: ManifestPort[];
  readiness?: Readiness;
  provisioning?: { kind: 'none' | 'invite' | 'admin-api' | 'command'; routing_key?: string; admin_api_key?: string; command?: string[] };
  adapter?: { via: 'exec' | 'entrypoint'; command: string[] };
  tls?: { ca_file?: string; insecure?: boolean };
  features?: Record<string, boolean>;
  /** The configuration the image runs with (`{"storage": "redis"}`): the run's `--config` defaults. */
  config?: Record<string, string>;
  /**
   * The image survives a kill and a restart of its container (its data stays in the container's
   * filesystem, or `data_path`): the durability profile may `docker kill` and `docker start` it.
   */
  restart?: { data_path?: string };
  expectations?: string;
}

export interface LoadedManifest {
  manifest: TargetManifest;
  /** Folder relative file sources resolve against. */
  dir: string;
  /** The manifest file, or undefined when the default manifest was used for an image name. */
  path: string | undefined;
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The reference contract: the manifest `image:<name>` uses, with `image` replaced. */
export const DEFAULT_MANIFEST = fileURLToPath(new URL('../../implementations/reference/target.json', import.meta.url));

/** Does an `image:` value name a manifest file (rather than an image)? */
export function isManifestPath(value: string): boolean {
  return value.endsWith('.json') || (existsSync(value) && !value.includes('@'));
}

/**
 * Read and validate a manifest file.
 * @throws ManifestError naming the file and the failing field
 */
export function readManifest(path: string): LoadedManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ManifestError(`target manifest ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`target manifest ${path}: not JSON: ${(e as Error).message}`);
  }
  const v = validator('target_manifest_schema_v1.json');
  if (!v(doc)) throw new ManifestError(`target manifest ${path}: ${formatErrors(v.errors)}`);
  const m = doc as TargetManifest;
  const names = new Set<string>();
  for (const p of m.ports ?? []) {
    if (names.has(p.name)) throw new ManifestError(`target manifest ${path}: ports: name ${p.name} given twice`);
    names.add(p.name);
  }
  if (m.readiness?.port !== undefined && !names.has(m.readiness.port)) throw new ManifestError(`target manifest ${path}: readiness.port: no port named ${m.readiness.port}`);
  if ((m.readiness?.kind === 'http' || m.readiness?.kind === 'tcp') && m.readiness.port === undefined && names.size === 0) {
    throw new ManifestError(`target manifest ${path}: readiness.kind ${m.readiness.kind} needs a port`);
  }
  if (m.readiness?.kind === 'log') {
    if (!m.readiness.pattern) throw new ManifestError(`target manifest ${path}: readiness.pattern: a log readiness needs a regex`);
    try {
      new RegExp(m.readiness.pattern, 'm');
    } catch (e) {
      throw new ManifestError(`target manifest ${path}: readiness.pattern: ${(e as Error).message}`);
    }
  }
  if (m.readiness?.kind === 'command' && !m.readiness.command?.length) throw new ManifestError(`target manifest ${path}: readiness.command: a command readiness needs a command`);
  for (const f of Object.keys(m.features ?? {})) {
    // Switched-on features reach the suites as BM_FEATURES, a comma list of such names.
    if (!/^[a-z][a-z0-9_]*$/.test(f)) throw new ManifestError(`target manifest ${path}: features: ${JSON.stringify(f)} is not a feature name ([a-z][a-z0-9_]*)`);
  }
  if (m.role === 'client' && !m.adapter) throw new ManifestError(`target manifest ${path}: adapter: a client image needs the adapter command`);
  if ((m.role === 'server' || m.role === 'resolver') && !(m.ports ?? []).some((p) => p.protocol === 'https' || p.protocol === 'http')) {
    throw new ManifestError(`target manifest ${path}: ports: a ${m.role} image needs an http(s) port`);
  }
  return { manifest: m, dir: dirname(resolve(path)), path: resolve(path) };
}

/**
 * The manifest for an `image:` target value: a manifest file, or an image name run under the
 * reference contract ({@link DEFAULT_MANIFEST} with `image` replaced).
 */
export function loadManifest(value: string): LoadedManifest {
  if (isManifestPath(value)) return readManifest(value);
  const def = readManifest(DEFAULT_MANIFEST);
  return { ...def, manifest: { ...def.manifest, image: value }, path: undefined };
}

/** `PORT_<NAME>` for a port name. */
export function portVar(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

const VAR_RE = /\$\{([A-Z][A-Z0-9_]*)\}/g;

/**
 * Fill `${VAR}` placeholders. `$${` escapes a literal `${`.
 * @throws ManifestError naming `where` and the unknown variable
 */
export function render(text: string, vars: Readonly<Record<string, string>>, where: string): string {
  return text
    .split('$${')
    .map((part) =>
      part.replace(VAR_RE, (_m, name: string) => {
        const v = vars[name];
        if (v === undefined) throw new ManifestError(`${where}: unknown variable \${${name}} (known: ${Object.keys(vars).sort().join(', ')})`);
        return v;
      }),
    )
    .join('${');
}

/** Is `text` exactly one placeholder? Returns its name. */
export function wholeVar(text: string): string | undefined {
  return /^\$\{([A-Z][A-Z0-9_]*)\}$/.exec(text)?.[1];
}

/** The content of one `files[]` entry: generated (`${VAR}`), or a file (filled in when `template`). */
export function fileContent(f: ManifestFile, dir: string, vars: Readonly<Record<string, string>>): string | Buffer {
  const whole = wholeVar(f.source);
  if (whole !== undefined) return render(f.source, vars, `files[${f.target}].source`);
  const path = isAbsolute(f.source) ? f.source : join(dir, f.source);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ManifestError(`files[${f.target}].source ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return f.template ? render(buf.toString('utf8'), vars, `files[${f.target}] (${f.source})`) : buf;
}

/** The profiles an image of `role` serves. */
export function profilesForRole(role: TargetManifest['role']): ('library' | 'server' | 'resolver' | 'client' | 'interop' | 'security')[] {
  switch (role) {
    case 'server': return ['server', 'interop', 'security'];
    case 'resolver': return ['resolver'];
    case 'client': return ['library', 'client'];
    case 'library': return ['library'];
  }
}
