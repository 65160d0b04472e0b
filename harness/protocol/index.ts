/**
 * The BitMaelum protocol library, one import for all of it: `import { verifyClientSignature } from
 * 'bitmaelum-conformance/protocol'`. Each module is also its own export
 * (`bitmaelum-conformance/protocol/header`), for callers who want only one concept (STYLE.md:
 * callers import the sub-path they need). Test fixtures (`fixtures.ts`) and `_`-prefixed
 * internals are not part of it.
 * @module
 */
export * from './address.ts';
export * from './authorization.ts';
export * from './bytes.ts';
export * from './catalog.ts';
export * from './checksum.ts';
export * from './dualkex.ts';
export * from './errors.ts';
export * from './exchange.ts';
export * from './gojson.ts';
export * from './hash.ts';
export * from './header.ts';
export * from './invite.ts';
export * from './jwt.ts';
export * from './keys.ts';
export * from './message.ts';
export * from './mimetype.ts';
export * from './mnemonic.ts';
export * from './otp.ts';
export * from './pow.ts';
export * from './random.ts';
export * from './resolverauth.ts';
export * from './secret.ts';
export * from './signature.ts';
export * from './symmetric.ts';
export * from './vault.ts';
