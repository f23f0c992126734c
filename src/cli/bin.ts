#!/usr/bin/env node
// The package's bin. It runs the CLI unconditionally: deciding "am I the entry point?" from import.meta.url
// and process.argv broke under paths with spaces or non-ASCII characters (URL-encoded in one, not the other)
// and under npm's bin links, and then every command printed nothing and exited 0.
import { runCli } from "./main.js";

process.exitCode = await runCli(process.argv.slice(2));
