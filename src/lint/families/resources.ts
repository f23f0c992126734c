import { closest, distance } from "fastest-levenshtein";
import type { Effect } from "../../policy/ast.js";
import type { Severity } from "../../policy/findings.js";
import { compileGlob, hasWildcard } from "../../match/glob.js";
import type { LintContext } from "../context.js";
import type { LintStatement, Located } from "../document.js";
import { replaceValue } from "../fixes.js";
import { KNOWN_REGIONS } from "../regions.js";

/**
 * Resource rules. ESS has one RAM resource type: `acs:ess:{region}:{account}:scalinggroup/{ScalingGroupId}`
 * (https://help.aliyun.com/zh/auto-scaling/developer-reference/api-ess-2022-02-22-ram; docs/semantics.md §5). A pattern is
 * one glob over the whole ARN (§2), so the segments below are read from the text only where they are literal.
 */
const RESOURCE_TYPE = "scalinggroup";
const GROUP_ID = /^asg-[a-z0-9]+$/;
const ACCOUNT_ID = /^\d{16}$/;
/** Two or more stars in a row: the mask of documentation examples (`123456789012****`), never a useful glob. */
const MASK = /\*{2,}/;
/** Objects that have no ARN and are authorized against their owning group. */
const CHILD_TYPES = /^(scaling(configuration|rule|activit(y|ies))|alarm(task)?|lifecyclehook|scheduledtask|instance|ecs-?instance)s?$/i;

const globMatches = (pattern: string, value: string): boolean => compileGlob(pattern.toLowerCase()).test(value);

export interface EssArn {
  readonly acs: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly relative: string;
  /** `scalinggroup` in `scalinggroup/asg-…`; undefined when the relative part has no `/`. */
  readonly type?: string;
  readonly id?: string;
}

export type ResourceShape =
  | { readonly kind: "any" }
  | { readonly kind: "notArn" }
  /** Another service's ARN; `complete` when it has the five segments of an ARN or ends in a wildcard that spans them. */
  | { readonly kind: "foreign"; readonly service: string; readonly complete: boolean }
  /** Fewer than five segments: legal only when the last one is a wildcard that spans the rest (`acs:ess:*`). */
  | { readonly kind: "short"; readonly open: boolean }
  | { readonly kind: "ess"; readonly arn: EssArn };

export function resourceShape(pattern: string): ResourceShape {
  if (/^\*+$/.test(pattern)) return { kind: "any" };
  if (!/^acs:/i.test(pattern)) return { kind: "notArn" };
  const parts = pattern.split(":");
  const service = parts[1]!;
  const open = parts.length >= 5 || hasWildcard(parts[parts.length - 1]!);
  if (!globMatches(service, "ess")) return { kind: "foreign", service, complete: open };
  if (parts.length < 5) return { kind: "short", open };
  const relative = parts.slice(4).join(":");
  const slash = relative.indexOf("/");
  const arn: EssArn = { acs: parts[0]!, service, region: parts[2]!, account: parts[3]!, relative };
  return { kind: "ess", arn: slash < 0 ? arn : { ...arn, type: relative.slice(0, slash), id: relative.slice(slash + 1) } };
}

const joinArn = (a: EssArn, type = a.type): string => [a.acs, a.service, a.region, a.account, type === undefined ? a.relative : `${type}/${a.id}`].join(":");

/** One problem of one resource pattern. `dead`: the pattern can name no scaling group at all. */
export interface ResourceIssue {
  readonly ruleId: string;
  readonly message: string;
  readonly dead: boolean;
  readonly severity?: Severity;
  readonly replacement?: string;
}

/** What the rest of the policy says about accounts: the one most ARNs use. */
export interface PolicyAccounts {
  readonly main?: string;
}

/** The problems of one resource pattern in a statement of the given effect. */
/** What the statement's actions say about its resources: all ESS, some ESS (or a wildcard), or none. */
export type EssScope = "onlyEss" | "someEss" | "noEss";

const tooFewSegments = (pattern: string): ResourceIssue => ({
  ruleId: "resource-arn-malformed",
  dead: true,
  message: `"${pattern}" has too few segments for an ARN: write acs:<service>:<region>:<account>:<resource>`,
});

