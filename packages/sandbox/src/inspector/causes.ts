import { explain, formatForm } from '@countersign/core';
import type { VerifyResult } from '@countersign/server';
import type { RequestNotes } from './notes.ts';
import { shownText } from './shown.ts';

/** A likely cause as the page shows it: its name when one is known, and what to do, in words. */
export interface ShownCause {
  /** `explain()`'s name for it (`plus_for_space`, `clock_skew`, …), or the server diagnosis's. */
  readonly cause?: string;
  readonly explanation: string;
  /** Who found it: the server's diagnosis (a reproduced signature, so proof) or core's `explain()` (ranked reasoning). */
  readonly foundBy: 'diagnosis' | 'explain';
}

const EXPLANATION_LENGTH = 2000;

function fromExplain(input: Parameters<typeof explain>[0]): ShownCause[] {
  return explain(input).map(({ cause, explanation }) => ({
    cause,
    explanation: shownText(explanation, EXPLANATION_LENGTH),
    foundBy: 'explain',
  }));
}

/**
 * Why a request was refused, most likely first. A signature that does not verify is the
 * server's diagnosis (`diagnoseSignature`, run by `verifyRequest`): a classic mistake that
 * reproduces the signature, or its word that none does; with a base string the client sent
 * itself, `explain()` compares the two as well. Any other refusal is read by `explain()` as
 * a client reads a provider's answer (a clock off, a nonce used twice, a method refused).
 */
export function likelyCauses(
  notes: RequestNotes,
  status: number,
  expected: string | undefined,
  sent: string | undefined,
): ShownCause[] {
  const verdict: VerifyResult | undefined = notes.verdict;
  const refusal = notes.refusal;
  if (refusal === undefined) return [];
  const causes: ShownCause[] = [];
  const diagnosis = verdict?.ok === false ? verdict.diagnosis : undefined;
  if (diagnosis !== undefined) {
    causes.push({
      ...(diagnosis.likelyCause === undefined ? {} : { cause: diagnosis.likelyCause }),
      explanation: shownText(diagnosis.explanation, EXPLANATION_LENGTH),
      foundBy: 'diagnosis',
    });
  } else if (verdict?.ok === false && verdict.likelyCause !== undefined) {
    causes.push({
      cause: verdict.likelyCause,
      explanation: shownText(verdict.advice, EXPLANATION_LENGTH),
      foundBy: 'diagnosis',
    });
  }
  if (refusal.problem === 'signature_invalid') {
    // Without the client's base string explain() has nothing to add to the diagnosis.
    if (sent !== undefined && expected !== undefined && diagnosis?.likelyCause === undefined) {
      causes.push(...fromExplain({ ourBaseString: sent, serverBaseString: expected }));
    }
    return causes;
  }
  const answer: Array<[string, string]> = [['oauth_problem', refusal.problem]];
  if (refusal.acceptableTimestamps !== undefined) {
    answer.push(['oauth_acceptable_timestamps', refusal.acceptableTimestamps]);
  }
  causes.push(...fromExplain({ response: { status, body: formatForm(answer) } }));
  return causes;
}
