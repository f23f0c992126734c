/**
 * ess-authz: parse, evaluate, explain and lint Alibaba Cloud RAM policies for the Auto Scaling (ESS) API.
 * The core (policy → match → conditions → evaluate) knows nothing of HTTP, SQL or the files it is given.
 */
export type { Policy, PolicyKind, Statement, Condition, Effect } from "./policy/ast.js";
export type { Finding, Severity, Span } from "./policy/findings.js";
export { SEVERITY_RANK, hasErrors } from "./policy/findings.js";
export { parsePolicy, policyFromValue, loadPolicy, PolicyError, SIZE_LIMITS } from "./policy/parse.js";
export type { ParseOptions, ParseResult } from "./policy/parse.js";
export { POLICY_SCHEMA_URL } from "./policy/schema.js";
export { compileGlob, globMatch } from "./match/glob.js";
export type { Glob } from "./match/glob.js";
export { OPERATORS, OPERATOR_NAMES, QUALIFIED_OPERATOR_NAMES, SET_QUALIFIERS, isOperatorName, parseOperator } from "./conditions/operators.js";
export type { OperatorName, OperatorSpec, QualifiedOperatorName, SetQualifier } from "./conditions/operators.js";
export { makeContext } from "./evaluate/context.js";
export type { RequestContext, ContextInput } from "./evaluate/context.js";
export { evaluate } from "./evaluate/evaluate.js";
export { compile, PolicySet } from "./evaluate/compile.js";
export type { EvaluateOptions } from "./evaluate/evaluate.js";
export type * from "./evaluate/decision.js";
export { explainDecision, closestAllow, shortfalls, describeCondition } from "./evaluate/explain.js";
export * from "./lint/index.js";
export * from "./ess/index.js";
export { diffPolicies } from "./diff/index.js";
export { findNewAccess, findAccessGranted } from "./analysis/analyze.js";
export type { AnalysisResult, AnalysisOptions, AccessQuestion, Witness } from "./analysis/analyze.js";
export { residual, groupArnPrefix } from "./residual/residual.js";
export type { Knowns, ListResidual, Residual, ResidualRow, Atom } from "./residual/residual.js";
export { toSql } from "./residual/sql.js";
export type { Dialect, SqlSchema, SqlOptions, SqlFilter } from "./residual/sql.js";
export { resourceTagKey } from "./evaluate/context.js";
