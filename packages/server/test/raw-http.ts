import { connect } from 'node:net';

/** Sends raw HTTP/1.1 (fetch cannot send targets such as `*` or an absolute URL) and reads the status code. */
export function rawStatus(url: string, raw: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    socket.on('end', () => resolve(Number(received.split(' ')[1])));
    socket.on('error', reject);
  });
}

/** Sends raw HTTP/1.1 and reads the status code and body (the connection is closed by the request). */
export function rawRequest(url: string, raw: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(raw));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('end', () => {
      const split = received.indexOf('\r\n\r\n');
      const head = split === -1 ? received : received.slice(0, split);
      let body = split === -1 ? '' : received.slice(split + 4);
      if (/^transfer-encoding:\s*chunked/im.test(head)) body = unchunk(body);
      resolve({ status: Number(received.split(' ')[1]), body });
    });
    socket.on('error', reject);
  });
}

/** A raw request line plus headers, `Connection: close`, and an optional body. */
export function rawHttp(requestLine: string, headers: Record<string, string>, body = ''): string {
  const lines = [requestLine, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`;
}

function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
