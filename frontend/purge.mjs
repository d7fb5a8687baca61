// Purge a stylesheet with PurgeCSS, for `python -m service.assets` (service/assets/purge.py).
// Reads one JSON object on stdin: {css: [paths], content: [globs], safelist: {standard, deep,
// greedy: [regex source strings]}}; writes the purged CSS to stdout. No network, no state.
import { readFileSync } from "node:fs";
import { PurgeCSS } from "purgecss";

const options = JSON.parse(readFileSync(0, "utf8"));
const patterns = (sources) => (sources ?? []).map((source) => new RegExp(source));
const results = await new PurgeCSS().purge({
  css: options.css,
  content: options.content,
  fontFace: true,
  keyframes: true,
  variables: true,
  safelist: {
    standard: patterns(options.safelist?.standard),
    deep: patterns(options.safelist?.deep),
    greedy: patterns(options.safelist?.greedy),
    variables: patterns(options.safelist?.variables),
  },
});
process.stdout.write(results.map((result) => result.css).join("\n"));
