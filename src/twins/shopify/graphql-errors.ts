// Shopify-shaped GraphQL errors for the twin: graphql-ruby style messages and `extensions.code` (B4).
// graphql-js does the checking; this file only renames what it found. Codes not quoted in the contract are marked [I] in README.md.
import {
  FieldsOnCorrectTypeRule,
  KnownArgumentNamesRule,
  NoUndefinedVariablesRule,
  NoUnusedVariablesRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  ValuesOfCorrectTypeRule,
  VariablesInAllowedPositionRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type SourceLocation,
  type ValidationRule,
} from 'graphql';

export type ShopifyGraphqlError = {
  message: string;
  locations?: readonly SourceLocation[];
  path?: readonly (string | number)[];
  extensions: Record<string, unknown> & { code: string };
};

type Renamer = (error: GraphQLError) => { message: string; extensions: Record<string, unknown> & { code: string } };

function quoted(message: string): string[] {
  return [...message.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
}

const RENAMERS = new Map<ValidationRule, Renamer>([
  [
    FieldsOnCorrectTypeRule,
    (error) => {
      const [fieldName = '', typeName = ''] = quoted(error.message);
      return { message: `Field '${fieldName}' doesn't exist on type '${typeName}'`, extensions: { code: 'undefinedField', typeName, fieldName } };
    },
  ],
  [
    KnownArgumentNamesRule,
    (error) => {
      const [argumentName = '', coordinate = ''] = quoted(error.message);
      const fieldName = coordinate.split('.').pop() ?? coordinate;
      return {
        message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
        extensions: { code: 'argumentNotAccepted', name: fieldName, typeName: 'Field', argumentName },
      };
    },
  ],
  [
    ProvidedRequiredArgumentsRule,
    (error) => {
      const [fieldName = '', argumentName = ''] = quoted(error.message);
      return {
        message: `Field '${fieldName}' is missing required arguments: ${argumentName}`,
        extensions: { code: 'missingRequiredArguments', className: 'Field', name: fieldName, arguments: argumentName },
      };
    },
  ],
  [
    VariablesInAllowedPositionRule,
    (error) => {
      const [variable = '', variableType = '', expectedType = ''] = quoted(error.message);
      return {
        message: `Type mismatch on variable ${variable} and argument (${variableType} / ${expectedType})`,
        extensions: { code: 'variableMismatch', variableName: variable.replace(/^\$/, ''), typeName: variableType },
      };
    },
  ],
  [
    NoUnusedVariablesRule,
    (error) => {
      const [variable = '', operation = 'anonymous query'] = quoted(error.message);
      return { message: `Variable ${variable} is declared by ${operation} but not used`, extensions: { code: 'variableNotUsed', variableName: variable.replace(/^\$/, '') } };
    },
  ],
  [
    NoUndefinedVariablesRule,
    (error) => {
      const [variable = '', operation = 'anonymous query'] = quoted(error.message);
      return { message: `Variable ${variable} is used by ${operation} but not declared`, extensions: { code: 'variableNotDefined', variableName: variable.replace(/^\$/, '') } };
    },
  ],
  [ScalarLeafsRule, (error) => ({ message: error.message, extensions: { code: 'selectionMismatch' } })],
  [ValuesOfCorrectTypeRule, (error) => ({ message: error.message, extensions: { code: 'argumentLiteralsIncompatible' } })],
]);

function shaped(error: GraphQLError, rename: Renamer | undefined): ShopifyGraphqlError {
  const renamed = rename ? rename(error) : { message: error.message, extensions: { code: 'validationError' } };
  return { message: renamed.message, ...(error.locations ? { locations: error.locations } : {}), extensions: renamed.extensions };
}

/** Validates against the full schema, one rule at a time, so each error keeps the code of the rule that raised it. */
export function validateDocument(schema: GraphQLSchema, document: DocumentNode): ShopifyGraphqlError[] {
  const errors: ShopifyGraphqlError[] = [];
  for (const rule of specifiedRules) {
    for (const error of validate(schema, document, [rule])) errors.push(shaped(error, RENAMERS.get(rule)));
  }
  return errors;
}

export function syntaxError(error: GraphQLError): ShopifyGraphqlError {
  const location = error.locations?.[0];
  const where = location ? ` at [${location.line}, ${location.column}]` : '';
  return {
    message: `syntax error, ${error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '')}${where}`,
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: 'parseError' },
  };
}

/** A variable that does not coerce to its declared type (graphql-js `getVariableValues`). */
export function variableError(error: GraphQLError): ShopifyGraphqlError {
  return { message: error.message, ...(error.locations ? { locations: error.locations } : {}), extensions: { code: 'INVALID_VARIABLE' } };
}

export const THROTTLED_ERROR: ShopifyGraphqlError = {
  message: 'Throttled',
  extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
};

export function maxCostExceeded(cost: number, maxCost: number): ShopifyGraphqlError {
  return {
    message: `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}). See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the cost of a query is calculated. To query larger amounts of data with fewer limits, bulk operations should be used instead. See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.`,
    extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost, documentation: 'https://shopify.dev/api/usage/rate-limits' },
  };
}
