import type { Severity } from "../policy/findings.js";

/**
 * Every rule the linter reports: the grammar and condition checks of `parsePolicy` (docs/semantics.md §1, §3) and the
 * catalog-aware rules of `src/lint/families/`. Ids are stable: CI configurations and SARIF baselines key on them.
 * The docs page `docs/lint-rules.md` is generated from this table and the fixtures in `test/fixtures/lint/`.
 */
export type RuleFamily = "policy" | "trust" | "actions" | "resources" | "conditions" | "security" | "redundancy" | "configuration";

export interface RuleMeta {
  readonly id: string;
  /** Default severity. A few rules report a documented other severity in some cases (see `severityNote`). */
  readonly severity: Severity;
  readonly severityNote?: string;
  readonly family: RuleFamily;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters. */
  readonly why: string;
  /** How to fix it, and what `--fix` does when the rule carries a safe fix. */
  readonly fix: string;
  /** The rule attaches an RFC 6902 patch that `--fix` applies (to some or all of its findings). */
  readonly autofix?: boolean;
}

export const DOCS_URL = "https://github.com/ess-authz/ess-authz/blob/main/docs/lint-rules.md";

export const docsUrl = (id: string): string => `${DOCS_URL}#${id}`;

/** What the rules whose fix can widen access say about it (see fix-safety.ts). */
const REVIVES =
  "it makes a dead entry match. In a Deny's Action or Resource (or an Allow's NotAction) that only narrows access and `--fix` applies it; in an Allow it widens access, so it is offered as a suggestion that only `--fix --fix-type widening` applies.";
const CHANGES_CONDITION = "it changes what the condition tests, which can widen access, so it is a suggestion that only `--fix --fix-type widening` applies.";

const rule = (
  id: string,
  severity: Severity,
  family: RuleFamily,
  summary: string,
  why: string,
  fix: string,
  extra: Pick<RuleMeta, "autofix" | "severityNote"> = {},
): RuleMeta => ({ id, severity, family, summary, why, fix, ...extra });

