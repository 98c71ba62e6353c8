import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** What the installed official SDK knows of the Messages API, read from its type declarations. */
export interface SdkSurface {
  /** The SDK version the surface was read from (named in drift failures). */
  version: string;
  /** Top-level request body fields (`MessageCreateParamsBase`). */
  requestFields: string[];
  /** `role` values of `MessageParam`. */
  messageRoles: string[];
  /** `type` of every request content block (`ContentBlockParam`). */
  contentBlockParams: string[];
  /** `type` of every block a `tool_result` may hold (`ToolResultBlockParam.content`). */
  toolResultContent: string[];
  /** Body fields of a token count (`MessageCountTokensParams`). */
  countTokensFields: string[];
  /** `type` of every `thinking` config (`ThinkingConfigParam`). */
  thinkingTypes: string[];
  /** `type` of every `tool_choice` (`ToolChoice`). */
  toolChoiceTypes: string[];
  /** Fields of a custom tool definition (`Tool`). */
  toolFields: string[];
  /** `source.type` of an image block (`ImageBlockParam.source`). */
  imageSources: string[];
  /** `source.type` of a document block (`DocumentBlockParam.source`). */
  documentSources: string[];
  /** `type` of every tool definition (`ToolUnion`); the custom tool's is `custom`. */
  toolTypes: string[];
  /** `type` of every response content block (`ContentBlock`). */
  responseBlocks: string[];
  /** `StopReason` values. */
  stopReasons: string[];
  /** `type` of every stream event (`RawMessageStreamEvent`). */
  streamEvents: string[];
  /** `type` of every content block delta (`RawContentBlockDelta`). */
  deltaTypes: string[];
}

/** The GA and beta names of each union or interface the surface is read from. */
const declarationNames = {
  requestFields: ['MessageCreateParamsBase', 'MessageCreateParamsBase'],
  countTokensFields: ['MessageCountTokensParams', 'MessageCountTokensParams'],
  messageRoles: ['MessageParam', 'BetaMessageParam'],
  thinkingTypes: ['ThinkingConfigParam', 'BetaThinkingConfigParam'],
  toolChoiceTypes: ['ToolChoice', 'BetaToolChoice'],
  toolFields: ['Tool', 'BetaTool'],
  imageSources: ['ImageBlockParam', 'BetaImageBlockParam'],
  documentSources: ['DocumentBlockParam', 'BetaRequestDocumentBlock'],
  toolResultContent: ['ToolResultBlockParam', 'BetaToolResultBlockParam'],
  contentBlockParams: ['ContentBlockParam', 'BetaContentBlockParam'],
  toolTypes: ['ToolUnion', 'BetaToolUnion'],
  responseBlocks: ['ContentBlock', 'BetaContentBlock'],
  stopReasons: ['StopReason', 'BetaStopReason'],
  streamEvents: ['RawMessageStreamEvent', 'BetaRawMessageStreamEvent'],
  deltaTypes: ['RawContentBlockDelta', 'BetaRawContentBlockDelta'],
} as const;

/** The installed `@anthropic-ai/sdk` package folder, resolved the way the emulator's tests import it. */
export function sdkPackageFolder(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@anthropic-ai/sdk'));
}

function stringLiterals(type: ts.Type): string[] {
  const members = type.isUnion() ? type.types : [type];
  return members.filter((member) => member.isStringLiteral()).map((member) => member.value);
}

/** The GA surface (`resources/messages`) and the beta one (`resources/beta/messages`). */
export interface SdkSurfaces {
  ga: SdkSurface;
  beta: SdkSurface;
}

/**
 * Reads the installed SDK's GA and beta surfaces with the TypeScript compiler (one program: the
 * beta declarations import the GA ones): property names of the request params interface, and the
 * `type` (or `role`) literals of each union's members.
 */
