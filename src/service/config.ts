/**
 * The principals file of `ess-authz serve`: the account, its RAM users, groups and roles with their AccessKeys,
 * and the policies attached to them. Loaded whole or not at all: any problem, including a policy with an Error
 * finding (docs/semantics.md §1), rejects the file, so a bad edit never replaces a working configuration.
 *
 *   { "account": "1609982529920904",
 *     "users":  [ { "name": "alice", "accessKeyId": "…", "accessKeySecret": "…", "groups": ["game1"],
 *                   "policies": ["own.json", { "path": "rg.json", "scope": "rg-aek2…" }] } ],
 *     "groups": [ { "name": "game1", "policies": ["t3.json"] } ],
 *     "roles":  [ { "name": "ops", "policies": ["ops.json"],
 *                   "sessions": [ { "name": "s1", "accessKeyId": "STS.…", "accessKeySecret": "…",
 *                                   "securityToken": "…", "expiration": "2030-01-01T00:00:00Z", "policy": "session.json" } ] } ],
 *     "owner": { "accessKeyId": "…", "accessKeySecret": "…" },
 *     "controlPolicies": { "levels": [["member.json"], ["root-folder.json"]], "effectScope": "RAM" },
 *     "service": { "trustedProxies": ["10.0.0.0/8"], "diagnosticKey": "…", "endpointRegion": "cn-hangzhou" } }
 *
 * Policy paths are relative to the file. JSON, or YAML for `.yaml`/`.yml` files.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, extname, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { lazyValidator } from "../policy/schema-validator.js";
import type { Policy, PolicyKind } from "../policy/ast.js";
import { formatFindingLine } from "../policy/findings.js";
import { parseJsonSource, spanAt, type JsonSource } from "../policy/json-source.js";
import { policyName } from "../policy/name.js";
import { loadLintedPolicy } from "../lint/lint.js";
import type { AttachmentScope, EvaluationInput, PolicyAttachment } from "../evaluate/decision.js";
import type { Credential, CredentialSource, Principal } from "../middleware/principal.js";

type PolicyRef = string | { path: string; scope?: string };

interface AccessKeyEntry {
  accessKeyId: string;
  accessKeySecret: string;
}

interface ConfigDocument {
  account: string;
  users?: ({ name: string; groups?: string[]; policies?: PolicyRef[]; accessKeys?: AccessKeyEntry[] } & Partial<AccessKeyEntry>)[];
  groups?: { name: string; policies?: PolicyRef[] }[];
  roles?: {
    name: string;
    policies?: PolicyRef[];
    sessions?: ({ name: string; securityToken: string; expiration?: string; policy?: string } & AccessKeyEntry)[];
  }[];
  owner?: AccessKeyEntry;
  controlPolicies?: { levels: string[][]; effectScope?: "RAM" | "All" };
  service?: ServiceSettings;
}

/** Settings read once at start; changing them needs a restart. */
export interface ServiceSettings {
  readonly trustedProxies?: readonly string[];
  readonly sourceVpcHeader?: string;
  readonly diagnosticKey?: string;
  readonly endpointRegion?: string;
  readonly hostId?: string;
  /** Regions answered by DescribeRegions. */
  readonly regions?: readonly string[];
}

const accessKey = {
  type: "object",
  required: ["accessKeyId", "accessKeySecret"],
  additionalProperties: false,
  properties: { accessKeyId: { $ref: "#/definitions/keyId" }, accessKeySecret: { $ref: "#/definitions/secret" } },
};

