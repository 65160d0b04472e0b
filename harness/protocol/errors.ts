/**
 * Error classes of the protocol library, one per failure class of ADAPTER.md ("Error classes").
 * Every error the library throws on bad input is one of these (or a TypeError/RangeError for a
 * wrong JS type or length), so a parse failure never reads as a signature or MAC failure.
 * The adapter reports `err.errorClass` verbatim.
 * @module
 */

export type ErrorClass =
  | 'InvalidInput'
  | 'InvalidAddress'
  | 'InvalidKey'
  | 'UnsupportedKeyType'
  | 'BadSignature'
  | 'DecryptionFailed'
  | 'BadPassword'
  | 'InvalidToken'
  | 'TokenExpired'
  | 'TokenNotYetValid'
  | 'InvalidProof'
  | 'Unsupported'
  | 'Internal';

/** Base class: `errorClass` is the ADAPTER.md name the adapter puts on the wire. */
export class BitMaelumError extends Error {
  readonly errorClass: ErrorClass;
  constructor(errorClass: ErrorClass, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.errorClass = errorClass;
    this.name = errorClass;
  }
}

function make(cls: ErrorClass) {
  return class extends BitMaelumError {
    constructor(message: string, options?: { cause?: unknown }) {
      super(cls, message, options);
    }
  };
}

/** Input that is structurally wrong: not JSON, wrong shape, bad base64/hex, bad length. */
export class InvalidInput extends make('InvalidInput') {}
/** A BitMaelum address or hash that does not match the address rules (spec §2.2). */
export class InvalidAddress extends make('InvalidAddress') {}
/** A key string that cannot be parsed ("incorrect key format" in Go). */
export class InvalidKey extends make('InvalidKey') {}
/** A key type string that is not one of rsa, rsa4096, ed25519, ecdsa, or an operation the type cannot do. */
export class UnsupportedKeyType extends make('UnsupportedKeyType') {}
/** A signature that does not verify, where the operation needs it to (e.g. opening a message). */
export class BadSignature extends make('BadSignature') {}
/** Authenticated decryption failed: wrong key, flipped bit, truncated blob, not-for-me txid. */
export class DecryptionFailed extends make('DecryptionFailed') {}
/** Vault HMAC mismatch ("incorrect password" in Go). */
export class BadPassword extends make('BadPassword') {}
/** A JWT or invite token that is malformed or whose signature or subject is wrong. */
export class InvalidToken extends make('InvalidToken') {}
/** A JWT whose `exp` lies before now, or an invite past its expiry. */
export class TokenExpired extends make('TokenExpired') {}
/** A JWT whose `iat`/`nbf` lies after now. */
export class TokenNotYetValid extends make('TokenNotYetValid') {}
/** A proof of work that is malformed or does not meet its difficulty. */
export class InvalidProof extends make('InvalidProof') {}
/** A feature this implementation deliberately does not provide (the adapter answers `unsupported`). */
export class Unsupported extends make('Unsupported') {}

/** Map any thrown value to an ADAPTER.md error class; anything unexpected is `Internal`. */
export function errorClassOf(err: unknown): ErrorClass {
  if (err instanceof BitMaelumError) return err.errorClass;
  if (err instanceof TypeError || err instanceof RangeError) return 'InvalidInput';
  return 'Internal';
}