export const RULES: readonly RuleMeta[] = [
  // ---- policy: grammar, JSON and value formats, reported by parsePolicy (docs/semantics.md §1, §3) ----
  rule("json-syntax", "Error", "policy", "The document is not strict JSON (RFC 8259).",
    "RAM rejects documents that are not valid JSON; comments and trailing commas are not JSON. The position is where the parser stopped.",
    "Correct the JSON at the reported position."),
  rule("json-duplicate-key", "Error", "policy", "An object has the same key twice.",
    "JSON.parse keeps only the last value, so a reviewer reads a policy that is not the one evaluated. RAM's behaviour is undocumented, so the policy is rejected.",
    "Keep one of the keys; merge their values if both were meant."),
  rule("json-too-deep", "Error", "policy", "The JSON nests deeper than 64 levels.",
    "No policy nests that deep; the limit keeps adversarial input from exhausting the parser.",
    "Flatten the document."),
  rule("json-too-large", "Error", "policy", "The document is longer than 1,000,000 characters.",
    "Far beyond every RAM size limit; the text is refused without being parsed.",
    "Split the policy; RAM allows at most 6,144 characters per custom policy."),
  rule("element-missing", "Error", "policy", "A required element (Version, Statement, Effect, Action, Resource, or Principal in a trust policy) is missing.",
    "RAM rejects a policy without Version or Statement, and a statement without Effect, Action/NotAction, Resource (in identity, session and control policies) or Principal (in trust policies, which name who may assume the role: https://www.alibabacloud.com/help/en/ram/user-guide/edit-the-trust-policy-of-a-ram-role).",
    "Add the element."),
  rule("element-unknown", "Error", "policy", "The document or a statement has a key RAM does not know.",
    "RAM's grammar has no other elements; a misspelt element (\"Resources\", \"Conditions\") would silently change the meaning if it were ignored.",
    "Remove the key or correct its spelling."),
  rule("version-invalid", "Error", "policy", "Version is not \"1\".",
    "\"1\" is RAM's only policy version; AWS versions such as \"2012-10-17\" are rejected.",
    "Write \"Version\": \"1\"."),
  rule("effect-invalid", "Error", "policy", "Effect is not exactly \"Allow\" or \"Deny\".",
    "Effect is case-sensitive; \"allow\" is rejected.",
    "Write \"Allow\" or \"Deny\"."),
  rule("type-invalid", "Error", "policy", "An element has the wrong JSON type (e.g. an Action that is a number).",
    "Action and NotAction are a string or a non-empty array of strings, Resource a string or an array of strings, Condition an object of objects.",
    "Use the documented type."),
  rule("action-exclusive", "Error", "policy", "A statement has both Action and NotAction.",
    "A statement has exactly one of them.",
    "Split the statement in two, or keep one of the elements."),
  rule("action-malformed", "Error", "policy", "An action is not `<service>:<ApiName>` (e.g. `ess>Create*`, a missing service, an empty name).",
    "A malformed action matches no request, so the statement silently does nothing.",
    `Write the action as \`ess:<ApiName>\`. The fix replaces a mistyped separator (\`ess>Create*\` → \`ess:Create*\`); ${REVIVES}`,
    { autofix: true }),
  rule("not-resource-unsupported", "Error", "policy", "A statement uses NotResource.",
    "NotResource appeared only in RAM's 2019 grammar; current RAM rejects it.",
    "List the resources with Resource; use a Deny statement to carve out exceptions."),
  rule("not-principal-unsupported", "Error", "policy", "A statement uses NotPrincipal.",
    "NotPrincipal is not part of RAM's grammar.",
    "Remove it; name principals with Principal in trust policies."),
  rule("principal-not-allowed", "Error", "policy", "An identity, session or control policy has a Principal.",
    "Principal exists only in resource-based (trust) policies. A document where a statement has a Principal and `sts:AssumeRole` is linted as a trust policy unless `--kind` says otherwise; other resource-based policies (an OSS bucket policy) need `--kind trust`.",
    "Remove Principal; attach the policy to the principal instead."),
  rule("resource-empty", "Error", "policy", "A Resource string is empty.",
    "An empty resource matches nothing.",
    "Write an ARN or `*`."),
  rule("condition-operator-unknown", "Error", "policy", "A condition operator is not one of RAM's 21 operators, alone or behind `ForAnyValue:` / `ForAllValues:`.",
    "RAM has no …IfExists, Null, Arn… or Binary… operators; operator names and set qualifiers are case-sensitive (`forallvalues:StringEquals`, `ForAllValue:StringEquals` are misspellings). An unknown operator rejects the policy.",
    `Use a documented operator. The fix renames a misspelt operator or qualifier when exactly one operator is close and the block does not have it already; ${CHANGES_CONDITION}`,
    { autofix: true }),
  rule("condition-operator-empty", "Suggestion", "policy", "A condition operator lists no keys.",
    "An empty operator block adds no condition; it only makes the policy longer.",
    "Remove the operator or add its keys."),
  rule("condition-values-empty", "Error", "policy", "A condition key has an empty value list.",
    "With no value the condition can never hold (or, negated, always holds): it has no meaning.",
    "Add the values or remove the key."),
  rule("condition-value-unquoted", "Warning", "policy", "A condition value is an unquoted number or boolean.",
    "RAM's docs require every value in double quotes (\"true\", \"10\").",
    "Quote the value."),
  rule("condition-value-format", "Error", "policy", "A condition value does not fit its operator (e.g. `Bool` with \"yes\", a date without a time zone).",
    "A value of the wrong type can never compare; the policy is rejected rather than left to behave unpredictably.",
    "Write the value in the operator's format: Bool \"true\"/\"false\", ISO 8601 dates with Z or ±hh:mm, decimal numbers, IP addresses or CIDR blocks."),
  rule("condition-value-type", "Error", "policy", "A condition value is neither a string nor an array of strings.",
    "Condition values are JSON strings (or arrays of them).",
    "Write the value as a string."),
  rule("condition-key-empty", "Error", "policy", "A condition key is empty.",
    "No request carries an empty key.",
    "Write the key, e.g. `acs:SourceIp`."),
  rule("statement-not-array", "Warning", "policy", "Statement is a single object instead of an array.",
    "RAM's grammar shows an array; the single-object form is accepted but undocumented.",
    "Wrap the statement in `[ ]`."),
  rule("statement-empty", "Suggestion", "policy", "Statement is an empty array.",
    "The policy allows and denies nothing.",
    "Add statements or delete the policy."),
  rule("sid-duplicate", "Warning", "policy", "Two statements have the same Sid.",
    "Decisions name the deciding statement by Sid; duplicates make them ambiguous.",
    "Give each statement its own Sid."),
  rule("policy-too-large", "Error", "policy", "The policy exceeds RAM's size limit.",
    "RAM rejects custom policies over 6,144 characters, session policies over 2,048 and control policies over 4,096 (whitespace outside strings not counted).",
    "Split the policy or use wildcards."),
  rule("policy-variable", "Warning", "policy", "A string contains `${...}`.",
    "RAM has no policy variables: `${aws:username}` is matched literally.",
    "Write the literal value."),

  rule("principal-invalid", "Warning", "trust", "A trust policy's Principal is not one of RAM's principal types (`RAM`, `Service`, `Federated`) with a value of its shape.",
    "RAM's trust policies name who may assume a role with a `RAM` account, user or role ARN, a `Service` name (`ecs.aliyuncs.com`) or a `Federated` identity provider ARN (https://www.alibabacloud.com/help/en/ram/user-guide/edit-the-trust-policy-of-a-ram-role). A misspelt type or a value of another shape names nobody, so nobody can assume the role through that entry.",
    "Use `RAM`, `Service` or `Federated` (case-sensitive) with a value of the documented shape."),

  // ---- actions ----
  rule("action-unknown", "Warning", "actions", "An `ess:` action pattern matches no operation of the ESS catalog (e.g. `ess:Describle*`, `ess:EnableScheduledTask`).",
    "The pattern is matched against ESS's RAM actions; one that matches none is a dead entry. While the statement's other actions still apply, the policy works and the dead entry is a Warning; when every entry of the Action list is dead, the statement never applies and the policy does not work as written. The did-you-mean comes from the catalog by edit distance.",
    `Correct the name. The fix applies the suggestion when exactly one catalog action (or action prefix) is closest; ${REVIVES}`,
    { autofix: true, severityNote: "Error when no entry of the statement's Action list matches anything, so the statement never applies" }),
  rule("action-case", "Warning", "actions", "An ESS action is written in non-canonical case (e.g. `ess:describescalinggroups`).",
    "RAM matches actions case-insensitively \"in most cases\" only; the canonical spelling behaves the same everywhere.",
    "Use the catalog's spelling. `--fix` rewrites it when the canonical form is unambiguous.",
    { autofix: true }),

  // ---- resources ----
  rule("resource-arn-malformed", "Warning", "resources", "A resource is neither `*` nor shaped like `acs:ess:<region>:<account>:scalinggroup/<id>` (for another service's ARN: not `acs:<service>:<region>:<account>:<resource>`).",
    "ESS authorizes against scaling-group ARNs (docs/semantics.md §5); a resource of another shape matches no ESS request. Other services' ARNs are checked for their syntax only: the linter does not know their resource types.",
    "Write `acs:ess:<region>:<account>:scalinggroup/<id>` or `*`."),
  rule("resource-type-unknown", "Warning", "resources", "An ESS ARN names a resource type other than `scalinggroup`.",
    "ESS has one RAM resource type. Scaling configurations, rules, alarm and scheduled tasks, lifecycle hooks and activities have no ARN: they are authorized against their scaling group.",
    `Use \`scalinggroup/<id>\` of the owning group. The fix corrects a near miss (\`scalinggroups\`, \`scaling-group\`); ${REVIVES}`,
    { autofix: true }),
  rule("resource-case", "Warning", "resources", "The fixed parts of an ESS ARN (`acs`, `ess`, region, `scalinggroup`) are not lower case.",
    "Case never widens access (docs/semantics.md §2): in an Allow statement resources match with exact case, so `scalingGroup` matches nothing; in a Deny they match regardless of case.",
    "Write them in lower case. The fix does: in a Deny it changes nothing and `--fix` applies it; in an Allow it makes a dead entry match, which widens access, so it is a suggestion that only `--fix --fix-type widening` applies.",
    { autofix: true }),
  rule("resource-region-unknown", "Warning", "resources", "An ESS ARN names a region that is not an Alibaba Cloud region id.",
    "A region that does not exist matches no request (e.g. `cn-hangzou`, `hangzhou`).",
    `Use a region id such as \`cn-hangzhou\`, or \`*\`. The fix corrects a near miss (\`cn-hangzou\`); ${REVIVES} New regions appear over time: ignore the warning for a region newer than this linter.`,
    { autofix: true }),
  rule("resource-masked-id", "SecurityWarning", "resources", "An account or scaling-group id contains a documentation mask (`****`, `***8`).",
    "The stars of a masked id copied from documentation are wildcards, not a placeholder that matches nothing: the ARN matches every id of that shape, so the statement reaches resources you did not write (an Allow grants more than it seems). A masked account that cannot match the policy's own account is reported as a Warning: there the statement grants or protects nothing.",
    "Write the real id.",
    { severityNote: "SecurityWarning in Allow statements (wider than written), Warning in Deny statements." }),
  rule("resource-id-format", "Warning", "resources", "A scaling-group id is not `asg-` followed by lowercase letters and digits.",
    "An id that cannot exist matches no scaling group: an Allow grants nothing for it, a Deny protects nothing.",
    "Copy the id from the console or DescribeScalingGroups."),
  rule("resource-id-near-duplicate", "Warning", "resources", "Two scaling-group ids in one policy differ by one or two characters.",
    "Real ids are random; ids that nearly match are almost always one id with a typo (`asg-bp1c5p12…` for `asg-bp1c5pl2…`), and the misspelt one matches nothing.",
    "Check both ids against the console; correct the misspelt one."),
  rule("resource-account-invalid", "Warning", "resources", "The account segment of an ESS ARN is not a 16-digit account id.",
    "Alibaba Cloud account ids have 16 digits; anything else matches no resource.",
    "Write the account id, or `*`."),
  rule("resource-account-mismatch", "Warning", "resources", "ARNs in one policy name different accounts.",
    "Policies usually cover one account; an ARN with another account (often a typo) matches none of the account's resources. A Deny written that way protects nothing.",
    "Use the same account id everywhere, unless the policy is meant to cover several accounts."),

  // ---- conditions ----
  rule("condition-key-unknown", "Warning", "conditions", "A condition key is not a key ESS requests carry.",
    "ESS requests carry the global keys of docs/semantics.md §5 (acs:SourceIp, acs:SecureTransport, acs:CurrentTime, acs:MFAPresent, acs:AccessId, acs:PrincipalARN, acs:SourceVpc) and the tag keys; ESS defines no service keys, so `ess:ResourceTag/…` is never present (the tag keys are `acs:ResourceTag/…` and `acs:RequestTag/…`). A key no request carries makes positive operators false and negated ones true. Statements that name no ESS action belong to other services: their keys are checked for the `<service>:<name>` syntax only.",
    `Use a supported key. The fix applies the did-you-mean when exactly one key is close; ${CHANGES_CONDITION}`,
    { autofix: true, severityNote: "for a key that is certainly absent (an `ess:` key, another service's key in a statement of ESS actions only, a key without a service): Error in an Allow with a positive operator (the statement never applies), SecurityWarning in an Allow with a negated operator (it restricts nothing) and in a Deny with a positive operator (the guardrail never fires)" }),
  rule("condition-key-case", "Warning", "conditions", "A condition key is written in non-canonical case (e.g. `acs:sourceip`, `acs:resourcetag/team`).",
    "Key names match case-insensitively (docs/semantics.md §2), so this works, but the canonical spelling is what readers and other tools expect.",
    "`--fix` rewrites the key in canonical case.",
    { autofix: true }),
  rule("condition-tag-keys-unsupported", "Warning", "conditions", "A condition of a statement that covers ESS actions uses `acs:TagKeys`.",
    "`acs:TagKeys` is not available for ESS (docs/semantics.md §5): it is never present, so positive operators never match and negated ones always do.",
    "Use `acs:RequestTag/<key>` or `acs:ResourceTag/<key>`."),
  rule("condition-key-absent", "Suggestion", "conditions", "An Allow's tag condition excludes some of its operations silently (e.g. `ess:*` + `acs:ResourceTag/…` never allows `DescribeRegions`).",
    "Action wildcards are expanded against the catalog. `acs:RequestTag/*` exists only for operations with tag parameters, `acs:ResourceTag/*` only for operations on a scaling group; for the others a positive operator is false (docs/semantics.md §3), so the statement never allows them.",
    "Allow the excluded operations in a separate statement if they are needed, or narrow the Action to the operations that carry the key."),
  rule("condition-negated-key-absent", "SecurityWarning", "conditions", "An Allow's negated tag condition holds trivially for operations that never carry the key.",
    "A negated operator (`StringNotEquals`, `StringNotLike`…) is true when the key is missing (docs/semantics.md §3), so the Allow grants those operations whatever their tags.",
    "Narrow the Action to operations that carry the key, or use a positive operator."),
  rule("condition-forallvalues-key-absent", "SecurityWarning", "conditions", "An Allow relies on a `ForAllValues:` condition whose key a request may lack.",
    "`ForAllValues:` holds when every request value satisfies the operator, so it also holds when the request has no value at all: the Allow then grants to every request without the key (tags are optional; `acs:SourceVpc` exists only behind a trusted gateway; ESS requests never carry `acs:TagKeys` or other services' keys). IAM Access Analyzer reports this as a security warning too.",
    "Add a `ForAnyValue:` condition with the same operator, key and values (it is false when the key is missing, so together they mean \"present, and every value allowed\"), or drop the qualifier if the key has one value."),
  rule("condition-tag-key-case", "Warning", "conditions", "The same tag key is written in different case within one policy (`Team` and `team`).",
    "Tag keys in condition keys match case-insensitively (docs/semantics.md §2), so both spellings match the same tags, but the policy reads as if it meant two tags.",
    "Use one spelling. `--fix` renames the minority spelling (on a tie, the lower-case one wins) when no other key of that block collides.",
    { autofix: true }),
  rule("condition-operator-type", "Error", "conditions", "An operator does not fit the type of its key (e.g. `Bool` on `acs:SourceIp`, `StringEquals` on an IP address).",
    "A request value that cannot be read as the operator's type makes the condition indeterminate (docs/semantics.md §3): an Allow never applies, a Deny always fires. String operators on IP or date keys compare text, so `10.0.0.0/8` never equals an address.",
    "Use the operator family of the key: IpAddress/NotIpAddress for acs:SourceIp, Bool for acs:SecureTransport and acs:MFAPresent, Date… for acs:CurrentTime, String… for the rest.",
    { severityNote: "Error when the request value can never be read by the operator; Warning when a String operator compares an IP or date key as text." }),

  // ---- security ----
  rule("allow-all-unconditioned", "SecurityWarning", "security", "An Allow grants `*` or `ess:*` on `*` without conditions.",
    "That is full ESS administration (every group, every operation). Grant it deliberately, never by accident.",
    "Narrow the actions or resources, or add conditions (tags, source IP)."),
  rule("allow-not-action", "SecurityWarning", "security", "An Allow uses NotAction.",
    "Allow + NotAction grants every action of every service except those listed, including services added later (RAM docs: \"use with caution\").",
    "List the allowed actions with Action."),
  rule("deny-condition-key-absent", "SecurityWarning", "security", "A Deny's condition key is absent for some of its operations, so the guardrail never fires for them.",
    "A positive operator on a missing key is false (docs/semantics.md §3): `Deny ess:*` with `acs:ResourceTag/…` never blocks operations without a scaling group (CreateScalingGroup, DescribeRegions, unbound alarm and scheduled tasks). The finding names them.",
    "Add a Deny for those operations with a key they carry (e.g. `acs:RequestTag/…` for CreateScalingGroup), or use a negated operator whose absence denies."),
  rule("deny-never-matches", "SecurityWarning", "security", "A Deny statement can never match.",
    "Its condition keys are absent for all of its operations, its conditions contradict each other, or none of its resources can name a scaling group: the guardrail protects nothing.",
    "Correct the condition or resources so that the Deny can fire."),
  rule("allow-never-matches", "Error", "security", "An Allow statement can never match.",
    "Its condition keys are absent for all of its operations, its conditions contradict each other, or none of its resources can name a scaling group: the statement grants nothing.",
    "Correct the condition or resources, or remove the statement."),

  // ---- redundancy ----
  rule("statement-duplicate", "Suggestion", "redundancy", "Two statements are identical.",
    "The second adds nothing and makes reviews longer.",
    "`--fix` removes the later copy.",
    { autofix: true }),
  rule("statement-covered", "Suggestion", "redundancy", "A statement is fully covered by another statement of the same effect.",
    "Its actions, resources and conditions are included in the other's, so it never changes a decision. Often the broader statement is the mistake.",
    "Remove the narrower statement, or narrow the broader one if that was the intent."),
  rule("value-duplicate", "Suggestion", "redundancy", "An Action, Resource or condition value list repeats a value.",
    "Repeated values change nothing (actions compare case-insensitively).",
    "`--fix` removes the later repetition.",
    { autofix: true }),
  rule("element-empty", "Suggestion", "redundancy", "An empty Resource array or Condition object.",
    "An empty Resource array matches no resource, so the statement has no effect; an empty Condition adds nothing.",
    "Fill the array or remove the statement. `--fix` removes an empty Condition.",
    { autofix: true }),
  rule("unbound-allowance-missing", "Suggestion", "redundancy", "A tag- or ARN-restricted `ess:*` Allow lacks the allowance for the APIs that support neither.",
    "DescribeRegions and the scheduled and alarm task APIs (when the task is bound to no group) are authorized on `*` without tags (Alibaba's tag-based authentication guide; docs/scenarios.md), so a policy restricted by tag or ARN denies them unless it allows them on `*` separately.",
    "Add `{\"Effect\": \"Allow\", \"Action\": [the listed actions], \"Resource\": \"*\"}`."),
];

/**
 * Rules about the lint configuration rather than a policy, reported at the suppression or baseline entry. Kept
 * out of RULES (and of the generated rules page): they have no policy example. The README documents them.
 */
export const CONFIG_RULES: readonly RuleMeta[] = [
  rule("suppression-unused", "Warning", "configuration", "A suppression of the configuration matched no finding in a file it names.",
    "The finding it accepted is gone (fixed, or moved to another pointer); left in place it would hide a new finding there without anyone deciding so.",
    "Remove the suppression, or correct its file, path or rule."),
  rule("baseline-unused", "Warning", "configuration", "A baseline entry matched no finding in a file it names.",
    "The finding it recorded is gone; left in place it would let a new finding with the same rule, pointer and fingerprint pass unnoticed.",
    "Write the baseline again with `--write-baseline`."),
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** Rule metadata for ids the registry must know; an unknown id is a programming error. */
export function ruleMeta(id: string): RuleMeta {
  const meta = byId.get(id);
  if (!meta) throw new Error(`unregistered lint rule "${id}"`);
  return meta;
}
