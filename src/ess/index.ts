export * from "./types.js";
export { OPERATIONS, getOperation, allRamActions, canonicalAction, operationsMatching } from "./catalog.js";
export { buildPlan, type PlanDeps } from "./request.js";
export { authorizePlan } from "./authorize.js";
export { storeFromJson, StoreError, type MemoryStore } from "./store.js";
export { decideRequestFile, visibleGroups, type RequestFile } from "./decide.js";
