#!/usr/bin/env node
/**
 * Generates src/ess/catalog.data.ts from catalog/ess-api-catalog.json (its provenance: catalog/README.md and
 * catalog/ess-api-catalog.md): one row per ESS operation with what the request builder needs. Run from anywhere:
 *
 *   node scripts/gen-catalog.mjs           write the file
 *   node scripts/gen-catalog.mjs --check   exit 1 if the committed file is stale
 *
 * The catalog JSON is reference data, not code: every parameter name it uses is classified below, and an
 * unknown name fails the run instead of being guessed. Where the JSON is ambiguous the decision follows
 * docs/semantics.md §5 and is recorded in the row's `note`. Required parameters are
 * only known for 2022-02-22 (`required_params_2022`); they are applied to both versions.
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = "catalog/ess-api-catalog.json";
const OUTPUT = "src/ess/catalog.data.ts";
const VERSIONS = ["2014-08-28", "2022-02-22"];

/** Operations authorized as another action (catalog: documented for both). */
const RAM_ACTION_ALIASES = { VerifyUser: "ess:DescribeRegions", VerifyAuthentication: "ess:DescribeRegions" };

/** docs/semantics.md §5: operations on all resources (`*`). The catalog must agree. */
const CONTRACT_ALL_RESOURCES = [
  "DescribeRegions",
  "DescribeLimitation",
  "ListTagKeys",
  "ListTagValues",
  "DescribeNotificationTypes",
  "DescribePatternTypes",
  "DescribeCandidateInstanceType",
];

/** docs/semantics.md §5: operations that create a group are authorized on `scalinggroup/*`. */
const CREATE_GROUP_OPERATIONS = ["CreateScalingGroup"];

/**
 * Reads whose result is not a list of per-group items (statistics, elasticity scores): without a group they
 * need every group of the region (mode `all`), since the host cannot cut a denied group out of an aggregate.
 */
const AGGREGATE_READS = [
  "DescribeElasticStrength",
  "DescribeInstanceCreateAndDeleteStatistics",
  "DescribeScalingActivityStatistics",
];

/** Id parameters (singular base name) that name a scaling group. */
const GROUP_PARAMS = ["ScalingGroupId", "ResourceId"];

/** Id parameters (singular, capitalized base name) that name a child object, and its kind. */
const CHILD_PARAMS = {
  ScalingConfigurationId: { kind: "ScalingConfiguration", ari: false },
  ScalingRuleId: { kind: "ScalingRule", ari: false },
  ScalingRuleAri: { kind: "ScalingRule", ari: true },
  ScheduledAction: { kind: "ScalingRule", ari: true },
  AlarmTaskId: { kind: "AlarmTask", ari: false },
  LifecycleHookId: { kind: "LifecycleHook", ari: false },
  ScheduledTaskId: { kind: "ScheduledTask", ari: false },
  ScalingActivityId: { kind: "ScalingActivity", ari: false },
  InstanceId: { kind: "Instance", ari: false },
  ReportId: { kind: "DiagnoseReport", ari: false },
};

/**
 * Operations whose key/value tag parameters tag what the scaling group will launch, not the resource the call
 * creates or changes: they carry no `acs:RequestTag` (docs/semantics.md §5). The ECI configurations' `Tag.N` /
 * `Tags.N` are the container groups' tags; the `Tags` JSON string of the ECS configurations is handled below.
 */
const LAUNCH_TAG_OPERATIONS = ["CreateEciScalingConfiguration", "ModifyEciScalingConfiguration"];

/** `resource_id_params` entries that do not locate a scaling group, and why. */
const NOT_LOCATORS = {
  NotificationArn: "a notification target (CloudMonitor/MNS), not a RAM resource ARN",
  NewResourceGroupId: "the destination resource group, not an ESS resource",
  InstanceRefreshTaskId: "no resolver kind for refresh tasks; the ScalingGroupId scopes them",
  LifecycleActionToken: "a token, not an id",
  ActiveScalingConfigurationId: "a configuration inside the named group; the group is the resource",
};

function fail(message) {
  throw new Error(`gen-catalog: ${message}`);
}

const stripList = (param) => (param.endsWith(".N") ? { base: param.slice(0, -2), list: true } : { base: param, list: false });
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);
/** `ScalingRuleAris` → `ScalingRuleAri`, `lifecycleHookId` → `LifecycleHookId`: the lookup key of a wire name. */
const singular = (base) => capitalize(base).replace(/(Id|Ari|Action)s$/, "$1");

