/**
 * The inspector page's script: the request list from the sandbox's event stream, the
 * details of the request opened, and the paste panel (which never sends anything).
 */
import type { InspectorEntry } from '../entry.ts';
import { showDetail } from './detail.ts';
import { fill } from './dom.ts';
import { createRequestList } from './list.ts';
import { comparePasted } from './paste.ts';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const status = byId<HTMLElement>('connection');
const detail = byId<HTMLElement>('detail');
const detailBody = byId<HTMLElement>('detail-body');
const detailHeading = byId<HTMLElement>('detail-heading');
let current: HTMLButtonElement | undefined;

const list = createRequestList(
  byId<HTMLOListElement>('requests'),
  byId<HTMLElement>('requests-empty'),
  (entry, button) => {
    current = button;
    showDetail(detailBody, detailHeading, entry);
    detailHeading.focus();
  },
);

detail.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || current === undefined || !current.isConnected) return;
  event.preventDefault();
  current.focus();
});

// Entries are drawn in batches: a client sending a thousand requests a second costs the page
// ten redraws a second, and never more than the sandbox keeps.
let maxRequests = 300;
let waiting: InspectorEntry[] = [];
let scheduled = false;

function draw(): void {
  scheduled = false;
  const batch = waiting;
  waiting = [];
  for (const entry of batch) list.add(entry);
  status.textContent = `Live: ${list.size} request${list.size === 1 ? '' : 's'} (the sandbox keeps the last ${maxRequests}).`;
}

let instance: string | undefined;
const events = new EventSource('events');
events.addEventListener('hello', (event) => {
  const hello = JSON.parse((event as MessageEvent<string>).data) as { maxRequests: number; instance: string };
  // Another sandbox on the same port (restarted): its entries replace the old ones.
  if (instance !== undefined && hello.instance !== instance) {
    list.clear();
    waiting = [];
  }
  instance = hello.instance;
  maxRequests = hello.maxRequests;
  list.setMaxRequests(maxRequests);
  status.textContent = 'Live: waiting for requests.';
});
events.addEventListener('entry', (event) => {
  waiting.push(JSON.parse((event as MessageEvent<string>).data) as InspectorEntry);
  if (waiting.length > maxRequests) waiting = waiting.slice(-maxRequests);
  if (!scheduled) {
    scheduled = true;
    setTimeout(draw, 100);
  }
});
events.addEventListener('error', () => {
  // A refused stream (too many pages already follow it) is not retried by the browser.
  status.textContent =
    events.readyState === EventSource.CLOSED
      ? 'The sandbox did not open the live stream (it stopped, or too many pages follow it): reload to try again.'
      : 'Connection to the sandbox lost: reconnecting…';
});

const form = byId<HTMLFormElement>('paste-form');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const server = byId<HTMLTextAreaElement>('paste-server').value;
  const client = byId<HTMLTextAreaElement>('paste-client').value;
  fill(byId<HTMLElement>('paste-result'), comparePasted(server, client));
});
