// What one C file holds: function definitions, call sites with the use of the returned value,
// ops-struct bindings, function references, macro wrappers and exports. Pure and synchronous,
// one tree walk per file; never throws (a broken file gives a partial index with `problem` set).
import { createHash } from 'node:crypto';
import type { Parser, Tree, TreeCursor } from 'web-tree-sitter';
import type { CallSite, FileIndex, FunctionRef, OpsBinding } from '../model';
import { callsInMacroBody, declaredName, definedName, parameterNames, wrappedCall } from './extract-defs';
import { maskKernelMacros, type SyscallHeader } from './extract-mask';
import { armOf, functionValue, grammarTables, stripPointer, type FrameArms, type GrammarTables } from './extract-syntax';
import type { SyntaxNode } from './parser';
import { contextOf, guardsOf, leaves, nodeOf, stripValue, type Branch, type Frame, type UseContext } from './use-context';
import { FunctionFlow } from './use-locals';
import { decidingUse, distinctUses } from './use-priority';

export interface IndexOptions {
  /** Files longer than this many characters are skipped (generated tables). Default 16 MiB. */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 16 * 1024 * 1024;

/** Nodes whose insides hold no calls, names or values we need. */
const LEAVES = new Set([
  'comment', 'string_literal', 'concatenated_string', 'char_literal', 'number_literal', 'primitive_type',
  'type_identifier', 'field_identifier', 'statement_identifier', 'preproc_arg', 'system_lib_string',
  'parameter_list', 'preproc_def', 'preproc_include', 'preproc_call', 'sized_type_specifier', 'escape_sequence',
  'attribute_specifier', 'attribute_declaration', 'gnu_asm_expression',
]);
/** Node types whose insides the indexer or use-context.ts looks at: only these get a node object. */
const NODE_TYPES = new Set([
  'function_definition', 'declaration', 'init_declarator', 'assignment_expression', 'call_expression', 'if_statement',
  'initializer_pair', 'goto_statement', 'labeled_statement', 'preproc_function_def', 'cast_expression',
  'conditional_expression', 'unary_expression', 'pointer_expression', 'binary_expression', 'argument_list',
  'switch_statement', 'compound_literal_expression',
]);
const PREPROC_ARMS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_else', 'preproc_elifdef']);
const LOOPS = new Set(['while_statement', 'for_statement', 'do_statement']);

interface PendingSite {
  site: CallSite;
  ctx: UseContext;
}

/** The file, indexed. `text` is the file's content as decoded (see tree.ts `decodeText`). */
export function indexFile(parser: Parser, file: string, text: string, options: IndexOptions = {}): FileIndex {
  const out: FileIndex = {
    file, hash: createHash('sha1').update(text).digest('hex'),
    functions: [], calls: [], bindings: [], refs: [], macros: [], exports: [],
  };
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > max) {
    out.problem = `skipped: ${(text.length / 1048576).toFixed(1)} MiB is over the ${(max / 1048576).toFixed(1)} MiB limit (IndexOptions.maxChars)`;
    return out;
  }
  let tree: Tree | null = null;
  const walker = new FileWalker(file, text, out);
  try {
    const masked = maskKernelMacros(text);
    walker.syscalls = masked.syscalls;
    walker.masked = masked.text;
    tree = parser.parse(masked.text);
    if (!tree || !parser.language) { out.problem = 'the parser gave no tree'; return out; }
    walker.walk(tree.walk(), grammarTables(parser.language));
  } catch (e) {
    out.problem = `indexing stopped early: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    tree?.delete();
  }
  try {
    walker.finish();
  } catch (e) {
    out.problem ??= `indexing stopped early: ${e instanceof Error ? e.message : String(e)}`;
  }
  return out;
}

class FileWalker {
  syscalls: SyscallHeader[] = [];
  masked = '';
  private readonly frames: FrameArms[] = [];
  private flow: FunctionFlow | null = null;
  private fnName: string | null = null;
  private fnFrame = -1;
  private sites: PendingSite[] = [];
  private readonly bindings: (OpsBinding & { byAddress: boolean })[] = [];
  private readonly refs: FunctionRef[] = [];
  /** Functions this file defines, declares or calls directly: what a bare name may refer to. */
  private readonly functionNames = new Set<string>();
  private readonly fileVars = new Set<string>();
  private readonly errorLines: number[] = [];
  private readonly isLocal = (name: string): boolean => this.flow?.locals.has(name) ?? false;

  constructor(private readonly file: string, private readonly text: string, private readonly out: FileIndex) {}

  walk(cursor: TreeCursor, grammar: GrammarTables): void {
    for (;;) {
      const id = cursor.nodeTypeId;
      // ERROR (id 65535) is outside the tables.
      const known = id < grammar.types.length;
      const named = known ? grammar.named[id] : cursor.nodeIsNamed;
      const type = known ? grammar.types[id] : cursor.nodeType;
      if (named && this.enter(cursor, type, grammar.fields[cursor.currentFieldId] ?? null) && cursor.gotoFirstChild()) continue;
      if (named) this.leave();
      for (;;) {
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) { cursor.delete(); return; }
        this.leave();
      }
    }
  }

  private chainFor(parent: FrameArms | undefined, field: string | null, type: string): Branch[] {
    if (!parent) return [];
    switch (parent.type) {
      case 'if_statement': return field === 'consequence' || field === 'alternative' ? armOf(parent, field) : parent.chain;
      case 'switch_statement': return field === 'body' ? armOf(parent, 'body') : parent.chain;
      case 'case_statement': return field === 'value' ? parent.chain : armOf(parent, 'case');
      case 'conditional_expression': return field === 'consequence' || field === 'alternative' ? armOf(parent, field) : parent.chain;
      case 'compound_statement': return type === 'compound_statement' ? [...parent.chain, {}] : parent.chain;
      case 'binary_expression': {
        if (field !== 'right') return parent.chain;
        const op = nodeOf(parent).childForFieldName('operator')?.text;
        return op === '&&' || op === '||' ? armOf(parent, 'right') : parent.chain;
      }
      default:
        if (LOOPS.has(parent.type)) return field === 'body' || field === 'update' ? armOf(parent, 'body') : parent.chain;
        if (PREPROC_ARMS.has(parent.type)) return field === 'condition' || field === 'name' ? parent.chain : armOf(parent, 'arm');
        return parent.chain;
    }
  }

  /** Visits a named node; says whether to go into its children. */
  private enter(cursor: TreeCursor, type: string, field: string | null): boolean {
    const parent = this.frames[this.frames.length - 1];
    const frame: FrameArms = {
      node: NODE_TYPES.has(type) ? cursor.currentNode : null, type, field, index: parent ? parent.named++ : 0, named: 0,
      chain: this.chainFor(parent, field, type),
    };
    this.frames.push(frame);
    if (LEAVES.has(type)) return false;
    if (type === 'identifier') { this.identifier(frame, cursor); return false; }
    if (type === 'ERROR') {
      if (this.errorLines.length < 5) this.errorLines.push(cursor.startPosition.row + 1);
      return true;
    }
    const node = frame.node;
    if (!node) return true;
    switch (type) {
      case 'function_definition': this.enterFunction(node); return true;
      case 'declaration': this.declare(node); return true;
      case 'init_declarator': this.initDeclarator(frame); return true;
      case 'assignment_expression': this.assignment(frame); return true;
      case 'call_expression': this.call(frame); return true;
      case 'if_statement': this.ifStatement(frame); return true;
      case 'initializer_pair': this.initializerPair(frame); return true;
      case 'goto_statement': {
        const label = node.childForFieldName('label');
        if (label) this.flow?.jump(label.text, node.startIndex);
        return false;
      }
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        if (label) this.flow?.label(label.text, node.startIndex, frame.chain);
        return true;
      }
      case 'preproc_function_def': this.macro(node); return false;
      default: return true;
    }
  }

  private leave(): void {
    const index = this.frames.length - 1;
    this.frames.pop();
    if (index === this.fnFrame) this.finishFunction();
  }

  private enterFunction(node: SyntaxNode): void {
    if (this.flow) return; // a definition inside a body is error recovery: stay in the outer one
    const syscall = this.syscalls.find((s) => s.start === node.startIndex);
    const name = syscall?.name ?? definedName(node);
    if (!name) return;
    const body = node.childForFieldName('body');
    // The signature as written, with the attributes masked before parsing (`asmlinkage`, `__init`).
    const lineStart = this.text.lastIndexOf('\n', node.startIndex - 1) + 1;
    const start = this.masked.slice(lineStart, node.startIndex).trim() === '' ? lineStart : node.startIndex;
    const head = syscall ? this.text.slice(syscall.start, syscall.end) : this.text.slice(start, body?.startIndex ?? node.endIndex);
    const isStatic = node.children.some((c) => c?.type === 'storage_class_specifier' && c.text === 'static');
    const sys = syscall?.syscall ?? (!isStatic ? /^(?:compat_)?sys_(\w+)$/.exec(name)?.[1] : undefined);
    this.out.functions.push({
      file: this.file, name, line: node.startPosition.row + 1, endLine: node.endPosition.row + 1,
      signature: head.replace(/\s+/g, ' ').trim(), isStatic, exported: false, ...(sys ? { syscall: sys } : {}),
    });
    this.functionNames.add(name);
    this.flow = new FunctionFlow();
    for (const p of parameterNames(node)) this.flow.locals.add(p);
    this.fnName = name;
    this.fnFrame = this.frames.length - 1;
    this.sites = [];
  }

  private finishFunction(): void {
    const flow = this.flow;
    if (flow) for (const { site, ctx } of this.sites) this.settle(site, ctx, flow);
    this.flow = null;
    this.fnName = null;
    this.fnFrame = -1;
    this.sites = [];
  }

  /** Fills a call site's uses from its context and, when it landed in a local, the local's reads. */
  private settle(site: CallSite, ctx: UseContext, flow: FunctionFlow | null): void {
    const all = [...ctx.uses];
    if (ctx.landing && flow) all.push(...flow.usesOf(ctx.landing));
    if (ctx.deref && all.length === 0) all.push('unknown');
    site.uses = distinctUses(all);
    site.use = decidingUse(site.uses);
    if (ctx.compared.length) site.comparedWith = [...new Set(ctx.compared)];
    if (site.use === 'compared' && flow && ctx.landing) {
      const codes = flow.comparedCodes(ctx.landing);
      if (codes.length) site.comparedWith = [...new Set([...(site.comparedWith ?? []), ...codes])];
    }
    if (ctx.landing) site.local = ctx.landing.name;
    this.out.calls.push(site);
  }

  private declare(node: SyntaxNode): void {
    for (const d of node.childrenForFieldName('declarator')) {
      const decl = declaredName(d);
      if (!decl) continue;
      if (this.flow) this.flow.locals.add(decl.name);
      else if (decl.isFunction) this.functionNames.add(decl.name);
      else this.fileVars.add(decl.name);
    }
  }

  private initDeclarator(frame: Frame): void {
    if (!this.flow) return;
    const node = nodeOf(frame);
    const decl = declaredName(node.childForFieldName('declarator'));
    if (decl && this.flow.locals.has(decl.name)) frame.def = this.flow.def(decl.name, node.endIndex, frame.chain, true);
    this.valueRef(node.childForFieldName('value'), null);
  }

  private assignment(frame: Frame): void {
    const node = nodeOf(frame);
    const op = node.childForFieldName('operator')?.text ?? '=';
    const left = stripValue(node.childForFieldName('left'));
    const right = node.childForFieldName('right');
    if (left?.type === 'identifier' && this.flow?.locals.has(left.text)) {
      frame.def = this.flow.def(left.text, node.endIndex, frame.chain, op === '=');
    }
    if (op !== '=') return;
    if (left?.type === 'field_expression') {
      const fn = functionValue(right);
      const fieldName = left.childForFieldName('field')?.text;
      const base = stripValue(left.childForFieldName('argument'));
      if (fn && fieldName && !this.isLocal(fn.node.text)) {
        this.bindings.push({
          file: this.file, line: fn.node.startPosition.row + 1, field: `.${fieldName}`, function: fn.node.text, byAddress: fn.byAddress,
          ...(base?.type === 'identifier' ? { owner: base.text } : {}),
        });
      }
    } else {
      this.valueRef(right, null);
    }
  }

  /** A bare function name used as a value (checked against the file's functions at the end). */
  private valueRef(value: SyntaxNode | null, argumentOf: string | null): void {
    const fn = functionValue(value);
    if (!fn || this.isLocal(fn.node.text)) return;
    this.refs.push({
      file: this.file, line: fn.node.startPosition.row + 1, function: fn.node.text, inFunction: this.fnName,
      ...(argumentOf ? { argumentOf } : {}),
    });
  }

  private call(frame: Frame): void {
    const node = nodeOf(frame);
    const fn = node.childForFieldName('function');
    if (!fn) return;
    let callee: string | null = null;
    let via: string | null = null;
    let at: SyntaxNode = fn;
    const target = stripPointer(fn);
    if (target?.type === 'identifier') {
      const name = target.text;
      at = target;
      // `(u64)(x)` parses as a call through `(u64)`: without a `*` it is taken for a cast.
      if (target !== fn && !/\*/.test(fn.text)) return;
      callee = this.isLocal(name) || target !== fn ? `*${name}` : name;
    } else if (target?.type === 'field_expression') {
      const f = target.childForFieldName('field');
      if (f) { callee = via = `.${f.text}`; at = f; }
    }
    const args = node.childForFieldName('arguments');
    if (callee && !this.flow && /^EXPORT_(?:UNUSED_)?SYMBOL/.test(callee)) {
      const exported = args?.namedChild(0);
      if (exported?.type === 'identifier') this.out.exports.push(exported.text);
      return;
    }
    for (const a of args?.namedChildren ?? []) if (a) this.valueRef(a, callee);
    if (!callee) return;
    if (!via && !callee.startsWith('*')) this.functionNames.add(callee);
    const site: CallSite = {
      file: this.file, caller: this.fnName, callee, line: at.startPosition.row + 1, column: at.startPosition.column + 1,
      use: 'unknown', uses: [], via,
    };
    const ctx = contextOf(this.frames, this.frames.length - 1, this.isLocal);
    if (this.flow) this.sites.push({ site, ctx });
    else this.settle(site, ctx, null);
  }

  private identifier(frame: Frame, cursor: TreeCursor): void {
    const flow = this.flow;
    const parent = this.frames[this.frames.length - 2];
    if (parent?.type === 'initializer_list') this.valueRef(cursor.currentNode, null);
    if (!flow) return;
    const name = cursor.nodeText;
    if (!flow.locals.has(name)) return;
    if (frame.field === 'declarator' || frame.field === 'name') return;
    if (parent?.type === 'assignment_expression' && frame.field === 'left') return;
    if (this.isCalleeOf(this.frames.length - 1)) return; // `(*fn)(x)`: a call through the local
    flow.read(name, cursor.startIndex, contextOf(this.frames, this.frames.length - 1, this.isLocal));
  }

  private isCalleeOf(k: number): boolean {
    for (let i = k; i > 0; i--) {
      const parent = this.frames[i - 1];
      if (parent.type === 'call_expression') return this.frames[i].field === 'function';
      if (parent.type !== 'parenthesized_expression' && parent.type !== 'pointer_expression') return false;
    }
    return false;
  }

  private ifStatement(frame: FrameArms): void {
    const node = nodeOf(frame);
    const guards = guardsOf(node.childForFieldName('condition'));
    if (guards.size === 0) return;
    const consequence: Branch = { errorVars: new Set() };
    const alternative: Branch = { errorVars: new Set() };
    for (const [name, error] of guards) (error ? consequence : alternative).errorVars!.add(name);
    frame.arms = { consequence, alternative };
    const flow = this.flow;
    if (!flow || !leaves(node.childForFieldName('consequence'))) return;
    // `if (ret) return ...;` / `if (ret < 0) goto out;`: past the if, the local holds no error.
    for (const [name, error] of guards) if (error && flow.locals.has(name)) flow.guard(name, node.endIndex, frame.chain);
  }

  private initializerPair(frame: Frame): void {
    const node = nodeOf(frame);
    const designator = node.childForFieldName('designator');
    const fieldName = designator?.type === 'field_designator' ? designator.namedChild(0)?.text : undefined;
    const fn = functionValue(node.childForFieldName('value'));
    if (!fieldName || !fn) return;
    this.bindings.push({
      file: this.file, line: fn.node.startPosition.row + 1, field: `.${fieldName}`, function: fn.node.text, byAddress: fn.byAddress,
      ...(this.ownerOf() ? { owner: this.ownerOf() } : {}),
    });
  }

  /** The variable (or else the struct type) an initialiser list belongs to. */
  private ownerOf(): string | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.type === 'init_declarator') return declaredName(nodeOf(f).childForFieldName('declarator'))?.name;
      if (f.type === 'declaration' || f.type === 'compound_literal_expression') {
        return nodeOf(f).childForFieldName('type')?.childForFieldName('name')?.text;
      }
    }
    return undefined;
  }

  private macro(node: SyntaxNode): void {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (!name || !value) return;
    const line = node.startPosition.row + 1;
    const callee = wrappedCall(value.text);
    if (callee && callee !== name) {
      this.out.macros.push({ file: this.file, line, name, callee });
      return;
    }
    const params = new Set((node.childForFieldName('parameters')?.namedChildren ?? []).map((p) => p?.text ?? ''));
    const body = value.text;
    for (const c of callsInMacroBody(body, params, name)) {
      const before = body.slice(0, c.offset);
      const nl = before.lastIndexOf('\n');
      const row = value.startPosition.row + (before.match(/\n/g)?.length ?? 0);
      const column = nl < 0 ? value.startPosition.column + c.offset : c.offset - nl - 1;
      this.out.calls.push({
        file: this.file, caller: null, callee: c.name, line: row + 1, column: column + 1, use: c.use, uses: [c.use], via: null,
      });
    }
  }

  /** Resolves what needs the whole file: exports, and which names are functions. */
  finish(): void {
    if (this.flow) this.finishFunction(); // a walk cut short inside a body
    const exports = new Set(this.out.exports);
    for (const f of this.out.functions) f.exported = exports.has(f.name);
    const isFunction = (name: string): boolean => this.functionNames.has(name) && !this.fileVars.has(name);
    const looksLikeFunction = (name: string): boolean => !/^[A-Z0-9_]+$/.test(name) && !this.fileVars.has(name) && name !== 'NULL';
    // `&name` is how structs are usually bound (`.a_ops = &ext3_aops`): only a known function counts.
    for (const { byAddress, ...b } of this.bindings) {
      if (isFunction(b.function) || (!byAddress && looksLikeFunction(b.function))) this.out.bindings.push(b);
    }
    this.out.refs.push(...this.refs.filter((r) => isFunction(r.function) && !r.argumentOf?.startsWith('EXPORT_')));
    if (this.errorLines.length && !this.out.problem) {
      this.out.problem = `syntax errors near line ${[...new Set(this.errorLines)].join(', ')}; indexed what parsed`;
    }
  }
}
