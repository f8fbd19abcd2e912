import { Node, Project, ts, type SourceFile, type StringLiteral, type NoSubstitutionTemplateLiteral } from 'ts-morph';
import { UserError } from '../../core/errors.js';
import { pinName } from './pin-name.js';

/** The pins, relative to the repository root. */
export const VERSIONS_PATH = 'settings/versions.ts';

/**
 * One pinned image of settings/versions.ts: an exported `<NAME>_IMAGE` that is either a literal
 * `'<repository>:<tag>'` or a template `` `<repository>:${<NAME>_VERSION}` `` over an exported
 * string constant. `upgrade` and the Renovate configuration both read the pins in these two forms.
 */
export interface Pin {
  /** The command-line name: THANOS_IMAGE -> thanos, KUBE_STATE_METRICS_IMAGE -> kube-state-metrics. */
  readonly name: string;
  /** The exported image constant, e.g. THANOS_IMAGE. */
  readonly imageConstant: string;
  /** The constant whose literal holds the tag: the version constant, or the image constant itself. */
  readonly tagConstant: string;
  /** The image without tag, e.g. quay.io/thanos/thanos. */
  readonly repository: string;
  readonly tag: string;
  /** `sha256:...` when the image is pinned by digest too. */
  readonly digest?: string;
  /** 1-based line of the literal that holds the tag. */
  readonly line: number;
}

type TextLiteral = StringLiteral | NoSubstitutionTemplateLiteral;

interface Located {
  readonly pin: Pin;
  /** The literal the tag is written in, and the text it holds. */
  readonly literal: TextLiteral;
}

function parse(text: string, file: string): SourceFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  const source = project.createSourceFile('versions.ts', text);
  const diagnostics = (source.compilerNode as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length > 0) {
    const first = diagnostics[0];
    const { line, character } = source.compilerNode.getLineAndCharacterOfPosition(first.start ?? 0);
    throw new UserError(
      `${file}:${line + 1}:${character + 1}: the pins do not parse: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}. Fix the file (git diff ${file} shows the change) and run the command again.`,
    );
  }
  return source;
}

function isTextLiteral(node: Node | undefined): node is TextLiteral {
  return !!node && (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node));
}

/** `repo:tag[@sha256:...]`, where the tag separator is the last colon after the last slash (a registry may carry a port). */
function splitImage(image: string): { repository: string; tag: string; digest?: string } | undefined {
  const [name, digest] = image.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon <= slash) return undefined;
  return { repository: name.slice(0, colon), tag: name.slice(colon + 1), ...(digest ? { digest } : {}) };
}

function locate(text: string, file: string): Located[] {
  const source = parse(text, file);
  const literals = new Map<string, TextLiteral>();
  for (const declaration of source.getVariableDeclarations()) {
    const init = declaration.getInitializer();
    if (declaration.getVariableStatement()?.isExported() && isTextLiteral(init)) literals.set(declaration.getName(), init);
  }
  const out: Located[] = [];
  for (const declaration of source.getVariableDeclarations()) {
    const imageConstant = declaration.getName();
    if (!imageConstant.endsWith('_IMAGE') || !declaration.getVariableStatement()?.isExported()) continue;
    const init = declaration.getInitializer();
    const where = `${file}:${declaration.getStartLineNumber()}`;
    if (isTextLiteral(init)) {
      const parts = splitImage(init.getLiteralValue());
      if (!parts)
        throw new UserError(`${where}: ${imageConstant} = '${init.getLiteralValue()}' has no tag; pin an exact tag such as ':v1.2.3'.`);
      out.push({
        pin: { name: pinName(imageConstant), imageConstant, tagConstant: imageConstant, ...parts, line: init.getStartLineNumber() },
        literal: init,
      });
      continue;
    }
    // `repo:${X_VERSION}`: one substitution, nothing after it, over an exported literal.
    const spans = init && Node.isTemplateExpression(init) ? init.getTemplateSpans() : [];
    const expression = spans[0]?.getExpression();
    if (
      !init ||
      !Node.isTemplateExpression(init) ||
      spans.length !== 1 ||
      !Node.isIdentifier(expression) ||
      spans[0].getLiteral().getLiteralText() !== '' ||
      !init.getHead().getLiteralText().endsWith(':')
    ) {
      throw new UserError(
        `${where}: ${imageConstant} must be a literal '<repository>:<tag>' or \`<repository>:\${<NAME>_VERSION}\` over an exported string constant, so that upgrade and Renovate can read and change it.`,
      );
    }
    const tagConstant = expression.getText();
    const literal = literals.get(tagConstant);
    if (!literal)
      throw new UserError(`${where}: ${imageConstant} reads ${tagConstant}, which is not an exported string literal in ${file}.`);
    const [tag, digest] = literal.getLiteralValue().split('@');
    out.push({
      pin: {
        name: pinName(imageConstant),
        imageConstant,
        tagConstant,
        repository: init.getHead().getLiteralText().slice(0, -1),
        tag,
        ...(digest ? { digest } : {}),
        line: literal.getStartLineNumber(),
      },
      literal,
    });
  }
  return out;
}

/** Every pin of the versions file text, in file order; `file` is only for messages. */
export function readPins(text: string, file = VERSIONS_PATH): Pin[] {
  return locate(text, file).map(({ pin }) => pin);
}

/**
 * The versions file text with each named pin at its new tag. Only the characters of the literal
 * that holds the tag change (its quotes kept), so comments, order and every other line stay as
 * they were and the diff is one line per pin.
 */
export function setPinTags(text: string, tags: Readonly<Record<string, string>>, file = VERSIONS_PATH): string {
  const located = locate(text, file);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [name, tag] of Object.entries(tags)) {
    const found = located.find(({ pin }) => pin.name === name);
    if (!found) throw new UserError(`${file}: no pin '${name}'; the pins are ${located.map(({ pin }) => pin.name).join(', ')}.`);
    const value = found.literal.getLiteralValue();
    const next = found.pin.tagConstant === found.pin.imageConstant ? `${found.pin.repository}:${tag}` : tag;
    if (value === next) continue;
    const quote = found.literal.getText()[0];
    edits.push({ start: found.literal.getStart(), end: found.literal.getEnd(), text: `${quote}${next}${quote}` });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}