const SCHEMA = {
  type: "object",
  required: ["account"],
  additionalProperties: false,
  definitions: {
    name: { type: "string", pattern: "^[A-Za-z0-9._@-]{1,64}$" },
    keyId: { type: "string", pattern: "^[A-Za-z0-9._-]{1,128}$" },
    secret: { type: "string", minLength: 1 },
    policies: {
      type: "array",
      items: {
        oneOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            required: ["path"],
            additionalProperties: false,
            properties: { path: { type: "string", minLength: 1 }, scope: { type: "string", pattern: "^(account|rg-[A-Za-z0-9]+)$" } },
          },
        ],
      },
    },
  },
  properties: {
    account: { type: "string", pattern: "^[0-9]{1,32}$" },
    users: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        dependencies: { accessKeyId: ["accessKeySecret"], accessKeySecret: ["accessKeyId"] },
        properties: {
          name: { $ref: "#/definitions/name" },
          accessKeyId: { $ref: "#/definitions/keyId" },
          accessKeySecret: { $ref: "#/definitions/secret" },
          accessKeys: { type: "array", items: accessKey },
          groups: { type: "array", items: { $ref: "#/definitions/name" } },
          policies: { $ref: "#/definitions/policies" },
        },
      },
    },
    groups: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: { name: { $ref: "#/definitions/name" }, policies: { $ref: "#/definitions/policies" } },
      },
    },
    roles: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        additionalProperties: false,
        properties: {
          name: { $ref: "#/definitions/name" },
          policies: { $ref: "#/definitions/policies" },
          sessions: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "accessKeyId", "accessKeySecret", "securityToken"],
              additionalProperties: false,
              properties: {
                name: { $ref: "#/definitions/name" },
                accessKeyId: { $ref: "#/definitions/keyId" },
                accessKeySecret: { $ref: "#/definitions/secret" },
                securityToken: { type: "string", minLength: 1 },
                expiration: { type: "string", format: "date-time" },
                policy: { type: "string", minLength: 1 },
              },
            },
          },
        },
      },
    },
    owner: accessKey,
    controlPolicies: {
      type: "object",
      required: ["levels"],
      additionalProperties: false,
      properties: {
        levels: { type: "array", items: { type: "array", items: { type: "string", minLength: 1 } } },
        effectScope: { enum: ["RAM", "All"] },
      },
    },
    service: {
      type: "object",
      additionalProperties: false,
      properties: {
        trustedProxies: { type: "array", items: { type: "string" } },
        sourceVpcHeader: { type: "string", pattern: "^[A-Za-z0-9-]+$" },
        diagnosticKey: { type: "string", minLength: 16 },
        endpointRegion: { type: "string", pattern: "^[a-z0-9-]{1,64}$" },
        hostId: { type: "string", minLength: 1 },
        regions: { type: "array", items: { type: "string", pattern: "^[a-z0-9-]{1,64}$" } },
      },
    },
  },
} as const;

/** Compiled on first use: every CLI command imports this module, and compiling costs a cold `check` ~0.2 s. */
const validator = lazyValidator<ConfigDocument>(() => SCHEMA, { validateFormats: false });

/** The configuration cannot be used; every problem is one line (`file:line:col message`). */
export class ConfigError extends Error {
  /** `files`: the policy files the rejected configuration names, so a fix to one of them is noticed too. */
  constructor(
    readonly problems: readonly string[],
    readonly files: readonly string[] = [],
  ) {
    super(`invalid configuration:\n${problems.join("\n")}`);
    this.name = "ConfigError";
  }
}

export interface LoadedConfig {
  readonly file: string;
  readonly account: string;
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly service: ServiceSettings;
  /** Every file read (the config and its policies), for change detection. */
  readonly files: readonly string[];
  /** Hash of those files' contents as loaded: a later `fingerprint(files)` that differs means something changed. */
  readonly fingerprint: string;
  /** Warnings about the config (secrets readable by others) and the policies' Warning/Suggestion findings: logged, never blocking. */
  readonly notes: readonly string[];
}

/**
 * Where a configuration's files come from: the file system (`serve --config`, `config push`), or a version
 * stored in the database (`config-versions.ts`), whose reader answers from the texts pushed. Both load through
 * `loadConfig`, so what a push accepts is exactly what a replica serves.
 */
export interface ConfigReader {
  /** The text of an absolute path; throws an error with a `code` (ENOENT…) when it cannot. */
  read(file: string): string;
  /** A warning about where the text is kept (secrets readable by others), if any. */
  exposure?(file: string, text: string): string | undefined;
}

/** Reads the files themselves. */
export const fileReader: ConfigReader = { read: (file) => readFileSync(file, "utf8"), exposure: secretsReadableByOthers };

