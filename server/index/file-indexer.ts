// What one C file holds: function definitions, call sites with the use of the returned value,
// ops-struct bindings, function references, macro wrappers and exports. Pure and synchronous,
// one tree walk per file; never throws (a broken file gives a partial index with `problem` set).
import { createHash } from 'node:crypto';
import type { Parser, Tree, TreeCursor } from 'web-tree-sitter';
import type { CallSite, FileIndex, FunctionRef, OpsBinding } from '../model';
import { callsInMacroBody, declaredName, definedName, parameterNames, wrappedCall } from './extract-defs';
import { maskKernelMacros, type SyscallHeader } from './extract-mask';
import { armOf, FIELDLESS_PARENTS, functionValue, grammarTables, receiverOf, stripPointer, type FrameArms, type GrammarTables } from './extract-syntax';
import type { SyntaxNode } from './parser';
import { contextOf, frameOperator, guardsOf, knownType, leaves, nodeOf, stripValue, textOf, typeOf, type Branch, type Frame, type UseContext } from './use-context';
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
const leafTables = new WeakMap<GrammarTables, Uint8Array>();

/** 1 for the ids of LEAVES, by node type id. */
function leafIds(grammar: GrammarTables): Uint8Array {
  let t = leafTables.get(grammar);
  if (!t) {
    t = new Uint8Array(grammar.types.length);
    grammar.types.forEach((type, id) => { if (LEAVES.has(type)) t![id] = 1; });
    leafTables.set(grammar, t);
  }
  return t;
}