export function readSdkSurfaces(): SdkSurfaces {
  const folder = sdkPackageFolder();
  const gaFile = join(folder, 'resources/messages/messages.d.ts');
  const betaFile = join(folder, 'resources/beta/messages/messages.d.ts');
  const program = ts.createProgram([gaFile, betaFile], {
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const version =
    (JSON.parse(ts.sys.readFile(join(folder, 'package.json')) ?? '{}') as { version?: string })
      .version ?? 'unknown';
  return {
    ga: readSurface({ program, checker, file: gaFile, pick: 0, version }),
    beta: readSurface({ program, checker, file: betaFile, pick: 1, version }),
  };
}

interface ReadSurfaceOptions {
  program: ts.Program;
  checker: ts.TypeChecker;
  file: string;
  /** 0 for the GA declaration names, 1 for the beta ones. */
  pick: 0 | 1;
  version: string;
}

function readSurface(options: ReadSurfaceOptions): SdkSurface {
  const { program, checker, file, pick, version } = options;
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read ${file}`);
  const exports = new Map(
    checker.getExportsOfModule(moduleSymbol).map((symbol) => [symbol.name, symbol]),
  );

  const declaredType = (name: string): ts.Type => {
    const symbol = exports.get(name);
    if (!symbol) throw new Error(`${file} no longer exports ${name}`);
    return checker.getDeclaredTypeOfSymbol(symbol);
  };
  /** The literals of property `key` across a union's members (or of the type itself). */
  const memberLiterals = (name: string, key: string): string[] => {
    const type = declaredType(name);
    const members = type.isUnion() ? type.types : [type];
    const values = members.flatMap((member) => {
      const property = checker.getPropertyOfType(member, key);
      return property ? stringLiterals(checker.getTypeOfSymbol(property)) : [];
    });
    return [...new Set(values)].sort();
  };
  /** The `type` literals of the elements of an array-typed property (`string | Array<A | B>`). */
  const elementLiterals = (name: string, key: string): string[] => {
    const property = checker.getPropertyOfType(declaredType(name), key);
    if (!property) throw new Error(`${name} has no property ${key}`);
    const type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    const values = (type.isUnion() ? type.types : [type]).flatMap((member) => {
      if (!checker.isArrayType(member)) return [];
      const element = checker.getIndexTypeOfType(member, ts.IndexKind.Number);
      const options = element ? (element.isUnion() ? element.types : [element]) : [];
      return options.flatMap((option) => {
        const tag = checker.getPropertyOfType(option, 'type');
        return tag ? stringLiterals(checker.getTypeOfSymbol(tag)) : [];
      });
    });
    return [...new Set(values)].sort();
  };
  /** The `type` literals of the members of a union-typed property (`source: A | B`). */
  const propertyLiterals = (name: string, key: string): string[] => {
    const property = checker.getPropertyOfType(declaredType(name), key);
    if (!property) throw new Error(`${name} has no property ${key}`);
    const type = checker.getNonNullableType(checker.getTypeOfSymbol(property));
    const values = (type.isUnion() ? type.types : [type]).flatMap((member) => {
      const tag = checker.getPropertyOfType(member, 'type');
      return tag ? stringLiterals(checker.getTypeOfSymbol(tag)) : [];
    });
    return [...new Set(values)].sort();
  };
  const propertyNames = (name: string): string[] =>
    checker
      .getPropertiesOfType(declaredType(name))
      .map((property) => property.name)
      .sort();
  const names = (key: keyof typeof declarationNames) => declarationNames[key][pick];
  return {
    version,
    requestFields: propertyNames(names('requestFields')),
    countTokensFields: propertyNames(names('countTokensFields')),
    toolResultContent: elementLiterals(names('toolResultContent'), 'content'),
    thinkingTypes: memberLiterals(names('thinkingTypes'), 'type'),
    toolChoiceTypes: memberLiterals(names('toolChoiceTypes'), 'type'),
    toolFields: propertyNames(names('toolFields')),
    imageSources: propertyLiterals(names('imageSources'), 'source'),
    documentSources: propertyLiterals(names('documentSources'), 'source'),
    messageRoles: memberLiterals(names('messageRoles'), 'role'),
    contentBlockParams: memberLiterals(names('contentBlockParams'), 'type'),
    toolTypes: memberLiterals(names('toolTypes'), 'type'),
    responseBlocks: memberLiterals(names('responseBlocks'), 'type'),
    stopReasons: stringLiterals(declaredType(names('stopReasons'))).sort(),
    streamEvents: memberLiterals(names('streamEvents'), 'type'),
    deltaTypes: memberLiterals(names('deltaTypes'), 'type'),
  };
}
