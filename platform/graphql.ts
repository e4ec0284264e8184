import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

/**
 * graphql-js exactly as Apollo Server and @apollo/gateway load it (CommonJS).
 * An ES `import 'graphql'` may load its `.mjs` build instead (Vite and vitest
 * prefer the "module" field): a second copy whose classes fail graphql-js's
 * `instanceof` checks against the gateway's schema and errors. Runtime values
 * come from here; types may still be imported from 'graphql'.
 */
export const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

export const GraphQLError = graphql.GraphQLError;
export type GraphQLError = GraphQL.GraphQLError;
export const Kind = graphql.Kind;
export const TokenKind = graphql.TokenKind;
export const Lexer = graphql.Lexer;
export const Source = graphql.Source;
export const TypeInfo = graphql.TypeInfo;
export const parse = graphql.parse;
export const print = graphql.print;
export const visit = graphql.visit;
export const visitWithTypeInfo = graphql.visitWithTypeInfo;
export const valueFromASTUntyped = graphql.valueFromASTUntyped;
export const getNamedType = graphql.getNamedType;
export const isAbstractType = graphql.isAbstractType;
export const isCompositeType = graphql.isCompositeType;
export const isListType = graphql.isListType;
export const isNonNullType = graphql.isNonNullType;
export const isObjectType = graphql.isObjectType;
