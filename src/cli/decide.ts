import type { Policy } from "../policy/ast.js";
import { decideRequestFile, type RequestFile } from "../ess/decide.js";
import { StoreError } from "../ess/store.js";
import { EssRequestError, type EssDecision } from "../ess/types.js";
import { InputError } from "./io.js";

export { visibleGroups } from "../ess/decide.js";

/** decideRequestFile, with a bad store or request reported as input the user must fix (exit 2). */
export async function decideRequest(policies: readonly Policy[], file: RequestFile, trace: boolean): Promise<EssDecision> {
  try {
    return await decideRequestFile(policies, file, trace);
  } catch (e) {
    if (e instanceof StoreError) throw new InputError(`store: ${e.message}`);
    if (e instanceof EssRequestError) throw new InputError(`${e.code}: ${e.message}`);
    throw e;
  }
}
