import yaml from 'js-yaml';
import type { Problem } from './problem.ts';

/** YAML text to a plain value; a syntax error becomes a Problem with its line number (1-based). */
export function parseYaml(text: string, file: string): { value: unknown } | { problem: Problem } {
  try {
    // JSON_SCHEMA-compatible core types only: no custom tags, no merge surprises from untrusted input
    return { value: yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA }) };
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      const line = e.mark ? e.mark.line + 1 : undefined;
      return { problem: { file, field: '', line, message: `YAML syntax error: ${e.reason}` } };
    }
    throw e;
  }
}
