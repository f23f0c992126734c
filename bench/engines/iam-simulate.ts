/**
 * `@cloud-copilot/iam-simulate` (AGPL; used only as a measured peer): `runUnsafeSimulation` with the workload
 * as AWS IAM JSON. `acs:` ARNs become `arn:aws:` ARNs, `acs:RequestTag`/`acs:ResourceTag` become
 * `aws:RequestTag`/`aws:ResourceTag`. RAM's literal `*` resource (operations on all resources) must be matched
 * only by a `*` pattern, which an AWS request resource of `*` is not: it becomes an ARN no other pattern of the
 * workload can match. The simulator has no compile step: it loads the policies on every call.
 */
import { runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT, type Workload } from "../workload.js";
import { installedVersion, type Engine, type PreparedEngine, type Verdict } from "./engine.js";
import { portable, tagRecord } from "./portable.js";

const ALL_RESOURCES = "arn:aws:ess:::all-resources";
const awsArn = (arn: string): string => (arn === "*" ? "*" : arn.replace(/^acs:/, "arn:aws:"));
const awsContext = (family: "RequestTag" | "ResourceTag", tags: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:${family}/${k}`, v]));

const version = installedVersion("@cloud-copilot/iam-simulate");
const DECISIONS: Record<string, Verdict["decision"]> = { Allowed: "Allow", ExplicitlyDenied: "ExplicitDeny", ImplicitlyDenied: "ImplicitDeny" };

export const iamSimulate: Engine = {
  name: "iam-simulate",
  package: `@cloud-copilot/iam-simulate ${version}`,
  prepare(w: Workload): PreparedEngine {
    const byPolicy = new Map<string, unknown[]>();
    for (const s of portable(w.policies)) {
      const condition: Record<string, Record<string, readonly string[]>> = {};
      for (const c of s.conditions) (condition[c.operator] ??= {})[`aws:${c.family}/${c.tag}`] = c.values;
      const statement = {
        Effect: s.effect,
        [s.actionKind]: s.patterns,
        Resource: s.resources.map(awsArn),
        ...(s.conditions.length > 0 ? { Condition: condition } : {}),
      };
      byPolicy.set(s.policy, [...(byPolicy.get(s.policy) ?? []), statement]);
    }
    const identityPolicies = [...byPolicy].map(([name, statements]) => ({ name, policy: { Version: "2012-10-17", Statement: statements } }));
    const simulations: Simulation[] = w.requests.map((r) => ({
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:user/bench`,
        action: r.action,
        resource: { resource: r.resource === "*" ? ALL_RESOURCES : awsArn(r.resource), accountId: ACCOUNT },
        contextVariables: { ...awsContext("RequestTag", tagRecord(r.requestTags)), ...awsContext("ResourceTag", tagRecord(r.resourceTags)) },
      },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }));
    return {
      decide: (i) => runUnsafeSimulation(simulations[i]!, {}),
      verdict: (answer) => {
        const decision = DECISIONS[String(answer)];
        if (!decision) throw new Error(`iam-simulate: unexpected answer ${JSON.stringify(answer)}`);
        return { decision };
      },
    };
  },
};