/** Parses the file; JSON keeps node positions so problems can name a line. */
function readDocument(file: string, reader: ConfigReader): { text: string; value: unknown; source?: JsonSource } {
  let text: string;
  try {
    text = reader.read(file);
  } catch (e) {
    throw new ConfigError([`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") {
    try {
      return { text, value: parseYaml(text, { uniqueKeys: true }) };
    } catch (e) {
      throw new ConfigError([`${file}: ${(e as Error).message}`]);
    }
  }
  const parsed = parseJsonSource(text);
  // Duplicate keys are findings too: which of two secrets or policy lists was meant?
  if (!parsed.ok || parsed.findings.length > 0) {
    throw new ConfigError(parsed.findings.map((f) => `${file}:${f.line}:${f.column} ${f.message}`));
  }
  return { text, value: parsed.source.value, source: parsed.source };
}

/** A warning when a config that holds secrets can be read by the group or others (POSIX mode bits). */
function secretsReadableByOthers(file: string, text: string): string | undefined {
  if (!/accessKeySecret|securityToken|diagnosticKey/.test(text)) return undefined;
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `${file}: holds secrets but its mode is ${mode.toString(8).padStart(4, "0")} (readable beyond its owner); chmod 600 it`;
}

/** Loads and validates the configuration; throws `ConfigError` listing every problem found. */
export function loadConfig(file: string, reader: ConfigReader = fileReader): LoadedConfig {
  const configFile = resolve(file);
  const base = dirname(configFile);
  const { text: configText, value, source } = readDocument(configFile, reader);
  const validate = validator();
  if (!validate(value)) {
    throw new ConfigError(
      (validate.errors ?? []).map((e) => {
        const at = source ? spanAt(source, e.instancePath) : undefined;
        return `${configFile}${at ? `:${at.line}:${at.column}` : ""} ${e.instancePath || "/"} ${e.message ?? "is invalid"}`;
      }),
    );
  }
  const doc = value;
  const problems: string[] = [];
  const account = doc.account;
  const notes: string[] = [];
  const exposed = reader.exposure?.(configFile, configText);
  if (exposed) notes.push(exposed);
  const files = [configFile];
  const texts: (string | undefined)[] = [configText];

  // One Policy object per file, one file per policy name: decisions name policies, so a name must be unambiguous.
  const policies = new Map<string, Policy>();
  const pathOfName = new Map<string, string>();
  const policyAt = (path: string, kind: PolicyKind): Policy | undefined => {
    const full = resolve(base, path);
    const key = `${kind}\n${full}`;
    const known = policies.get(key);
    if (known) return known;
    const name = policyName(full);
    const other = pathOfName.get(name);
    if (other !== undefined && other !== full) {
      problems.push(`${configFile}: policy name ${name} is used by both ${other} and ${full}`);
      return undefined;
    }
    pathOfName.set(name, full);
    files.push(full);
    let text: string;
    try {
      text = reader.read(full);
    } catch (e) {
      texts.push(undefined);
      problems.push(`${full}: cannot read policy (${(e as NodeJS.ErrnoException).code ?? "error"})`);
      return undefined;
    }
    texts.push(text);
    // The linter's Errors (parser's plus catalog-aware ones, e.g. an action no ESS operation has) block the load.
    const { policy, findings } = loadLintedPolicy(text, { name, kind, file: full });
    for (const f of findings) (f.severity === "Error" ? problems : notes).push(formatFindingLine(f));
    if (policy) policies.set(key, policy);
    return policy;
  };
  const attachments = (refs: readonly PolicyRef[] | undefined): PolicyAttachment[] =>
    (refs ?? []).flatMap((ref) => {
      const path = typeof ref === "string" ? ref : ref.path;
      const scopeText = typeof ref === "string" ? "account" : (ref.scope ?? "account");
      const scope: AttachmentScope = scopeText === "account" ? "account" : { resourceGroupId: scopeText };
      const policy = policyAt(path, "identity");
      return policy ? [{ policy, scope }] : [];
    });

  const control = doc.controlPolicies
    ? {
        levels: doc.controlPolicies.levels.map((level) => level.flatMap((p) => policyAt(p, "control") ?? [])),
        ...(doc.controlPolicies.effectScope ? { effectScope: doc.controlPolicies.effectScope } : {}),
      }
    : undefined;
  const input = (identity: PolicyAttachment[], extra: Partial<EvaluationInput> = {}): EvaluationInput => ({
    identity,
    ...(control ? { control } : {}),
    ...extra,
  });

  const credentials = new Map<string, Credential>();
  const addKey = (key: AccessKeyEntry & { securityToken?: string; expiration?: string }, principal: Principal): void => {
    if (credentials.has(key.accessKeyId)) {
      problems.push(`${configFile}: AccessKey ${key.accessKeyId} is given more than once`);
      return;
    }
    credentials.set(key.accessKeyId, {
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      ...(key.securityToken ? { securityToken: key.securityToken } : {}),
      ...(key.expiration ? { expiration: new Date(key.expiration) } : {}),
      principal,
    });
  };
  const unique = (kind: string, names: readonly string[]): void => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) problems.push(`${configFile}: ${kind} ${n} is defined more than once`);
      seen.add(n);
    }
  };

  unique("group", (doc.groups ?? []).map((g) => g.name));
  unique("user", (doc.users ?? []).map((u) => u.name));
  unique("role", (doc.roles ?? []).map((r) => r.name));
  const groupPolicies = new Map((doc.groups ?? []).map((g) => [g.name, attachments(g.policies)]));

  for (const user of doc.users ?? []) {
    const identity = attachments(user.policies);
    for (const g of user.groups ?? []) {
      const inherited = groupPolicies.get(g);
      if (inherited) identity.push(...inherited);
      else problems.push(`${configFile}: user ${user.name} is in group ${g}, which is not defined`);
    }
    const principal: Principal = {
      type: "RamUser",
      accountId: account,
      displayName: user.name,
      arn: `acs:ram::${account}:user/${user.name}`,
      policies: input(identity),
    };
    const keys = [...(user.accessKeys ?? []), ...(user.accessKeyId && user.accessKeySecret ? [{ accessKeyId: user.accessKeyId, accessKeySecret: user.accessKeySecret }] : [])];
    for (const key of keys) addKey(key, principal);
  }
  for (const role of doc.roles ?? []) {
    const identity = attachments(role.policies);
    for (const s of role.sessions ?? []) {
      const session = s.policy === undefined ? undefined : policyAt(s.policy, "session");
      if (s.expiration !== undefined && Number.isNaN(Date.parse(s.expiration))) problems.push(`${configFile}: session ${s.name}: expiration is not a date`);
      addKey(s, {
        type: "AssumedRoleUser",
        accountId: account,
        displayName: `${role.name}:${s.name}`,
        arn: `acs:ram::${account}:assumed-role/${role.name}/${s.name}`,
        policies: input(identity, { principalType: "AssumedRoleUser", ...(session ? { session } : {}) }),
      });
    }
  }
  if (doc.owner) {
    addKey(doc.owner, {
      type: "Root",
      accountId: account,
      displayName: "root",
      arn: `acs:ram::${account}:root`,
      policies: input([], { principalType: "Root" }),
    });
  }
  if (problems.length > 0) throw new ConfigError(problems, files);
  return { file: configFile, account, credentials, service: doc.service ?? {}, files, fingerprint: hashTexts(files, texts), notes };
}

/**
 * Paths count relative to the config file's folder (the first file): the same files pushed from another folder,
 * or a stored version loaded on another machine, have the same fingerprint.
 */
function hashTexts(files: readonly string[], texts: readonly (string | undefined)[]): string {
  const hash = createHash("sha256");
  const base = dirname(files[0] ?? "");
  files.forEach((f, i) => hash.update(`${relative(base, f)}\0${texts[i] ?? "\u0000missing"}\0`));
  return hash.digest("hex");
}

/** The current fingerprint of the files a configuration was loaded from (unreadable files count as changed). */
export function fingerprint(files: readonly string[]): string {
  return hashTexts(
    files,
    files.map((f) => {
      try {
        return readFileSync(f, "utf8");
      } catch {
        return undefined;
      }
    }),
  );
}

/** The current principals; `replace` swaps a whole configuration at once, so a request sees the old or the new one. */
export class PrincipalDirectory implements CredentialSource {
  constructor(private loaded: LoadedConfig) {}

  get config(): LoadedConfig {
    return this.loaded;
  }

  replace(next: LoadedConfig): void {
    this.loaded = next;
  }

  findAccessKey(accessKeyId: string): Credential | undefined {
    return this.loaded.credentials.get(accessKeyId);
  }
}