/** Node types whose insides the indexer or use-context.ts looks at: only these get a node object. */
const NODE_TYPES = new Set([
  'function_definition', 'declaration', 'init_declarator', 'assignment_expression', 'call_expression', 'if_statement',
  'initializer_pair', 'goto_statement', 'labeled_statement', 'preproc_function_def', 'cast_expression',
  'conditional_expression', 'unary_expression', 'pointer_expression', 'binary_expression',
  'switch_statement', 'compound_literal_expression',
]);
/** Containers skipped when they hold nothing of interest (see `holdsNothing`). */
const PRUNABLE = new Set(['initializer_list', 'field_declaration_list', 'enumerator_list']);
/** Comments, strings and character literals. */
const NOT_CODE = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*'/g;
/** C preprocessing numbers: `12`, `0x1fUL`, `1.5e-3f`, `.5`. */
const PP_NUMBER = /(?<![\w$])\.?\d(?:[eEpP][+-]|[\w.])*/g;
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
  /** Frame objects to reuse, by depth. */
  private readonly spare: FrameArms[] = [];
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
    const leaf = leafIds(grammar);
    for (;;) {
      const id = cursor.nodeTypeId;
      // ERROR (id 65535) is outside the tables.
      const known = id < grammar.types.length;
      const named = known ? grammar.named[id] : cursor.nodeIsNamed;
      const type = known ? grammar.types[id] : cursor.nodeType;
      if (named) {
        if (known && leaf[id] === 1) {
          // Nothing reads a leaf's frame: count it among its parent's named children, no more.
          const parent = this.frames[this.frames.length - 1];
          if (parent) parent.named++;
        } else if (this.enter(cursor, type, this.fieldOf(cursor, grammar)) && cursor.gotoFirstChild()) {
          continue;
        } else {
          this.leave();
        }
      }
      for (;;) {
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) { cursor.delete(); return; }
        this.leave();
      }
    }
  }

  /** The field the cursor's node sits under, not asked when its parent has no fields. */
  private fieldOf(cursor: TreeCursor, grammar: GrammarTables): string | null {
    const parent = this.frames[this.frames.length - 1];
    if (parent && FIELDLESS_PARENTS.has(parent.type)) return null;
    return grammar.fields[cursor.currentFieldId] ?? null;
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
        const op = frameOperator(parent);
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
    const depth = this.frames.length;
    const parent = depth > 0 ? this.frames[depth - 1] : undefined;
    const chain = this.chainFor(parent, field, type);
    // Frame objects are reused by depth (nothing keeps a frame once it is left): a walk makes
    // one per named node, and allocating them cost more than the work done with them.
    let frame = this.spare[depth];
    if (!frame) this.spare[depth] = frame = { node: null, type, field, index: 0, named: 0, chain, def: undefined, op: undefined, callee: undefined, arms: undefined };
    frame.node = NODE_TYPES.has(type) ? knownType(cursor.currentNode, type) : null;
    frame.type = type;
    frame.field = field;
    frame.index = parent ? parent.named++ : 0;
    frame.named = 0;
    frame.chain = chain;
    frame.def = undefined;
    frame.op = undefined;
    frame.callee = undefined;
    frame.arms = undefined;
    this.frames.push(frame);
    if (type === 'identifier') { this.identifier(frame, cursor); return false; }
    if (PRUNABLE.has(type)) return !this.holdsNothing(cursor, type);
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
        if (label) this.flow?.jump(textOf(label), node.startIndex);
        return false;
      }
      case 'labeled_statement': {
        const label = node.childForFieldName('label');
        if (label) this.flow?.label(textOf(label), node.startIndex, frame.chain);
        return true;
      }
      case 'preproc_function_def': this.macro(node); return false;
      default: return true;
    }
  }

  /**
   * Whether a table (`{ 0x1f, 2, 3 }`), a struct's members or an enum's values outside any body
   * can hold nothing the index records: no identifier at all in a table (so no call, binding,
   * reference or read), no call and no preprocessor line in members or enumerators. Skipping
   * them saves a cursor step per token, and generated tables are long. A subtree with a syntax
   * error is always walked, so that `problem` names the same lines.
   */
  private holdsNothing(cursor: TreeCursor, type: string): boolean {
    if (type !== 'initializer_list' && this.flow) return false; // array sizes may read locals
    const body = this.masked.slice(cursor.startIndex, cursor.endIndex).replace(NOT_CODE, ' ');
    if (type === 'initializer_list' ? /[A-Za-z_$#\\\u0080-\uffff]/.test(body.replace(PP_NUMBER, ' ')) : /[(#]/.test(body)) return false;
    return !cursor.currentNode.hasError;
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
    const isStatic = node.children.some((c) => typeOf(c) === 'storage_class_specifier' && textOf(c) === 'static');
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
    const op = textOf(node.childForFieldName('operator')) ?? '=';
    const left = stripValue(node.childForFieldName('left'));
    const right = node.childForFieldName('right');
    if (left && typeOf(left) === 'identifier' && this.flow?.locals.has(textOf(left))) {
      frame.def = this.flow.def(textOf(left), node.endIndex, frame.chain, op === '=');
    }
    if (op !== '=') return;
    if (left && typeOf(left) === 'field_expression') {
      const fn = functionValue(right);
      const fieldName = textOf(left.childForFieldName('field'));
      const base = stripValue(left.childForFieldName('argument'));
      if (fn && fieldName && !this.isLocal(textOf(fn.node))) {
        this.bindings.push({
          file: this.file, line: fn.node.startPosition.row + 1, field: `.${fieldName}`, function: textOf(fn.node), byAddress: fn.byAddress,
          // In a function, an assignment sits in no table (''); one tree-sitter makes of an
          // initialiser line under #ifdef sits in its declaration's.
          ...(typeOf(base) === 'identifier' ? { owner: textOf(base) } : {}), ownerType: this.ownerType(),
        });
      }
    } else {
      this.valueRef(right, null);
    }
  }

  /** A bare function name used as a value (checked against the file's functions at the end). */
  private valueRef(value: SyntaxNode | null, argumentOf: string | null): void {
    const fn = functionValue(value);
    if (!fn || this.isLocal(textOf(fn.node))) return;
    this.refs.push({
      file: this.file, line: fn.node.startPosition.row + 1, function: textOf(fn.node), inFunction: this.fnName,
      ...(argumentOf ? { argumentOf } : {}),
    });
  }

  private call(frame: Frame): void {
    const node = nodeOf(frame);
    const fn = node.childForFieldName('function');
    if (!fn) return;
    let callee: string | null = null;
    let via: string | null = null;
    let receiver: string | undefined;
    let at: SyntaxNode = fn;
    const target = stripPointer(fn);
    if (target && typeOf(target) === 'identifier') {
      const name = textOf(target);
      at = target;
      // `(u64)(x)` parses as a call through `(u64)`: without a `*` it is taken for a cast.
      if (target !== fn && !/\*/.test(textOf(fn))) return;
      callee = this.isLocal(name) || target !== fn ? `*${name}` : name;
    } else if (target && typeOf(target) === 'field_expression') {
      const f = target.childForFieldName('field');
      if (f) { callee = via = `.${f.text}`; at = f; receiver = receiverOf(target); }
    }
    const args = node.childForFieldName('arguments');
    if (callee && !this.flow && /^EXPORT_(?:UNUSED_)?SYMBOL/.test(callee)) {
      const exported = args?.namedChild(0);
      if (exported && typeOf(exported) === 'identifier') this.out.exports.push(textOf(exported));
      return;
    }
    for (const a of args?.namedChildren ?? []) if (a) this.valueRef(a, callee);
    if (!callee) return;
    if (!via && !callee.startsWith('*')) this.functionNames.add(callee);
    const site: CallSite = {
      file: this.file, caller: this.fnName, callee, line: at.startPosition.row + 1, column: at.startPosition.column + 1,
      use: 'unknown', uses: [], via, ...(receiver !== undefined ? { receiver } : {}),
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
    // The tree's text is the masked one: slicing it costs no call into WASM for the point.
    const start = cursor.startIndex;
    const name = this.masked.slice(start, cursor.endIndex);
    if (!flow.locals.has(name)) return;
    if (frame.field === 'declarator' || frame.field === 'name') return;
    if (parent?.type === 'assignment_expression' && frame.field === 'left') return;
    if (this.isCalleeOf(this.frames.length - 1)) return; // `(*fn)(x)`: a call through the local
    flow.read(name, start, contextOf(this.frames, this.frames.length - 1, this.isLocal));
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
    const fieldName = designator && typeOf(designator) === 'field_designator' ? textOf(designator.namedChild(0)) : undefined;
    const fn = functionValue(node.childForFieldName('value'));
    if (!fieldName || !fn) return;
    this.bindings.push({
      file: this.file, line: fn.node.startPosition.row + 1, field: `.${fieldName}`, function: textOf(fn.node), byAddress: fn.byAddress,
      ...(this.ownerOf() ? { owner: this.ownerOf() } : {}), ownerType: this.ownerType(),
    });
  }

  /** The struct type of the declaration an initialiser list sits in (`file_operations`), or ''. */
  private ownerType(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.type === 'declaration' || f.type === 'compound_literal_expression') {
        const type = nodeOf(f).childForFieldName('type');
        return type && typeOf(type) === 'struct_specifier' ? textOf(type.childForFieldName('name')) ?? '' : '';
      }
    }
    return '';
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
    const name = textOf(node.childForFieldName('name'));
    const value = node.childForFieldName('value');
    if (!name || !value) return;
    const line = node.startPosition.row + 1;
    const callee = wrappedCall(textOf(value));
    if (callee && callee !== name) {
      this.out.macros.push({ file: this.file, line, name, callee });
      return;
    }
    const params = new Set((node.childForFieldName('parameters')?.namedChildren ?? []).map((p) => textOf(p) ?? ''));
    const body = textOf(value);
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