export function resourceIssues(pattern: string, effect: Effect | undefined, scope: EssScope, accounts: PolicyAccounts): ResourceIssue[] {
  if (pattern === "") return []; // the parser reports an empty resource
  const shape = resourceShape(pattern);
  // A statement of other services only: an ARN that could name ESS (`acs:*:*:*:user/*`) is theirs, checked for syntax only.
  if (scope === "noEss" && (shape.kind === "ess" || shape.kind === "short")) return shape.kind === "short" && !shape.open ? [tooFewSegments(pattern)] : [];
  const onlyEss = scope === "onlyEss";
  switch (shape.kind) {
    case "any":
      return [];
    case "notArn":
      return [{ ruleId: "resource-arn-malformed", dead: true, message: `"${pattern}" is not an ARN: write acs:ess:<region>:<account>:scalinggroup/<id>, or *` }];
    case "foreign":
      if (onlyEss) return [{ ruleId: "resource-arn-malformed", dead: true, message: `"${pattern}" names service "${shape.service}", but the statement's actions are ESS actions: it matches none of their requests` }];
      // Outside ESS the linter knows no resource types: only the ARN's syntax is checked.
      return shape.complete ? [] : [tooFewSegments(pattern)];
    case "short":
      return shape.open ? [] : [{ ruleId: "resource-arn-malformed", dead: true, message: `"${pattern}" has too few segments: write acs:ess:<region>:<account>:scalinggroup/<id>` }];
    case "ess":
      return essArnIssues(pattern, shape.arn, effect, accounts);
  }
}

function essArnIssues(pattern: string, arn: EssArn, effect: Effect | undefined, accounts: PolicyAccounts): ResourceIssue[] {
  const issues: ResourceIssue[] = [];
  const allow = effect === "Allow";

  const canonical = [arn.acs.toLowerCase(), arn.service.toLowerCase(), arn.region.toLowerCase(), arn.account, arn.type === undefined ? arn.relative : `${arn.type.toLowerCase()}/${arn.id}`].join(":");
  if (canonical !== pattern) {
    const consequence = allow ? "in an Allow statement resources match with exact case, so this matches nothing" : "a Deny matches it regardless of case";
    issues.push({ ruleId: "resource-case", dead: allow, replacement: canonical, message: `"${pattern}" is not in canonical case (${consequence}); write "${canonical}"` });
  }

  const region = arn.region.toLowerCase();
  const regionGlob = hasWildcard(region) ? compileGlob(region) : undefined;
  const regionKnown = regionGlob ? [...KNOWN_REGIONS].some((r) => regionGlob.test(r)) : KNOWN_REGIONS.has(region);
  if (!regionKnown) {
    const suggestion = hasWildcard(region) || region === "" ? undefined : closest(region, [...KNOWN_REGIONS]);
    const close = suggestion !== undefined && distance(region, suggestion) <= 2;
    issues.push({
      ruleId: "resource-region-unknown",
      dead: false,
      message: `"${arn.region}" is not an Alibaba Cloud region id${close ? `; did you mean "${suggestion}"?` : ""}`,
      ...(close ? { replacement: joinArn({ ...arn, region: suggestion }) } : {}),
    });
  }

  if (MASK.test(arn.account)) issues.push(maskedAccount(arn.account, allow, accounts));
  else if (!hasWildcard(arn.account) && !ACCOUNT_ID.test(arn.account)) {
    issues.push({ ruleId: "resource-account-invalid", dead: true, message: `account "${arn.account}" is not a 16-digit account id: the ARN matches no resource` });
  }

  if (arn.type === undefined) {
    if (!hasWildcard(arn.relative)) {
      issues.push({ ruleId: "resource-arn-malformed", dead: true, message: `"${arn.relative}" is not a resource: write scalinggroup/<id> (or * for every group)` });
    }
    return issues;
  }
  const type = arn.type.toLowerCase();
  // The id format is that of a scaling group: judged only under that type.
  if (hasWildcard(type) ? !globMatches(type, RESOURCE_TYPE) : type !== RESOURCE_TYPE) {
    const child = CHILD_TYPES.test(type) ? `; ${arn.type} has no ARN of its own: ESS authorizes it against its scaling group` : "";
    const near = !hasWildcard(type) && distance(type, RESOURCE_TYPE) <= 3;
    issues.push({
      ruleId: "resource-type-unknown",
      dead: true,
      message: `resource type "${arn.type}" is not ESS's only resource type "${RESOURCE_TYPE}"${child}`,
      ...(near && !child ? { replacement: joinArn(arn, RESOURCE_TYPE) } : {}),
    });
    return issues;
  }

  const id = arn.id!;
  if (MASK.test(id)) {
    const prefix = id.slice(0, id.search(MASK));
    issues.push({
      ruleId: "resource-masked-id",
      dead: false,
      // A mask is a wildcard whatever the effect (docs/semantics.md §2): the statement reaches ids nobody wrote.
      severity: "SecurityWarning",
      message: `id "${id}" contains a documentation mask: its stars are wildcards, so this ${allow ? "Allow covers" : "Deny matches"} every scaling group whose id starts with "${prefix}", not one group`,
    });
  } else if (!validIdPattern(id)) {
    issues.push({ ruleId: "resource-id-format", dead: true, message: `"${id}" is not a scaling-group id (asg- followed by lowercase letters and digits): the ARN matches no group` });
  }
  return issues;
}

