import { listValue } from "../input.js";
import { CHILD_HANDLERS } from "./children.js";
import type { Handler } from "./context.js";
import { GROUP_HANDLERS } from "./groups.js";
import { TASK_HANDLERS } from "./tasks.js";

export type { Handler, OperationContext, Visibility } from "./context.js";

const describeRegions: Handler = async (ctx) => ({
  Regions: listValue(
    ctx.version,
    "Region",
    ctx.regions.map((r) => ({ RegionId: r, RegionEndpoint: `ess.${r}.aliyuncs.com`, LocalName: r, ClassicUnavailable: false, VpcUnavailable: false })),
  ),
});

/** The operations this service carries out; every other catalog operation is authorized, then `NotImplemented`. */
export const HANDLERS: ReadonlyMap<string, Handler> = new Map(
  Object.entries({
    ...GROUP_HANDLERS,
    ...CHILD_HANDLERS,
    ...TASK_HANDLERS,
    DescribeRegions: describeRegions,
    // Answers whether the caller may use ESS at all; authorization (as ess:DescribeRegions) already said yes.
    VerifyUser: async () => ({}),
  }),
);
