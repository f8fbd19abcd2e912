import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Node, Project, SyntaxKind, ts, type ArrayLiteralExpression, type SourceFile } from 'ts-morph';
import { UserError } from '../../core/errors.js';
import type { OverlayDefinition } from '../../settings/schema/overlay-entry.js';

/** The registry, relative to the repository root. */
export const REGISTRY_PATH = 'settings/overlays.ts';
const EXPORT_NAME = 'overlays';

/**
 * The registry is declarative data: the CLI reads it through the TypeScript AST instead of importing
 * it, so a registry that does not parse is reported with file and line and never crashes the CLI,
 * and reading it never runs code. `tsc` still type-checks it against OverlayDefinition.
 */
function parse(text: string, file: string): SourceFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  const source = project.createSourceFile('overlays.ts', text);
  // Syntax errors only (no type check, no Program, no emit): the parser's own diagnostics, which
  // every TypeScript SourceFile keeps. transpileModule found the same but also emitted JavaScript,
  // most of the time new-overlay spent on a large registry.
  const diagnostics = (source.compilerNode as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length > 0) {
    const first = diagnostics[0];
    const { line, character } = source.compilerNode.getLineAndCharacterOfPosition(first.start ?? 0);
    const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
    throw new UserError(
      `${file}:${line + 1}:${character + 1}: the overlay registry does not parse: ${message}. Fix the file (git diff ${file} shows your change) and run the command again.`,
    );
  }
  return source;
}

function overlaysArray(source: SourceFile, file: string): ArrayLiteralExpression {
  const declaration = source.getVariableDeclaration(EXPORT_NAME);
  if (!declaration)
    throw new UserError(`${file}: no \`export const ${EXPORT_NAME}: OverlayDefinition[] = [...]\`; the registry must declare it.`);
  let init = declaration.getInitializer();
  while (init && (Node.isAsExpression(init) || Node.isSatisfiesExpression(init) || Node.isParenthesizedExpression(init)))
    init = init.getExpression();
  if (!init || !Node.isArrayLiteralExpression(init)) {
    throw new UserError(`${file}:${declaration.getStartLineNumber()}: \`${EXPORT_NAME}\` must be an array literal of overlay entries.`);
  }
  return init;
}

function literal(node: Node, file: string): unknown {
  while (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node)) node = node.getExpression();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (Node.isPrefixUnaryExpression(node) && node.getOperatorToken() === SyntaxKind.MinusToken)
    return -(literal(node.getOperand(), file) as number);
  if (Node.isArrayLiteralExpression(node)) return node.getElements().map((element) => literal(element, file));
  if (Node.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {};
    for (const property of node.getProperties()) {
      if (!Node.isPropertyAssignment(property)) {
        throw new UserError(
          `${file}:${property.getStartLineNumber()}: only plain \`key: value\` entries are allowed in the registry, not '${property.getText().slice(0, 40)}'.`,
        );
      }
      const nameNode = property.getNameNode();
      const key = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
      out[key] = literal(property.getInitializerOrThrow(), file);
    }
    return out;
  }
  throw new UserError(
    `${file}:${node.getStartLineNumber()}: '${node.getText().slice(0, 40)}' is not a literal; the registry holds data only (strings, numbers, booleans, arrays, objects).`,
  );
}