function maskedAccount(account: string, allow: boolean, accounts: PolicyAccounts): ResourceIssue {
  const misses = accounts.main !== undefined && !globMatches(account, accounts.main);
  const consequence = misses
    ? `; as a glob it never matches ${accounts.main}, the account of the other ARNs here, so this ${allow ? "Allow grants" : "Deny protects"} nothing there`
    : `; its stars are wildcards, so it matches every account of that shape`;
  return {
    ruleId: "resource-masked-id",
    dead: false,
    // A mask that cannot match the policy's own account is a typo (the statement does nothing there), not a widening.
    severity: misses ? "Warning" : "SecurityWarning",
    message: `account "${account}" is masked or mistyped (not a 16-digit account id)${consequence}`,
  };
}

/** A literal id must be a group id; a glob must be able to match one. */
function validIdPattern(id: string): boolean {
  if (!hasWildcard(id)) return GROUP_ID.test(id);
  if (!/^[a-z0-9*?-]*$/.test(id)) return false;
  const literalPrefix = id.slice(0, id.search(/[*?]/));
  return "asg-".startsWith(literalPrefix) || GROUP_ID.test(literalPrefix);
}

interface ArnSite {
  readonly statement: LintStatement;
  readonly pointer: string;
  readonly arn: EssArn;
}

// The resource and security rules both read every ARN: split them once per document.
const arnsByContext = new WeakMap<LintContext, readonly ArnSite[]>();

function essArns(ctx: LintContext): readonly ArnSite[] {
  let sites = arnsByContext.get(ctx);
  if (!sites) {
    sites = ctx.statements.flatMap((statement) =>
      (ctx.namesEss(statement) ? (statement.resources ?? []) : []).flatMap(({ value, pointer }) => {
        const shape = resourceShape(value);
        return shape.kind === "ess" ? [{ statement, pointer, arn: shape.arn }] : [];
      }),
    );
    arnsByContext.set(ctx, sites);
  }
  return sites;
}

/** The most frequent literal account id; on a tie, the first written. */
function mainAccount(sites: readonly ArnSite[]): string | undefined {
  const counts = new Map<string, number>();
  for (const { arn } of sites) if (ACCOUNT_ID.test(arn.account)) counts.set(arn.account, (counts.get(arn.account) ?? 0) + 1);
  let main: string | undefined;
  for (const [account, n] of counts) if (main === undefined || n > counts.get(main)!) main = account;
  return main;
}

export function policyAccounts(ctx: LintContext, sites = essArns(ctx)): PolicyAccounts {
  const main = mainAccount(sites);
  return main === undefined ? {} : { main };
}

const essScope = (ctx: LintContext, statement: LintStatement): EssScope => (ctx.onlyEss(statement) ? "onlyEss" : ctx.namesEss(statement) ? "someEss" : "noEss");

// The security rules read which resources are dead: judge every pattern once per document.
const issuesByContext = new WeakMap<LintContext, ReadonlyMap<Located<string>, readonly ResourceIssue[]>>();

/** The problems of every resource pattern of the document (`resourceIssues`), by its Resource element entry. */
export function documentResourceIssues(ctx: LintContext): ReadonlyMap<Located<string>, readonly ResourceIssue[]> {
  let issues = issuesByContext.get(ctx);
  if (!issues) {
    const accounts = policyAccounts(ctx);
    issues = new Map(
      ctx.statements.flatMap((statement) =>
        (statement.resources ?? []).map((resource) => [resource, resourceIssues(resource.value, statement.effect, essScope(ctx, statement), accounts)] as const),
      ),
    );
    issuesByContext.set(ctx, issues);
  }
  return issues;
}

