/**
 * Plain words (issue 16): the text the app shows — JSX text and the strings in its pages, components
 * and services — names no protocol or primitive. Technical names may appear only inside a `<details>`
 * disclosure (and in code: identifiers, comments and test ids are not text anyone reads). The e2e
 * check of what each page really renders is `e2e/helpers/pageChecks.ts` (`e2e/every-page.spec.ts`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { JARGON } from '../helpers/jargon.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

type Node = { type?: string; start: number; [k: string]: unknown };

/** Attribute values that are code, not words: test ids, classes, keys, links, input types. */
const CODE_ATTRIBUTES = new Set(['className', 'data-testid', 'key', 'href', 'type', 'name', 'id', 'rel', 'target', 'inputMode', 'autoComplete', 'htmlFor']);

/** Every piece of human text in a file outside `<details>`, with its line. */
function visibleStrings(file: string): { line: number; text: string }[] {
  const source = readFileSync(file, 'utf8');
  const { program, errors } = parseSync(file, source);
  expect(errors, file).toEqual([]);
  const out: { line: number; text: string }[] = [];
  const lineOf = (at: number) => source.slice(0, at).split('\n').length;
  const walk = (n: unknown, skip: boolean): void => {
    if (Array.isArray(n)) return n.forEach((c) => walk(c, skip));
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'TSLiteralType' || node.type === 'TSImportType') return;
    if (node.type === 'JSXElement') {
      const name = (node.openingElement as { name: { name?: string } }).name.name;
      if (name === 'details') return;
    }
    if (node.type === 'JSXAttribute' && CODE_ATTRIBUTES.has(String((node.name as { name?: string }).name))) return;
    // A member access or object key like `request.nonce` or `{ epoch: 1 }` is code.
    if (node.type === 'Property' && !node.computed) return walk(node.value, skip);
    let text: string | undefined;
    if (node.type === 'JSXText' || (node.type === 'Literal' && typeof node.value === 'string')) text = String(node.value);
    else if (node.type === 'TemplateElement') text = String((node.value as { cooked?: string }).cooked ?? '');
    // Only sentences: identifiers and kinds ('vault-user-operation', 'ecdsa-sign') are not read by people.
    if (text !== undefined && !skip && /\s/.test(text.trim()) && JARGON.test(text)) out.push({ line: lineOf(node.start), text: text.trim() });
    for (const [k, v] of Object.entries(node)) if (k !== 'type' && k !== 'start' && k !== 'end') walk(v, skip);
  };
  walk(program, false);
  return out;
}

describe('plain words in the app', () => {
  it('no protocol names in any text of src/app outside <details>', () => {
    const found = sources('src/app').flatMap((f) => visibleStrings(f).map((s) => `${f}:${s.line}: ${s.text.slice(0, 120)}`));
    expect(found).toEqual([]);
  });

  it('the check finds jargon in text and not in code or disclosures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-words-'));
    const files = [
      ['a.tsx', `export const A = () => <p>Signed with FROST now</p>;`, 1],
      ['b.tsx', `export const B = () => <details><summary>How</summary>FROST and the epoch</details>;`, 0],
      ['c.ts', `export const c = (r: { epoch: number; nonce: bigint }) => r.epoch + Number(r.nonce);`, 0],
      ['d.ts', `throw new Error(\`The nonce \${1} is used\`);`, 1],
    ] as const;
    for (const [name, code, expected] of files) {
      const path = join(dir, name);
      writeFileSync(path, code);
      expect(visibleStrings(path), name).toHaveLength(expected);
    }
    rmSync(dir, { recursive: true });
  });
});
