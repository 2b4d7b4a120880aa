/**
 * The inspector's page: static markup, filled by inspector.js from the event stream. Nothing
 * from a request is ever written into this HTML; the script renders request data as text.
 */
export const INSPECTOR_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Countersign sandbox inspector</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="inspector.css">
<script src="inspector.js" defer></script>
</head>
<body>
<a class="skip" href="#paste">Skip to comparing two base strings</a>
<header class="top">
  <h1>Countersign sandbox inspector</h1>
  <p id="connection" role="status" aria-live="polite">Connecting to the sandbox…</p>
</header>
<main>
  <div class="columns">
    <section class="requests" aria-labelledby="requests-heading">
      <h2 id="requests-heading">Requests, newest first</h2>
      <p id="requests-help" class="help">Tab into the list, then <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Home</kbd> <kbd>End</kbd> to move and <kbd>Enter</kbd> to open. <kbd>Esc</kbd> in the details comes back here.</p>
      <p id="requests-empty">No request yet: send one to this sandbox and it appears here.</p>
      <ol id="requests" aria-labelledby="requests-heading" aria-describedby="requests-help"></ol>
    </section>
    <section id="detail" class="detail" aria-labelledby="detail-heading">
      <h2 id="detail-heading" tabindex="-1">Request details</h2>
      <div id="detail-body"><p>Open a request from the list to see the base strings, the first difference and the likely cause.</p></div>
    </section>
  </div>
  <section id="paste" class="paste" aria-labelledby="paste-heading">
    <h2 id="paste-heading">Compare two base strings</h2>
    <p class="help">Paste the server's base string (or its whole error body) and the one your client signed. The comparison runs in this page: nothing you paste is sent anywhere.</p>
    <form id="paste-form" novalidate>
      <div class="fields">
        <div>
          <label for="paste-server">The server's base string, or its error body</label>
          <textarea id="paste-server" rows="5" spellcheck="false" autocomplete="off"></textarea>
        </div>
        <div>
          <label for="paste-client">The base string your client signed</label>
          <textarea id="paste-client" rows="5" spellcheck="false" autocomplete="off"></textarea>
        </div>
      </div>
      <button type="submit">Compare</button>
    </form>
    <div id="paste-result" aria-live="polite"></div>
  </section>
</main>
<noscript><p>The inspector needs JavaScript to show requests as they arrive.</p></noscript>
</body>
</html>
`;