export function checkResources(ctx: LintContext): void {
  const sites = essArns(ctx);
  const accounts = policyAccounts(ctx, sites);
  // In document order: statements, then each statement's resources.
  for (const [{ pointer }, issues] of documentResourceIssues(ctx)) {
    for (const issue of issues) {
      ctx.report(issue.ruleId, issue.message, pointer, {
        ...(issue.severity ? { severity: issue.severity } : {}),
        ...(issue.replacement ? { fix: replaceValue(pointer, issue.replacement), fixDescription: `replace with "${issue.replacement}"` } : {}),
      });
    }
  }
  checkAccounts(ctx, sites, accounts);
  checkNearDuplicateIds(ctx, sites);
}

function checkAccounts(ctx: LintContext, sites: readonly ArnSite[], { main }: PolicyAccounts): void {
  if (main === undefined) return;
  for (const { arn, pointer } of sites) {
    if (arn.account === "*" || MASK.test(arn.account) || globMatches(arn.account, main)) continue;
    if (!hasWildcard(arn.account) && !ACCOUNT_ID.test(arn.account)) continue; // resource-account-invalid says it
    ctx.report(
      "resource-account-mismatch",
      `account "${arn.account}" differs from ${main}, the account of the other ARNs in this policy: the ARN matches none of that account's groups`,
      pointer,
    );
  }
}

/**
 * Pairs of ids the near-duplicate check may compare, counted in edit-distance work (characters × 32-character
 * words). A legal policy (at most 6,144 characters: at most about 200 group ids) needs at most about 500,000;
 * a document that exhausts it is already a `policy-too-large` Error, so the check stops there rather than hang.
 */
const NEAR_DUPLICATE_BUDGET = 1_000_000;

/**
 * Real group ids are random, so two that are one or two edits apart are one id with a typo. The spelling used
 * more often is taken as the reference (on a tie, the first written); every occurrence of the other is reported.
 */
function checkNearDuplicateIds(ctx: LintContext, sites: readonly ArnSite[]): void {
  const occurrences = new Map<string, string[]>();
  for (const { arn, pointer } of sites) {
    if (arn.id === undefined || !GROUP_ID.test(arn.id) || arn.id.length < 12) continue;
    const pointers = occurrences.get(arn.id);
    if (pointers) pointers.push(pointer);
    else occurrences.set(arn.id, [pointer]);
  }
  const suspects = new Map<string, string>();
  // Ids are compared with the earlier ids of a length at most 2 apart (else they are more than 2 edits apart), in the order written.
  const earlierByLength = new Map<number, number[]>();
  const ids = [...occurrences.keys()];
  let budget = NEAR_DUPLICATE_BUDGET;
  comparing: for (const [j, b] of ids.entries()) {
    const earlier = [-2, -1, 0, 1, 2].flatMap((delta) => earlierByLength.get(b.length + delta) ?? []).sort((x, y) => x - y);
    for (const a of earlier.map((i) => ids[i]!)) {
      budget -= 1 + Math.ceil(Math.min(a.length, b.length) / 32) * Math.max(a.length, b.length);
      if (budget < 0) break comparing;
      const d = distance(a, b);
      if (d < 1 || d > 2 || suspects.has(a)) continue;
      const [reference, suspect] = occurrences.get(b)!.length > occurrences.get(a)!.length ? [b, a] : [a, b];
      if (!suspects.has(suspect)) suspects.set(suspect, reference);
    }
    const sameLength = earlierByLength.get(b.length);
    if (sameLength) sameLength.push(j);
    else earlierByLength.set(b.length, [j]);
  }
  for (const [suspect, reference] of suspects) {
    for (const pointer of occurrences.get(suspect)!) {
      const where = occurrences.get(reference)![0]!;
      ctx.report(
        "resource-id-near-duplicate",
        `scaling-group id "${suspect}" is ${distance(suspect, reference) === 1 ? "one edit" : "two edits"} away from "${reference}" (${where}): probably a typo, and an id that does not exist matches nothing`,
        pointer,
      );
    }
  }
}
