import { z } from 'zod';
import { HEX64_RE } from '../ids';
import { unstorableTextReason } from '../text';

export const RESULT_PAYLOAD_TYPE = 'application/vnd.headprep.result+json';
export const KEY_REGISTRATION_PAYLOAD_TYPE = 'application/vnd.headprep.key-registration+json';

export const KeyIdSchema = z
  .string()
  .regex(HEX64_RE, 'expected 64 lowercase hex digits (sha256 of the raw public key)')
  .describe('Key id: hex SHA-256 of the raw 32-byte Ed25519 public key.');

/** DSSE v1 envelope (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md). */
export const DsseEnvelopeSchema = z
  .strictObject({
    payload: z.string().describe('Base64 of the exact payload bytes.'),
    payloadType: z.string().min(1).max(256).describe('Media type of the payload.'),
    signatures: z
      .array(
        z
          .strictObject({
            keyid: z.string().max(256).describe('Key id of the signer (HeadPrep: hex sha256 of the raw public key).'),
            sig: z.string().min(1).max(1024).describe('Base64 Ed25519 signature over PAE(payloadType, payload).'),
          }),
      )
      .min(1)
      .max(16)
      .describe('Signatures over the DSSE pre-authentication encoding.'),
  })
  .describe('DSSE v1 envelope.');
export type DsseEnvelope = z.infer<typeof DsseEnvelopeSchema>;

/** Plain one-line text: no control characters (NUL included) and no lone surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const storable = (s: string) => !/[\u0000-\u001f\u007f]/.test(s) && unstorableTextReason(s) === null;
const storableMessage = 'must be plain one-line text: no control characters (such as NUL) and no lone surrogates';

export const KeyRegistrationSchema = z
  .strictObject({
    public_key: z.string().describe('Base64 of the raw 32-byte Ed25519 public key that signs this envelope.'),
    name: z.string().trim().min(1).max(120).refine(storable, storableMessage).describe('Submitter name (person, lab or machine).'),
    contact: z.string().trim().min(3).max(200).refine(storable, storableMessage).describe('How maintainers reach the submitter (e-mail or URL).'),
    issued_at: z.iso.datetime({ offset: true }).describe('When the registration was signed; stale ones are refused.'),
  })
  .describe('Payload of a key-registration envelope: signed by the key it registers (proof of possession).');
export type KeyRegistration = z.infer<typeof KeyRegistrationSchema>;

export const ApiErrorSchema = z
  .strictObject({
    error: z
      .strictObject({
        code: z.string().describe('Machine-readable error code, e.g. "signature_invalid", "check_failed.fingerprint".'),
        message: z.string().describe('What went wrong and what to do.'),
        path: z.string().optional().describe('The offending field, as a dotted path, when there is one.'),
      }),
  })
  .describe('The one error envelope every API endpoint returns.');
export type ApiError = z.infer<typeof ApiErrorSchema>;