const paramsOf = (op, version) => (version === "2014-08-28" ? op.params_2014 : op.params_2022);

function available(op, version) {
  const v = op.versions[version];
  return Object.values(v).some((present) => present === true);
}

function resourceKind(op) {
  if (CREATE_GROUP_OPERATIONS.includes(op.name)) return "create";
  const arns = op.resources.map((r) => r.arn);
  if (arns.length === 1 && arns[0] === "*") return "all";
  if (arns.every((a) => a === "acs:ess:{#regionId}:{#accountId}:scalinggroup/{#ScalingGroupId}")) return "group";
  return fail(`${op.name}: unrecognized resources ${JSON.stringify(arns)}`);
}

/** Decisions worth recording, each with the wire names (of either version) it concerns. */
class Notes {
  #byMessage = new Map();
  add(message, param) {
    const params = this.#byMessage.get(message) ?? new Set();
    if (param !== undefined) params.add(param);
    this.#byMessage.set(message, params);
  }
  toString() {
    return [...this.#byMessage].map(([m, params]) => (params.size > 0 ? `${[...params].join(", ")}: ${m}` : m)).join(". ");
  }
  get size() {
    return this.#byMessage.size;
  }
}

/** Classifies one version's id and tag parameters. `notes` collects the decisions worth recording. */
function wireParams(op, version, kind, notes) {
  const wire = { groupId: undefined, groupIds: undefined, children: [], tags: undefined, tagKeys: undefined, resourceType: undefined };
  const hasGroupParam = op.resource_id_params[version].some((p) => GROUP_PARAMS.includes(singular(stripList(p).base)));
  for (const param of op.resource_id_params[version]) {
    if (!paramsOf(op, version).includes(param)) {
      fail(`${op.name} ${version}: resource id param ${param} is not among its params`);
    }
    const { base, list } = stripList(param);
    const key = singular(base);
    if (base === "ResourceType") {
      wire.resourceType = true;
      continue;
    }
    if (kind !== "group") {
      notes.add(`ignored, the operation is authorized on ${kind === "all" ? "`*` (catalog: All Resources)" : "`scalinggroup/*`"}`, param);
      continue;
    }
    if (GROUP_PARAMS.includes(key)) {
      if (list) wire.groupIds = base;
      else wire.groupId = base;
      continue;
    }
    if (key in NOT_LOCATORS) {
      notes.add(`not a locator, ${NOT_LOCATORS[key]}`, param);
      continue;
    }
    const child = CHILD_PARAMS[key];
    if (!child) fail(`${op.name} ${version}: unclassified resource id param ${param}`);
    if (child.kind === "Instance" && hasGroupParam && op.access_level !== "get") {
      notes.add("ECS instances acted on inside the named group, not locators", param);
      continue;
    }
    wire.children.push({ param: base, kind: child.kind, list, ari: child.ari });
  }
  for (const param of op.tag_params[version]) {
    const kv = /^(Tags?)\.N\.(Key|Value|Propagate)$/.exec(param);
    const keysOnly = /^(TagKeys?)\.N$/.exec(param);
    if (kv && LAUNCH_TAG_OPERATIONS.includes(op.name)) {
      notes.add("ECI container-group tags (they tag the instances the group launches), not request tags (docs/semantics.md §5)", param);
    } else if (kv) wire.tags = kv[1];
    else if (keysOnly) {
      wire.tagKeys = keysOnly[1];
      notes.add("tag keys without values: no acs:RequestTag (and acs:TagKeys is not available for ESS, docs/semantics.md §5)", param);
    } else if (param === "Tags") {
      notes.add("a JSON string of ECS instance tags, not request tags (docs/semantics.md §5)", param);
    } else fail(`${op.name} ${version}: unclassified tag param ${param}`);
  }
  // Fixed key order, unset keys dropped: the output stays stable and readable.
  return Object.fromEntries(Object.entries(wire).filter(([, v]) => v !== undefined));
}

/** Whether some locator (group id or child id) is required by the 2022-02-22 metadata. */
function locatorRequired(op, wire) {
  const names = [wire.groupId, wire.groupIds, ...wire.children.map((c) => c.param)].filter(Boolean);
  return names.some((n) => op.required_params_2022.includes(n));
}

function sourceNote(op) {
  const conflicts = op.doc_contradictions.length > 0 ? `; conflicting: ${op.doc_contradictions.join("; ")}` : "";
  if (op.doc_sources.length > 0) return `documented: ${op.doc_sources.join("; ")}${conflicts}`;
  const resource = op.resources.map((r) => r.basis).join("; ");
  return `inferred: action ${op.ram_action_basis}; level ${op.access_level_basis}; resource ${resource}${conflicts}`;
}

function row(op) {
  const expectedAction = RAM_ACTION_ALIASES[op.name] ?? `ess:${op.name}`;
  if (op.ram_action !== expectedAction) fail(`${op.name}: ram_action ${op.ram_action}, expected ${expectedAction}`);
  if (!["create", "get", "update", "delete"].includes(op.access_level)) fail(`${op.name}: access level ${op.access_level}`);

  const kind = resourceKind(op);
  const notes = new Notes();
  if (kind === "create") notes.add("resource: catalog says unknown; docs/semantics.md §5 authorizes group creation on scalinggroup/*");

  const versions = {};
  const wire = {};
  for (const version of VERSIONS) {
    versions[version] = available(op, version);
    if (versions[version]) wire[version] = wireParams(op, version, kind, notes);
    else if (paramsOf(op, version).length > 0) fail(`${op.name} ${version}: has params but no SDK or metadata lists it`);
  }
  if (!versions["2022-02-22"]) fail(`${op.name}: not in 2022-02-22; required params would be unknown`);

  const unboundTasks = op.notes.some((n) => n.includes("not bound to a scaling group"));
  const readWithOptionalLocator = kind === "group" && op.access_level === "get" && !locatorRequired(op, wire["2022-02-22"]);
  const aggregate = AGGREGATE_READS.includes(op.name);
  if (aggregate && !readWithOptionalLocator) fail(`${op.name}: listed as aggregate read but its locator is required`);
  let withoutLocator = "missingParameter";
  if (readWithOptionalLocator) {
    withoutLocator = "regionGroups";
    notes.add(
      aggregate
        ? "no group named: every group of the region must be allowed (aggregate result, mode all)"
        : "no group named: one target per group of the region, allowed ones returned (mode filter)",
    );
    if (unboundTasks) notes.add("Plus one target `*` for the tasks bound to no group");
  } else if (kind === "group" && unboundTasks && op.access_level === "create") {
    withoutLocator = "unbound";
    const metadataDisagrees = op.required_params_2022.includes("ScalingGroupId")
      ? " (2022 metadata marks ScalingGroupId required; the unbound-task rule of docs/semantics.md §5 wins)"
      : "";
    notes.add(`no group named: the task is not bound to a group and is authorized on \`*\` (docs/semantics.md §5)${metadataDisagrees}`);
  }

  const carriesRequestTag = Object.values(wire).some((w) => w.tags !== undefined);

  return {
    name: op.name,
    ramAction: op.ram_action,
    accessLevel: op.access_level,
    versions,
    resource: kind,
    mode: readWithOptionalLocator && !aggregate ? "filter" : "all",
    ...(kind === "group" ? { withoutLocator } : {}),
    unboundTasks,
    regionRequired: op.region_param["2022-02-22"] === "required",
    wire,
    carriesRequestTag,
    carriesResourceTag: kind === "group",
    source: sourceNote(op),
    ...(notes.size > 0 ? { note: notes.toString() } : {}),
  };
}

function render(catalogText) {
  const catalog = JSON.parse(catalogText);
  const ops = [...catalog.operations].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (ops.length !== catalog.meta.union) fail(`expected ${catalog.meta.union} operations, found ${ops.length}`);
  const rows = ops.map(row);
  for (const name of CONTRACT_ALL_RESOURCES) {
    if (rows.find((r) => r.name === name)?.resource !== "all") fail(`${name}: docs/semantics.md §5 says \`*\`, catalog disagrees`);
  }
  const sha256 = createHash("sha256").update(catalogText).digest("hex");
  return [
    "// GENERATED FILE - do not edit by hand.",
    `// Source: ${SOURCE} (sha256 ${sha256})`,
    "// Regenerate: node scripts/gen-catalog.mjs   (verify: node scripts/gen-catalog.mjs --check)",
    'import type { EssOperation } from "./types.js";',
    "",
    `export const OPERATION_ROWS: readonly EssOperation[] = ${JSON.stringify(rows, null, 2)};`,
    "",
  ].join("\n");
}

const output = render(readFileSync(path.resolve(REPO_ROOT, SOURCE), "utf8"));
const target = path.resolve(REPO_ROOT, OUTPUT);
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // A missing file is stale.
  }
  if (current !== output) {
    console.error(`${OUTPUT} is stale: run node scripts/gen-catalog.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(target, output);
  console.log(`wrote ${OUTPUT}`);
}