/** The whitespace that starts the line holding `position`. */
function indentation(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** The overlay entries of the registry text; `file` is only for messages. */
export function parseRegistry(text: string, file = REGISTRY_PATH): OverlayDefinition[] {
  const array = overlaysArray(parse(text, file), file);
  const entries = array.getElements().map((element) => literal(element, file) as OverlayDefinition);
  const seen = new Set<string>();
  for (const entry of entries) {
    if (typeof entry?.name !== 'string') throw new UserError(`${file}: every overlay entry needs a string \`name\`.`);
    if (seen.has(entry.name))
      throw new UserError(`${file}: overlay '${entry.name}' is declared twice; names are folder names and must be unique.`);
    seen.add(entry.name);
  }
  return entries;
}

/** The registry below `root`; no registry file means no overlays. */
export function readRegistry(root: string): OverlayDefinition[] {
  const path = join(root, REGISTRY_PATH);
  if (!existsSync(path)) return [];
  return parseRegistry(readFileSync(path, 'utf8'));
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** An object literal in the registry's style: two-space indents, single quotes, trailing commas. */
export function formatEntry(value: unknown, indent = '  '): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatEntry(item, indent)).join(', ')}]`;
  const inner = `${indent}  `;
  const lines = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)}: ${formatEntry(v, inner)},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/**
 * The registry text with `entry` added (or, with `replace`, put in place of the entry of the same
 * name), edited through the AST so that every other line, comment and blank line stays as it was.
 */
export function addRegistryEntry(
  text: string,
  entry: OverlayDefinition,
  options: { replace?: boolean; comment?: string } = {},
  file = REGISTRY_PATH,
): string {
  const source = parse(text, file);
  const array = overlaysArray(source, file);
  const existing = array.getElements().findIndex((element) => {
    const value = literal(element, file) as { name?: string };
    return value.name === entry.name;
  });
  const elements = array.getElements();
  if (existing >= 0) {
    if (!options.replace) throw new UserError(`${file}: overlay '${entry.name}' already exists; pass --force to replace it.`);
    const element = elements[existing];
    source.replaceText([element.getStart(), element.getEnd()], formatEntry(entry, indentation(text, element.getStart())));
    return source.getFullText();
  }
  // Inserted as text at an AST position (after the last entry and its comma) rather than through
  // addElement, whose printer re-indents: this way every existing byte stays where it was.
  const last = elements[elements.length - 1];
  const indent = last ? indentation(text, last.getStart()) : '  ';
  const comment = options.comment ? `${indent}// ${options.comment}\n` : '';
  const block = `${comment}${indent}${formatEntry(entry, indent)},`;
  if (last) {
    const comma = last.getNextSiblingIfKind(SyntaxKind.CommaToken);
    source.insertText(comma ? comma.getEnd() : last.getEnd(), `${comma ? '' : ','}\n${block}`);
  } else {
    source.insertText(array.getStart() + 1, `\n${block}\n`);
  }
  return source.getFullText();
}

/**
 * The registry text without the entry named `name`: the entry, the comment lines above it and its
 * comma go, every other byte stays. It cuts from the end of the previous entry's comma (or the
 * array's `[`) to the end of this entry's comma, exactly what addRegistryEntry inserts, so adding
 * and then removing an overlay gives back the original bytes.
 */
export function removeRegistryEntry(text: string, name: string, file = REGISTRY_PATH): string {
  const source = parse(text, file);
  const array = overlaysArray(source, file);
  const elements = array.getElements();
  const index = elements.findIndex((element) => (literal(element, file) as { name?: string }).name === name);
  if (index < 0) throw new UserError(`${file}: no overlay '${name}' in the registry.`);
  const element = elements[index];
  // The only entry: the array becomes empty, as addRegistryEntry found it.
  if (elements.length === 1) {
    source.replaceText([array.getStart() + 1, array.getEnd() - 1], '');
    return source.getFullText();
  }
  const previous = elements[index - 1];
  const start = previous ? (previous.getNextSiblingIfKind(SyntaxKind.CommaToken)?.getEnd() ?? previous.getEnd()) : array.getStart() + 1;
  const comma = element.getNextSiblingIfKind(SyntaxKind.CommaToken);
  // The last entry without a trailing comma: take the previous entry's comma instead, so the array stays valid.
  const from = !comma && previous ? previous.getEnd() : start;
  source.replaceText([from, comma ? comma.getEnd() : element.getEnd()], '');
  return source.getFullText();
}
