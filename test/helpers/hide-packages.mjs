// A module-resolution hook that makes the packages named in ESS_AUTHZ_HIDDEN_PACKAGES (comma-separated)
// unresolvable, as when they are not installed: `node --import ./hide-packages.mjs ...`.
import { register } from "node:module";

const hidden = (process.env["ESS_AUTHZ_HIDDEN_PACKAGES"] ?? "").split(",").filter(Boolean);

export async function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`), { code: "ERR_MODULE_NOT_FOUND" });
  }
  return next(specifier, context);
}

// Registers itself once, from the main thread; the hooks thread loads this file again and only uses `resolve`.
if (process.env["ESS_AUTHZ_HIDE_REGISTERED"] !== "1") {
  process.env["ESS_AUTHZ_HIDE_REGISTERED"] = "1";
  register(import.meta.url);
}
