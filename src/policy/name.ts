import { basename } from "node:path";

/** A policy's name in decisions: its file name without `.json`. */
export const policyName = (path: string): string => basename(path).replace(/\.json$/i, "");
