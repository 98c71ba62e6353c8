import { z } from 'zod';

/** The deployment environments a prompt file can override settings for. */
export const promptEnvironments = ['development', 'staging', 'production'] as const;
export type PromptEnvironment = (typeof promptEnvironments)[number];

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an identifier');

/** The full form of a variable declaration. */
const variableSpecSchema = z
  .strictObject({
    type: z.enum(['string', 'number', 'boolean', 'enum', 'list']),
    /** For `enum`: the allowed values. */
    values: z.array(z.string()).min(1).optional(),
    /** For `list`: the type of each item. */
    items: z.enum(['string', 'number']).optional(),
    required: z.boolean().default(true),
    description: z.string().optional(),
  })
  .superRefine((spec, context) => {
    if (spec.type === 'enum' && !spec.values) {
      context.addIssue({ code: 'custom', path: ['values'], message: 'an enum needs `values`' });
    }
    if (spec.type !== 'enum' && spec.values) {
      context.addIssue({ code: 'custom', path: ['values'], message: 'only an enum has `values`' });
    }
    if (spec.type !== 'list' && spec.items) {
      context.addIssue({ code: 'custom', path: ['items'], message: 'only a list has `items`' });
    }
  });

/** A variable is declared by its type name (`diff: string`) or by the full form. */
const variableDeclarationSchema = z.union([
  z.enum(['string', 'number', 'boolean']).transform((type) => variableSpecSchema.parse({ type })),
  variableSpecSchema,
]);

const settingsOverrideSchema = z.strictObject({
  model: z.string().min(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(1).optional(),
});

const exampleSchema = z.strictObject({
  /** What the user says. */
  input: z.string().min(1),
  /** The ideal answer; an object is sent as JSON. */
  output: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
});

/** The YAML front matter of a prompt file. Unknown keys are errors, so typos surface at load. */
export const promptFrontMatterSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, . _ -'),
    description: z.string().optional(),
    /** A routing task name, resolved to a model by the caller's router. */
    task: z.string().min(1).optional(),
    /** A model id or alias from the catalog. */
    model: z.string().min(1).optional(),
    max_tokens: z.number().int().positive(),
    temperature: z.number().min(0).max(1).optional(),
    /** A template for the user turn; without it the caller supplies the messages. */
    user: z.string().min(1).optional(),
    variables: z.record(variableName, variableDeclarationSchema).default({}),
    /** A JSON Schema the answer must satisfy. */
    output_schema: z.record(z.string(), z.unknown()).optional(),
    examples: z.array(exampleSchema).default([]),
    environments: z
      .strictObject({
        development: settingsOverrideSchema.optional(),
        staging: settingsOverrideSchema.optional(),
        production: settingsOverrideSchema.optional(),
      })
      .default({}),
  })
  .refine((front) => front.task !== undefined || front.model !== undefined, {
    error: 'a prompt needs `task` or `model`',
    path: ['model'],
  });

export type VariableSpec = z.output<typeof variableSpecSchema>;
export type PromptFrontMatter = z.output<typeof promptFrontMatterSchema>;
