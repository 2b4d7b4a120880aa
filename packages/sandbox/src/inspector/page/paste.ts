import { explain, inertText, parseProviderProblem, redactBaseString } from '@countersign/core';
import { baseStringsView, type Sides, signedTable } from './base-strings.ts';
import { code, el } from './dom.ts';

const SIDES: Sides = {
  server: 'the server',
  client: 'yours',
  serverHeading: "The server's base string",
  clientHeading: 'Your base string',
};

// A base string: a method, then two parts with no space. An error body (oauth_problem=…, JSON, text) is not one.
const BASE_STRING = /^[A-Za-z]{1,20}&[^&\s]+&\S*$/;
const SHOWN_LENGTH = 64 * 1024;

function shown(baseString: string): string {
  return inertText(redactBaseString(baseString), SHOWN_LENGTH);
}

/** The base string of a Problem Reporting body (`oauth_signature_base_string=…`), as it was sent. */
function rawProblemBaseString(body: string): string | undefined {
  if (!/(?:^|&)oauth_signature_base_string=/.test(body)) return undefined;
  try {
    return new URLSearchParams(body).get('oauth_signature_base_string') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares what was pasted, entirely in the page: the server's base string (or its error
 * body, from which `parseProviderProblem` reads the base string and the problem) with the
 * client's, side by side, and `explain()`'s ranked causes. Compared as pasted, shown redacted.
 */
export function comparePasted(serverText: string, clientText: string): HTMLElement {
  const client = clientText.replace(/\s+/g, '');
  const serverCompact = serverText.replace(/\s+/g, '');
  if (client === '' || serverText.trim() === '') {
    return el('p', {}, 'Paste both: the server’s base string (or its error body) and the one your client signed.');
  }
  const isBaseString = BASE_STRING.test(serverCompact);
  const problem = isBaseString ? undefined : parseProviderProblem(serverText.trim());
  const serverBaseString = isBaseString ? serverCompact : problem?.serverBaseString;
  // Compared as pasted, shown redacted: a Problem Reporting body's base string is read raw too.
  const rawServer = isBaseString ? serverCompact : rawProblemBaseString(serverText.trim());
  const differInside = rawServer !== undefined && rawServer !== client;
  const causes = explain(
    isBaseString
      ? { ourBaseString: client, serverBaseString: serverCompact }
      : { ourBaseString: client, response: { status: 401, body: serverText.trim() } },
  );
  const said =
    problem === undefined
      ? undefined
      : el(
          'p',
          {},
          'The server said: ',
          problem.problem === undefined ? 'no oauth_problem' : code(problem.problem),
          problem.advice === undefined ? '' : ` — ${problem.advice}`,
          problem.providerMessage === undefined ? '' : ` — ${problem.providerMessage}`,
        );
  return el(
    'div',
    {},
    said,
    serverBaseString === undefined
      ? el('p', {}, 'No base string was found in the server’s text: only the causes its answer points to are listed.')
      : baseStringsView(shown(serverBaseString), shown(client), SIDES, differInside),
    serverBaseString === undefined ? undefined : el('h3', {}, 'Parameters as signed'),
    serverBaseString === undefined ? undefined : signedTable(shown(serverBaseString), shown(client), SIDES),
    el('h3', {}, 'Likely causes, most likely first'),
    causes.length === 0
      ? el('p', {}, 'No cause found from these two.')
      : el(
          'ol',
          { class: 'causes' },
          ...causes.map((cause) =>
            el('li', {}, el('strong', { class: 'cause-name' }, cause.cause), ' — ', inertText(cause.explanation, 4000)),
          ),
        ),
  );
}
