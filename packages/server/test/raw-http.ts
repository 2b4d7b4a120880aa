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
